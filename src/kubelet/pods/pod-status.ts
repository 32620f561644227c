/**
 * @module kubelet/pods/pod-status
 *
 * The v1 PodStatus of a simulated pod, after pkg/kubelet/kubelet_pods.go
 * (`generateAPIPodStatus`, `getPhase`) and pkg/kubelet/status/generate.go (`GenerateContainersReadyCondition`,
 * `GeneratePodReadyCondition`, `GeneratePodInitializedCondition`), and pkg/apis/core/v1/helper/qos
 * (`GetPodQOS`). Pure: the runtime passes its container records and the time.
 */
import type { KubeObject } from '../../api/types.js';

export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | {
      terminated: {
        exitCode: number;
        reason: string;
        startedAt: string;
        finishedAt: string;
        containerID: string;
      };
    };

export interface ContainerRecord {
  name: string;
  image: string;
  imageID: string;
  containerID: string;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState | Record<string, never>;
  /** Ran at least once. */
  started: boolean;
}

interface Condition {
  type: string;
  status: string;
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

type Spec = { restartPolicy?: string; containers?: ContainerSpec[]; initContainers?: ContainerSpec[] };
interface ContainerSpec {
  name?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** getPhase for pods without init containers. */
export function podPhase(restartPolicy: string, cs: ContainerRecord[]): string {
  let pending = 0;
  let running = 0;
  let stopped = 0;
  let failed = 0;
  let succeeded = 0;
  for (const c of cs) {
    if ('running' in c.state) running++;
    else if ('terminated' in c.state) {
      stopped++;
      if (c.state.terminated.exitCode === 0) succeeded++;
      else failed++;
    } else if ('terminated' in c.lastState) stopped++;
    else pending++;
  }
  if (pending > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0 && running === 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (restartPolicy === 'OnFailure' && failed === 0 && succeeded === stopped) return 'Succeeded';
    if (restartPolicy === 'OnFailure') return 'Running';
    return failed > 0 ? 'Failed' : 'Succeeded';
  }
  return 'Pending';
}

/** GetPodQOS: BestEffort without any request or limit, Guaranteed when every container's cpu and memory limits equal its requests. */
export function qosClass(spec: Spec): string {
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || req[r] !== lim[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function containerStatus(c: ContainerRecord): Record<string, unknown> {
  const running = 'running' in c.state;
  return {
    name: c.name,
    state: c.state,
    lastState: c.lastState,
    ready: running,
    restartCount: c.restartCount,
    image: c.image,
    imageID: c.imageID,
    ...(c.containerID ? { containerID: c.containerID } : {}),
    started: running,
  };
}

/** The status the kubelet writes; `prev` keeps unchanged conditions' transition times and PodScheduled. */
export function podStatus(
  pod: KubeObject,
  cs: ContainerRecord[],
  o: { hostIP: string; podIP?: string; startTime: string; now: string },
): Record<string, unknown> {
  const spec = (pod.spec ?? {}) as Spec;
  const prev = (pod.status ?? {}) as { conditions?: Condition[] };
  const phase = podPhase(spec.restartPolicy ?? 'Always', cs);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const unready = cs.filter((c) => !('running' in c.state)).map((c) => c.name);
  const cond = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
    const old = prev.conditions?.find((c) => c?.type === type);
    const status = ok ? 'True' : 'False';
    return {
      type,
      status,
      lastProbeTime: null,
      lastTransitionTime: old && old.status === status ? old.lastTransitionTime : o.now,
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    };
  };
  const ready = (): Condition =>
    terminal
      ? cond('', false, 'PodCompleted')
      : unready.length
        ? cond('', false, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`)
        : cond('', true);
  const withType = (t: string, c: Condition) => {
    const x = cond(t, c.status === 'True', c.reason, c.message);
    return x;
  };
  const scheduled = prev.conditions?.find((c) => c?.type === 'PodScheduled');
  const conditions = [
    cond('PodReadyToStartContainers', !terminal || cs.some((c) => 'running' in c.state)),
    cond('Initialized', true),
    withType('Ready', ready()),
    withType('ContainersReady', ready()),
    scheduled ?? cond('PodScheduled', true),
  ];
  return {
    phase,
    conditions,
    hostIP: o.hostIP,
    hostIPs: [{ ip: o.hostIP }],
    ...(o.podIP ? { podIP: o.podIP, podIPs: [{ ip: o.podIP }] } : {}),
    startTime: o.startTime,
    containerStatuses: cs.map(containerStatus),
    qosClass: qosClass(spec),
  };
}
