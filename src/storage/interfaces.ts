/**
 * The storage contract, shaped after etcd v3 so that the SQLite engine (embedded default) and the
 * etcd engine are interchangeable without touching callers.
 *
 * - Keys are strings such as `/registry/pods/default/nginx` or `/registry/namespaces/foo`.
 * - Values are opaque bytes (the object's JSON, without metadata.resourceVersion: the revision is
 *   the resourceVersion and is set by the layer above when it decodes).
 * - Every successful write gets a new cluster-wide revision, strictly increasing, never reused.
 * - A write resolves only after it is durable (it survives kill -9 of the process).
 * - Errors are StorageError with a code; the registry layer maps them to ApiError (404/409/410).
 */

export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created the key (etcd create_revision). */
  createRevision: number;
  /** Revision of the last write to the key (etcd mod_revision) = the object's resourceVersion. */
  modRevision: number;
}

export interface RangeOptions {
  /** At most this many keys; 0 or undefined: all. */
  limit?: number;
  /** Only keys strictly greater than this (for continue tokens). */
  startAfter?: string;
  /** Read as of this revision (a consistent snapshot for paginated lists); default: current. */
  revision?: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** The revision the read was served at. */
  revision: number;
  /** True when more keys under the prefix follow the last one returned. */
  more: boolean;
  /** How many keys remain after the returned ones (when cheap to know). */
  remaining?: number;
}

export type WatchEventType = 'PUT' | 'DELETE';

export interface WatchEvent {
  type: WatchEventType;
  /** For PUT: the new value; for DELETE: the value before deletion with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The previous value (PUT of an existing key, DELETE). */
  prevKv?: KeyValue;
  /** True when this PUT created the key. */
  created: boolean;
}

export interface Watcher {
  /** Stop delivering events and free resources. Idempotent. */
  cancel(): void;
}

export interface WatchOptions {
  /** Deliver events with revision > afterRevision. Omitted: only future events. */
  afterRevision?: number;
  onEvents: (events: WatchEvent[]) => void;
  /** Called once if the watch fails (e.g. compacted); no more events follow. */
  onError: (err: StorageError) => void;
  /**
   * Optional progress notification (etcd's progress notify): every event of this watch with a
   * revision <= `revision` has been delivered. Lets a cache of one prefix learn that it is current
   * even when the latest writes were under other prefixes (consistent reads, bookmarks).
   */
  onProgress?: (revision: number) => void;
}

export type StorageErrorCode =
  'KeyExists' | 'KeyNotFound' | 'Conflict' | 'Compacted' | 'Unavailable' | 'Invalid';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** For Compacted: the oldest revision still available. For Conflict: the current modRevision. */
    readonly revision?: number,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface Store {
  /** Current revision of the whole store. */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys that start with prefix, ascending by key. */
  range(prefix: string, opts?: RangeOptions): Promise<RangeResult>;
  /** Create; StorageError KeyExists if present. Resolves with the new KeyValue. */
  create(key: string, value: Uint8Array): Promise<KeyValue>;
  /**
   * Compare-and-swap: write only if the key's modRevision equals expectedModRevision.
   * KeyNotFound if absent; Conflict if the revision differs.
   */
  update(key: string, value: Uint8Array, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Delete; with expectedModRevision, only if it matches (Conflict otherwise). KeyNotFound if absent.
   * Resolves with the deleted value and the delete's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<{ prev: KeyValue; revision: number }>;
  /** Watch a prefix. Throws/reports Compacted if afterRevision is older than the history kept. */
  watch(prefix: string, opts: WatchOptions): Watcher;
  /** Drop history at or below revision (watches from older revisions then fail with Compacted). */
  compact(revision: number): Promise<void>;
  /** Oldest revision from which a watch can still resume. */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}
