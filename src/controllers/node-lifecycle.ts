/**
 * @module controllers/node-lifecycle
 *
 * kube-controller-manager's node lifecycle controller, in-process (its decisions are in
 * node-health.ts): every `--node-monitor-period` (upstream 5 s) each Node and its Lease in
 * `kube-node-lease` are looked at; a node not heard from within `--node-monitor-grace-period`
 * gets Unknown conditions, and every node gets the not-ready/unreachable taints its Ready
 * condition calls for. Pods are not evicted (not built). Time is injectable
 * (`now`), and `monitor()` can be called directly by tests.
 */
import { deepCopy } from '../api/meta.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { desiredTaints, observe, staleConditions, type NodeHealth } from './node-health.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** --node-monitor-grace-period, ms (default 50 s). */
  gracePeriodMs?: number;
  /** --node-monitor-period, ms (default 5 s). */
  monitorPeriodMs?: number;
  /** kube-controller-manager --node-startup-grace-period (60 s), ms. */
  startupGracePeriodMs?: number;
  now?: () => Date;
  log: (m: string) => void;
}

export class NodeLifecycleController {
  private readonly health = new Map<string, NodeHealth>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly now: () => number;
  private readonly grace: number;
  private readonly period: number;

  constructor(
    private readonly nodes: ObjectStore,
    private readonly leases: ObjectStore,
    private readonly o: NodeLifecycleOptions,
  ) {
    const now = o.now;
    this.now = now ? () => now().getTime() : Date.now;
    this.grace = o.gracePeriodMs ?? 50_000;
    this.period = o.monitorPeriodMs ?? 5_000;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.monitor().finally(() => (this.running = undefined));
    }, this.period);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** monitorNodeHealth: one pass over every node. */
  async monitor(): Promise<void> {
    const seen = new Set<string>();
    for (const cur of this.nodes.cache.list(this.nodes.prefix)) {
      const name = cur.obj.metadata?.name ?? '';
      if (!name) continue;
      seen.add(name);
      try {
        await this.sync(name);
      } catch (e) {
        this.o.log(`node lifecycle controller: ${name}: ${(e as Error).message}`);
      }
    }
    for (const n of this.health.keys()) if (!seen.has(n)) this.health.delete(n);
  }

  private async sync(name: string): Promise<void> {
    const cur = this.nodes.get('', name);
    if (!cur) return;
    const lease = this.leases.get(NODE_LEASE_NAMESPACE, name)?.obj;
    const nowMs = this.now();
    const h = observe(this.health.get(name), cur.obj, lease, nowMs);
    this.health.set(name, h);
    const grace = this.grace;
    const startup = this.o.startupGracePeriodMs ?? 60_000;
    if (!staleConditions(cur.obj, h, nowMs, grace, startup) && !desiredTaints(cur.obj, nowMs)) return;
    await this.nodes.guaranteedUpdate('', name, (c) => {
      const next = deepCopy(c.obj);
      const conds = staleConditions(next, h, nowMs, grace, startup);
      if (conds) {
        next.status = { ...((next.status as object) ?? {}), conditions: conds };
        this.o.log(`node lifecycle controller: node ${name} hasn't been updated for ${nowMs - h.probeMs}ms`);
      }
      const taints = desiredTaints(next, nowMs);
      if (taints) {
        const spec = { ...((next.spec as Record<string, unknown>) ?? {}) };
        if (taints.length) spec.taints = taints;
        else delete spec.taints;
        next.spec = spec;
      }
      if (!conds && !taints) return undefined;
      // The conditions keep their lastHeartbeatTime: this write is no heartbeat.
      return next;
    });
  }
}
