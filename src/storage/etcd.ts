/**
 * EtcdStore: the {@link Store} contract over an etcd v3 cluster (issue #10), with the `etcd3` npm
 * client and the Kubernetes mapping of upstream's `staging/src/k8s.io/apiserver/pkg/storage/etcd3`:
 *
 * - resourceVersion = etcd mod_revision; every write is one etcd transaction (store.go):
 *   create `If(ModRevision(key) == 0) Then(Put)`, update (GuaranteedUpdate)
 *   `If(ModRevision(key) == orig, Version(key) > 0) Then(Put)`, delete with precondition
 *   `If(Version(key) > 0 [, ModRevision(key) == orig]) Then(DeleteRange)`; the failure branch
 *   reads the key so KeyExists/KeyNotFound/Conflict carry the current modRevision.
 * - Writes are sent one at a time in call order, so concurrent writes from this process get
 *   revisions in call order and writes to one key see each other (the contract's group-commit rows).
 * - Watch (watcher.go): `WithRev(rev+1)`, `WithPrevKV`, progress notify (→ onProgress, used for
 *   bookmarks and consistent reads); a compacted watch is reported as Compacted (410 Gone, "too old
 *   resource version").
 * - Compaction (compact.go): etcd Compact, with the compacted revision recorded in the key
 *   `compact_rev_key` (upstream's key, outside the prefix) so every apiserver sharing the cluster
 *   learns it.
 *
 * @module
 */
import { Etcd3, Range, type IOptions, type IResponseHeader, type ITxnRequest } from 'etcd3';
import { startCompactor, type Compactor, type CompactorOptions } from './compactor.js';
import {
  COMPACTED_MSG,
  KeyMapper,
  compactedError,
  eventFrom,
  kvFrom,
  storageErrorFrom,
} from './etcd-codec.js';
import {
  StorageError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type WatchOptions,
  type Watcher,
} from './interfaces.js';
import { rangeStart } from './keys.js';

/** Upstream's compaction bookkeeping key (compact.go `compactRevKey`). */
const COMPACT_REV_KEY = Buffer.from('compact_rev_key');

export interface EtcdStoreOptions {
  /** etcd client URLs (`--etcd-servers`), e.g. `https://127.0.0.1:2379`. */
  servers: string[];
  /** `--etcd-prefix` (default `/registry`): replaces the Store keys' root `/registry`. */
  prefix?: string;
  /** The Store keys' root that `prefix` replaces (default `/registry`; tests use ''). */
  root?: string;
  /** Mutual TLS: `--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile` contents. */
  tls?: { ca: Buffer; cert?: Buffer; key?: Buffer };
  /** Per-call deadline in ms (default 15,000). */
  timeoutMs?: number;
  /** Automatic compaction (default every 5 minutes, `--etcd-compaction-interval`); false: off. */
  compaction?: CompactorOptions | false;
}

/** Connects and checks the cluster answers; @throws StorageError Unavailable. */
export async function openEtcdStore(opts: EtcdStoreOptions): Promise<EtcdStore> {
  const store = new EtcdStore(opts);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    throw err;
  }
  store.startCompaction();
  return store;
}

interface LiveWatch {
  cancel(): void;
}

export class EtcdStore implements Store {
  private readonly client: Etcd3;
  private readonly keys: KeyMapper;
  private readonly compactionOpts: CompactorOptions | false;
  private compactor?: Compactor;
  private closed = false;
  /** Highest revision seen in any response (start of a watch without afterRevision). */
  private seen = 0;
  /** Highest compaction revision known to this process. */
  private compacted = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly watches = new Set<LiveWatch>();

  constructor(opts: EtcdStoreOptions) {
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const options: IOptions = {
      hosts: opts.servers,
      dialTimeout: timeoutMs,
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
    };
    if (opts.tls) {
      options.credentials = {
        rootCertificate: opts.tls.ca,
        privateKey: opts.tls.key,
        certChain: opts.tls.cert,
      };
    }
    this.client = new Etcd3(options);
    this.keys = new KeyMapper(opts.root ?? '/registry', opts.prefix ?? '/registry');
    this.compactionOpts = opts.compaction ?? {};
  }

  /** @internal started by {@link openEtcdStore} once the cluster answered. */
  startCompaction(): void {
    if (this.compactionOpts !== false && !this.compactor)
      this.compactor = startCompactor(this, this.compactionOpts);
  }

  async currentRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: COMPACT_REV_KEY, count_only: true }));
    return this.observe(res.header);
  }

  async compactedRevision(): Promise<number> {
    const res = await this.call(() => this.client.kv.range({ key: COMPACT_REV_KEY }));
    this.observe(res.header);
    const stored = res.kvs.length > 0 ? Number(res.kvs[0].value.toString()) : 0;
    if (Number.isSafeInteger(stored)) this.compacted = Math.max(this.compacted, stored);
    return this.compacted;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const k = this.toEtcd(key);
    const res = await this.call(() => this.client.kv.range({ key: k }));
    this.observe(res.header);
    return res.kvs.length > 0 ? kvFrom(this.keys, res.kvs[0]) : undefined;
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    const { start, end } = this.keys.rangeOf(prefix);
    let from = start;
    const after = opts.startAfter;
    if (after !== undefined && rangeStart(prefix, after) !== prefix && after.startsWith(this.keys.root)) {
      const next = Buffer.concat([this.keys.toEtcd(after), Buffer.from([0])]);
      if (Buffer.compare(next, from) > 0) from = next;
    }
    const revision = opts.revision && opts.revision > 0 ? opts.revision : undefined;
    let res;
    try {
      res = await this.call(() =>
        this.client.kv.range({ key: from, range_end: end, limit: opts.limit ?? 0, revision }),
      );
    } catch (err) {
      const e = storageErrorFrom(err);
      if (e.code !== 'Compacted') throw e;
      throw compactedError(revision ?? 0, await this.compactedRevision());
    }
    this.observe(res.header);
    const kvs = res.kvs.map((kv) => kvFrom(this.keys, kv));
    const count = Number(res.count);
    return {
      kvs,
      revision: revision ?? Number(res.header.revision),
      more: res.more,
      remaining: count - kvs.length,
    };
  }

  create(key: string, value: Uint8Array): Promise<KeyValue> {
    return this.write(key, async (k) => {
      const res = await this.txn({
        compare: [{ key: k, target: 'Mod', result: 'Equal', mod_revision: 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [{ request_range: { key: k } }],
      });
      const rev = Number(res.header.revision);
      if (!res.succeeded) {
        const cur = res.responses[0].response_range.kvs[0];
        throw new StorageError('KeyExists', `key already exists: ${key}`, Number(cur?.mod_revision ?? rev));
      }
      return { key, value, createRevision: rev, modRevision: rev };
    });
  }

  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    return this.write(key, async (k) => {
      const res = await this.txn({
        compare: [
          { key: k, target: 'Version', result: 'Greater', version: 0 },
          { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
        ],
        success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      });
      if (!res.succeeded)
        throw this.preconditionFailure(key, res.responses[0].response_range.kvs, expectedModRevision);
      const prev = res.responses[0].response_put.prev_kv;
      const rev = Number(res.header.revision);
      return { key, value, createRevision: Number(prev?.create_revision ?? rev), modRevision: rev };
    });
  }

  delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }> {
    return this.write(key, async (k) => {
      const compare: ITxnRequest['compare'] = [{ key: k, target: 'Version', result: 'Greater', version: 0 }];
      if (expectedModRevision !== undefined)
        compare.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision });
      const res = await this.txn({
        compare,
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      });
      if (!res.succeeded)
        throw this.preconditionFailure(key, res.responses[0].response_range.kvs, expectedModRevision);
      const prev = res.responses[0].response_delete_range.prev_kvs[0];
      return { prev: kvFrom(this.keys, prev), revision: Number(res.header.revision) };
    });
  }

  watch(prefix: string, opts: WatchOptions): Watcher {
    this.assertOpen();
    const { start, end } = this.keys.rangeOf(prefix);
    const after = opts.afterRevision ?? this.seen;
    let done = false;
    let etcdWatcher: { cancel(): Promise<void> } | undefined;
    const live: LiveWatch = {
      cancel: () => {
        if (done) return;
        done = true;
        this.watches.delete(live);
        void etcdWatcher?.cancel().catch(() => undefined);
      },
    };
    const fail = (err: StorageError) => {
      if (done) return;
      live.cancel();
      opts.onError(err);
    };
    this.watches.add(live);
    void (async () => {
      // Our own compactions are known exactly; etcd itself still keeps revision `compacted`.
      const compacted = await this.compactedRevision();
      if (after < compacted) return fail(compactedError(after, compacted));
      if (done) return;
      const w = this.client
        .watch()
        .inRange(new Range(start, end))
        .withPreviousKV()
        .startRevision(String(after + 1))
        .watcher();
      etcdWatcher = w;
      // etcd3 resumes a broken stream from the last header revision + 1, which a progress
      // notification can set below `after`: events already delivered (or before `after`) are dropped.
      let last = after;
      w.on('data', (res) => {
        if (done) return;
        const rev = this.observe(res.header);
        if (res.events.length > 0) {
          const events = res.events
            .map((ev) => eventFrom(this.keys, ev))
            .filter((ev) => ev.kv.modRevision > last);
          if (events.length === 0) return;
          last = events[events.length - 1].kv.modRevision;
          opts.onEvents(events);
        } else if (!res.created && !res.canceled && rev > 0) {
          opts.onProgress?.(rev);
        }
      });
      w.on('error', (err) => {
        if (!err.message.includes(COMPACTED_MSG)) return fail(storageErrorFrom(err));
        // etcd3's cancel error drops compact_revision: report what is known (at least after+1).
        void this.compactedRevision().then(
          (c) => fail(compactedError(after, Math.max(c, after + 1))),
          (e) => fail(storageErrorFrom(e)),
        );
      });
    })().catch((err) => fail(storageErrorFrom(err)));
    return live;
  }

  /** etcd Compact to `revision`, then records it in `compact_rev_key` (upstream compact.go). */
  async compact(revision: number): Promise<void> {
    const current = await this.currentRevision();
    if (revision > current)
      throw new StorageError('Invalid', `cannot compact to future revision ${revision} (current ${current})`);
    if (revision <= (await this.compactedRevision())) return;
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: false }));
    } catch (err) {
      const e = storageErrorFrom(err);
      if (e.code !== 'Compacted') throw e; // already compacted further by someone else
    }
    this.compacted = Math.max(this.compacted, revision);
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await this.call(() => this.client.kv.range({ key: COMPACT_REV_KEY }));
      const cur = res.kvs[0];
      if (cur && Number(cur.value.toString()) >= revision) return;
      const t = await this.txn({
        compare: [{ key: COMPACT_REV_KEY, target: 'Version', result: 'Equal', version: cur?.version ?? 0 }],
        success: [{ request_put: { key: COMPACT_REV_KEY, value: Buffer.from(String(revision)) } }],
        failure: [],
      });
      if (t.succeeded) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.compactor?.stop();
    for (const w of [...this.watches]) w.cancel();
    await this.writes.catch(() => undefined);
    this.client.close();
  }

  private preconditionFailure(key: string, kvs: { mod_revision: string }[], expected?: number): StorageError {
    if (kvs.length === 0) return new StorageError('KeyNotFound', `key not found: ${key}`);
    const cur = Number(kvs[0].mod_revision);
    return new StorageError(
      'Conflict',
      `revision mismatch for ${key}: expected ${expected}, current ${cur}`,
      cur,
    );
  }

  /** Runs writes one after another in call order (see the module comment). */
  private write<T>(key: string, fn: (k: Buffer) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', 'store is closed'));
    let k: Buffer;
    try {
      k = this.toEtcd(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.writes.then(() => fn(k));
    this.writes = run.catch(() => undefined);
    return run;
  }

  private async txn(req: ITxnRequest) {
    const res = await this.call(() => this.client.kv.txn(req));
    this.observe(res.header);
    return res;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn();
    } catch (err) {
      throw storageErrorFrom(err);
    }
  }

  private toEtcd(key: string): Buffer {
    this.assertOpen();
    return this.keys.toEtcd(key);
  }

  private observe(header: IResponseHeader | undefined): number {
    const rev = header ? Number(header.revision) : 0;
    if (rev > this.seen) this.seen = rev;
    return rev;
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', 'store is closed');
  }
}
