/**
 * @module controllers/node-health
 *
 * The decisions of kube-controller-manager's node lifecycle controller
 * (pkg/controller/nodelifecycle/node_lifecycle_controller.go), without I/O so time can be
 * injected: `tryUpdateNodeHealth` (a node whose kubelet has not posted status nor renewed its
 * Lease in `kube-node-lease` within the grace period gets its Ready, MemoryPressure, DiskPressure
 * and PIDPressure conditions set to Unknown) and the tainting passes
 * (`doNoScheduleTaintingPass`, `doNoExecuteTaintingPass` with TaintBasedEvictions: Ready=False →
 * `node.kubernetes.io/not-ready`, Ready=Unknown → `node.kubernetes.io/unreachable`, both with
 * NoSchedule and NoExecute; Ready=True removes them).
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

/**
 * The taints the Ready condition calls for (nodeConditionToTaintKeyStatusMap and the NoExecute
 * templates): the node's own taints without the not-ready/unreachable ones, plus those that
 * apply. Returns undefined when the taints are already right.
 */
export function desiredTaints(node: KubeObject, nowMs: number): Obj[] | undefined {
  const spec = (node.spec as Obj | undefined) ?? {};
  const current: Obj[] = Array.isArray(spec.taints) ? spec.taints : [];
  const ready = condition(node, 'Ready');
  const key =
    ready?.status === 'False' ? NOT_READY_TAINT : ready?.status === 'Unknown' ? UNREACHABLE_TAINT : undefined;
  const ours = (t: Obj) => t.key === NOT_READY_TAINT || t.key === UNREACHABLE_TAINT;
  const want: Obj[] = key
    ? [
        { key, effect: 'NoSchedule' },
        { key, effect: 'NoExecute', timeAdded: metaTime(nowMs) },
      ]
    : [];
  const have = current.filter(ours);
  const same =
    have.length === want.length &&
    want.every((w) => have.some((h) => h.key === w.key && h.effect === w.effect));
  if (same) return undefined;
  const kept = current.filter((t) => !ours(t));
  // A taint already there keeps its timeAdded (SwapNodeControllerTaint adds only what is missing).
  const added = want.map((w) => have.find((h) => h.key === w.key && h.effect === w.effect) ?? w);
  return [...kept, ...added];
}
