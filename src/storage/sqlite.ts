/**
 * SqliteStore: the embedded {@link Store} engine on better-sqlite3 (WAL).
 *
 * Writes are group-committed: every write requested in one event-loop turn joins a queue that is
 * applied in ONE transaction on `setImmediate`. Each write is still checked on its own (KeyExists,
 * Conflict, KeyNotFound fail only that write), revisions are handed out in queue order, and every
 * promise settles only after the transaction is on disk (so an acknowledged write survives kill -9
 * and power loss). Watchers are then fed that commit's events (see sqlite-watch.ts).
 *
 * Durability without stalling the event loop: with `synchronous=FULL` SQLite fsyncs the WAL inside
 * each commit, on the event loop, holding every other request up for the fsync (a CPU profile of
 * 300 CSRs signed spent a quarter of the main thread's busy time there). Instead the connection runs
 * `synchronous=NORMAL` (the WAL is synced at checkpoints only) and the store itself fdatasyncs the
 * WAL file on libuv's thread pool after each commit, settling the commit's writes and publishing its
 * events only once that sync is done; commits made while a sync runs share the next one. What a
 * write's caller and every watcher see is thus exactly what FULL gives. The one difference: a
 * direct read (get, range) may see a commit during the ~1 ms its sync takes, which a power loss
 * in that window would undo; a kill -9 would not (the WAL is in the page cache). A failed sync
 * fails the store, as etcd stops on a failed WAL sync.
 *
 * Reads run synchronously against committed data; `range` at an older revision undoes the history
 * events after it (see sqlite-range.ts). Only one process may open a database file at a time: the
 * current revision and the watchers live in this process.
 *
 * @module
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { startCompactor, type Compactor, type CompactorOptions } from './compactor.js';
import {
  StorageError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type WatchEvent,
  type WatchOptions,
  type Watcher,
} from './interfaces.js';
import { prefixEnd } from './keys.js';
import { rangeAt } from './sqlite-range.js';
import {
  DELETE,
  PUT,
  SCHEMA,
  eventFromRow,
  kvFromRow,
  prepareStatements,
  type HistoryRow,
  type Statements,
} from './sqlite-schema.js';
import { WatchHub, compactedError } from './sqlite-watch.js';

export interface SqliteStoreOptions {
  /** SQLite page cache in KiB (default 65,536 = 64 MiB; SQLite's own default is 2 MiB). */
  cacheSizeKiB?: number;
  /** SQLite busy timeout in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Most writes per transaction; the rest go in the next one (default 10,000). */
  maxBatch?: number;
  /** Automatic compaction (default: every 5 minutes, like kube-apiserver); false to disable. */
  compaction?: CompactorOptions | false;
}

type Op =
  | { kind: 'create'; key: string; value: Uint8Array }
  | { kind: 'update'; key: string; value: Uint8Array; expected: number }
  | { kind: 'delete'; key: string; expected?: number };

interface Pending {
  op: Op;
  resolve: (r: HistoryRow) => void;
  reject: (e: unknown) => void;
}

const COMPACT_CHUNK = 10_000;

/**
 * Opens (creating if needed) a store at `path`; `':memory:'` gives a private in-memory store.
 * @throws StorageError Unavailable when the file cannot be opened.
 */
export async function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Promise<SqliteStore> {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw new StorageError('Unavailable', `cannot open ${path}: ${(err as Error).message}`);
  }
  return new SqliteStore(db, opts);
}

export class SqliteStore implements Store {
  private readonly st: Statements;
  private readonly hub: WatchHub;
  private readonly applyBatch: (batch: Pending[], results: (HistoryRow | StorageError)[]) => number;
  private readonly maxBatch: number;
  private readonly compactor?: Compactor;
  private rev: number;
  private compacted: number;
  private queue: Pending[] = [];
  private flushScheduled = false;
  private closed = false;
  private compaction: Promise<void> = Promise.resolve();
  /** The last revision whose writes were settled and published (what watchers start from). */
  private publishedRev: number;
  /** Commits waiting for the next WAL sync, and those the running sync covers. */
  private awaitingSync: ((syncError?: StorageError) => void)[] = [];
  private syncing: ((syncError?: StorageError) => void)[] | undefined;
  private walFd?: number;
  private failed?: StorageError;

  constructor(
    private readonly db: Database.Database,
    opts: SqliteStoreOptions = {},
  ) {
    db.pragma('journal_mode = WAL');
    db.pragma(db.memory ? 'synchronous = OFF' : 'synchronous = NORMAL');
    db.pragma(`cache_size = -${opts.cacheSizeKiB ?? 65_536}`);
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    db.exec(SCHEMA);
    this.st = prepareStatements(db);
    this.maxBatch = opts.maxBatch ?? 10_000;
    const metaRev = this.st.getMeta.get('revision')?.value ?? 0;
    this.rev = Math.max(metaRev, this.st.maxHistoryRev.get()?.rev ?? 0);
    this.publishedRev = this.rev;
    this.compacted = this.st.getMeta.get('compacted')?.value ?? 0;
    // Finish a compaction interrupted by a crash (meta is written before the history is trimmed).
    if (this.compacted > 0) this.st.deleteHistory.run(0, this.compacted);
    this.applyBatch = db.transaction((batch, results) => this.applyAll(batch, results)).immediate;
    this.hub = new WatchHub({
      currentRevision: () => this.publishedRev,
      compactedRevision: () => this.compacted,
      readHistory: (prefix, after, upTo, limit) =>
        this.st.replay.all(after, upTo, prefix, prefixEnd(prefix), limit).map(eventFromRow),
    });
    if (opts.compaction !== false) this.compactor = startCompactor(this, opts.compaction ?? {});
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    const row = this.st.getKv.get(key);
    return row ? kvFromRow(row) : undefined;
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    const revision = opts.revision && opts.revision > 0 ? opts.revision : this.rev;
    if (revision > this.rev) {
      throw new StorageError(
        'Invalid',
        `required revision ${revision} is a future revision (current ${this.rev})`,
      );
    }
    if (revision < this.compacted) throw compactedError(revision, this.compacted);
    return rangeAt(this.st, prefix, opts, revision, this.rev);
  }

  create(key: string, value: Uint8Array): Promise<KeyValue> {
    return this.enqueue({ kind: 'create', key, value }).then(eventKv);
  }

  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    return this.enqueue({ kind: 'update', key, value, expected: expectedModRevision }).then(eventKv);
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }> {
    const row = await this.enqueue({ kind: 'delete', key, expected: expectedModRevision });
    const prev = eventFromRow(row).prevKv!;
    return { prev, revision: row.rev };
  }

  watch(prefix: string, opts: WatchOptions): Watcher {
    this.assertOpen();
    return this.hub.watch(prefix, opts);
  }

  /** Drops history at or below `revision`; the trim runs in chunks so it never stalls the loop. */
  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', 'store is closed'));
    if (revision > this.rev) {
      return Promise.reject(
        new StorageError('Invalid', `cannot compact to future revision ${revision} (current ${this.rev})`),
      );
    }
    const run = async () => {
      if (revision <= this.compacted || this.closed) return;
      const from = this.compacted;
      this.st.setMeta.run('compacted', revision);
      this.compacted = revision;
      for (let lo = from; lo < revision && !this.closed; lo += COMPACT_CHUNK) {
        this.st.deleteHistory.run(lo, Math.min(lo + COMPACT_CHUNK, revision));
        await new Promise<void>((r) => setImmediate(r));
      }
    };
    this.compaction = this.compaction.then(run, run);
    return this.compaction;
  }

  /** Commits queued writes, stops the compactor and the watchers, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.compactor?.stop();
    while (this.queue.length > 0) this.flush();
    // What is committed is made durable and settled now, not by a sync still on the thread pool.
    const unsettled = [...(this.syncing ?? []), ...this.awaitingSync];
    this.syncing = undefined;
    this.awaitingSync = [];
    if (unsettled.length > 0 && this.walFd !== undefined && !this.failed) fdatasyncSync(this.walFd);
    for (const settle of unsettled) settle();
    if (this.walFd !== undefined) closeSync(this.walFd);
    this.closed = true;
    this.hub.closeAll();
    await this.compaction.catch(() => undefined);
    this.db.close();
  }

  /** Number of live watchers (for tests and metrics). */
  get watcherCount(): number {
    return this.hub.size;
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'store is closed');
    if (this.failed) throw this.failed;
  }

  private enqueue(op: Op): Promise<HistoryRow> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', 'store is closed'));
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = batch === this.queue ? [] : this.queue.slice(batch.length);
    if (this.queue.length > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    const results: (HistoryRow | StorageError)[] = [];
    let rev: number;
    try {
      rev = this.applyBatch(batch, results);
    } catch (err) {
      const e = new StorageError('Unavailable', `write failed: ${(err as Error).message}`);
      for (const p of batch) p.reject(e);
      return;
    }
    this.rev = rev;
    const settle = (syncError?: StorageError) => {
      const events: WatchEvent[] = [];
      for (let i = 0; i < batch.length; i++) {
        const r = results[i];
        if (r instanceof StorageError) batch[i].reject(r);
        else if (syncError) batch[i].reject(syncError);
        else {
          batch[i].resolve(r);
          events.push(eventFromRow(r));
        }
      }
      if (syncError) return;
      this.publishedRev = rev;
      if (events.length > 0) this.hub.publish(events, rev);
    };
    // Even a commit of failed writes waits its turn: settling it early would publish its revision
    // ahead of commits still being synced.
    if (this.db.memory) settle();
    else {
      this.awaitingSync.push(settle);
      this.syncWal();
    }
  }

  /** Starts one fdatasync of the WAL for every commit waiting; the next waits for it to finish. */
  private syncWal(): void {
    if (this.syncing || this.awaitingSync.length === 0 || this.closed) return;
    const group = (this.syncing = this.awaitingSync);
    this.awaitingSync = [];
    try {
      this.walFd ??= openSync(`${this.db.name}-wal`, 'r');
    } catch (err) {
      this.failSync(group, err as Error);
      return;
    }
    fdatasync(this.walFd, (err) => {
      if (this.syncing !== group) return; // close() settled it already
      this.syncing = undefined;
      if (err) {
        this.failSync(group, err);
        return;
      }
      for (const settle of group) settle();
      this.syncWal();
    });
  }

  /** A commit that cannot be made durable fails its writes and the store. */
  private failSync(group: ((e?: StorageError) => void)[], err: Error): void {
    this.failed = new StorageError(
      'Unavailable',
      `storage failed: cannot sync the write-ahead log: ${err.message}`,
    );
    process.stderr.write(`E ${new Date().toISOString()} ${this.failed.message}\n`);
    for (const settle of [...group, ...this.awaitingSync]) settle(this.failed);
    this.awaitingSync = [];
  }

  /** Runs inside the transaction; returns the last revision handed out. */
  private applyAll(batch: Pending[], results: (HistoryRow | StorageError)[]): number {
    let rev = this.rev;
    for (const { op } of batch) {
      const r = this.applyOne(op, rev + 1);
      if (!(r instanceof StorageError)) rev = r.rev;
      results.push(r);
    }
    if (rev !== this.rev) this.st.setMeta.run('revision', rev);
    return rev;
  }

  private applyOne(op: Op, rev: number): HistoryRow | StorageError {
    const cur = this.st.getKv.get(op.key);
    let row: HistoryRow;
    if (op.kind === 'create') {
      if (cur) return new StorageError('KeyExists', `key already exists: ${op.key}`, cur.mod_rev);
      row = {
        rev,
        key: op.key,
        type: PUT,
        value: op.value,
        create_rev: rev,
        prev_value: null,
        prev_mod_rev: null,
      };
      this.st.putKv.run(op.key, op.value, rev, rev);
    } else {
      if (!cur) return new StorageError('KeyNotFound', `key not found: ${op.key}`);
      if (op.expected !== undefined && cur.mod_rev !== op.expected) {
        return new StorageError(
          'Conflict',
          `revision mismatch for ${op.key}: expected ${op.expected}, current ${cur.mod_rev}`,
          cur.mod_rev,
        );
      }
      const value = op.kind === 'update' ? op.value : null;
      const type = op.kind === 'update' ? PUT : DELETE;
      row = {
        rev,
        key: op.key,
        type,
        value,
        create_rev: cur.create_rev,
        prev_value: cur.value,
        prev_mod_rev: cur.mod_rev,
      };
      if (value) this.st.putKv.run(op.key, value, cur.create_rev, rev);
      else this.st.delKv.run(op.key);
    }
    this.st.insHistory.run(
      row.rev,
      row.key,
      row.type,
      row.value,
      row.create_rev,
      row.prev_value,
      row.prev_mod_rev,
    );
    return row;
  }
}

function eventKv(row: HistoryRow): KeyValue {
  return eventFromRow(row).kv;
}
