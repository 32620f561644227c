/**
 * The CRD finalizer controller (apiextensions-apiserver/pkg/controller/finalizer/crd_finalizer.go):
 * a CRD being deleted (deletionTimestamp set, the `customresourcecleanup.apiextensions.k8s.io`
 * finalizer present) gets Terminating=True InstanceDeletionInProgress, every custom resource is
 * deleted (those with finalizers of their own are marked and waited for), then the condition says
 * InstanceDeletionCompleted and the finalizer is removed; with no finalizers left the CRD itself is
 * deleted. While custom resources remain, the sync is retried.
 */
import { deepCopy, timestamp } from '../api/meta.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import {
  CLEANUP_FINALIZER,
  condition,
  setCondition,
  statusOf,
  type CrdCondition,
} from '../apiextensions/types.js';
import { WorkQueue } from './work-queue.js';

export class CrdFinalizerController {
  private readonly queue: WorkQueue;
  private watcher?: { cancel(): void };

  constructor(
    private readonly crds: ObjectStore,
    /** The store of a CRD's custom resources while they are served. */
    private readonly crStore: (crdName: string) => ObjectStore | undefined,
    private readonly now: () => Date,
    log: (msg: string) => void = () => undefined,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), { name: 'crd finalizer', log, retryMs: 500 });
  }

  start(): void {
    const c = this.crds.cache;
    for (const o of c.list(this.crds.prefix)) this.queue.add(o.obj.metadata!.name!);
    this.watcher = c.watch(
      this.crds.prefix,
      c.revision(),
      (evs) => evs.forEach((e) => e.type !== 'DELETED' && this.queue.add(e.object.obj.metadata!.name!)),
      () => undefined,
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async setTerminating(name: string, c: Omit<CrdCondition, 'type'>, dropFinalizer = false) {
    return this.crds.guaranteedUpdate('', name, (cur) => {
      const next = deepCopy(cur.obj);
      const st = statusOf(next);
      next.status = {
        ...st,
        conditions: setCondition(st.conditions, { type: 'Terminating', ...c }, timestamp(this.now())),
      };
      if (dropFinalizer)
        next.metadata!.finalizers = (next.metadata!.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      return JSON.stringify(next) === JSON.stringify(cur.obj) ? undefined : next;
    });
  }

  private async sync(name: string): Promise<void> {
    const cur = this.crds.get('', name);
    const md = cur?.obj.metadata;
    if (!cur || !md?.deletionTimestamp || !md.finalizers?.includes(CLEANUP_FINALIZER)) return;
    // A retry while instances remain keeps InstanceDeletionCheck instead of flapping.
    if (condition(cur.obj, 'Terminating')?.reason !== 'InstanceDeletionCheck')
      await this.setTerminating(name, {
        status: 'True',
        reason: 'InstanceDeletionInProgress',
        message: 'CustomResource deletion is in progress',
      });
    const store = this.crStore(name);
    const remaining = store ? await this.deleteInstances(store, md.deletionTimestamp) : 0;
    if (remaining > 0) {
      await this.setTerminating(name, {
        status: 'True',
        reason: 'InstanceDeletionCheck',
        message: `could not confirm zero CustomResources remaining: ${remaining} remaining`,
      });
      throw new Error(`${remaining} custom resources remaining`);
    }
    const done = await this.setTerminating(
      name,
      { status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' },
      true,
    );
    if ((done.obj.metadata?.finalizers ?? []).length === 0)
      await this.crds.delete('', name).catch(() => undefined);
  }

  /** Deletes (or marks, when they have finalizers) every custom resource; returns how many remain. */
  private async deleteInstances(store: ObjectStore, deletionTimestamp: string): Promise<number> {
    for (const o of store.cache.list(store.prefix)) {
      const m = o.obj.metadata!;
      const ns = m.namespace ?? '';
      if (m.finalizers?.length) {
        if (!m.deletionTimestamp)
          await store.guaranteedUpdate(ns, m.name!, (c) => {
            const next = deepCopy(c.obj);
            next.metadata!.deletionTimestamp = deletionTimestamp;
            return next;
          });
        continue;
      }
      await store.delete(ns, m.name!).catch(() => undefined);
    }
    return store.cache.list(store.prefix).length;
  }
}
