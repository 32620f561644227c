/**
 * The namespace controller (pkg/controller/namespace): when a namespace is being deleted
 * (deletionTimestamp set, phase Terminating), delete every namespaced object in it, then remove
 * the "kubernetes" finalizer from spec.finalizers, then remove the namespace itself once no
 * finalizers remain. Also ensures a "default" ServiceAccount in every active namespace
 * (pkg/controller/serviceaccount).
 */
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { InternalClient } from '../apiserver/internal-client.js';
import type { CachedObject, ObjectStore } from '../apiserver/rest/object-store.js';
import type { ResourceDescriptor } from '../registry/types.js';
import { WorkQueue } from './work-queue.js';

export class NamespaceController {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: InternalClient,
    private readonly stores: Map<ResourceDescriptor, ObjectStore>,
    log: (msg: string) => void = () => undefined,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), {
      name: 'namespace controller',
      log,
      retryMs: 1000,
    });
  }

  private get namespaces(): ObjectStore {
    return this.client.store('', 'namespaces');
  }

  start(): void {
    const ns = this.namespaces;
    for (const o of ns.cache.list(ns.prefix)) this.enqueue(o);
    this.watcher = ns.cache.watch(
      ns.prefix,
      ns.cache.revision(),
      (evs) => evs.forEach((e) => e.type !== 'DELETED' && this.enqueue(e.object)),
      () => undefined,
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  private enqueue(o: CachedObject): void {
    this.queue.add(o.obj.metadata!.name!);
  }

  private async sync(name: string): Promise<void> {
    const cur = this.namespaces.get('', name);
    if (!cur) return;
    if (!cur.obj.metadata?.deletionTimestamp) {
      await this.client.ensure('', 'serviceaccounts', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'default', namespace: name },
      });
      return;
    }
    // Delete the content of every namespaced resource.
    for (const [d, st] of this.stores) {
      if (!d.namespaced) continue;
      for (const o of st.cache.list(st.listPrefix(name))) {
        if (o.obj.metadata?.finalizers?.length) {
          if (!o.obj.metadata.deletionTimestamp) {
            await st.guaranteedUpdate(name, o.obj.metadata.name!, (c) => {
              const next = deepCopy(c.obj);
              next.metadata!.deletionTimestamp = cur.obj.metadata!.deletionTimestamp;
              return next;
            });
          }
          continue;
        }
        await st.delete(name, o.obj.metadata!.name!).catch(() => undefined);
      }
    }
    const remaining = [...this.stores].some(
      ([d, st]) => d.namespaced && st.cache.list(st.listPrefix(name)).length > 0,
    );
    if (remaining) {
      setTimeout(() => this.enqueue(cur), 500).unref();
      return;
    }
    const finalized = await this.namespaces.guaranteedUpdate('', name, (c) => {
      const spec = (c.obj.spec ?? {}) as { finalizers?: string[] };
      if (!spec.finalizers?.length) return undefined;
      const next: KubeObject = deepCopy(c.obj);
      (next.spec as { finalizers?: string[] }).finalizers = spec.finalizers.filter((f) => f !== 'kubernetes');
      return next;
    });
    const specFin = (finalized.obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
    if (specFin.length === 0 && !finalized.obj.metadata?.finalizers?.length) {
      await this.namespaces.delete('', name, finalized.rv).catch(() => undefined);
    }
  }
}
