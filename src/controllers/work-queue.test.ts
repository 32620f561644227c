/**
 * Unit tests for the controllers' WorkQueue: de-duplication while waiting, arrival order, the
 * `concurrency` limit, a key never processed twice at once (one re-added while running waits
 * for that run, as client-go's workqueue "dirty/processing" sets), retries after a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from './work-queue.js';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test('one at a time by default, in arrival order, duplicates merged while waiting', async () => {
  // 'a' starts at once; added again while it runs, it runs once more (in its arrival place)
  const seen: string[] = [];
  const q = new WorkQueue(
    async (k) => {
      seen.push(k);
      await tick();
    },
    { name: 't', log: () => undefined },
  );
  for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
  await q.idle();
  assert.deepEqual(seen, ['a', 'b', 'a', 'c']);
});

test('concurrency: at most N at once, never the same key twice at once', async () => {
  let running = 0;
  let most = 0;
  const active = new Set<string>();
  const runs: string[] = [];
  const q = new WorkQueue(
    async (k) => {
      assert.ok(!active.has(k), `${k} processed twice at once`);
      active.add(k);
      running++;
      most = Math.max(most, running);
      runs.push(k);
      await tick(10);
      running--;
      active.delete(k);
    },
    { name: 't', log: () => undefined, concurrency: 3 },
  );
  for (let i = 0; i < 10; i++) q.add(`k${i}`);
  await tick(2);
  q.add('k0'); // re-added while k0 runs: runs again afterwards, not alongside
  await q.idle();
  assert.equal(most, 3);
  assert.equal(runs.filter((k) => k === 'k0').length, 2);
  assert.equal(runs.length, 11);
});

test('a failed key is logged and retried after retryMs', async () => {
  const logs: string[] = [];
  let calls = 0;
  const q = new WorkQueue(
    async () => {
      if (++calls === 1) throw new Error('boom');
    },
    { name: 'q', log: (m) => logs.push(m), retryMs: 10 },
  );
  q.add('x');
  await q.idle();
  await tick(30);
  await q.idle();
  assert.equal(calls, 2);
  assert.deepEqual(logs, ['q: x: boom']);
});
