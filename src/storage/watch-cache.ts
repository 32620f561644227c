/**
 * WatchCache<T>: the in-memory cache in front of a {@link Store} for one key prefix, like upstream's
 * cacher (`storage/cacher/watch_cache.go`). It lists the prefix once, then follows a store watch
 * from that revision; each event is decoded exactly once and shared, never re-decoded on reads.
 *
 * - `get`/`list` are served from memory at {@link WatchCache.revision}; `list` pages through a cached
 *   sorted key array (binary search, O(log n + page)), patched in place on small changes and
 *   re-sorted lazily after large ones.
 * - `watch` resumes from the ring buffer of the last `capacity` events, then goes live; a revision
 *   older than the ring throws StorageError Compacted, message `too old resource version: X (Y)`.
 * - `waitForRevision` makes reads consistent after a write (the store's progress notifications
 *   advance the revision even when the writes were under other prefixes).
 *
 * @module
 */
import {
  QueuedCacheWatcher,
  type CacheEvent,
  type CacheWatchOptions,
  type CacheWatcher,
} from './cache-watcher.js';
import { EventRing } from './event-ring.js';
import { StorageError, type KeyValue, type Store, type WatchEvent, type Watcher } from './interfaces.js';
import { lowerBound, prefixEnd, rangeStart } from './keys.js';

export type { CacheEvent, CacheEventType, CacheWatchOptions, CacheWatcher } from './cache-watcher.js';

export interface WatchCacheOptions<T> {
  store: Store;
  /** The key prefix this cache holds, e.g. `/registry/pods/`. */
  prefix: string;
  /** Turns a stored value into the cached object; runs once per event. Must not throw. */
  decode: (kv: KeyValue) => T;
  /** Events kept for watch resumption (default 1024). */
  capacity?: number;
  /** Delay before re-listing after the store watch fails (default 1000 ms). */
  restartDelayMs?: number;
  /** Told about store watch failures that made the cache re-list. */
  onError?: (err: StorageError) => void;
}

export interface CacheListOptions {
  /** At most this many items; 0 or undefined: all. */
  limit?: number;
  /** Only keys strictly greater than this (the last key of the previous page). */
  continueKey?: string;
}

export interface CacheListResult<T> {
  items: T[];
  /** The cache revision the list was served at. */
  revision: number;
  /** Set when more items follow: the key to pass as `continueKey` for the next page. */
  continueKey?: string;
  /** Items after this page. */
  remaining: number;
}

/** One cached object; shared by the key map and the sorted array, updated in place. */
interface Entry<T> {
  readonly key: string;
  object: T;
  modRevision: number;
}

interface Waiter {
  revision: number;
  resolve: () => void;
  reject: (err: StorageError) => void;
  timer: NodeJS.Timeout;
}

/** Above this many inserts+deletes in one batch, drop the sorted keys and re-sort on next list. */
const PATCH_LIMIT = 64;

export class WatchCache<T> {
  readonly prefix: string;
  private readonly store: Store;
  private readonly decode: (kv: KeyValue) => T;
  private readonly ring: EventRing<CacheEvent<T>>;
  private readonly restartDelayMs: number;
  private readonly onCacheError?: (err: StorageError) => void;
  private entries = new Map<string, Entry<T>>();
  private sorted: Entry<T>[] | null = [];
  private rev = 0;
  private oldest = 0;
  private ready = false;
  private stopped = false;
  private starting?: Promise<void>;
  private storeWatch?: Watcher;
  private restartTimer?: NodeJS.Timeout;
  private readonly watchers = new Set<QueuedCacheWatcher<T>>();
  private waiters: Waiter[] = [];

  constructor(opts: WatchCacheOptions<T>) {
    this.store = opts.store;
    this.prefix = opts.prefix;
    this.decode = opts.decode;
    this.ring = new EventRing(opts.capacity ?? 1024);
    this.restartDelayMs = opts.restartDelayMs ?? 1000;
    this.onCacheError = opts.onError;
  }

  /** The last revision applied (events or progress): every write up to it is reflected. */
  get revision(): number {
    return this.rev;
  }

  /** The oldest `afterRevision` a watch can resume from. */
  get oldestRevision(): number {
    return this.oldest;
  }

  get size(): number {
    return this.entries.size;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Lists the prefix and starts following the store. Resolves when the cache is ready. */
  start(): Promise<void> {
    this.starting ??= this.init().finally(() => (this.starting = undefined));
    return this.starting;
  }

  /** Stops following the store; ends watchers silently and rejects pending waits. */
  stop(): void {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.restartTimer);
    this.storeWatch?.cancel();
    for (const w of [...this.watchers]) w.cancel();
    this.rejectWaiters(new StorageError('Unavailable', 'watch cache stopped'));
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.object;
  }

  /** Objects under `prefix` (within the cache's prefix) in key order, one page at a time. */
  list(prefix: string, opts: CacheListOptions = {}): CacheListResult<T> {
    const sorted = this.sortedEntries();
    const from = lowerBound(sorted, rangeStart(prefix, opts.continueKey));
    const end = lowerBound(sorted, prefixEnd(prefix));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const to = Math.max(from, Math.min(end, from + limit));
    const items = new Array<T>(to - from);
    for (let i = from; i < to; i++) items[i - from] = sorted[i].object;
    const remaining = Math.max(0, end - to);
    const result: CacheListResult<T> = { items, revision: this.rev, remaining };
    if (remaining > 0) result.continueKey = sorted[to - 1].key;
    return result;
  }

  /**
   * Watches `prefix` (within the cache's prefix) from `afterRevision`, replayed from the ring.
   * @throws StorageError Compacted (`too old resource version: X (Y)`, revision = Y) when the ring
   *   no longer holds the events after X; Unavailable when the cache is not ready.
   */
  watch(prefix: string, opts: CacheWatchOptions<T>): CacheWatcher {
    if (!this.ready) throw new StorageError('Unavailable', `watch cache for ${this.prefix} is not ready`);
    const after = opts.afterRevision ?? this.rev;
    if (after < this.oldest) {
      throw new StorageError('Compacted', `too old resource version: ${after} (${this.oldest})`, this.oldest);
    }
    const initial: CacheEvent<T>[] = [];
    if (opts.initialEvents) {
      const sorted = this.sortedEntries();
      const end = lowerBound(sorted, prefixEnd(prefix));
      for (let i = lowerBound(sorted, prefix); i < end; i++) {
        const e = sorted[i];
        initial.push({ type: 'ADDED', key: e.key, revision: e.modRevision, object: e.object });
      }
    }
    for (const ev of this.ring.since(after)) if (ev.key.startsWith(prefix)) initial.push(ev);
    const minRevision = Math.max(after, this.rev);
    const w = new QueuedCacheWatcher<T>(
      prefix,
      opts,
      minRevision,
      () => this.rev,
      (x) => this.watchers.delete(x),
      initial,
    );
    this.watchers.add(w);
    return w;
  }

  /**
   * Resolves once the cache has applied everything up to `revision`.
   * @throws StorageError Unavailable `Too large resource version: X, current: Y` after timeoutMs.
   */
  waitForRevision(revision: number, timeoutMs: number): Promise<void> {
    if (this.ready && this.rev >= revision) return Promise.resolve();
    if (this.stopped) return Promise.reject(new StorageError('Unavailable', 'watch cache stopped'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        revision,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(
            new StorageError(
              'Unavailable',
              `Too large resource version: ${revision}, current: ${this.rev}`,
              this.rev,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private async init(): Promise<void> {
    this.storeWatch?.cancel();
    const res = await this.store.range(this.prefix);
    if (this.stopped) return;
    const entries = new Map<string, Entry<T>>();
    const sorted: Entry<T>[] = [];
    for (const kv of res.kvs) {
      const entry = { key: kv.key, object: this.decode(kv), modRevision: kv.modRevision };
      entries.set(kv.key, entry);
      sorted.push(entry); // the store returns keys in ascending order
    }
    this.entries = entries;
    this.sorted = sorted;
    this.ring.clear();
    this.rev = res.revision;
    this.oldest = res.revision;
    this.storeWatch = this.store.watch(this.prefix, {
      afterRevision: res.revision,
      onEvents: (events) => this.apply(events),
      onProgress: (rev) => this.advance(rev),
      onError: (err) => this.restart(err),
    });
    this.ready = true;
    this.advance(res.revision);
  }

  private restart(err: StorageError): void {
    if (this.stopped) return;
    this.ready = false;
    this.storeWatch?.cancel();
    this.onCacheError?.(err);
    for (const w of [...this.watchers]) w.fail(err);
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.start().catch((e: unknown) =>
        this.restart(e instanceof StorageError ? e : new StorageError('Unavailable', String(e))),
      );
    }, this.restartDelayMs);
  }

  private apply(events: WatchEvent[]): void {
    let structural = 0;
    for (const ev of events) if (ev.type === 'DELETE' || !this.entries.has(ev.kv.key)) structural++;
    if (structural > PATCH_LIMIT) this.sorted = null;
    const out: CacheEvent<T>[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const { kv, type } = events[i];
      const prev = this.entries.get(kv.key);
      const object = this.decode(kv);
      let ev: CacheEvent<T>;
      if (type === 'DELETE') {
        this.entries.delete(kv.key);
        if (prev) this.removeKey(kv.key);
        ev = { type: 'DELETED', key: kv.key, revision: kv.modRevision, object, prevObject: prev?.object };
      } else {
        if (prev) {
          ev = { type: 'MODIFIED', key: kv.key, revision: kv.modRevision, object, prevObject: prev.object };
          prev.object = object;
          prev.modRevision = kv.modRevision;
        } else {
          const entry = { key: kv.key, object, modRevision: kv.modRevision };
          this.entries.set(kv.key, entry);
          this.insertEntry(entry);
          ev = { type: 'ADDED', key: kv.key, revision: kv.modRevision, object };
        }
      }
      out[i] = ev;
      const evicted = this.ring.push(ev);
      if (evicted) this.oldest = evicted.revision;
    }
    for (const w of this.watchers) w.push(out);
    if (out.length > 0) this.advance(out[out.length - 1].revision);
  }

  private advance(revision: number): void {
    if (revision > this.rev) this.rev = revision;
    if (this.waiters.length === 0 || !this.ready) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.revision <= this.rev) {
        clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }

  private rejectWaiters(err: StorageError): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiters = [];
  }

  private sortedEntries(): Entry<T>[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.sorted;
  }

  private insertEntry(entry: Entry<T>): void {
    if (this.sorted) this.sorted.splice(lowerBound(this.sorted, entry.key), 0, entry);
  }

  private removeKey(key: string): void {
    if (!this.sorted) return;
    const i = lowerBound(this.sorted, key);
    if (this.sorted[i]?.key === key) this.sorted.splice(i, 1);
  }
}
