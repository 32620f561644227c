/**
 * @module controllers/scheduler-filters
 *
 * The filters of kubeauth's minimal scheduler, after kube-scheduler's plugins:
 * - NodeUnschedulable (`spec.unschedulable`, tolerated by a toleration of the
 *   `node.kubernetes.io/unschedulable:NoSchedule` taint): "node(s) were unschedulable";
 * - NodeAffinity, the `spec.nodeSelector` part only: "node(s) didn't match Pod's node affinity/selector";
 * - TaintToleration, NoSchedule and NoExecute taints (PreferNoSchedule is a score, not a filter):
 *   "node(s) had untolerated taint {key: value}".
 * Toleration matching is staging/src/k8s.io/api/core/v1/toleration.go `ToleratesTaint`: the
 * effects must be equal unless the toleration's is empty; the keys equal unless the toleration's
 * key is empty (only valid with Exists: it tolerates every taint); operator Exists ignores the
 * value, Equal (or empty) compares it.
 */

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** toleration.go ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** v1helper.FindMatchingUntoleratedTaint over the NoSchedule/NoExecute taints. */
export function firstUntoleratedTaint(taints: Taint[], tolerations: Toleration[]): Taint | undefined {
  return taints.find(
    (taint) =>
      (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') &&
      !tolerations.some((t) => toleratesTaint(t, taint)),
  );
}

interface PodLike {
  spec?: { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
}
interface NodeLike {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean; taints?: Taint[] };
}

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** Why `node` does not fit `pod` (the first failing plugin's reason), or undefined when it fits. */
export function filterNode(pod: PodLike, node: NodeLike): string | undefined {
  const tolerations = Array.isArray(pod.spec?.tolerations) ? pod.spec.tolerations : [];
  if (node.spec?.unschedulable === true && !tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT)))
    return 'node(s) were unschedulable';
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {}))
    if (labels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  const taints = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
  const bad = firstUntoleratedTaint(taints, tolerations);
  if (bad) return `node(s) had untolerated taint {${bad.key}: ${bad.value ?? ''}}`;
  return undefined;
}

/**
 * framework.FitError.Error: `0/N nodes are available: <count> <reason>, ...` with the reasons
 * sorted, then the preemption part as the default PostFilter writes it when no victim helps.
 */
export function fitErrorMessage(total: number, reasons: Map<string, number>): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
  return (
    `0/${total} nodes are available: ${parts.join(', ')}. ` +
    `preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`
  );
}
