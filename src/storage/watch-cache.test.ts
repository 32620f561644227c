/**
 * WatchCache over a real in-memory SqliteStore: initial list, live updates, decode-once, paging,
 * ring-buffer resumption and "too old", initial events, progress and waitForRevision, restart.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyValue, WatchOptions } from './interfaces.js';
import { StorageError } from './interfaces.js';
import { openSqliteStore, type SqliteStore } from './sqlite.js';
import { WatchCache, type CacheEvent } from './watch-cache.js';

interface Obj {
  name: string;
  rv: number;
  text: string;
}

const enc = (s: string) => new TextEncoder().encode(s);

async function setup(capacity?: number) {
  const store = await openSqliteStore(':memory:', { compaction: false });
  let decodes = 0;
  const decode = (kv: KeyValue): Obj => {
    decodes++;
    return { name: kv.key.split('/').pop()!, rv: kv.modRevision, text: new TextDecoder().decode(kv.value) };
  };
  const cache = new WatchCache<Obj>({ store, prefix: '/registry/pods/', decode, capacity });
  return { store, cache, decodes: () => decodes };
}

function events(cache: WatchCache<Obj>, prefix: string, afterRevision?: number, initialEvents = false) {
  const got: CacheEvent<Obj>[] = [];
  const w = cache.watch(prefix, { afterRevision, initialEvents, onEvents: (ev) => got.push(...ev) });
  return { got, w };
}

const tick = () => new Promise((r) => setTimeout(r, 10));

async function fill(store: SqliteStore, ns: string, n: number) {
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      store.create(`/registry/pods/${ns}/p${String(i).padStart(5, '0')}`, enc('x')),
    ),
  );
}

test('start lists the prefix; get/list serve from memory; decode runs once per event', async () => {
  const { store, cache, decodes } = await setup();
  await fill(store, 'a', 3);
  await store.create('/registry/services/a/s', enc('other prefix'));
  await cache.start();
  assert.equal(cache.size, 3);
  assert.equal(cache.revision, await store.currentRevision());
  assert.equal(cache.get('/registry/pods/a/p00001')?.name, 'p00001');
  const before = decodes();
  cache.list('/registry/pods/');
  cache.get('/registry/pods/a/p00000');
  assert.equal(decodes(), before, 'reads never decode');
  const kv = await store.create('/registry/pods/b/x', enc('y'));
  await cache.waitForRevision(kv.modRevision, 1000);
  assert.equal(decodes(), before + 1);
  assert.equal(cache.get('/registry/pods/b/x')?.rv, kv.modRevision);
  cache.stop();
  await store.close();
});

test('list pages in key order within a namespace prefix, with continue and remaining', async () => {
  const { store, cache } = await setup();
  await fill(store, 'a', 5);
  await fill(store, 'b', 3);
  await cache.start();
  const p1 = cache.list('/registry/pods/a/', { limit: 2 });
  assert.deepEqual(
    p1.items.map((o) => o.name),
    ['p00000', 'p00001'],
  );
  assert.equal(p1.remaining, 3);
  assert.equal(p1.continueKey, '/registry/pods/a/p00001');
  const p2 = cache.list('/registry/pods/a/', { limit: 10, continueKey: p1.continueKey });
  assert.deepEqual(
    p2.items.map((o) => o.name),
    ['p00002', 'p00003', 'p00004'],
  );
  assert.equal(p2.continueKey, undefined);
  assert.equal(p2.remaining, 0);
  assert.equal(cache.list('/registry/pods/').items.length, 8);
  // Inserts and deletes keep the order (patched in place for small batches, re-sorted for big ones).
  await store.create('/registry/pods/a/p00002a', enc('x'));
  await store.delete('/registry/pods/a/p00000');
  await fill(store, 'c', 100);
  await cache.waitForRevision(await store.currentRevision(), 1000);
  const all = cache.list('/registry/pods/').items.map((o) => o.name);
  assert.equal(all.length, 108);
  assert.deepEqual(
    cache
      .list('/registry/pods/a/')
      .items.map((o) => o.name)
      .slice(0, 3),
    ['p00001', 'p00002', 'p00002a'],
  );
  cache.stop();
  await store.close();
});

test('watch: live ADDED/MODIFIED/DELETED with prevObject, prefix filtered, in order', async () => {
  const { store, cache } = await setup();
  await cache.start();
  const { got, w } = events(cache, '/registry/pods/a/');
  const a = await store.create('/registry/pods/a/x', enc('1'));
  await store.create('/registry/pods/b/x', enc('other ns'));
  const a2 = await store.update('/registry/pods/a/x', enc('2'), a.modRevision);
  const d = await store.delete('/registry/pods/a/x');
  await cache.waitForRevision(d.revision, 1000);
  await tick();
  assert.deepEqual(
    got.map((e) => [e.type, e.revision, e.object.text, e.prevObject?.text]),
    [
      ['ADDED', a.modRevision, '1', undefined],
      ['MODIFIED', a2.modRevision, '2', '1'],
      ['DELETED', d.revision, '2', '2'],
    ],
  );
  assert.equal(got[2].object.rv, d.revision, 'a deleted object carries the delete revision');
  assert.equal(w.revision, d.revision);
  w.cancel();
  cache.stop();
  await store.close();
});

test('watch resumes from the ring buffer; older than the ring is "too old"', async () => {
  const { store, cache } = await setup(4);
  await cache.start();
  const start = cache.revision;
  const kvs: KeyValue[] = [];
  for (let i = 0; i < 6; i++) kvs.push(await store.create(`/registry/pods/a/${i}`, enc(String(i))));
  await cache.waitForRevision(kvs[5].modRevision, 1000);
  assert.equal(cache.oldestRevision, kvs[1].modRevision);
  assert.throws(
    () => cache.watch('/registry/pods/', { afterRevision: start, onEvents: () => undefined }),
    (err: unknown) =>
      err instanceof StorageError &&
      err.code === 'Compacted' &&
      err.message === `too old resource version: ${start} (${kvs[1].modRevision})`,
  );
  const { got } = events(cache, '/registry/pods/', kvs[2].modRevision);
  await store.create('/registry/pods/a/live', enc('live'));
  await tick();
  assert.deepEqual(
    got.map((e) => e.object.text),
    ['3', '4', '5', 'live'],
  );
  cache.stop();
  await store.close();
});

test('initialEvents: synthetic ADDED for current objects, then live', async () => {
  const { store, cache } = await setup();
  await fill(store, 'a', 3);
  await cache.start();
  const { got, w } = events(cache, '/registry/pods/a/', undefined, true);
  await store.create('/registry/pods/a/z', enc('x'));
  await tick();
  assert.deepEqual(
    got.map((e) => `${e.type} ${e.object.name}`),
    ['ADDED p00000', 'ADDED p00001', 'ADDED p00002', 'ADDED z'],
  );
  assert.equal(w.revision, await store.currentRevision());
  cache.stop();
  await store.close();
});

test('waitForRevision: progress from other prefixes; times out on a future revision', async () => {
  const { store, cache } = await setup();
  await cache.start();
  const other = await store.create('/registry/secrets/a/s', enc('x'));
  await cache.waitForRevision(other.modRevision, 1000);
  assert.equal(cache.revision, other.modRevision);
  const { w } = events(cache, '/registry/pods/');
  await store.create('/registry/secrets/a/t', enc('x'));
  await tick();
  assert.equal(w.revision, other.modRevision + 1, 'bookmark revision follows progress');
  await assert.rejects(cache.waitForRevision(other.modRevision + 10, 30), /Too large resource version/);
  cache.stop();
  await store.close();
});

test('a failed store watch ends cache watchers and the cache re-lists', async () => {
  const store = await openSqliteStore(':memory:', { compaction: false });
  let storeWatch: WatchOptions | undefined;
  const spy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'watch') return Reflect.get(target, prop, receiver);
      return (prefix: string, opts: WatchOptions) => {
        storeWatch = opts;
        return target.watch(prefix, opts);
      };
    },
  });
  const decode = (kv: KeyValue) => new TextDecoder().decode(kv.value);
  const cacheErrors: StorageError[] = [];
  const cache = new WatchCache<string>({
    store: spy,
    prefix: '/registry/pods/',
    decode,
    restartDelayMs: 5,
    onError: (e) => cacheErrors.push(e),
  });
  await cache.start();
  const errors: StorageError[] = [];
  cache.watch('/registry/pods/', { onEvents: () => undefined, onError: (e) => errors.push(e) });
  const first = storeWatch!;
  first.onError(new StorageError('Compacted', 'compacted', 1));
  assert.equal(cache.isReady, false);
  assert.equal(errors[0]?.code, 'Compacted');
  assert.equal(cacheErrors.length, 1);
  await store.create('/registry/pods/a/after', enc('x'));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(cache.isReady, true);
  assert.notEqual(storeWatch, first, 'a new store watch');
  assert.equal(cache.get('/registry/pods/a/after'), 'x');
  cache.stop();
  await store.close();
});
