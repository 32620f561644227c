/**
 * EtcdStore against a real etcd 3.4 (one per test file): the shared Store contract, each store
 * under its own key prefix, plus the etcd specifics (key layout, progress notify, errors).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { collector, storeContractSuite } from './contract.test-suite.js';
import { startReadyEtcd, type EtcdServer } from './etcd-server.test-util.js';
import { openEtcdStore, type EtcdStoreOptions } from './etcd.js';
import { StorageError } from './interfaces.js';

const enc = (s: string) => new TextEncoder().encode(s);
let etcd: EtcdServer;
let n = 0;

before(async () => {
  etcd = await startReadyEtcd();
});
after(() => etcd?.stop());

const open = (o: Partial<EtcdStoreOptions> = {}) =>
  openEtcdStore({ servers: [etcd.url], root: '', prefix: `/t/${n++}/`, compaction: false, ...o });

storeContractSuite('etcd', () => open());

test('upstream key layout: /registry/<resource>/<ns>/<name> under --etcd-prefix', async () => {
  const s = await open({ root: '/registry', prefix: '/custom-prefix' });
  const raw = new Etcd3({ hosts: [etcd.url] });
  try {
    await s.create('/registry/pods/default/nginx', enc('{}'));
    const got = await raw.get('/custom-prefix/pods/default/nginx').string();
    assert.equal(got, '{}');
    const list = await s.range('/registry/pods/');
    assert.deepEqual(
      list.kvs.map((kv) => kv.key),
      ['/registry/pods/default/nginx'],
    );
    await assert.rejects(s.create('/elsewhere/x', enc('x')), (e: unknown) => {
      assert.ok(e instanceof StorageError);
      assert.equal(e.code, 'Invalid');
      return true;
    });
  } finally {
    raw.close();
    await s.close();
  }
});

test('default prefix /registry: Store keys are the etcd keys', async () => {
  const s = await openEtcdStore({ servers: [etcd.url], compaction: false });
  const raw = new Etcd3({ hosts: [etcd.url] });
  try {
    const kv = await s.create('/registry/namespaces/etcd-test', enc('ns'));
    const res = await raw.get('/registry/namespaces/etcd-test').exec();
    assert.equal(Number(res.kvs[0].mod_revision), kv.modRevision);
    await s.delete('/registry/namespaces/etcd-test');
  } finally {
    raw.close();
    await s.close();
  }
});

test('progress notifications reach onProgress with the current revision (bookmarks)', async () => {
  const s = await open();
  try {
    const progress: number[] = [];
    const c = collector();
    const w = s.watch('/quiet/', { ...c, onProgress: (rev) => progress.push(rev) });
    await s.create('/other/x', enc('x')); // a write under another prefix
    const rev = await s.currentRevision();
    const deadline = Date.now() + 5000;
    while (!progress.some((r) => r >= rev) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    w.cancel();
    assert.ok(
      progress.some((r) => r >= rev),
      `progress ${progress.join(',')} reached ${rev}`,
    );
    assert.equal(c.events.length, 0);
  } finally {
    await s.close();
  }
});

test('an unreachable cluster fails with Unavailable, not a hang', async () => {
  await assert.rejects(
    openEtcdStore({ servers: ['http://127.0.0.1:1'], compaction: false, timeoutMs: 1000 }),
    (e: unknown) => {
      assert.ok(e instanceof StorageError);
      assert.equal(e.code, 'Unavailable');
      return true;
    },
  );
});

test('a watch resumes after an etcd restart without gaps or duplicates', async () => {
  const s = await open();
  try {
    const c = collector();
    s.watch('/r/', c);
    await s.create('/r/1', enc('1'));
    await c.next(1);
    await etcd.restart();
    // Writes fail with Unavailable until the member is leader again; then the watch catches up.
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await s.create('/r/2', enc('2'));
        break;
      } catch (e) {
        assert.ok(e instanceof StorageError && e.code === 'Unavailable', String(e));
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await s.create('/r/3', enc('3'));
    await c.next(3, 20_000);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      c.events.map((e) => e.kv.key),
      ['/r/1', '/r/2', '/r/3'],
    );
    assert.equal(c.errors.length, 0);
  } finally {
    await s.close();
  }
});
