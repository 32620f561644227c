/**
 * The {@link Store} contract as a reusable node:test suite, so every engine (SQLite now, etcd next)
 * runs the same tests: `storeContractSuite('sqlite', () => openSqliteStore(':memory:'))`.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StorageError, type KeyValue, type Store, type WatchEvent } from './interfaces.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** Collects watch batches; `next(n)` waits until n events in total have arrived. */
export function collector() {
  const events: WatchEvent[] = [];
  const errors: StorageError[] = [];
  let wake: (() => void) | undefined;
  return {
    events,
    errors,
    onEvents: (batch: WatchEvent[]) => {
      events.push(...batch);
      wake?.();
    },
    onError: (err: StorageError) => {
      errors.push(err);
      wake?.();
    },
    async next(n: number, timeoutMs = 2000): Promise<WatchEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < n && errors.length === 0) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${n} events (got ${events.length})`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 20);
        });
      }
      return events;
    },
  };
}

async function rejectsWith(p: Promise<unknown>, code: string, revision?: number): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof StorageError, `expected StorageError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (revision !== undefined) assert.equal(err.revision, revision);
    return true;
  });
}

/** A watch event with its byte values as strings, so engines may return Buffer or Uint8Array. */
function plain(e: WatchEvent) {
  const kv = (x: KeyValue | undefined) => x && { ...x, value: dec(x.value) };
  return { ...e, kv: kv(e.kv), prevKv: kv(e.prevKv) };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

export function storeContractSuite(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const withStore = (title: string, fn: (s: Store) => Promise<void>) =>
      test(title, async () => {
        const s = await open();
        try {
          await fn(s);
        } finally {
          await s.close();
        }
      });

    withStore('create, get, revisions strictly increase', async (s) => {
      const r0 = await s.currentRevision();
      const a = await s.create('/r/a', enc('A'));
      assert.equal(a.modRevision, r0 + 1);
      assert.equal(a.createRevision, a.modRevision);
      const b = await s.create('/r/b', enc('B'));
      assert.ok(b.modRevision > a.modRevision);
      const got = await s.get('/r/a');
      assert.equal(dec(got!.value), 'A');
      assert.equal(got!.modRevision, a.modRevision);
      assert.equal(await s.get('/r/missing'), undefined);
      assert.equal(await s.currentRevision(), b.modRevision);
    });

    withStore('create of an existing key fails with KeyExists', async (s) => {
      await s.create('/r/a', enc('A'));
      const rev = await s.currentRevision();
      await rejectsWith(s.create('/r/a', enc('again')), 'KeyExists');
      assert.equal(await s.currentRevision(), rev, 'a failed write uses no revision');
    });

    withStore('update is compare-and-swap', async (s) => {
      const a = await s.create('/r/a', enc('1'));
      const a2 = await s.update('/r/a', enc('2'), a.modRevision);
      assert.ok(a2.modRevision > a.modRevision);
      assert.equal(a2.createRevision, a.createRevision);
      await rejectsWith(s.update('/r/a', enc('3'), a.modRevision), 'Conflict', a2.modRevision);
      await rejectsWith(s.update('/r/none', enc('3'), 1), 'KeyNotFound');
      assert.equal(dec((await s.get('/r/a'))!.value), '2');
    });

    withStore('delete, with and without precondition; revisions never reused', async (s) => {
      const a = await s.create('/r/a', enc('1'));
      await rejectsWith(s.delete('/r/a', a.modRevision + 100), 'Conflict', a.modRevision);
      const d = await s.delete('/r/a', a.modRevision);
      assert.equal(d.prev.modRevision, a.modRevision);
      assert.equal(dec(d.prev.value), '1');
      assert.ok(d.revision > a.modRevision);
      assert.equal(await s.currentRevision(), d.revision);
      await rejectsWith(s.delete('/r/a'), 'KeyNotFound');
      const again = await s.create('/r/a', enc('new'));
      assert.equal(again.modRevision, d.revision + 1);
      assert.equal(again.createRevision, again.modRevision);
      const b = await s.create('/r/b', enc('b'));
      const db = await s.delete('/r/b');
      assert.equal(db.prev.modRevision, b.modRevision);
    });

    withStore('concurrent writes in one turn: individual outcomes, ordered revisions', async (s) => {
      await s.create('/r/x', enc('x'));
      const results = await Promise.allSettled([
        s.create('/r/1', enc('1')),
        s.create('/r/x', enc('dup')),
        s.create('/r/2', enc('2')),
        s.update('/r/x', enc('x2'), 999),
        s.create('/r/1', enc('dup in batch')),
        s.delete('/r/none'),
        s.create('/r/3', enc('3')),
      ]);
      const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as StorageError).code));
      assert.deepEqual(codes, ['ok', 'KeyExists', 'ok', 'Conflict', 'KeyExists', 'KeyNotFound', 'ok']);
      const revs = results.flatMap((r) =>
        r.status === 'fulfilled' && 'modRevision' in r.value ? [r.value.modRevision] : [],
      );
      assert.deepEqual(
        revs,
        [...revs].sort((x, y) => x - y),
      );
      assert.equal(new Set(revs).size, 3);
      assert.equal(revs[2] - revs[0], 2, 'no gaps: failed writes consume no revision');
    });

    withStore('writes to one key in one batch see each other', async (s) => {
      const [c, u] = await Promise.allSettled([s.create('/r/k', enc('1')), s.update('/r/k', enc('2'), 0)]);
      assert.equal(c.status, 'fulfilled');
      assert.equal(u.status, 'rejected');
      const created = (c as PromiseFulfilledResult<{ modRevision: number }>).value;
      const [u2, d] = await Promise.all([
        s.update('/r/k', enc('2'), created.modRevision),
        s.delete('/r/k', created.modRevision + 1),
      ]);
      assert.equal(d.prev.modRevision, u2.modRevision);
      assert.equal(await s.get('/r/k'), undefined);
    });

    withStore('range: prefix, order, limit/startAfter, more and remaining', async (s) => {
      for (const k of ['b', 'a', 'd', 'c', 'e']) await s.create(`/r/ns1/${k}`, enc(k));
      await s.create('/r/ns10/z', enc('z'));
      await s.create('/r/ns0/z', enc('z'));
      await s.create('/q/a', enc('q'));
      const all = await s.range('/r/ns1/');
      assert.deepEqual(
        all.kvs.map((kv) => kv.key),
        ['a', 'b', 'c', 'd', 'e'].map((k) => `/r/ns1/${k}`),
      );
      assert.equal(all.more, false);
      assert.equal(all.revision, await s.currentRevision());
      const p1 = await s.range('/r/ns1/', { limit: 2 });
      assert.deepEqual(
        p1.kvs.map((kv) => dec(kv.value)),
        ['a', 'b'],
      );
      assert.equal(p1.more, true);
      assert.equal(p1.remaining, 3);
      const p2 = await s.range('/r/ns1/', { limit: 2, startAfter: '/r/ns1/b' });
      assert.deepEqual(
        p2.kvs.map((kv) => dec(kv.value)),
        ['c', 'd'],
      );
      const p3 = await s.range('/r/ns1/', { limit: 2, startAfter: '/r/ns1/d' });
      assert.deepEqual(
        p3.kvs.map((kv) => dec(kv.value)),
        ['e'],
      );
      assert.equal(p3.more, false);
      assert.equal((await s.range('/r/')).kvs.length, 7);
      assert.equal((await s.range('')).kvs.length, 8);
      assert.equal((await s.range('/nothing/')).kvs.length, 0);
    });

    withStore('range at a past revision returns that snapshot; paginates on it', async (s) => {
      const q = await s.create('/q/x', enc('q'));
      const a = await s.create('/r/a', enc('a1'));
      await s.create('/r/b', enc('b1'));
      await s.create('/r/c', enc('c1'));
      const snap = await s.currentRevision();
      await s.update('/r/a', enc('a2'), a.modRevision);
      await s.delete('/r/b');
      await s.create('/r/bb', enc('bb'));
      await s.create('/r/0', enc('0'));
      const now = await s.range('/r/');
      assert.deepEqual(
        now.kvs.map((kv) => dec(kv.value)),
        ['0', 'a2', 'bb', 'c1'],
      );
      const old = await s.range('/r/', { revision: snap });
      assert.equal(old.revision, snap);
      assert.deepEqual(
        old.kvs.map((kv) => dec(kv.value)),
        ['a1', 'b1', 'c1'],
      );
      assert.equal(old.kvs[0].modRevision, a.modRevision);
      const page1 = await s.range('/r/', { revision: snap, limit: 2 });
      assert.deepEqual(
        page1.kvs.map((kv) => dec(kv.value)),
        ['a1', 'b1'],
      );
      assert.equal(page1.more, true);
      assert.equal(page1.remaining, 1);
      const page2 = await s.range('/r/', { revision: snap, limit: 2, startAfter: '/r/b' });
      assert.deepEqual(
        page2.kvs.map((kv) => dec(kv.value)),
        ['c1'],
      );
      assert.equal(page2.more, false);
      const before = await s.range('/r/', { revision: q.modRevision });
      assert.equal(before.kvs.length, 0);
      assert.equal((await s.range('/q/', { revision: q.modRevision })).kvs.length, 1);
    });

    withStore('range at every past revision matches a model, page by page', async (s) => {
      // Deterministic pseudo-random writes over a small key space, with the expected state recorded.
      let seed = 7;
      const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
      const model = new Map<string, string>();
      const snapshots = new Map<number, [string, string][]>();
      await s.create('/before-m', enc('x')); // revision 0 would mean "current"
      snapshots.set(await s.currentRevision(), []);
      for (let i = 0; i < 120; i++) {
        const key = `/m/${String.fromCharCode(97 + rnd(12))}`;
        const cur = await s.get(key);
        const val = `v${i}`;
        if (!cur) {
          await s.create(key, enc(val));
          model.set(key, val);
        } else if (rnd(3) === 0) {
          await s.delete(key, cur.modRevision);
          model.delete(key);
        } else {
          await s.update(key, enc(val), cur.modRevision);
          model.set(key, val);
        }
        snapshots.set(
          await s.currentRevision(),
          [...model.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
        );
      }
      for (const [rev, want] of snapshots) {
        for (const limit of [1, 3, 0]) {
          const got: [string, string][] = [];
          let startAfter: string | undefined;
          for (;;) {
            const page = await s.range('/m/', { revision: rev, limit, startAfter });
            assert.equal(page.revision, rev);
            got.push(...page.kvs.map((kv): [string, string] => [kv.key, dec(kv.value)]));
            if (page.remaining !== undefined) assert.equal(page.remaining, want.length - got.length);
            if (!page.more) break;
            startAfter = page.kvs[page.kvs.length - 1].key;
          }
          assert.deepEqual(got, want, `revision ${rev}, limit ${limit}`);
        }
      }
    });

    withStore('range below the compacted revision fails with Compacted', async (s) => {
      await s.create('/r/a', enc('1'));
      const r = await s.currentRevision();
      await s.create('/r/b', enc('2'));
      await s.create('/r/c', enc('3'));
      await s.compact(r + 1);
      assert.equal(await s.compactedRevision(), r + 1);
      await rejectsWith(s.range('/r/', { revision: r }), 'Compacted', r + 1);
      assert.equal((await s.range('/r/', { revision: r + 1 })).kvs.length, 2);
      await rejectsWith(s.compact(r + 100), 'Invalid');
    });

    withStore('watch: live events, prefix filter, prevKv, created flag', async (s) => {
      const c = collector();
      const w = s.watch('/r/', c);
      const a = await s.create('/r/a', enc('1'));
      await s.create('/other/x', enc('x'));
      const a2 = await s.update('/r/a', enc('2'), a.modRevision);
      const d = await s.delete('/r/a');
      const ev = await c.next(3);
      assert.deepEqual(
        ev.map((e) => [e.type, e.kv.key, e.kv.modRevision, e.created]),
        [
          ['PUT', '/r/a', a.modRevision, true],
          ['PUT', '/r/a', a2.modRevision, false],
          ['DELETE', '/r/a', d.revision, false],
        ],
      );
      assert.equal(ev[0].prevKv, undefined);
      assert.equal(dec(ev[1].prevKv!.value), '1');
      assert.equal(ev[1].prevKv!.modRevision, a.modRevision);
      assert.equal(dec(ev[2].kv.value), '2');
      assert.equal(ev[2].prevKv!.modRevision, a2.modRevision);
      w.cancel();
      w.cancel();
      await s.create('/r/after', enc('x'));
      await settle();
      assert.equal(c.events.length, 3);
    });

    withStore('watch from a past revision replays then continues without gaps or duplicates', async (s) => {
      const first = await s.create('/r/0', enc('0'));
      for (let i = 1; i < 5; i++) await s.create(`/r/${i}`, enc(String(i)));
      const c = collector();
      s.watch('/r/', { ...c, afterRevision: first.modRevision });
      const pending = [s.create('/r/5', enc('5')), s.create('/r/6', enc('6'))];
      await Promise.all(pending);
      await s.create('/r/7', enc('7'));
      const ev = await c.next(7);
      await settle();
      assert.deepEqual(
        c.events.map((e) => dec(e.kv.value)),
        ['1', '2', '3', '4', '5', '6', '7'],
      );
      const revs = ev.map((e) => e.kv.modRevision);
      assert.deepEqual(
        revs,
        [...revs].sort((x, y) => x - y),
      );
    });

    withStore('watch replay rebuilds the same events as live delivery', async (s) => {
      const live = collector();
      s.watch('/r/', live);
      const start = await s.currentRevision();
      const a = await s.create('/r/a', enc('1'));
      await s.update('/r/a', enc('2'), a.modRevision);
      await s.delete('/r/a');
      await live.next(3);
      const replayed = collector();
      s.watch('/r/', { ...replayed, afterRevision: start });
      await replayed.next(3);
      assert.deepEqual(replayed.events.map(plain), live.events.map(plain));
    });

    withStore('watch from a compacted revision reports Compacted', async (s) => {
      await s.create('/r/a', enc('1'));
      await s.create('/r/b', enc('1'));
      const r = await s.currentRevision();
      await s.compact(r);
      const c = collector();
      s.watch('/r/', { ...c, afterRevision: r - 1 });
      await c.next(1);
      assert.equal(c.errors.length, 1);
      assert.equal(c.errors[0].code, 'Compacted');
      assert.equal(c.errors[0].revision, r);
      const ok = collector();
      s.watch('/r/', { ...ok, afterRevision: r });
      await s.create('/r/c', enc('1'));
      assert.equal((await ok.next(1))[0].kv.key, '/r/c');
    });

    withStore('watch with a future afterRevision skips events up to it', async (s) => {
      const r = await s.currentRevision();
      const c = collector();
      s.watch('/r/', { ...c, afterRevision: r + 2 });
      for (let i = 1; i <= 4; i++) await s.create(`/r/${i}`, enc(String(i)));
      await c.next(2);
      await settle();
      assert.deepEqual(
        c.events.map((e) => dec(e.kv.value)),
        ['3', '4'],
      );
    });

    withStore('closed store rejects calls', async (s) => {
      await s.close();
      await rejectsWith(s.create('/r/a', enc('1')), 'Unavailable');
      await rejectsWith(s.get('/r/a'), 'Unavailable');
    });
  });
}
