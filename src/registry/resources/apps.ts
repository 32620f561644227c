/**
 * @module registry/resources/apps
 *
 * apps/v1 resources. Discovery facts follow api/discovery/apis__apps__v1.json; status and
 * generation handling follow pkg/registry/apps/<kind>/strategy.go (every workload bumps
 * metadata.generation on spec changes and has a status subresource).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, emptyStatus, scaleSub, statusSub } from './common.js';
import {
  controllerRevisionTable,
  daemonSetTable,
  deploymentTable,
  replicaSetTable,
  statefulSetTable,
} from '../printers/workloads.js';
import {
  defaultDaemonSet,
  defaultDeployment,
  defaultReplicaSet,
  defaultStatefulSet,
} from '../defaults/workloads.js';
import { daemonSetStatusZeros, replicaSetStatusZeros, statefulSetStatusZeros } from '../defaults/wire.js';
import {
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateStatefulSet,
} from '../validators/apps.js';
import { replicaCountFields } from '../fields.js';

export const controllerrevisions = defineResource({
  group: 'apps',
  versions: ['v1'],
  resource: 'controllerrevisions',
  kind: 'ControllerRevision',
  namespaced: true,
  table: controllerRevisionTable,
});

export const daemonsets = defineResource({
  group: 'apps',
  versions: ['v1'],
  resource: 'daemonsets',
  kind: 'DaemonSet',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: [statusSub('DaemonSet')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: daemonSetTable,
  defaults: (o) => {
    defaultDaemonSet(o);
    daemonSetStatusZeros(o);
  },
  validate: validateDaemonSet,
});

export const deployments = defineResource({
  group: 'apps',
  versions: ['v1'],
  resource: 'deployments',
  kind: 'Deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: [scaleSub(), statusSub('Deployment')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: deploymentTable,
  defaults: defaultDeployment,
  validate: validateDeployment,
});

export const replicasets = defineResource({
  group: 'apps',
  versions: ['v1'],
  resource: 'replicasets',
  kind: 'ReplicaSet',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: [scaleSub(), statusSub('ReplicaSet')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: replicaSetTable,
  defaults: (o) => {
    defaultReplicaSet(o);
    replicaSetStatusZeros(o);
  },
  validate: validateReplicaSet,
  fieldSelectors: replicaCountFields,
});

export const statefulsets = defineResource({
  group: 'apps',
  versions: ['v1'],
  resource: 'statefulsets',
  kind: 'StatefulSet',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: [scaleSub(), statusSub('StatefulSet')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: statefulSetTable,
  defaults: (o) => {
    defaultStatefulSet(o);
    statefulSetStatusZeros(o);
  },
  validate: validateStatefulSet,
});

export const appsResources: ResourceDescriptor[] = [
  controllerrevisions,
  daemonsets,
  deployments,
  replicasets,
  statefulsets,
];
