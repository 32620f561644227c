/**
 * @module registry/printers/other
 *
 * Tables of the non-core, non-workload kinds, after pkg/printers/internalversion/printers.go:
 * printLease, printRoleBinding / printClusterRoleBinding (rbac.SubjectsStrings),
 * printCertificateSigningRequest (extractCSRStatus), printNetworkPolicy, printIngress (formatHosts,
 * formatPorts), printIngressClass, printPodDisruptionBudget, printPriorityClass, printStorageClass.
 */
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { at, isSet, num, obj, objs, str } from '../util.js';
import { humanDuration } from './duration.js';
import { ageCol, ageOf, col, formatLabelSelector, intOrString, nameCol, nameOf, table } from './columns.js';
import { loadBalancerIngress } from './core.js';

export const leaseTable: TableConvertor = table(
  [
    nameCol(),
    col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'),
    ageCol(),
  ],
  (l, now) => [nameOf(l), str(at(l, 'spec', 'holderIdentity')), ageOf(l, now)],
);

/** rbac.SubjectsStrings: users, groups and `namespace/name` service accounts; other kinds dropped. */
export function subjectsStrings(subjects: unknown): { users: string[]; groups: string[]; sas: string[] } {
  const out = { users: [] as string[], groups: [] as string[], sas: [] as string[] };
  for (const s of objs(subjects)) {
    if (s.kind === 'User') out.users.push(str(s.name));
    else if (s.kind === 'Group') out.groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') out.sas.push(`${str(s.namespace)}/${str(s.name)}`);
  }
  return out;
}

function bindingTable(kind: 'roleBinding' | 'clusterRoleBinding'): TableConvertor {
  return table(
    [
      nameCol(),
      col(
        'Role',
        'string',
        'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.',
      ),
      ageCol(),
      col('Users', 'string', `Users in the ${kind}`, true),
      col('Groups', 'string', `Groups in the ${kind}`, true),
      col('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, true),
    ],
    (b, now) => {
      const ref = obj(b.roleRef);
      const { users, groups, sas } = subjectsStrings(b.subjects);
      return [
        nameOf(b),
        `${str(ref.kind)}/${str(ref.name)}`,
        ageOf(b, now),
        users.join(', '),
        groups.join(', '),
        sas.join(', '),
      ];
    },
  );
}

export const roleBindingTable = bindingTable('roleBinding');
export const clusterRoleBindingTable = bindingTable('clusterRoleBinding');

/** extractCSRStatus: Denied / Approved / Pending, then ",Failed" and ",Issued". */
export function csrCondition(csr: KubeObject): string {
  const types = new Set(objs(at(csr, 'status', 'conditions')).map((c) => str(c.type)));
  let status = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) status += ',Failed';
  if (str(at(csr, 'status', 'certificate'))) status += ',Issued';
  return status;
}

export const csrTable: TableConvertor = table(
  [
    nameCol(),
    ageCol(),
    col('SignerName', 'string', 'signerName indicates the requested signer, and is a qualified name.'),
    col(
      'Requestor',
      'string',
      'request contains an x509 certificate signing request encoded in a "CERTIFICATE REQUEST" PEM block.',
    ),
    col(
      'RequestedDuration',
      'string',
      'expirationSeconds is the requested duration of validity of the issued certificate.',
    ),
    col(
      'Condition',
      'string',
      'conditions applied to the request. Known conditions are "Approved", "Denied", and "Failed".',
    ),
  ],
  (csr, now) => {
    const spec = obj(csr.spec);
    return [
      nameOf(csr),
      ageOf(csr, now),
      str(spec.signerName) || '<none>',
      str(spec.username),
      typeof spec.expirationSeconds === 'number' ? humanDuration(spec.expirationSeconds * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
);

export const networkPolicyTable: TableConvertor = table(
  [
    nameCol(),
    col('Pod-Selector', 'string', 'podSelector selects the pods to which this NetworkPolicy object applies.'),
    ageCol(),
  ],
  (np, now) => [nameOf(np), formatLabelSelector(at(np, 'spec', 'podSelector')), ageOf(np, now)],
);

/** formatHosts: up to 3 hosts, `*` for none, then " + N more...". */
export function ingressHosts(rules: unknown): string {
  const rs = objs(rules);
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const r of rs) {
    if (list.length === max) more = true;
    if (!more && str(r.host)) list.push(str(r.host));
  }
  if (!list.length) return '*';
  return more ? `${list.join(',')} + ${rs.length - max} more...` : list.join(',');
}

export const ingressTable: TableConvertor = table(
  [
    nameCol(),
    col(
      'Class',
      'string',
      'The name of the IngressClass resource that should be used for additional configuration',
    ),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    ageCol(),
  ],
  (ing, now) => {
    const spec = obj(ing.spec);
    return [
      nameOf(ing),
      isSet(spec.ingressClassName) ? str(spec.ingressClassName) : '<none>',
      ingressHosts(spec.rules),
      loadBalancerIngress(ing.status),
      objs(spec.tls).length ? '80, 443' : '80',
      ageOf(ing, now),
    ];
  },
);

export const ingressClassTable: TableConvertor = table(
  [
    nameCol(),
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageCol(),
  ],
  (ic, now) => {
    const p = at(ic, 'spec', 'parameters');
    let parameters = '<none>';
    if (isSet(p)) {
      const ref = obj(p);
      parameters = str(ref.kind) + (isSet(ref.apiGroup) ? `.${str(ref.apiGroup)}` : '') + `/${str(ref.name)}`;
    }
    return [nameOf(ic), str(at(ic, 'spec', 'controller')), parameters, ageOf(ic, now)];
  },
);

export const podDisruptionBudgetTable: TableConvertor = table(
  [
    nameCol(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageCol(),
  ],
  (pdb, now) => {
    const spec = obj(pdb.spec);
    return [
      nameOf(pdb),
      isSet(spec.minAvailable) ? intOrString(spec.minAvailable) : 'N/A',
      isSet(spec.maxUnavailable) ? intOrString(spec.maxUnavailable) : 'N/A',
      num(at(pdb, 'status', 'disruptionsAllowed')),
      ageOf(pdb, now),
    ];
  },
);

export const priorityClassTable: TableConvertor = table(
  [
    nameCol(),
    col('Value', 'integer', 'value represents the integer value of this priority class.'),
    col(
      'Global-Default',
      'boolean',
      'globalDefault specifies whether this PriorityClass should be considered as the default priority.',
    ),
    ageCol(),
    col(
      'PreemptionPolicy',
      'string',
      'preemptionPolicy is the Policy for preempting pods with lower priority.',
    ),
  ],
  (pc, now) => [
    nameOf(pc),
    num(pc.value),
    pc.globalDefault === true,
    ageOf(pc, now),
    str(pc.preemptionPolicy),
  ],
);

/** storageutil.IsDefaultAnnotation: the GA or beta is-default-class annotation is "true". */
export function isDefaultStorageClass(o: KubeObject): boolean {
  const a = o.metadata?.annotations ?? {};
  return (
    a['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    a['storageclass.beta.kubernetes.io/is-default-class'] === 'true'
  );
}

export const storageClassTable: TableConvertor = table(
  [
    nameCol(),
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col(
      'ReclaimPolicy',
      'string',
      'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.',
    ),
    col(
      'VolumeBindingMode',
      'string',
      'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.',
    ),
    col(
      'AllowVolumeExpansion',
      'string',
      'allowVolumeExpansion shows whether the storage class allow volume expand.',
    ),
    ageCol(),
  ],
  (sc, now) => [
    nameOf(sc) + (isDefaultStorageClass(sc) ? ' (default)' : ''),
    str(sc.provisioner),
    str(sc.reclaimPolicy) || 'Delete',
    str(sc.volumeBindingMode) || 'Immediate',
    sc.allowVolumeExpansion === true,
    ageOf(sc, now),
  ],
);
