/**
 * Helpers of the etcd engine (etcd.ts): the key mapping between {@link Store} keys and etcd keys,
 * byte-level range ends, conversion of etcd key-values and watch events, and the mapping of etcd
 * errors to {@link StorageError}.
 *
 * @module
 */
import type { IEvent, IKeyValue } from 'etcd3';
import { StorageError, type KeyValue, type WatchEvent } from './interfaces.js';

/**
 * Store keys → etcd keys. Upstream kube-apiserver stores `<--etcd-prefix>/<resource>/<ns>/<name>`
 * with the prefix defaulting to `/registry`; kubeauth's Store keys already start with the root
 * `/registry`, so `root` is replaced by `prefix` (identical keys when prefix is `/registry`).
 */
export class KeyMapper {
  constructor(
    readonly root: string,
    readonly prefix: string,
  ) {}

  /** @throws StorageError Invalid for a key outside the root. */
  toEtcd(key: string): Buffer {
    if (!key.startsWith(this.root)) throw new StorageError('Invalid', `key outside ${this.root}: ${key}`);
    return Buffer.from(this.prefix + key.slice(this.root.length), 'utf8');
  }

  /** The etcd range for a Store key prefix (which may be shorter than the root, e.g. ''). */
  rangeOf(storePrefix: string): { start: Buffer; end: Buffer } {
    let start: Buffer;
    if (storePrefix.startsWith(this.root)) start = this.toEtcd(storePrefix);
    else if (this.root.startsWith(storePrefix)) start = Buffer.from(this.prefix, 'utf8');
    else start = Buffer.from(this.prefix + '\u0000nothing', 'utf8'); // matches nothing we own
    return { start, end: prefixEndBytes(start) };
  }

  fromEtcd(key: Buffer): string {
    const s = key.toString('utf8');
    return this.root + s.slice(this.prefix.length);
  }
}

/** etcd's range end for a prefix: the prefix with its last byte below 0xff incremented. */
export function prefixEndBytes(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i]++;
      return end;
    }
  }
  return Buffer.from([0]); // etcd: range_end "\0" = every key >= key
}

export function kvFrom(keys: KeyMapper, kv: IKeyValue): KeyValue {
  return {
    key: keys.fromEtcd(kv.key),
    value: kv.value,
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

/** An etcd watch event as a Store {@link WatchEvent} (DELETE carries the deleted value). */
export function eventFrom(keys: KeyMapper, ev: IEvent): WatchEvent {
  const prevKv = ev.prev_kv ? kvFrom(keys, ev.prev_kv) : undefined;
  if (ev.type === 'Delete') {
    const kv: KeyValue = {
      key: keys.fromEtcd(ev.kv.key),
      value: prevKv?.value ?? Buffer.alloc(0),
      createRevision: prevKv?.createRevision ?? 0,
      modRevision: Number(ev.kv.mod_revision),
    };
    return { type: 'DELETE', kv, prevKv, created: false };
  }
  const kv = kvFrom(keys, ev.kv);
  return { type: 'PUT', kv, prevKv, created: kv.createRevision === kv.modRevision };
}

export const COMPACTED_MSG = 'required revision has been compacted';

/** Upstream's text for a watch/list from a compacted revision (410 Gone, "too old resource version"). */
export function compactedError(revision: number, compacted: number): StorageError {
  return new StorageError(
    'Compacted',
    `too old resource version: ${revision} (${compacted}): ${COMPACTED_MSG}`,
    compacted,
  );
}

/** Maps an etcd3/gRPC failure to a StorageError (Compacted needs its revision: see callers). */
export function storageErrorFrom(err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (msg.includes('future revision')) return new StorageError('Invalid', `etcd: ${msg}`);
  if (msg.includes(COMPACTED_MSG)) return new StorageError('Compacted', `etcd: ${msg}`);
  return new StorageError('Unavailable', `etcd: ${msg}`);
}
