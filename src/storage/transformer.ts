/**
 * TransformingStore: a {@link Store} decorator that encrypts values at rest (issue #10), so the
 * SQLite and etcd engines both get it. It is upstream's value.Transformer seam in storage/etcd3
 * (store.go transformer.TransformToStorage / TransformFromStorage with the etcd key as the
 * authenticated data): values of the resources the EncryptionConfiguration names are transformed
 * on every write, and decrypted on every read — get, range, the value a delete returns, and watch
 * events (kv and prevKv). Other keys pass through untouched.
 *
 * The configuration is read through `current()` at every call, so an automatic reload swaps the
 * providers for the very next write. {@link needsRewrite} tells the registry that a value was read
 * with another than the first provider (upstream's `stale`), so a no-op update rewrites it: that is
 * how `kubectl get secrets -A -o json | kubectl replace -f -` moves data to a new first key.
 *
 * @module
 */
import type { EncryptionConfig, GroupResource } from './encryption-config.js';
import {
  StorageError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type WatchEvent,
  type Watcher,
  type WatchOptions,
} from './interfaces.js';
import type { PrefixTransformers } from './value-transformers.js';

/** Something that can say whether a stored value should be rewritten (see ObjectStore). */
export interface RewriteAware {
  needsRewrite(key: string, modRevision: number): Promise<boolean>;
}

export function isRewriteAware(s: Store): s is Store & RewriteAware {
  return typeof (s as Partial<RewriteAware>).needsRewrite === 'function';
}

export class TransformingStore implements Store, RewriteAware {
  constructor(
    private readonly inner: Store,
    /** The resource a storage key belongs to (undefined: not a resource key). */
    private readonly resourceOf: (key: string) => GroupResource | undefined,
    private readonly current: () => EncryptionConfig,
    /**
     * The authenticated data of a key: the key as the engine stores it. For etcd under
     * `--etcd-prefix` that is the prefixed key, upstream's AAD, so values stay readable by a
     * kube-apiserver sharing the etcd. Default: the Store key.
     */
    private readonly aad: (key: string) => string = (k) => k,
  ) {}

  private transformers(key: string): PrefixTransformers | undefined {
    const gr = this.resourceOf(key);
    return gr ? this.current().forResource(gr) : undefined;
  }

  private decodeWith(kv: KeyValue): { kv: KeyValue; stale: boolean } {
    const t = this.transformers(kv.key);
    if (!t) return { kv, stale: false };
    try {
      const bytes = Buffer.from(kv.value.buffer, kv.value.byteOffset, kv.value.byteLength);
      const d = t.fromStorage(bytes, this.aad(kv.key));
      return { kv: { ...kv, value: d.data }, stale: d.stale };
    } catch (e) {
      // upstream: "unable to transform key %q: %v"; never the value itself.
      throw new StorageError('Invalid', `unable to transform key "${kv.key}": ${(e as Error).message}`);
    }
  }

  private decode(kv: KeyValue): KeyValue {
    return this.decodeWith(kv).kv;
  }

  private encode(key: string, value: Uint8Array): Uint8Array {
    const t = this.transformers(key);
    return t ? t.toStorage(Buffer.from(value), this.aad(key)) : value;
  }

  currentRevision(): Promise<number> {
    return this.inner.currentRevision();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const kv = await this.inner.get(key);
    return kv && this.decode(kv);
  }

  async range(prefix: string, opts?: RangeOptions): Promise<RangeResult> {
    const r = await this.inner.range(prefix, opts);
    return { ...r, kvs: r.kvs.map((kv) => this.decode(kv)) };
  }

  async create(key: string, value: Uint8Array): Promise<KeyValue> {
    const kv = await this.inner.create(key, this.encode(key, value));
    return { ...kv, value };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue> {
    const kv = await this.inner.update(key, this.encode(key, value), expectedModRevision);
    return { ...kv, value };
  }

  async delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }> {
    const r = await this.inner.delete(key, expectedModRevision);
    let prev: KeyValue;
    try {
      prev = this.decode(r.prev);
    } catch {
      // The key is gone either way; the caller gets the stored bytes' metadata only.
      prev = { ...r.prev, value: Buffer.from('{}') };
    }
    return { prev, revision: r.revision };
  }

  watch(prefix: string, opts: WatchOptions): Watcher {
    let failed = false;
    let w: Watcher | undefined = undefined;
    w = this.inner.watch(prefix, {
      ...opts,
      onEvents: (events) => {
        if (failed) return;
        let out: WatchEvent[];
        try {
          out = events.map((ev) => ({
            ...ev,
            kv: this.decode(ev.kv),
            ...(ev.prevKv ? { prevKv: this.decode(ev.prevKv) } : {}),
          }));
        } catch (e) {
          failed = true;
          w?.cancel();
          opts.onError(e as StorageError);
          return;
        }
        opts.onEvents(out);
      },
    });
    return w;
  }

  /** True when the stored value at modRevision was read with another than the first provider. */
  async needsRewrite(key: string, modRevision: number): Promise<boolean> {
    if (!this.transformers(key)) return false;
    const kv = await this.inner.get(key);
    if (!kv || kv.modRevision !== modRevision) return false;
    return this.decodeWith(kv).stale;
  }

  compact(revision: number): Promise<void> {
    return this.inner.compact(revision);
  }

  compactedRevision(): Promise<number> {
    return this.inner.compactedRevision();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
