/**
 * @module registry/resources/core
 *
 * The core ("" group, v1) resources. Discovery facts follow upstream's api/discovery/api__v1.json
 * (verbs, short names, categories, subresources and their kinds); storage behaviour follows each
 * kind's pkg/registry/core/<kind>/strategy.go. Not served: componentstatuses (deprecated) and the
 * alpha pods/checkpoint subresource.
 */
import type { ResourceDescriptor } from '../types.js';
import {
  CREATE_ONLY,
  GET_PATCH_UPDATE,
  defineResource,
  emptyStatus,
  proxySub,
  scaleSub,
  statusSub,
} from './common.js';
import { timestamp } from '../../api/meta.js';
import {
  configMapTable,
  endpointsTable,
  eventTable,
  namespaceTable,
  podTemplateTable,
  resourceQuotaTable,
  secretTable,
  serviceAccountTable,
  serviceTable,
} from '../printers/core.js';
import { nodeTable, podTable } from '../printers/pod.js';
import { persistentVolumeClaimTable, persistentVolumeTable } from '../printers/volumes.js';
import { replicationControllerTable } from '../printers/workloads.js';
import {
  defaultEndpoints,
  defaultNamespace,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultSecret,
  defaultService,
} from '../defaults/core.js';
import { defaultPod, defaultPodTemplate, podInitialStatus } from '../defaults/pod.js';
import { defaultReplicationController } from '../defaults/workloads.js';
import { nodeWireForm, replicaSetStatusZeros, structsAt } from '../defaults/wire.js';
import { child, type Obj } from '../util.js';
import { validateConfigMap, validateSecret, validateService } from '../validators/core.js';
import { validatePod, validatePodTemplate } from '../validators/pod.js';
import { validateReplicationController } from '../validators/apps.js';
import {
  eventFields,
  namespaceFields,
  nodeFields,
  podFields,
  replicaCountFields,
  secretFields,
  serviceFields,
} from '../fields.js';

/** bindings: POST-only; binds a pod to a node (pkg/registry/core/pod/storage BindingREST). */
export const bindings = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'bindings',
  kind: 'Binding',
  namespaced: true,
  verbs: [...CREATE_ONLY],
  virtual: true,
});

export const configmaps = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  shortNames: ['cm'],
  table: configMapTable,
  validate: validateConfigMap,
});

export const endpoints = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'endpoints',
  singular: 'endpoints',
  kind: 'Endpoints',
  namespaced: true,
  shortNames: ['ep'],
  table: endpointsTable,
  defaults: defaultEndpoints,
});

export const events = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  table: eventTable,
  // Event.source is a struct Go always writes.
  defaults: structsAt(['source']),
  fieldSelectors: eventFields,
});

export const limitranges = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'limitranges',
  kind: 'LimitRange',
  namespaced: true,
  shortNames: ['limits'],
});

/** Namespaces have no deletecollection (pkg/registry/core/namespace/storage). */
export const namespaces = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, statusSub('Namespace')],
  hasStatus: true,
  // namespace/strategy.go PrepareForCreate: Status = {Phase: Active}; PrepareForUpdate keeps the
  // status and spec.finalizers (changed only through the status and finalize subresources).
  initialStatus: () => ({ phase: 'Active' }),
  keptOnUpdate: [['spec', 'finalizers']],
  nameValidation: 'label',
  table: namespaceTable,
  defaults: defaultNamespace,
  fieldSelectors: namespaceFields,
});

export const nodes = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
  shortNames: ['no'],
  subresources: [proxySub('Node'), statusSub('Node')],
  hasStatus: true,
  // node/strategy.go PrepareForCreate keeps the status: nodes (kubelets) create themselves with it.
  defaults: nodeWireForm,
  table: nodeTable,
  fieldSelectors: nodeFields,
});

export const persistentvolumeclaims = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'persistentvolumeclaims',
  kind: 'PersistentVolumeClaim',
  namespaced: true,
  shortNames: ['pvc'],
  subresources: [statusSub('PersistentVolumeClaim')],
  hasStatus: true,
  initialStatus: emptyStatus,
  table: persistentVolumeClaimTable,
  defaults: defaultPersistentVolumeClaim,
});

export const persistentvolumes = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'persistentvolumes',
  kind: 'PersistentVolume',
  namespaced: false,
  shortNames: ['pv'],
  subresources: [statusSub('PersistentVolume')],
  hasStatus: true,
  // persistentvolume/strategy.go: phase Pending and lastPhaseTransitionTime (GA in 1.31).
  initialStatus: (_o, now) => ({ phase: 'Pending', lastPhaseTransitionTime: timestamp(now) }),
  table: persistentVolumeTable,
  defaults: defaultPersistentVolume,
});

/**
 * pods: the connect subresources (attach, exec, portforward, proxy) return *Options kinds;
 * eviction is policy/v1 Eviction. Generation tracking follows PodObservedGenerationTracking
 * (pkg/registry/core/pod/strategy.go, on by default since 1.34).
 */
export const pods = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'binding', kind: 'Binding', verbs: [...CREATE_ONLY] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: [...GET_PATCH_UPDATE] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: [...CREATE_ONLY] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    proxySub('Pod'),
    statusSub('Pod'),
  ],
  hasStatus: true,
  tracksGeneration: true,
  // pod/strategy.go: Status = {Phase: Pending, QOSClass} (both filled by defaultPod), plus the
  // SchedulingGated condition of applySchedulingGatedCondition.
  initialStatus: podInitialStatus,
  table: podTable,
  defaults: defaultPod,
  validate: validatePod,
  fieldSelectors: podFields,
});

export const podtemplates = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'podtemplates',
  kind: 'PodTemplate',
  namespaced: true,
  // podtemplate/strategy.go PrepareForCreate: Generation = 1.
  tracksGeneration: true,
  table: podTemplateTable,
  defaults: (o) => defaultPodTemplate(child(o as Obj, 'template')),
  validate: validatePodTemplate,
});

export const replicationcontrollers = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'replicationcontrollers',
  kind: 'ReplicationController',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  subresources: [scaleSub(), statusSub('ReplicationController')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: replicationControllerTable,
  defaults: (o) => {
    defaultReplicationController(o);
    replicaSetStatusZeros(o);
  },
  validate: validateReplicationController,
  fieldSelectors: replicaCountFields,
});

export const resourcequotas = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'resourcequotas',
  kind: 'ResourceQuota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: [statusSub('ResourceQuota')],
  hasStatus: true,
  initialStatus: emptyStatus,
  defaults: structsAt(['spec']),
  table: resourceQuotaTable,
});

export const secrets = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'secrets',
  kind: 'Secret',
  namespaced: true,
  table: secretTable,
  defaults: defaultSecret,
  validate: validateSecret,
  fieldSelectors: secretFields,
});

/** serviceaccounts/token returns authentication.k8s.io/v1 TokenRequest. */
export const serviceaccounts = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'serviceaccounts',
  kind: 'ServiceAccount',
  namespaced: true,
  shortNames: ['sa'],
  subresources: [
    {
      name: 'token',
      kind: 'TokenRequest',
      group: 'authentication.k8s.io',
      version: 'v1',
      verbs: [...CREATE_ONLY],
    },
  ],
  table: serviceAccountTable,
});

/** Service names are DNS-1035 labels (ValidateServiceName). */
export const services = defineResource({
  group: '',
  versions: ['v1'],
  resource: 'services',
  kind: 'Service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: [proxySub('Service'), statusSub('Service')],
  hasStatus: true,
  // service/strategy.go: Status = ServiceStatus{}; Go writes its LoadBalancer struct always.
  initialStatus: () => ({ loadBalancer: {} }),
  nameValidation: 'dns1035',
  table: serviceTable,
  defaults: defaultService,
  validate: validateService,
  fieldSelectors: serviceFields,
});

export const coreResources: ResourceDescriptor[] = [
  bindings,
  configmaps,
  endpoints,
  events,
  limitranges,
  namespaces,
  nodes,
  persistentvolumeclaims,
  persistentvolumes,
  pods,
  podtemplates,
  replicationcontrollers,
  resourcequotas,
  secrets,
  serviceaccounts,
  services,
];
