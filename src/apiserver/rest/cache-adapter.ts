/**
 * Adapts storage/watch-cache.ts (generic, KeyValue-level) to the ObjectCache the REST layer
 * uses: decoded CachedObjects, 410 Expired ApiErrors for watches that start too far back.
 */
import { ApiError, resourceExpired } from '../../api/errors.js';
import { StorageError, type Store } from '../../storage/interfaces.js';
import { WatchCache } from '../../storage/watch-cache.js';
import { decodeStored, type CacheEvent, type CachedObject, type ObjectCache } from './object-store.js';

/** How long a write waits for its own event to reach the cache before giving up (upstream: 3s). */
const WAIT_MS = 3000;

function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof StorageError && e.code === 'Compacted') return resourceExpired(e.message);
  if (e instanceof StorageError && e.code === 'Unavailable') return new ApiError(504, 'Timeout', e.message);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`);
}

export async function newObjectCache(
  store: Store,
  prefix: string,
  capacity = 4096,
): Promise<ObjectCache & { stop(): void }> {
  const cache = new WatchCache<CachedObject>({ store, prefix, decode: decodeStored, capacity });
  await cache.start();
  return {
    revision: () => cache.revision,
    get: (key) => cache.get(key),
    list: (p) => cache.list(p).items,
    watch(p, afterRevision, onEvents, onError) {
      try {
        const w = cache.watch(p, {
          afterRevision,
          onEvents: (evs) =>
            onEvents(
              evs.map((e): CacheEvent => ({
                type: e.type,
                object: e.object,
                prev: e.prevObject,
                revision: e.revision,
              })),
            ),
          onError: (e) => onError(toApiError(e)),
        });
        return w;
      } catch (e) {
        // Too old: report through onError asynchronously, as a stream error event.
        queueMicrotask(() => onError(toApiError(e)));
        return { cancel: () => undefined };
      }
    },
    waitForRevision: (rev) => cache.waitForRevision(rev, WAIT_MS).catch((e) => Promise.reject(toApiError(e))),
    stop: () => cache.stop(),
  };
}
