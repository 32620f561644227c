/**
 * @module registry/printers/pod
 *
 * Pod and Node tables: printPod and printNode of pkg/printers/internalversion/printers.go
 * (READY with restartable init containers, the STATUS reason walk, RESTARTS with "(… ago)",
 * node Ready/NotReady/Unknown with SchedulingDisabled and ROLES from labels).
 */
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor, TableRow } from '../types.js';
import { num, obj, objs, str, strMap } from '../util.js';
import { parseTime, translateTimestampSince } from './duration.js';
import { ageCol, ageOf, col, findCondition, nameCol, nameOf, orElse, table } from './columns.js';

const isRestartable = (c: Record<string, unknown>) => c.restartPolicy === 'Always';

/** The latest lastState.terminated.finishedAt of a container status, in ms (0 if none). */
const finishedAt = (cs: Record<string, unknown>) =>
  parseTime(obj(obj(cs.lastState).terminated).finishedAt) ?? 0;

/** A container state that is set (Go's non-nil pointer), as an object. */
const present = (v: unknown) => (v === undefined || v === null ? undefined : obj(v));

function conditionTrue(status: Record<string, unknown>, type: string): boolean {
  return findCondition(status.conditions, type)?.status === 'True';
}

/** The cells of one Pod row (printPod), plus its row conditions. */
export function podRow(pod: KubeObject, now: Date): TableRow {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const phase = str(status.phase);
  const specInits = objs(spec.initContainers);
  const total = objs(spec.containers).length + specInits.filter(isRestartable).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;
  let reason = str(status.reason) || phase;

  for (const c of objs(status.conditions)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = objs(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const n = num(cs.restartCount);
    restarts += n;
    lastRestart = Math.max(lastRestart, finishedAt(cs));
    const sidecar = specInits.some((c) => c.name === cs.name && isRestartable(c));
    if (sidecar) {
      sidecarRestarts += n;
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(cs));
    }
    const state = obj(cs.state);
    const terminated = present(state.terminated);
    const waiting = present(state.waiting);
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      if (str(terminated.reason)) reason = `Init:${str(terminated.reason)}`;
      else if (num(terminated.signal) !== 0) reason = `Init:Signal:${num(terminated.signal)}`;
      else reason = `Init:ExitCode:${num(terminated.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${specInits.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objs(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += num(cs.restartCount);
      lastRestart = Math.max(lastRestart, finishedAt(cs));
      const state = obj(cs.state);
      const waiting = obj(state.waiting);
      const terminated = present(state.terminated);
      if (str(waiting.reason)) {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason)) {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason =
          num(terminated.signal) !== 0
            ? `Signal:${num(terminated.signal)}`
            : `ExitCode:${num(terminated.exitCode)}`;
      } else if (cs.ready === true && state.running !== undefined && state.running !== null) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  const deleting = typeof pod.metadata?.deletionTimestamp === 'string';
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== 0) {
    restartsCell = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;
  }

  const podIPs = objs(status.podIPs);
  const ip = str(podIPs[0]?.ip) || str(status.podIP) || '<none>';
  const gates = objs(spec.readinessGates);
  let readinessGates = '<none>';
  if (gates.length) {
    const trueCount = gates.filter(
      (g) => findCondition(status.conditions, str(g.conditionType))?.status === 'True',
    ).length;
    readinessGates = `${trueCount}/${gates.length}`;
  }

  const row: TableRow = {
    cells: [
      nameOf(pod),
      `${ready}/${total}`,
      reason,
      restartsCell,
      ageOf(pod, now),
      ip,
      orElse(spec.nodeName, '<none>'),
      orElse(status.nominatedNodeName, '<none>'),
      readinessGates,
    ],
  };
  if (phase === 'Succeeded') {
    row.conditions = [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ];
  } else if (phase === 'Failed') {
    row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  }
  return row;
}

export const podTable: TableConvertor = {
  columns: [
    nameCol(),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageCol(),
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', true),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', true),
    col(
      'Nominated Node',
      'string',
      'nominatedNodeName is set only when this pod preempts other pods on the node.',
      true,
    ),
    col(
      'Readiness Gates',
      'string',
      'If specified, all readiness gates will be evaluated for pod readiness.',
      true,
    ),
  ],
  rows: (o, now) => [podRow(o, now)],
};

const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** Node roles from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` label. */
export function nodeRoles(labels: unknown): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(strMap(labels))) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

/** Ready / NotReady / Unknown from the last Ready condition, then SchedulingDisabled. */
export function nodeStatus(node: KubeObject): string {
  let ready: Record<string, unknown> | undefined;
  for (const c of objs(obj(node.status).conditions)) if (c.type === 'Ready') ready = c;
  const out = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (obj(node.spec).unschedulable === true) out.push('SchedulingDisabled');
  return out.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  return str(objs(obj(node.status).addresses).find((a) => a.type === type)?.address) || '<none>';
}

export const nodeTable: TableConvertor = table(
  [
    nameCol(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageCol(),
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', true),
    col('External-IP', 'string', 'List of addresses reachable to the node.', true),
    col(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      true,
    ),
    col(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      true,
    ),
    col(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      true,
    ),
  ],
  (node, now) => {
    const info = obj(obj(node.status).nodeInfo);
    return [
      nameOf(node),
      nodeStatus(node),
      nodeRoles(node.metadata?.labels),
      ageOf(node, now),
      str(info.kubeletVersion),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      orElse(info.osImage, '<unknown>'),
      orElse(info.kernelVersion, '<unknown>'),
      orElse(info.containerRuntimeVersion, '<unknown>'),
    ];
  },
);
