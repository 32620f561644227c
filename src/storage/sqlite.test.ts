/**
 * SqliteStore: the shared Store contract (in memory and on a file) plus engine specifics: restart,
 * group commit, chunked replay, progress notifications and the compactor.
 */
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startCompactor, type CompactorTimer } from './compactor.js';
import { collector, storeContractSuite } from './contract.test-suite.js';
import { openSqliteStore } from './sqlite.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dir = mkdtempSync(join(tmpdir(), 'kubeauth-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fileDb = () => join(dir, `db-${n++}.sqlite`);

storeContractSuite('sqlite :memory:', () => openSqliteStore(':memory:', { compaction: false }));
storeContractSuite('sqlite file', () => openSqliteStore(fileDb(), { compaction: false }));

test('revisions keep increasing across restart, also after deleting the newest key', async () => {
  const path = fileDb();
  let s = await openSqliteStore(path, { compaction: false });
  await s.create('/r/a', enc('a'));
  const b = await s.create('/r/b', enc('b'));
  const d = await s.delete('/r/b', b.modRevision);
  await s.close();
  s = await openSqliteStore(path, { compaction: false });
  assert.equal(await s.currentRevision(), d.revision);
  const c = await s.create('/r/c', enc('c'));
  assert.equal(c.modRevision, d.revision + 1);
  assert.equal((await s.range('/r/')).kvs.length, 2);
  await s.compact(c.modRevision);
  await s.close();
  s = await openSqliteStore(path, { compaction: false });
  assert.equal(await s.compactedRevision(), c.modRevision);
  assert.equal((await s.create('/r/d', enc('d'))).modRevision, c.modRevision + 1);
  await s.close();
});

test('group commit: concurrent writes share one commit and one watch batch', async () => {
  const s = await openSqliteStore(':memory:', { compaction: false });
  const batches: number[] = [];
  s.watch('/r/', { onEvents: (ev) => batches.push(ev.length), onError: assert.fail });
  const kvs = await Promise.all(Array.from({ length: 500 }, (_, i) => s.create(`/r/${i}`, enc('x'))));
  assert.deepEqual(
    kvs.map((kv) => kv.modRevision),
    kvs.map((_, i) => i + 1),
  );
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(batches, [500]);
  await s.close();
});

test('maxBatch splits a large queue into several transactions, order kept', async () => {
  const s = await openSqliteStore(':memory:', { compaction: false, maxBatch: 7 });
  const kvs = await Promise.all(Array.from({ length: 50 }, (_, i) => s.create(`/r/${i}`, enc('x'))));
  assert.deepEqual(
    kvs.map((kv) => kv.modRevision),
    kvs.map((_, i) => i + 1),
  );
  await s.close();
});

test('replay longer than one chunk, with live writes during the replay', async () => {
  const s = await openSqliteStore(':memory:', { compaction: false });
  await Promise.all(
    Array.from({ length: 2500 }, (_, i) => s.create(`/r/${String(i).padStart(5, '0')}`, enc('x'))),
  );
  const c = collector();
  s.watch('/r/', { ...c, afterRevision: 0 });
  await new Promise((r) => setImmediate(r));
  await s.create('/r/live', enc('live'));
  const ev = await c.next(2501);
  assert.equal(ev.length, 2501);
  ev.forEach((e, i) => assert.equal(e.kv.modRevision, i + 1));
  await s.close();
});

test('onProgress reports commits without events for the watcher', async () => {
  const s = await openSqliteStore(':memory:', { compaction: false });
  const progress: number[] = [];
  const c = collector();
  s.watch('/r/', { ...c, onProgress: (rev) => progress.push(rev) });
  await s.create('/other/a', enc('x'));
  await s.create('/r/a', enc('x'));
  await s.create('/other/b', enc('x'));
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(progress, [1, 3]);
  assert.equal(c.events.length, 1);
  await s.close();
});

test('compactor: keeps one interval of history, and at most retainRevisions', async () => {
  const s = await openSqliteStore(':memory:', { compaction: false });
  let fire: () => void = () => undefined;
  const timer: CompactorTimer = { setInterval: (fn) => (fire = fn), clearInterval: () => undefined };
  const comp = startCompactor(s, { timer, intervalMs: 1000 });
  for (let i = 0; i < 5; i++) await s.create(`/r/${i}`, enc('x'));
  await comp.tick(); // remembers 5, compacts nothing
  assert.equal(await s.compactedRevision(), 0);
  await s.create('/r/5', enc('x'));
  fire();
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(await s.compactedRevision(), 5);
  comp.stop();
  const capped = startCompactor(s, { timer, retainRevisions: 2 });
  for (let i = 6; i < 10; i++) await s.create(`/r/${i}`, enc('x'));
  await capped.tick();
  assert.equal(await s.compactedRevision(), 8);
  capped.stop();
  await s.close();
});

test('compaction of many revisions runs in chunks and survives reopen', async () => {
  const path = fileDb();
  const s = await openSqliteStore(path, { compaction: false });
  await Promise.all(Array.from({ length: 25_000 }, (_, i) => s.create(`/r/${i}`, enc('x'))));
  await s.compact(24_000);
  const c = collector();
  s.watch('/r/', { ...c, afterRevision: 24_000 });
  assert.equal((await c.next(1000)).length, 1000);
  await s.close();
});

test('file store: a write settles and is published only after the WAL sync; commits meanwhile share the next sync', async () => {
  const s = await openSqliteStore(fileDb(), { compaction: false });
  const seen: number[] = [];
  const w = s.watch('/k/', {
    onEvents: (evs) => seen.push(...evs.map((e) => e.kv.modRevision)),
    onError: () => undefined,
  });
  const first = s.create('/k/a', Buffer.from('1'));
  await new Promise((r) => setImmediate(r)); // committed; its sync is on the thread pool
  assert.ok((s as unknown as { syncing?: unknown[] }).syncing, 'a sync is running');
  const second = s.create('/k/b', Buffer.from('2'));
  const [a, b] = await Promise.all([first, second]);
  assert.ok(b.modRevision > a.modRevision);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [a.modRevision, b.modRevision], 'published in order, once each');
  w.cancel();
  await s.close();
});

test('file store: a failed WAL sync fails its writes and the store (as etcd stops on a failed WAL sync)', async () => {
  const s = await openSqliteStore(fileDb(), { compaction: false });
  await s.create('/k/a', Buffer.from('1')); // opens the WAL descriptor
  const internals = s as unknown as { walFd: number };
  closeSync(internals.walFd); // the next fdatasync gets EBADF
  internals.walFd = 2 ** 30; // never a descriptor of this process
  await assert.rejects(s.create('/k/b', Buffer.from('2')), /storage failed: cannot sync the write-ahead log/);
  await assert.rejects(s.create('/k/c', Buffer.from('3')), /storage failed/);
  await assert.rejects(s.get('/k/a'), /storage failed/);
  internals.walFd = openSync('/dev/null', 'r'); // so that close() has something to close
  await s.close();
});
