/**
 * An in-process informer: lists a resource's watch cache, then follows its events, calling the
 * handler in revision order. `waitFor(rev)` resolves once the handler has seen every event up to
 * rev, which a WriteBarrier uses so that a change is reflected in the consumer (RBAC, the node
 * graph) before the write that caused it is acknowledged.
 */
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from './rest/object-store.js';

export interface InformerHandler {
  upsert(obj: KubeObject): void;
  remove(obj: KubeObject): void;
}

export class Informer {
  private seen = 0;
  private watcher?: { cancel(): void };

  constructor(
    private readonly store: ObjectStore,
    private readonly handler: InformerHandler,
    private readonly log: (msg: string) => void = () => undefined,
  ) {}

  start(): void {
    const cache = this.store.cache;
    const rev = cache.revision();
    for (const o of cache.list(this.store.prefix)) this.safe(() => this.handler.upsert(o.obj));
    this.seen = rev;
    this.watcher = cache.watch(
      this.store.prefix,
      rev,
      (evs) => {
        for (const e of evs) {
          this.safe(() =>
            e.type === 'DELETED' ? this.handler.remove(e.object.obj) : this.handler.upsert(e.object.obj),
          );
          this.seen = Math.max(this.seen, e.revision);
        }
      },
      (err) => this.log(`informer for ${this.store.prefix} stopped: ${err.message}`),
    );
    // Barrier: a write to this resource is acknowledged only after the handler saw it.
    this.store.barriers.push((r) => this.waitFor(r));
  }

  stop(): void {
    this.watcher?.cancel();
  }

  /**
   * Resolves when the handler has seen the resource's state as of `rev`. The cache applies events
   * before the write's waitForRevision resolves and hands them to watchers in a microtask, so
   * once the microtask queue has drained (setImmediate) every event up to rev was delivered.
   */
  waitFor(rev: number): Promise<void> | void {
    if (this.seen >= rev) return;
    return new Promise((resolve) => setImmediate(resolve));
  }

  private safe(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.log(`informer handler for ${this.store.prefix} failed: ${(e as Error).message}`);
    }
  }
}
