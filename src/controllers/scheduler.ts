/**
 * @module controllers/scheduler
 *
 * A minimal kube-scheduler, in-process (kubeauth simulates pods, as kwok does; this is no
 * production scheduler): every `periodMs` (500 ms) each pod without spec.nodeName, not being
 * deleted, whose spec.schedulerName is empty or `default-scheduler`, is filtered against every
 * node (scheduler-filters.ts: Ready condition, spec.unschedulable, nodeSelector, NoSchedule and
 * NoExecute taints vs tolerations) and bound to the fitting node with the fewest pods, ties by
 * name, through the pods/binding logic (binding.ts, what POST .../pods/NAME/binding runs). A pod
 * no node fits gets PodScheduled=False, reason `Unschedulable`, with upstream's FitError message.
 * While no Node exists at all the scheduler does nothing (kubeauth as a bare API server).
 * A node that is not Ready counts as "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"
 * only through its taint, as upstream (the node lifecycle controller puts it there); a node whose
 * Ready condition is not True and that has no such taint yet is skipped the same way.
 */
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { bindPod, setPodCondition } from '../apiserver/rest/binding.js';
import { filterNode, fitErrorMessage } from './scheduler-filters.js';

export interface SchedulerOptions {
  periodMs?: number;
  now?: () => Date;
  log: (m: string) => void;
}

function nodeReady(n: KubeObject): boolean {
  const conds = (n.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions;
  return Array.isArray(conds) && conds.some((c) => c?.type === 'Ready' && c.status === 'True');
}

/** The not-ready filter reason for a node whose Ready condition is not True (TaintToleration's text). */
const NOT_READY = 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }';

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** The last message written per pod uid, so an unschedulable pod is not rewritten every pass. */
  private readonly reported = new Map<string, string>();
  private readonly now: () => Date;

  constructor(
    private readonly pods: ObjectStore,
    private readonly nodes: ObjectStore,
    private readonly o: SchedulerOptions,
  ) {
    this.now = o.now ?? (() => new Date());
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.schedule().finally(() => (this.running = undefined));
    }, this.o.periodMs ?? 500);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass over the pending pods. */
  async schedule(): Promise<void> {
    const nodes = this.nodes.cache
      .list(this.nodes.prefix)
      .map((c) => c.obj)
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    // Without any Node there is nothing to schedule onto: pods are left untouched (upstream would
    // write "no nodes available to schedule pods"; an API-server-only kubeauth stays quiet).
    if (!nodes.length) return;
    const counts = new Map<string, number>();
    const pending: KubeObject[] = [];
    for (const { obj } of this.pods.cache.list(this.pods.prefix)) {
      const spec = (obj.spec ?? {}) as { nodeName?: string; schedulerName?: string };
      if (spec.nodeName) counts.set(spec.nodeName, (counts.get(spec.nodeName) ?? 0) + 1);
      else if (
        !obj.metadata?.deletionTimestamp &&
        (!spec.schedulerName || spec.schedulerName === 'default-scheduler')
      )
        pending.push(obj);
    }
    const live = new Set<string>();
    for (const pod of pending) {
      live.add(pod.metadata?.uid ?? '');
      try {
        await this.scheduleOne(pod, nodes, counts);
      } catch (e) {
        this.o.log(`scheduler: ${pod.metadata?.namespace}/${pod.metadata?.name}: ${(e as Error).message}`);
      }
    }
    for (const uid of this.reported.keys()) if (!live.has(uid)) this.reported.delete(uid);
  }

  private async scheduleOne(
    pod: KubeObject,
    nodes: KubeObject[],
    counts: Map<string, number>,
  ): Promise<void> {
    const reasons = new Map<string, number>();
    let best: string | undefined;
    for (const n of nodes) {
      const name = n.metadata?.name ?? '';
      const why = filterNode(pod as never, n as never) ?? (nodeReady(n) ? undefined : NOT_READY);
      if (why) {
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        continue;
      }
      if (best === undefined || (counts.get(name) ?? 0) < (counts.get(best) ?? 0)) best = name;
    }
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const uid = pod.metadata?.uid ?? '';
    if (best !== undefined) {
      const node = best;
      await this.pods.guaranteedUpdate(ns, name, (cur) =>
        cur.obj.metadata?.uid === uid ? bindPod(cur.obj, name, node, undefined, this.now()) : undefined,
      );
      counts.set(node, (counts.get(node) ?? 0) + 1);
      this.o.log(`I scheduler: Successfully bound pod to node pod="${ns}/${name}" node="${node}"`);
      return;
    }
    const message = fitErrorMessage(nodes.length, reasons);
    if (this.reported.get(uid) === message) return;
    await this.pods.guaranteedUpdate(ns, name, (cur) => {
      if (cur.obj.metadata?.uid !== uid || (cur.obj.spec as { nodeName?: string })?.nodeName)
        return undefined;
      const next = deepCopy(cur.obj);
      const changed = setPodCondition(
        next,
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message },
        this.now(),
      );
      return changed ? next : undefined;
    });
    this.reported.set(uid, message);
  }
}
