/**
 * The per-kind schema table: which patch/apply semantics each served built-in kind has, from
 * the struct tags and markers in k8s.io/api (<group>/<version>/types.go). The same Go types back
 * every served version of a kind, so the table is keyed by group and kind only.
 */
import { pod, podTemplateSpec } from './schema-pod.js';
import {
  atomicList,
  atomicMergeList,
  conditions,
  labelSelector,
  mapList,
  objectMeta,
  setList,
  struct,
  valueStruct,
  type Schema,
} from './schema.js';

/** A top-level kind: ObjectMeta plus the given fields. */
function kind(fields: Record<string, Schema> = {}): Schema {
  return struct({ metadata: objectMeta, ...fields });
}

const statusWithConditions = valueStruct({ conditions });

const rollingStrategy = (f = 'strategy'): Record<string, Schema> => ({ [f]: valueStruct() });

const workloadSpec = (extra: Record<string, Schema> = {}): Schema =>
  valueStruct({ selector: labelSelector, template: podTemplateSpec, ...extra });

const jobSpec: Schema = struct({
  selector: labelSelector,
  template: podTemplateSpec,
  podFailurePolicy: struct({ rules: atomicList }),
});

const loadBalancerStatus: Schema = valueStruct({ ingress: atomicList });

const serviceSpec: Schema = valueStruct({
  // patchMergeKey=port; +listMapKey=port +listMapKey=protocol (protocol defaults to TCP)
  ports: mapList(['port', 'protocol'], {}, 'port', { keyDefaults: { protocol: 'TCP' } }),
  selector: { atomic: true },
  externalIPs: atomicList,
  loadBalancerSourceRanges: atomicList,
  clusterIPs: atomicList,
  ipFamilies: atomicList,
});

const persistentVolumeClaimSpec: Schema = valueStruct({
  accessModes: atomicList,
  selector: labelSelector,
  resources: valueStruct(),
});

const webhooks: Schema = mapList(
  ['name'],
  struct({ rules: atomicList, namespaceSelector: labelSelector, objectSelector: labelSelector }),
);

/** A kind with no table entry: ObjectMeta known, everything else deduced. */
const deduced: Schema = kind();

const table: Record<string, Schema> = {
  // core/v1
  '/Pod': pod,
  '/PodTemplate': kind({ template: podTemplateSpec }),
  '/ReplicationController': kind({
    spec: valueStruct({ selector: { atomic: true }, template: { ...podTemplateSpec, always: undefined } }),
    status: statusWithConditions,
  }),
  '/Service': kind({
    spec: serviceSpec,
    status: valueStruct({ loadBalancer: loadBalancerStatus, conditions }),
  }),
  '/Endpoints': kind({ subsets: atomicList }),
  '/Node': kind({
    spec: valueStruct({ podCIDRs: setList(), taints: atomicList }),
    status: valueStruct({
      conditions,
      addresses: mapList(['type']),
      images: atomicList,
      volumesInUse: atomicList,
      volumesAttached: atomicList,
    }),
  }),
  '/Namespace': kind({ spec: valueStruct({ finalizers: atomicList }), status: statusWithConditions }),
  '/ConfigMap': kind(),
  '/Secret': kind(),
  '/ServiceAccount': kind({ secrets: mapList(['name']), imagePullSecrets: atomicList }),
  '/LimitRange': kind({ spec: valueStruct({ limits: atomicList }) }),
  '/ResourceQuota': kind({
    spec: valueStruct({ scopes: atomicList, scopeSelector: struct({ matchExpressions: atomicList }) }),
    status: valueStruct(),
  }),
  '/PersistentVolume': kind({
    spec: valueStruct({ accessModes: atomicList, mountOptions: atomicList }),
    status: valueStruct(),
  }),
  '/PersistentVolumeClaim': kind({ spec: persistentVolumeClaimSpec, status: statusWithConditions }),
  '/Event': kind({ involvedObject: valueStruct(), source: valueStruct() }),
  // apps/v1
  'apps/Deployment': kind({ spec: workloadSpec(rollingStrategy()), status: statusWithConditions }),
  'apps/ReplicaSet': kind({ spec: workloadSpec(), status: statusWithConditions }),
  'apps/StatefulSet': kind({
    spec: workloadSpec({ ...rollingStrategy('updateStrategy'), volumeClaimTemplates: atomicList }),
    status: statusWithConditions,
  }),
  'apps/DaemonSet': kind({
    spec: workloadSpec(rollingStrategy('updateStrategy')),
    status: statusWithConditions,
  }),
  'apps/ControllerRevision': kind(),
  // batch/v1
  'batch/Job': kind({
    spec: valueStruct(jobSpec.fields),
    status: valueStruct({ conditions: atomicMergeList('type') }),
  }),
  'batch/CronJob': kind({
    spec: valueStruct({
      jobTemplate: valueStruct({ metadata: objectMeta, spec: valueStruct(jobSpec.fields) }),
    }),
    status: valueStruct({ active: atomicList }),
  }),
  // rbac.authorization.k8s.io/v1: rules and subjects are atomic
  'rbac.authorization.k8s.io/Role': kind({ rules: { ...atomicList, always: 'null' } }),
  'rbac.authorization.k8s.io/ClusterRole': kind({
    rules: { ...atomicList, always: 'null' },
    aggregationRule: struct({ clusterRoleSelectors: atomicList }),
  }),
  'rbac.authorization.k8s.io/RoleBinding': kind({ subjects: atomicList, roleRef: valueStruct() }),
  'rbac.authorization.k8s.io/ClusterRoleBinding': kind({ subjects: atomicList, roleRef: valueStruct() }),
  // networking.k8s.io/v1
  'networking.k8s.io/NetworkPolicy': kind({
    spec: valueStruct({
      podSelector: labelSelector,
      ingress: atomicList,
      egress: atomicList,
      policyTypes: atomicList,
    }),
  }),
  'networking.k8s.io/Ingress': kind({
    spec: valueStruct({ rules: atomicList, tls: atomicList }),
    status: valueStruct({ loadBalancer: loadBalancerStatus }),
  }),
  'networking.k8s.io/IngressClass': kind(),
  // policy/v1
  'policy/PodDisruptionBudget': kind({
    spec: valueStruct({ selector: labelSelector }),
    status: valueStruct({ conditions }),
  }),
  'policy/Eviction': kind(),
  // misc groups
  'coordination.k8s.io/Lease': kind({ spec: valueStruct() }),
  'certificates.k8s.io/CertificateSigningRequest': kind({
    spec: valueStruct({ usages: atomicList, groups: atomicList, request: {} }),
    status: valueStruct({ conditions: mapList(['type'], {}, false) }),
  }),
  'events.k8s.io/Event': kind(),
  'storage.k8s.io/StorageClass': kind({ mountOptions: atomicList, allowedTopologies: atomicList }),
  'storage.k8s.io/CSIDriver': kind({ spec: valueStruct({ volumeLifecycleModes: setList(false) }) }),
  'storage.k8s.io/VolumeAttachment': kind({ spec: valueStruct(), status: valueStruct() }),
  'autoscaling/HorizontalPodAutoscaler': kind({
    spec: valueStruct({ metrics: atomicList }),
    status: valueStruct({ conditions, currentMetrics: atomicList }),
  }),
  'discovery.k8s.io/EndpointSlice': kind({ endpoints: atomicList, ports: atomicList }),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': kind({ webhooks }),
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': kind({ webhooks }),
  'apiextensions.k8s.io/CustomResourceDefinition': kind({
    spec: valueStruct({ versions: atomicList }),
    status: valueStruct({ conditions, storedVersions: atomicList }),
  }),
  'apiregistration.k8s.io/APIService': kind({ spec: valueStruct(), status: valueStruct({ conditions }) }),
  'scheduling.k8s.io/PriorityClass': kind(),
  'node.k8s.io/RuntimeClass': kind(),
  'authentication.k8s.io/TokenReview': kind({
    spec: valueStruct({ audiences: atomicList }),
    status: valueStruct(),
  }),
  'authorization.k8s.io/SubjectAccessReview': kind({ spec: valueStruct(), status: valueStruct() }),
};

/**
 * The Go-struct-derived schema of a built-in kind, or undefined for kinds without one (custom
 * resources), for which upstream answers strategic merge patch with 415.
 */
export function strategicSchemaFor(group: string, version: string, kind: string): Schema | undefined {
  void version;
  return table[`${group}/${kind}`];
}

/** The schema used by server-side apply: the built-in one, or the deduced (empty) schema. */
export function applySchemaFor(group: string, version: string, kind: string): Schema {
  return strategicSchemaFor(group, version, kind) ?? deduced;
}
