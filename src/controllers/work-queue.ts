/**
 * The controllers' work queue (a small client-go workqueue): keys are de-duplicated while they
 * wait, processed in arrival order, one at a time or up to `concurrency` at once (a key is never
 * processed twice at the same time: one added while it runs waits for that run), and a failed key
 * is logged and, with `retryMs`, retried later. `idle()` resolves once nothing is queued or running.
 */
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';

export class WorkQueue {
  private readonly keys = new Set<string>();
  private readonly active = new Set<string>();
  private workers = 0;
  private stopped = false;

  constructor(
    private readonly process: (key: string) => Promise<void>,
    private readonly opts: { name: string; log: (m: string) => void; retryMs?: number; concurrency?: number },
  ) {}

  private get running(): boolean {
    return this.workers > 0;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.keys.add(key);
    if (this.workers < (this.opts.concurrency ?? 1)) void this.drain();
  }

  stop(): void {
    this.stopped = true;
    this.keys.clear();
  }

  /** Resolves once nothing is queued or running (after letting pending events arrive). */
  async idle(): Promise<void> {
    do await new Promise((r) => setImmediate(r));
    while (this.keys.size || this.running);
  }

  private next(): string | undefined {
    for (const k of this.keys) if (!this.active.has(k)) return k;
    return undefined;
  }

  private async drain(): Promise<void> {
    this.workers++;
    try {
      for (let key = this.next(); key !== undefined && !this.stopped; key = this.next()) {
        this.keys.delete(key);
        this.active.add(key);
        try {
          await this.process(key);
        } catch (e) {
          this.opts.log(`${this.opts.name}: ${key}: ${(e as Error).message}`);
          if (this.opts.retryMs) setTimeout(() => this.add(key), this.opts.retryMs).unref();
        } finally {
          this.active.delete(key);
        }
      }
    } finally {
      this.workers--;
    }
    // a key added for an active key while it ran: pick it up now
    if (this.next() !== undefined && !this.stopped && this.workers < (this.opts.concurrency ?? 1))
      void this.drain();
  }
}

/**
 * The informer shape the controllers share: every object under `prefix` now, then every object
 * that is added or changed (deletes are not visited), each handed to `visit`, which decides
 * whether to queue it. A watch that stops is logged as `<what> watch stopped: ...`.
 */
export function followObjects(
  store: ObjectStore,
  prefix: string,
  visit: (obj: KubeObject) => void,
  what: string,
  log: (m: string) => void,
): { cancel(): void } {
  const watcher = store.cache.watch(
    prefix,
    store.cache.revision(),
    (evs) => {
      for (const e of evs) if (e.type !== 'DELETED') visit(e.object.obj);
    },
    (err) => log(`${what} watch stopped: ${err.message}`),
  );
  for (const o of store.cache.list(prefix)) visit(o.obj);
  return watcher;
}
