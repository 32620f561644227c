/**
 * @module controllers/node-health
 *
 * The decisions of kube-controller-manager's node lifecycle controller
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go), without I/O so time can be
 * injected: `tryUpdateNodeHealth` (a node whose kubelet has not posted status nor renewed its
 * Lease in `kube-node-lease` within the grace period gets its Ready, MemoryPressure, DiskPressure
 * and PIDPressure conditions set to Unknown) and the tainting passes
 * (`doNoScheduleTaintingPass`: a NoSchedule taint per condition, e.g. Ready=Unknown →
 * `node.kubernetes.io/unreachable`, Ready=False → `node.kubernetes.io/not-ready`, and
 * `node.kubernetes.io/unschedulable`; `doNoExecuteTaintingPass` with TaintBasedEvictions: the
 * not-ready/unreachable NoExecute taints; Ready=True removes them).
 *
 * Freshness is judged on this controller's own clock, as upstream's `probeTimestamp`: it is reset
 * whenever the Ready condition's lastHeartbeatTime or the Lease's renewTime is seen to change.
 */
import type { KubeObject } from '../api/types.js';

type Obj = Record<string, any>;

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** What the controller remembers of a node (upstream's nodeHealthData). */
export interface NodeHealth {
  /** Local time (ms) the node was last heard from. */
  probeMs: number;
  /** The Ready condition's lastHeartbeatTime last seen. */
  heartbeat: string;
  /** The Lease's renewTime last seen. */
  renewTime: string;
}

/** Go's metav1.Time JSON form (seconds). */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function condition(node: KubeObject, type: string): Obj | undefined {
  const conds = (node.status as Obj | undefined)?.conditions;
  return Array.isArray(conds) ? conds.find((c: Obj) => c?.type === type) : undefined;
}

/**
 * Observes the node and its Lease: returns the updated health record (a new node starts fresh,
 * as upstream's first observation sets probeTimestamp to now).
 */
export function observe(
  prev: NodeHealth | undefined,
  node: KubeObject,
  lease: KubeObject | undefined,
  nowMs: number,
): NodeHealth {
  const heartbeat = String(condition(node, 'Ready')?.lastHeartbeatTime ?? '');
  const renewTime = String((lease?.spec as Obj | undefined)?.renewTime ?? '');
  if (!prev) return { probeMs: nowMs, heartbeat, renewTime };
  const next = { ...prev };
  if (heartbeat !== prev.heartbeat) {
    next.heartbeat = heartbeat;
    next.probeMs = nowMs;
  }
  // A Lease is only fresher when its renewTime moved forward (lease controller, "observedLease").
  if (renewTime && (!prev.renewTime || Date.parse(renewTime) > Date.parse(prev.renewTime))) {
    next.renewTime = renewTime;
    next.probeMs = nowMs;
  }
  return next;
}

/**
 * tryUpdateNodeHealth: past the grace period (the startup grace period for a node that never
 * posted a Ready condition), each of the four conditions becomes Unknown. Returns the new status
 * conditions, or undefined when nothing changes.
 */
export function staleConditions(
  node: KubeObject,
  health: NodeHealth,
  nowMs: number,
  gracePeriodMs: number,
  startupGracePeriodMs: number,
): Obj[] | undefined {
  const ready = condition(node, 'Ready');
  const grace = ready ? gracePeriodMs : startupGracePeriodMs;
  if (nowMs - health.probeMs <= grace) return undefined;
  const now = metaTime(nowMs);
  const created = String(node.metadata?.creationTimestamp ?? now);
  const conds: Obj[] = Array.isArray((node.status as Obj | undefined)?.conditions)
    ? (node.status as Obj).conditions.map((c: Obj) => ({ ...c }))
    : [];
  let changed = false;
  for (const type of CONDITIONS) {
    const c = conds.find((x) => x.type === type);
    if (!c) {
      conds.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: created,
        lastTransitionTime: now,
      });
      changed = true;
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = now;
      changed = true;
    }
  }
  return changed ? conds : undefined;
}

/** nodeConditionToTaintKeyStatusMap: the NoSchedule taint each condition status calls for. */
const CONDITION_TAINTS: [type: string, status: string, key: string][] = [
  ['Ready', 'False', NOT_READY_TAINT],
  ['Ready', 'Unknown', UNREACHABLE_TAINT],
  ['MemoryPressure', 'True', 'node.kubernetes.io/memory-pressure'],
  ['DiskPressure', 'True', 'node.kubernetes.io/disk-pressure'],
  ['NetworkUnavailable', 'True', 'node.kubernetes.io/network-unavailable'],
  ['PIDPressure', 'True', 'node.kubernetes.io/pid-pressure'],
];
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';
const CONTROLLER_TAINT_KEYS = new Set([...CONDITION_TAINTS.map((c) => c[2]), UNSCHEDULABLE_TAINT]);

/**
 * The taints the conditions call for: doNoScheduleTaintingPass (one NoSchedule taint per
 * condition in nodeConditionToTaintKeyStatusMap, and `node.kubernetes.io/unschedulable` for
 * spec.unschedulable) and doNoExecuteTaintingPass (the not-ready/unreachable NoExecute
 * templates, with timeAdded). Other taints are kept; a taint already there keeps its timeAdded
 * (SwapNodeControllerTaint adds only what is missing). Undefined when they are already right.
 */
export function desiredTaints(node: KubeObject, nowMs: number): Obj[] | undefined {
  const spec = (node.spec as Obj | undefined) ?? {};
  const current: Obj[] = Array.isArray(spec.taints) ? spec.taints : [];
  const want: Obj[] = [];
  for (const [type, status, key] of CONDITION_TAINTS)
    if (condition(node, type)?.status === status) want.push({ key, effect: 'NoSchedule' });
  if (spec.unschedulable === true) want.push({ key: UNSCHEDULABLE_TAINT, effect: 'NoSchedule' });
  const ready = condition(node, 'Ready')?.status;
  const noExecute = ready === 'False' ? NOT_READY_TAINT : ready === 'Unknown' ? UNREACHABLE_TAINT : undefined;
  if (noExecute) want.push({ key: noExecute, effect: 'NoExecute', timeAdded: metaTime(nowMs) });
  const ours = (t: Obj) =>
    CONTROLLER_TAINT_KEYS.has(t?.key) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  const have = current.filter(ours);
  const same =
    have.length === want.length &&
    want.every((w) => have.some((h) => h.key === w.key && h.effect === w.effect));
  if (same) return undefined;
  const kept = current.filter((t) => !ours(t));
  const added = want.map((w) => have.find((h) => h.key === w.key && h.effect === w.effect) ?? w);
  return [...kept, ...added];
}
