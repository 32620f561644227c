/**
 * One watcher of a {@link WatchCache}: a queue of events delivered asynchronously (microtask) and
 * in order, plus the revision up to which the watcher is known to be complete (for BOOKMARKs).
 *
 * @module
 */
import { StorageError } from './interfaces.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A change to one object, decoded once and shared by every watcher (treat as immutable). */
export interface CacheEvent<T> {
  type: CacheEventType;
  key: string;
  /** The event's revision (for DELETED: the revision of the delete). */
  revision: number;
  /** ADDED/MODIFIED: the new object; DELETED: the last state, decoded at the delete's revision. */
  object: T;
  /** MODIFIED/DELETED: the object before the event (for selector transitions). */
  prevObject?: T;
}

export interface CacheWatchOptions<T> {
  /** Deliver events with revision > afterRevision; omitted: only future events. */
  afterRevision?: number;
  /** First deliver a synthetic ADDED event per current object (sendInitialEvents, watch at RV 0). */
  initialEvents?: boolean;
  onEvents: (events: CacheEvent<T>[]) => void;
  /** The watch ended (the cache restarted after a store error, or a callback threw). */
  onError?: (err: StorageError) => void;
}

export interface CacheWatcher {
  /** Stop delivering and free resources. Idempotent. */
  cancel(): void;
  /**
   * Every event of this watch up to this revision has been handed to `onEvents`: the revision to
   * put in a BOOKMARK event (or the initial-events-end bookmark) sent now.
   */
  readonly revision: number;
}

export class QueuedCacheWatcher<T> implements CacheWatcher {
  private queue: CacheEvent<T>[] = [];
  private scheduled = false;
  private delivered: number;
  cancelled = false;

  constructor(
    readonly prefix: string,
    private readonly opts: CacheWatchOptions<T>,
    /** Live events at or below this revision are not for this watcher. */
    private readonly minRevision: number,
    private readonly cacheRevision: () => number,
    private readonly onCancel: (w: QueuedCacheWatcher<T>) => void,
    initial: CacheEvent<T>[],
  ) {
    this.delivered = minRevision;
    if (initial.length > 0) this.enqueue(initial);
  }

  get revision(): number {
    return this.queue.length === 0 ? Math.max(this.delivered, this.cacheRevision()) : this.delivered;
  }

  /** Queues the events of one applied batch that match this watcher. */
  push(events: readonly CacheEvent<T>[]): void {
    if (this.cancelled) return;
    let mine: CacheEvent<T>[] | undefined;
    for (const ev of events) {
      if (ev.revision > this.minRevision && ev.key.startsWith(this.prefix)) (mine ??= []).push(ev);
    }
    if (mine) this.enqueue(mine);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.queue = [];
    this.onCancel(this);
  }

  fail(err: StorageError): void {
    if (this.cancelled) return;
    this.cancel();
    try {
      this.opts.onError?.(err);
    } catch {
      // Nothing more to tell a watcher whose error handler throws.
    }
  }

  private enqueue(events: CacheEvent<T>[]): void {
    if (this.queue.length === 0) this.queue = events;
    else for (const ev of events) this.queue.push(ev);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    if (this.cancelled || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.delivered = Math.max(this.delivered, batch[batch.length - 1].revision);
    try {
      this.opts.onEvents(batch);
    } catch (err) {
      this.fail(new StorageError('Invalid', `watch callback failed: ${(err as Error).message ?? err}`));
    }
  }
}
