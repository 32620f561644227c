/**
 * @module registry/defaults/wire
 *
 * Fields Go's encoding/json always writes for the upstream types, so an object that went through
 * kube-apiserver carries them even when the client never sent them: non-omitempty numbers
 * (`ReplicaSetStatus.replicas`, the DaemonSet and PodDisruptionBudget counters) and non-pointer
 * structs, which `omitempty` never drops (`Node.spec`, `NodeStatus.daemonEndpoints`,
 * `NodeStatus.nodeInfo`, `Lease.spec`, `NetworkPolicySpec.podSelector`, `Event.source`...). Applied with the kind's defaults on every write.
 */
import type { KubeObject } from '../../api/types.js';
import { child, setDefault, type Obj } from '../util.js';

/** A defaults step that creates `{}` at each path when absent (Go's non-pointer structs). */
export function structsAt(...paths: string[][]): (o: KubeObject) => void {
  return (o) => {
    for (const p of paths) p.reduce((parent, key) => child(parent, key), o as Obj);
  };
}

/** A defaults step that sets each named `status` number to 0 when absent (status itself included). */
export function statusZeros(...fields: string[]): (o: KubeObject) => void {
  return (o) => {
    const status = child(o as Obj, 'status');
    for (const f of fields) setDefault(status, f, 0);
  };
}

/** apps/v1 ReplicaSetStatus and core/v1 ReplicationControllerStatus: `replicas` has no omitempty. */
export const replicaSetStatusZeros = statusZeros('replicas');

/** apps/v1 StatefulSetStatus: `replicas` and `availableReplicas` have no omitempty. */
export const statefulSetStatusZeros = statusZeros('replicas', 'availableReplicas');

/** apps/v1 DaemonSetStatus: the four scheduling counters have no omitempty. */
export const daemonSetStatusZeros = statusZeros(
  'currentNumberScheduled',
  'numberMisscheduled',
  'desiredNumberScheduled',
  'numberReady',
);

/** policy/v1 PodDisruptionBudgetStatus: the four health counters have no omitempty. */
export const podDisruptionBudgetStatusZeros = statusZeros(
  'disruptionsAllowed',
  'currentHealthy',
  'desiredHealthy',
  'expectedPods',
);

const NODE_SYSTEM_INFO = [
  'machineID',
  'systemUUID',
  'bootID',
  'kernelVersion',
  'osImage',
  'containerRuntimeVersion',
  'kubeletVersion',
  'kubeProxyVersion',
  'operatingSystem',
  'architecture',
];

/** core/v1 Node: spec and status are structs; NodeStatus.daemonEndpoints and nodeInfo too. */
export function nodeWireForm(node: KubeObject): void {
  child(node as Obj, 'spec');
  const status = child(node as Obj, 'status');
  setDefault(child(child(status, 'daemonEndpoints'), 'kubeletEndpoint'), 'Port', 0);
  const info = child(status, 'nodeInfo');
  for (const f of NODE_SYSTEM_INFO) setDefault(info, f, '');
}
