/**
 * Watch fan-out for {@link SqliteStore}: after each commit the store publishes that commit's events
 * here; every watcher gets the ones under its prefix, asynchronously and in revision order.
 *
 * A watcher that starts in the past first replays the history table in chunks (from its
 * `afterRevision` up to the revision current when it registered) while live batches queue up behind
 * the replay, so the hand-over has neither gaps nor duplicates.
 *
 * @module
 */
import { StorageError, type WatchEvent, type WatchOptions, type Watcher } from './interfaces.js';

/** Reads at most `limit` history events with after < revision <= upTo under prefix, by revision. */
export type ReplayReader = (prefix: string, after: number, upTo: number, limit: number) => WatchEvent[];

export interface WatchSource {
  readHistory: ReplayReader;
  currentRevision(): number;
  compactedRevision(): number;
}

const REPLAY_CHUNK = 1000;

class HubWatcher implements Watcher {
  /** Batches of events, or a progress revision, waiting to be delivered. */
  private readonly queue: Array<WatchEvent[] | number> = [];
  private scheduled = false;
  private replaying: boolean;
  cancelled = false;

  constructor(
    readonly prefix: string,
    private readonly opts: WatchOptions,
    private readonly source: WatchSource,
    private readonly onCancel: (w: HubWatcher) => void,
    /** Live events at or below this revision are skipped (already replayed or not wanted). */
    readonly minRevision: number,
    private cursor: number,
  ) {
    this.replaying = cursor < minRevision;
    if (this.replaying) setImmediate(() => this.replayStep());
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.queue.length = 0;
    this.onCancel(this);
  }

  fail(err: StorageError): void {
    if (this.cancelled) return;
    this.cancel();
    try {
      this.opts.onError(err);
    } catch {
      // The watcher is gone; nothing else to tell.
    }
  }

  /** Queues this commit's events for the watcher (already filtered by prefix). */
  push(events: WatchEvent[], commitRevision: number): void {
    if (this.cancelled) return;
    const mine = events.filter((e) => e.kv.modRevision > this.minRevision);
    if (mine.length > 0) this.queue.push(mine);
    const last = mine.length > 0 ? mine[mine.length - 1].kv.modRevision : 0;
    if (this.opts.onProgress && commitRevision > last && commitRevision > this.minRevision) {
      if (typeof this.queue[this.queue.length - 1] === 'number') this.queue.pop();
      this.queue.push(commitRevision);
    }
    if (!this.replaying && this.queue.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    while (!this.cancelled && this.queue.length > 0) {
      const item = this.queue.shift()!;
      this.deliver(item);
    }
  }

  private deliver(item: WatchEvent[] | number): void {
    try {
      if (typeof item === 'number') this.opts.onProgress?.(item);
      else this.opts.onEvents(item);
    } catch (err) {
      this.fail(new StorageError('Invalid', `watch callback failed: ${(err as Error).message ?? err}`));
    }
  }

  private replayStep(): void {
    if (this.cancelled) return;
    const compacted = this.source.compactedRevision();
    if (this.cursor < compacted) {
      this.fail(compactedError(this.cursor, compacted));
      return;
    }
    let events: WatchEvent[];
    try {
      events = this.source.readHistory(this.prefix, this.cursor, this.minRevision, REPLAY_CHUNK);
    } catch (err) {
      this.fail(new StorageError('Unavailable', `watch replay failed: ${(err as Error).message}`));
      return;
    }
    if (events.length > 0) {
      this.cursor = events[events.length - 1].kv.modRevision;
      this.deliver(events);
    }
    if (events.length < REPLAY_CHUNK) {
      this.replaying = false;
      if (this.opts.onProgress && this.queue.length === 0 && !this.cancelled) this.deliver(this.minRevision);
      this.drain();
    } else {
      setImmediate(() => this.replayStep());
    }
  }
}

export function compactedError(requested: number, compacted: number): StorageError {
  return new StorageError(
    'Compacted',
    `required revision ${requested} has been compacted (oldest available: ${compacted})`,
    compacted,
  );
}

export class WatchHub {
  private readonly watchers = new Set<HubWatcher>();

  constructor(private readonly source: WatchSource) {}

  get size(): number {
    return this.watchers.size;
  }

  watch(prefix: string, opts: WatchOptions): Watcher {
    const current = this.source.currentRevision();
    const after = opts.afterRevision ?? current;
    const compacted = this.source.compactedRevision();
    const minRevision = Math.max(after, current);
    const w = new HubWatcher(prefix, opts, this.source, (x) => this.watchers.delete(x), minRevision, after);
    if (after < compacted) {
      queueMicrotask(() => w.fail(compactedError(after, compacted)));
      return w;
    }
    this.watchers.add(w);
    return w;
  }

  /** Fans one commit's events (ascending revisions) out to the watchers. */
  publish(events: WatchEvent[], commitRevision: number): void {
    for (const w of this.watchers) {
      const mine = w.prefix === '' ? events : events.filter((e) => e.kv.key.startsWith(w.prefix));
      w.push(mine, commitRevision);
    }
  }

  /** Stops every watcher silently (the store is closing). */
  closeAll(): void {
    for (const w of [...this.watchers]) w.cancel();
  }
}
