/**
 * The ClusterRole aggregation controller (pkg/controller/clusterroleaggregation): keeps the rules
 * of every ClusterRole with an aggregationRule equal to the union of the rules of the ClusterRoles
 * its selectors match, as labelled roles are added, changed or removed. Runs in-process on the
 * clusterroles watch cache; the pure logic lives in clusterrole-aggregation.ts.
 */
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import type { ClusterRole } from '../authz/rbac/bootstrap/types.js';
import { aggregateRules, dependents } from './clusterrole-aggregation.js';
import { WorkQueue } from './work-queue.js';

export class ClusterRoleAggregationController {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;

  constructor(
    private readonly roles: ObjectStore,
    private readonly log: (m: string) => void = () => undefined,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), { name: 'clusterrole aggregation', log });
  }

  private all(): ClusterRole[] {
    return this.roles.cache.list(this.roles.prefix).map((o) => o.obj as unknown as ClusterRole);
  }

  /**
   * Follows changes first, then aggregates every aggregated role: the controller's own updates
   * are events too, so a role that aggregates another aggregated role (admin ⊇ edit ⊇ view) is
   * recomputed when the inner one changes.
   */
  async start(): Promise<void> {
    this.watcher = this.roles.cache.watch(
      this.roles.prefix,
      this.roles.cache.revision(),
      (evs) => {
        const all = this.all();
        for (const e of evs) {
          const changed = e.object.obj as unknown as ClusterRole;
          const prev = e.prev?.obj as unknown as ClusterRole | undefined;
          for (const d of dependents(changed, all, prev)) this.queue.add(d.metadata.name);
        }
      },
      (err) => this.log(`clusterrole aggregation watch stopped: ${err.message}`),
    );
    for (const r of this.all()) if (r.aggregationRule) this.queue.add(r.metadata.name);
    // The events of our own updates come back and settle the nested aggregations.
    await this.queue.idle();
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  private async sync(name: string): Promise<void> {
    if (!this.roles.get('', name)) return;
    await this.roles.guaranteedUpdate('', name, (cur) => {
      const target = cur.obj as unknown as ClusterRole;
      if (!target.aggregationRule) return undefined;
      const rules = aggregateRules(target, this.all());
      if (rules === undefined) return undefined;
      const next = deepCopy(cur.obj) as KubeObject;
      next.rules = rules;
      return next;
    });
  }
}
