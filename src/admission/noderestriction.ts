/**
 * @module admission/noderestriction
 *
 * The NodeRestriction admission plugin, after plugin/pkg/admission/noderestriction/admission.go,
 * with the kubelet label allow-list of staging/src/k8s.io/kubelet/pkg/apis/well_known_labels.go.
 * It limits what a node (`system:node:<name>` in `system:nodes`) may write, behind the Node
 * authorizer which lets nodes create/update/delete these objects in general:
 * - pods: create only mirror pods bound to itself and owned by its Node, referencing no other API
 *   objects; delete only pods bound to itself; `status` updates of its pods without label or
 *   resource-claim-status changes; `eviction` of its pods; no other subresource;
 * - nodes: only its own Node; no configSource; no taint changes after creation; no labels in the
 *   `node-restriction.kubernetes.io` namespace nor `kubernetes.io`/`k8s.io` labels that are not
 *   kubelet labels;
 * - persistentvolumeclaims: `status` only, changing only capacity, conditions and allocation;
 * - serviceaccounts/token: bound to a live pod (uid checked) scheduled on itself;
 * - leases (kube-node-lease), csinodes: only the one named after itself;
 * - resourceslices: create/delete only with spec.nodeName = itself;
 * - certificatesigningrequests: kubelet signers only with CN=system:node:<itself>.
 * Errors are `admission.NewForbidden`: `<resource> "<object name or Unknown>" is forbidden: <why>`.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { UserInfo } from '../authn/interfaces.js';
import { forbidden, notFound, type ApiError } from '../api/errors.js';
import { nodeIdentity } from '../authz/node/identity.js';
import { MIRROR_POD_ANNOTATION } from '../authz/node/populator.js';
import { podConfigMapNames, podSecretNames } from '../authz/node/refs.js';
import { semanticEqual, semanticDiff } from './semantic.js';

export const NODE_RESTRICTION_PLUGIN = 'NodeRestriction';
const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
const KUBE_APISERVER_CLIENT_KUBELET_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';

type Obj = Record<string, any>;

export interface NodeRestrictionAttributes {
  user: UserInfo;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  resource: string;
  /** API group of the resource; inferred for the resources this plugin knows when omitted. */
  apiGroup?: string;
  subresource: string;
  namespace: string;
  /** The name from the URL, or for CREATE the new object's name. */
  name: string;
  /** The new object (CREATE, UPDATE); undefined for DELETE. */
  object?: Obj;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: Obj;
}

/** Synchronous reads of the current state (the watch caches). */
export interface NodeRestrictionLookup {
  getPod(namespace: string, name: string): Obj | undefined;
  getNode(name: string): Obj | undefined;
}

export interface NodeRestrictionOptions {
  /** RecoverVolumeExpansionFailure: allocatedResources/allocatedResourceStatuses may change. Default true. */
  expansionRecovery?: boolean;
  /** AllowInsecureKubeletCertificateSigningRequests: skip the CSR check. Default false. */
  allowInsecureKubeletCSRs?: boolean;
}

const GROUPS: Record<string, string> = {
  leases: 'coordination.k8s.io',
  csinodes: 'storage.k8s.io',
  resourceslices: 'resource.k8s.io',
  certificatesigningrequests: 'certificates.k8s.io',
};

const q = (s: string): string => JSON.stringify(s);

/**
 * Admits or rejects a node's write. Returns undefined to admit, or the ApiError to send (403, or
 * the 404 of a pod lookup). Requests from non-nodes are always admitted.
 */
export function admitNodeRestriction(
  a: NodeRestrictionAttributes,
  lookup: NodeRestrictionLookup,
  opts: NodeRestrictionOptions = {},
): ApiError | undefined {
  const { nodeName, isNode } = nodeIdentity(a.user);
  if (!isNode) return undefined;
  const group = a.apiGroup ?? GROUPS[a.resource] ?? '';
  const gr = { group, resource: a.resource };
  const deny = (why: string): ApiError => {
    const m = a.object?.metadata ?? {};
    return forbidden(gr, m.name || m.generateName || 'Unknown', why);
  };
  if (!nodeName) return deny(`could not determine node from user ${q(a.user.name)}`);
  const getPod = (ns: string, name: string): Obj | ApiError =>
    lookup.getPod(ns, name) ?? notFound({ group: '', resource: 'pods' }, name);
  const isErr = (x: Obj | ApiError): x is ApiError => x instanceof Error;

  switch (`${group}/${a.resource}`) {
    case '/pods':
      switch (a.subresource) {
        case '':
          return admitPod(nodeName, a, lookup, deny, getPod, isErr);
        case 'status':
          return admitPodStatus(nodeName, a, deny);
        case 'eviction': {
          if (a.operation !== 'CREATE') return deny(`unexpected operation ${a.operation}`);
          const podName = a.name || a.object?.metadata?.name || '';
          if (!podName) return deny('could not determine pod from request data');
          const pod = getPod(a.namespace, podName);
          if (isErr(pod)) return pod;
          if (pod.spec?.nodeName !== nodeName) {
            return deny(`node ${nodeName} can only evict pods with spec.nodeName set to itself`);
          }
          return undefined;
        }
        default:
          return deny(
            `unexpected pod subresource ${q(a.subresource)}, only 'status' and 'eviction' are allowed`,
          );
      }
    case '/nodes':
      return admitNode(nodeName, a, deny);
    case '/persistentvolumeclaims':
      if (a.subresource !== 'status') return deny('may only update PVC status');
      return admitPVCStatus(nodeName, a, deny, opts.expansionRecovery ?? true);
    case '/serviceaccounts': {
      if (a.operation !== 'CREATE' || a.subresource !== 'token') return undefined;
      const ref = a.object?.spec?.boundObjectRef;
      if (!ref || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !ref.name) {
        return deny('node requested token not bound to a pod');
      }
      if (!ref.uid) return deny('node requested token with a pod binding without a uid');
      const pod = getPod(a.namespace, ref.name);
      if (isErr(pod)) return pod;
      if (ref.uid !== (pod.metadata?.uid ?? '')) {
        return deny(
          `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      }
      if (pod.spec?.nodeName !== nodeName)
        return deny('node requested token bound to a pod scheduled on a different node');
      return undefined;
    }
    case 'coordination.k8s.io/leases': {
      if (a.namespace !== NODE_LEASE_NAMESPACE) {
        return deny(`can only access leases in the ${q(NODE_LEASE_NAMESPACE)} system namespace`);
      }
      const name = a.operation === 'CREATE' ? a.object?.metadata?.name : a.name;
      if (name !== nodeName)
        return deny('can only access node lease with the same name as the requesting node');
      return undefined;
    }
    case 'storage.k8s.io/csinodes': {
      const name = a.operation === 'CREATE' ? a.object?.metadata?.name : a.name;
      if (name !== nodeName) return deny('can only access CSINode with the same name as the requesting node');
      return undefined;
    }
    case 'resource.k8s.io/resourceslices':
      if (a.operation === 'CREATE' && a.object?.spec?.nodeName !== nodeName) {
        return deny('can only create ResourceSlice with the same NodeName as the requesting node');
      }
      if (a.operation === 'DELETE') {
        if (!a.oldObject) return deny('unexpected type <nil>');
        if (a.oldObject.spec?.nodeName !== nodeName) {
          return deny('can only delete ResourceSlice with the same NodeName as the requesting node');
        }
      }
      return undefined;
    case 'certificates.k8s.io/certificatesigningrequests':
      if (opts.allowInsecureKubeletCSRs || a.operation !== 'CREATE') return undefined;
      return admitCSR(nodeName, a.object ?? {}, deny);
    default:
      return undefined;
  }
}

type Deny = (why: string) => ApiError;

function admitPod(
  node: string,
  a: NodeRestrictionAttributes,
  lookup: NodeRestrictionLookup,
  deny: Deny,
  getPod: (ns: string, name: string) => Obj | ApiError,
  isErr: (x: Obj | ApiError) => x is ApiError,
): ApiError | undefined {
  if (a.operation === 'DELETE') {
    const pod = getPod(a.namespace, a.name);
    if (isErr(pod)) return pod;
    if (pod.spec?.nodeName !== node)
      return deny(`node ${q(node)} can only delete pods with spec.nodeName set to itself`);
    return undefined;
  }
  if (a.operation !== 'CREATE') {
    return deny(
      `unexpected operation ${q(a.operation)}, node ${q(node)} can only create and delete mirror pods`,
    );
  }
  const pod = a.object ?? {};
  if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] === undefined) {
    return deny(
      `pod does not have ${q(MIRROR_POD_ANNOTATION)} annotation, node ${q(node)} can only create mirror pods`,
    );
  }
  if (pod.spec?.nodeName !== node)
    return deny(`node ${q(node)} can only create pods with spec.nodeName set to itself`);
  const owners: Obj[] = pod.metadata?.ownerReferences ?? [];
  if (owners.length > 1)
    return deny(`node ${q(node)} can only create pods with a single owner reference set to itself`);
  if (owners.length === 0)
    return deny(`node ${q(node)} can only create pods with an owner reference set to itself`);
  const owner = owners[0];
  if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== node) {
    return deny(`node ${q(node)} can only create pods with an owner reference set to itself`);
  }
  if (owner.controller !== true) {
    return deny(`node ${q(node)} can only create pods with a controller owner reference set to itself`);
  }
  if (owner.blockOwnerDeletion === true)
    return deny(`node ${q(node)} must not set blockOwnerDeletion on an owner reference`);
  const nodeObj = lookup.getNode(node);
  if (!nodeObj) return notFound({ group: '', resource: 'nodes' }, node);
  if ((owner.uid ?? '') !== (nodeObj.metadata?.uid ?? '')) {
    return deny(`node ${node} UID mismatch: expected ${owner.uid ?? ''} got ${nodeObj.metadata?.uid ?? ''}`);
  }
  if (pod.spec?.serviceAccountName)
    return deny(`node ${q(node)} can not create pods that reference a service account`);
  if (podSecretNames(pod).length) return deny(`node ${q(node)} can not create pods that reference secrets`);
  if (podConfigMapNames(pod).length)
    return deny(`node ${q(node)} can not create pods that reference configmaps`);
  const volumes: Obj[] = pod.spec?.volumes ?? [];
  for (const v of volumes) {
    if ((v.projected?.sources ?? []).some((s: Obj) => s.clusterTrustBundle)) {
      return deny(`node ${q(node)} can not create pods that reference clustertrustbundles`);
    }
  }
  if (volumes.some((v) => v.persistentVolumeClaim)) {
    return deny(`node ${q(node)} can not create pods that reference persistentvolumeclaims`);
  }
  return undefined;
}

function admitPodStatus(node: string, a: NodeRestrictionAttributes, deny: Deny): ApiError | undefined {
  if (a.operation !== 'UPDATE') return deny(`unexpected operation ${q(a.operation)}`);
  const oldPod = a.oldObject ?? {};
  const newPod = a.object ?? {};
  if (oldPod.spec?.nodeName !== node) {
    return deny(`node ${q(node)} can only update pod status for pods with spec.nodeName set to itself`);
  }
  if (!semanticEqual(oldPod.metadata?.labels, newPod.metadata?.labels)) {
    return deny(`node ${q(node)} cannot update labels through pod status`);
  }
  const claims = (p: Obj): [string, string | null][] =>
    (p.status?.resourceClaimStatuses ?? []).map((s: Obj) => [s.name, s.resourceClaimName ?? null]);
  if (JSON.stringify(claims(oldPod)) !== JSON.stringify(claims(newPod))) {
    return deny(`node ${q(node)} cannot update resource claim statues`);
  }
  return undefined;
}

function admitPVCStatus(
  node: string,
  a: NodeRestrictionAttributes,
  deny: Deny,
  expansionRecovery: boolean,
): ApiError | undefined {
  if (a.operation !== 'UPDATE') return deny(`unexpected operation ${q(a.operation)}`);
  const strip = (p: Obj | undefined): Obj => {
    const c = structuredClone(p ?? {});
    const drop = (o: Obj | undefined, keys: string[]): void => keys.forEach((k) => o && delete o[k]);
    drop(c.metadata, ['resourceVersion', 'managedFields']);
    drop(c.status, ['capacity', 'conditions']);
    if (expansionRecovery) drop(c.status, ['allocatedResourceStatuses', 'allocatedResources']);
    return c;
  };
  const [o, n] = [strip(a.oldObject), strip(a.object)];
  if (!semanticEqual(o, n)) {
    return deny(
      `node ${q(node)} is not allowed to update fields other than status.quantity and status.conditions: ${semanticDiff(o, n)}`,
    );
  }
  return undefined;
}

/** Kubelet labels (well_known_labels.go): exact keys, and namespaces (with sub-domains). */
export const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'node.kubernetes.io/instance-type',
]);
export const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const labelNamespace = (key: string): string => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (ns: string, domain: string): boolean => ns === domain || ns.endsWith(`.${domain}`);

/** Whether a kubelet may set this label on its own Node (`IsKubeletLabel`). */
export function isKubeletLabel(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const ns = labelNamespace(key);
  return KUBELET_LABEL_NAMESPACES.some((d) => inNamespace(ns, d));
}

/** Label keys a node may not add, remove or change, sorted (`getForbiddenLabels`). */
export function forbiddenNodeLabels(
  now: Record<string, string> = {},
  old: Record<string, string> = {},
): string[] {
  const modified = new Set<string>();
  for (const [k, v] of Object.entries(now)) if (old[k] !== v) modified.add(k);
  for (const [k, v] of Object.entries(old)) if (now[k] !== v) modified.add(k);
  const out: string[] = [];
  for (const k of modified) {
    const ns = labelNamespace(k);
    const k8s = inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io');
    if (inNamespace(ns, 'node-restriction.kubernetes.io') || (k8s && !isKubeletLabel(k))) out.push(k);
  }
  return out.sort();
}

function admitNode(node: string, a: NodeRestrictionAttributes, deny: Deny): ApiError | undefined {
  const requested = a.name || (a.operation === 'CREATE' ? (a.object?.metadata?.name ?? '') : '');
  if (requested !== node) return deny(`node ${q(node)} is not allowed to modify node ${q(requested)}`);
  const obj = a.object ?? {};
  if (a.operation === 'CREATE') {
    if (obj.spec?.configSource)
      return deny(`node ${q(node)} is not allowed to create pods with a non-nil configSource`);
    const bad = forbiddenNodeLabels(obj.metadata?.labels);
    if (bad.length)
      return deny(`node ${q(node)} is not allowed to set the following labels: ${bad.join(', ')}`);
  }
  if (a.operation === 'UPDATE') {
    const old = a.oldObject ?? {};
    if (obj.spec?.configSource && !semanticEqual(obj.spec.configSource, old.spec?.configSource)) {
      return deny(`node ${q(node)} is not allowed to update configSource to a new non-nil configSource`);
    }
    if (!semanticEqual(obj.spec?.taints, old.spec?.taints))
      return deny(`node ${q(node)} is not allowed to modify taints`);
    const bad = forbiddenNodeLabels(obj.metadata?.labels, old.metadata?.labels);
    if (bad.length) return deny(`is not allowed to modify labels: ${bad.join(', ')}`);
  }
  return undefined;
}

function admitCSR(node: string, csr: Obj, deny: Deny): ApiError | undefined {
  const signer = csr.spec?.signerName;
  if (signer !== KUBELET_SERVING_SIGNER && signer !== KUBE_APISERVER_CLIENT_KUBELET_SIGNER) return undefined;
  let cn: string | undefined;
  try {
    const pem = Buffer.from(String(csr.spec?.request ?? ''), 'base64').toString('utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE REQUEST-----'))
      throw new Error('PEM block type must be CERTIFICATE REQUEST');
    cn = new x509.Pkcs10CertificateRequest(pem).subjectName.getField('CN')[0];
  } catch (err) {
    return deny(`unable to parse csr: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (cn !== `system:node:${node}`) return deny(`can only create a node CSR with CN=system:node:${node}`);
  return undefined;
}
