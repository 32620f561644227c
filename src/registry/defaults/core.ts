/**
 * @module registry/defaults/core
 *
 * Defaulting of the non-workload kinds kubectl creates: pkg/apis/core/v1/defaults.go
 * (SetDefaults_Service, _Namespace, _NamespaceStatus, _Secret (with stringData merged into data),
 * _PersistentVolume(Claim),
 * _Endpoints), namespace/strategy.go PrepareForCreate (the "kubernetes" finalizer),
 * pkg/apis/rbac/v1/defaults.go (roleRef and subject apiGroup), pkg/apis/scheduling/v1,
 * pkg/apis/storage/v1 and pkg/apis/networking/v1 defaults. Service IP family fields are what
 * the allocator sets on a single-stack IPv4 cluster; allocating the cluster IP is not done here.
 */
import { badRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { arr, child, obj, objs, setDefault, str, type Obj } from '../util.js';

export function defaultService(svc: KubeObject): void {
  const spec = child(svc as Obj, 'spec');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = obj(obj(obj(spec.sessionAffinityConfig).clientIP)).timeoutSeconds;
    if (typeof timeout !== 'number') spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  setDefault(spec, 'type', 'ClusterIP');
  for (const p of objs(spec.ports)) {
    setDefault(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '') {
      p.targetPort = p.port;
    }
  }
  const type = spec.type;
  const external =
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && arr(spec.externalIPs).length > 0);
  if (external) setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP') {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  if (type !== 'ExternalName') {
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    const ip = str(arr(spec.clusterIPs)[0]) || str(spec.clusterIP);
    if (!arr(spec.ipFamilies).length) spec.ipFamilies = [ip.includes(':') ? 'IPv6' : 'IPv4'];
  }
}

export function defaultNamespace(ns: KubeObject): void {
  const meta = (ns.metadata ??= {});
  if (meta.name) meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name };
  const spec = child(ns as Obj, 'spec');
  if (!arr(spec.finalizers).length) spec.finalizers = ['kubernetes'];
  setDefault(child(ns as Obj, 'status'), 'phase', 'Active');
}

/**
 * SetDefaults_Secret (type Opaque), and the v1 → internal conversion every write goes through
 * (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret): each `stringData` entry is
 * written over `data` base64-encoded, and `stringData` itself is never stored or returned.
 */
export function defaultSecret(secret: KubeObject): void {
  const stringData = secret.stringData;
  if (stringData !== undefined) {
    if (stringData !== null) {
      const entries = Object.entries(stringDataMap(stringData));
      if (entries.length > 0) {
        const data = child(secret as Obj, 'data');
        for (const [k, v] of entries) data[k] = Buffer.from(v, 'utf8').toString('base64');
      }
    }
    delete secret.stringData;
  }
  setDefault(secret as Obj, 'type', 'Opaque');
}

const jsonType = (v: unknown): string =>
  Array.isArray(v)
    ? 'array'
    : v === null
      ? 'null'
      : typeof v === 'object'
        ? 'object'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v;

/** stringData as map[string]string; other JSON is a decoding error (400), as upstream's decoder. */
function stringDataMap(v: unknown): Record<string, string> {
  const fail = (got: unknown, type: string): never => {
    throw badRequest(
      `Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal ${jsonType(got)} into Go struct field Secret.stringData of type ${type}`,
    );
  };
  if (typeof v !== 'object' || Array.isArray(v) || v === null) return fail(v, 'map[string]string');
  for (const x of Object.values(v)) if (typeof x !== 'string' && x !== null) fail(x, 'string');
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : '']));
}

export function defaultPersistentVolume(pv: KubeObject): void {
  setDefault(child(pv as Obj, 'status'), 'phase', 'Pending');
  const spec = child(pv as Obj, 'spec');
  setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(spec, 'volumeMode', 'Filesystem');
}

export function defaultPersistentVolumeClaim(pvc: KubeObject): void {
  setDefault(child(pvc as Obj, 'status'), 'phase', 'Pending');
  setDefault(child(pvc as Obj, 'spec'), 'volumeMode', 'Filesystem');
}

export function defaultEndpoints(ep: KubeObject): void {
  for (const ss of objs(ep.subsets)) for (const p of objs(ss.ports)) setDefault(p, 'protocol', 'TCP');
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** SetDefaults_RoleBinding / _ClusterRoleBinding / _Subject. */
export function defaultBinding(b: KubeObject): void {
  if (b.roleRef && typeof b.roleRef === 'object') setDefault(b.roleRef as Obj, 'apiGroup', RBAC_GROUP);
  for (const s of objs(b.subjects)) {
    if (s.apiGroup !== undefined && s.apiGroup !== '') continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

export function defaultPriorityClass(pc: KubeObject): void {
  setDefault(pc as Obj, 'preemptionPolicy', 'PreemptLowerPriority');
}

export function defaultStorageClass(sc: KubeObject): void {
  setDefault(sc as Obj, 'reclaimPolicy', 'Delete');
  setDefault(sc as Obj, 'volumeBindingMode', 'Immediate');
}

/** SetDefaults_NetworkPolicy: policyTypes from the rules; ports default to TCP. */
export function defaultNetworkPolicy(np: KubeObject): void {
  const spec = child(np as Obj, 'spec');
  for (const key of ['ingress', 'egress']) {
    for (const rule of objs(spec[key])) for (const p of objs(rule.ports)) setDefault(p, 'protocol', 'TCP');
  }
  if (!arr(spec.policyTypes).length) {
    spec.policyTypes = arr(spec.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}
