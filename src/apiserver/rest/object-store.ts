/**
 * ObjectStore: one resource's objects on top of the byte-level Store and its watch cache, like
 * upstream's genericregistry.Store + storage/etcd3. It owns keys, the JSON encoding (stored
 * without resourceVersion; the revision is the resourceVersion), read-your-writes (a write returns
 * only after the cache has applied it) and optimistic concurrency (guaranteedUpdate retries on
 * revision conflicts). Kind-specific rules live in the handlers and registry descriptors.
 */
import {
  alreadyExists,
  conflict,
  notFound,
  tooOldResourceVersion,
  internalError,
  ApiError,
} from '../../api/errors.js';
import type { GroupResource, KubeObject } from '../../api/types.js';
import type { ResourceDescriptor } from '../../registry/types.js';
import { StorageError, type KeyValue, type Store } from '../../storage/interfaces.js';
import { isRewriteAware } from '../../storage/transformer.js';
import { goJson } from '../json-encode.js';

/** A stored object as served: parsed form (treat as immutable) plus its JSON bytes. */
export interface CachedObject {
  key: string;
  obj: KubeObject;
  bytes: Buffer;
  /** `bytes` followed by json.Encoder's newline, sharing its memory (the GET response body). */
  framed?: Buffer;
  rv: number;
}

/** A cached object's JSON bytes and their newline-terminated frame, one allocation for both. */
export function encodeCached(obj: KubeObject): { bytes: Buffer; framed: Buffer } {
  const framed = Buffer.from(goJson(obj) + '\n');
  return { bytes: framed.subarray(0, framed.length - 1), framed };
}

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: CacheEventType;
  object: CachedObject;
  prev?: CachedObject;
  revision: number;
}

/** What the REST layer needs of a watch cache (adapted from storage/watch-cache.ts). */
export interface ObjectCache {
  revision(): number;
  get(key: string): CachedObject | undefined;
  /** All objects under prefix, ascending by key. */
  list(prefix: string): CachedObject[];
  watch(
    prefix: string,
    afterRevision: number,
    onEvents: (evs: CacheEvent[]) => void,
    onError: (e: ApiError) => void,
  ): { cancel(): void };
  waitForRevision(rev: number): Promise<void>;
}

/** Decodes a stored value into the served form, setting metadata.resourceVersion. */
export function decodeStored(kv: KeyValue): CachedObject {
  const obj = JSON.parse(Buffer.from(kv.value).toString('utf8')) as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return { key: kv.key, obj, ...encodeCached(obj), rv: kv.modRevision };
}

export function encodeForStorage(obj: KubeObject): Uint8Array {
  const copy: KubeObject = { ...obj, metadata: { ...(obj.metadata ?? {}) } };
  delete copy.metadata!.resourceVersion;
  delete copy.metadata!.selfLink;
  return Buffer.from(JSON.stringify(copy));
}

export function storagePrefix(d: ResourceDescriptor): string {
  return `/registry/${d.group ? d.group + '/' : ''}${d.resource}/`;
}

/** Options of every ObjectStore write. `dryRun`: run every check, write nothing (dry-run.ts). */
export interface WriteOptions {
  dryRun?: boolean;
}

/** Something that must have observed a revision before a write to this resource is acknowledged. */
export type WriteBarrier = (revision: number) => Promise<void> | void;

export class ObjectStore {
  readonly prefix: string;
  readonly gr: GroupResource;
  /**
   * Consumers of this resource's changes that must be current before a write is acknowledged
   * (the RBAC authorizer: a rule change applies to the very next request).
   */
  readonly barriers: WriteBarrier[] = [];

  constructor(
    readonly desc: ResourceDescriptor,
    readonly store: Store,
    readonly cache: ObjectCache,
  ) {
    this.prefix = storagePrefix(desc);
    this.gr = { group: desc.group, resource: desc.resource };
  }

  key(namespace: string, name: string): string {
    return this.desc.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  /** Prefix for a list: one namespace, or every object of the resource. */
  listPrefix(namespace: string): string {
    return this.desc.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
  }

  get(namespace: string, name: string): CachedObject | undefined {
    return this.cache.get(this.key(namespace, name));
  }

  mustGet(namespace: string, name: string): CachedObject {
    const o = this.get(namespace, name);
    if (!o) throw notFound(this.gr, name);
    return o;
  }

  private async settle(kv: KeyValue): Promise<CachedObject> {
    await this.awaitObservers(kv.modRevision);
    return this.cache.get(kv.key) ?? decodeStored(kv);
  }

  private async awaitObservers(revision: number): Promise<void> {
    await this.cache.waitForRevision(revision);
    for (const b of this.barriers) await b(revision);
  }

  private mapError(e: unknown, name: string): never {
    if (e instanceof StorageError) {
      if (e.code === 'KeyExists') throw alreadyExists(this.gr, name);
      if (e.code === 'KeyNotFound') throw notFound(this.gr, name);
      if (e.code === 'Conflict') throw conflict(this.gr, name);
      if (e.code === 'Compacted') throw tooOldResourceVersion(0, e.revision ?? 0);
    }
    if (e instanceof ApiError) throw e;
    throw internalError(e);
  }

  /**
   * Creates obj. A dry run checks only that the name is free and returns the object as it would
   * be stored (without a resourceVersion), as upstream's DryRunnableStorage.Create.
   */
  async create(obj: KubeObject, opts: WriteOptions = {}): Promise<CachedObject> {
    const md = obj.metadata!;
    if (opts.dryRun) {
      const key = this.key(md.namespace ?? '', md.name!);
      if (this.cache.get(key)) throw alreadyExists(this.gr, md.name!);
      return { key, obj, bytes: Buffer.from(JSON.stringify(obj)), rv: 0 };
    }
    try {
      const kv = await this.store.create(this.key(md.namespace ?? '', md.name!), encodeForStorage(obj));
      return await this.settle(kv);
    } catch (e) {
      this.mapError(e, md.name!);
    }
  }

  /** Writes obj over the current object if the stored revision still equals expectedRv. */
  async update(obj: KubeObject, expectedRv: number): Promise<CachedObject> {
    const md = obj.metadata!;
    try {
      const kv = await this.store.update(
        this.key(md.namespace ?? '', md.name!),
        encodeForStorage(obj),
        expectedRv,
      );
      return await this.settle(kv);
    } catch (e) {
      this.mapError(e, md.name!);
    }
  }

  /**
   * GuaranteedUpdate: reads the current object, lets `mutate` compute the new one (or return
   * undefined for "no change"), writes with CAS, and retries on a conflict with a fresh read.
   */
  async guaranteedUpdate(
    namespace: string,
    name: string,
    mutate: (current: CachedObject) => Promise<KubeObject | undefined> | KubeObject | undefined,
    opts: WriteOptions = {},
  ): Promise<CachedObject> {
    for (let attempt = 0; ; attempt++) {
      const cur = this.mustGet(namespace, name);
      let next = await mutate(cur);
      if (next === undefined) {
        // etcd3 GuaranteedUpdate skips a no-op write unless the stored value is stale (read with
        // an older encryption key): then it is rewritten under the current first provider.
        if (opts.dryRun || !isRewriteAware(this.store)) return cur;
        if (!(await this.store.needsRewrite(cur.key, cur.rv))) return cur;
        next = cur.obj;
      }
      if (opts.dryRun) return { key: cur.key, obj: next, ...encodeCached(next), rv: cur.rv };
      if (this.deleteDuringUpdate(cur.obj, next)) {
        // The last finalizer of an object being deleted is gone: the update deletes it.
        try {
          const r = await this.store.delete(cur.key, cur.rv);
          await this.awaitObservers(r.revision);
          return { key: cur.key, obj: next, ...encodeCached(next), rv: r.revision };
        } catch (e) {
          if (e instanceof StorageError && e.code === 'Conflict' && attempt < 16) {
            await this.cache.waitForRevision(e.revision ?? (await this.store.currentRevision()));
            continue;
          }
          this.mapError(e, name);
        }
      }
      try {
        const kv = await this.store.update(cur.key, encodeForStorage(next), cur.rv);
        return await this.settle(kv);
      } catch (e) {
        if (e instanceof StorageError && e.code === 'Conflict' && attempt < 16) {
          await this.cache.waitForRevision(e.revision ?? (await this.store.currentRevision()));
          continue;
        }
        this.mapError(e, name);
      }
    }
  }

  /**
   * shouldDeleteDuringUpdate (genericregistry/store.go): an update that leaves no finalizers on
   * an object already being deleted (with no grace period) removes it. Namespaces wait for their
   * spec.finalizers too (ShouldDeleteNamespaceDuringUpdate).
   */
  private deleteDuringUpdate(old: KubeObject, next: KubeObject): boolean {
    const om = old.metadata;
    if (!om?.deletionTimestamp || (next.metadata?.finalizers?.length ?? 0) > 0) return false;
    if ((om.deletionGracePeriodSeconds ?? 0) !== 0) return false;
    if (this.desc.group === '' && this.desc.resource === 'namespaces') {
      const fin = (next.spec as { finalizers?: unknown[] } | undefined)?.finalizers;
      if (Array.isArray(fin) && fin.length > 0) return false;
    }
    return true;
  }

  /**
   * Deletes if the stored revision still equals expectedRv (or unconditionally). A dry run only
   * checks that the object exists and the precondition holds, and returns the current object.
   */
  async delete(
    namespace: string,
    name: string,
    expectedRv?: number,
    opts: WriteOptions = {},
  ): Promise<CachedObject> {
    if (opts.dryRun) {
      const cur = this.mustGet(namespace, name);
      if (expectedRv !== undefined && cur.rv !== expectedRv) throw conflict(this.gr, name);
      return cur;
    }
    try {
      const r = await this.store.delete(this.key(namespace, name), expectedRv);
      await this.awaitObservers(r.revision);
      const gone = decodeStored(r.prev);
      return gone;
    } catch (e) {
      this.mapError(e, name);
    }
  }
}
