/**
 * LeaderElector against an in-memory lease with CAS on resourceVersion and a fake clock
 * (client-go leaderelection_test.go's cases: acquire a free/expired lease, wait for a held one,
 * renew keeps acquireTime, a lost renewDeadline stops leading, release on stop).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../api/types.js';
import { LeaderElector, recordFromLease, type Clock, type LeaseLock } from './leader-election.js';

class FakeClock implements Clock {
  t = Date.parse('2026-01-01T00:00:00Z');
  private timers: { at: number; fire: () => void }[] = [];
  now = () => this.t;
  sleep = (ms: number) => new Promise<void>((fire) => this.timers.push({ at: this.t + ms, fire }));
  /** Moves time forward in 100 ms steps, letting the elector run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    while (this.t < end) {
      this.t = Math.min(end, this.t + 100);
      const due = this.timers.filter((x) => x.at <= this.t);
      this.timers = this.timers.filter((x) => x.at > this.t);
      due.forEach((x) => x.fire());
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    }
  }
}

class MemLease implements LeaseLock {
  cur?: { lease: KubeObject; rv: number };
  rv = 1;
  failing = false;
  get = () => this.cur;
  async create(lease: KubeObject) {
    if (this.failing) throw new Error('etcd down');
    if (this.cur) throw new Error('AlreadyExists');
    this.cur = { lease, rv: ++this.rv };
  }
  async update(lease: KubeObject, rv: number) {
    if (this.failing) throw new Error('etcd down');
    if (this.cur?.rv !== rv) throw new Error('Conflict');
    this.cur = { lease, rv: ++this.rv };
  }
  holder = () => (this.cur ? recordFromLease(this.cur.lease).holderIdentity : undefined);
}

function elector(id: string, lock: LeaseLock, clock: Clock, events: string[]) {
  return new LeaderElector({
    namespace: 'kube-system',
    name: 'kube-controller-manager',
    identity: id,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    lock,
    clock,
    random: () => 0,
    onStartedLeading: () => void events.push(`${id} started`),
    onStoppedLeading: () => void events.push(`${id} stopped`),
  });
}

test('one of two candidates leads; the other takes over a lease duration after renewals stop', async () => {
  const clock = new FakeClock();
  const lock = new MemLease();
  const ev: string[] = [];
  const a = elector('a_1', lock, clock, ev);
  const b = elector('b_2', lock, clock, ev);
  a.start();
  await clock.advance(100);
  b.start();
  await clock.advance(20_000);
  assert.deepEqual(ev, ['a_1 started']);
  assert.equal(lock.holder(), 'a_1');
  const spec = lock.cur!.lease.spec as Record<string, unknown>;
  assert.equal(spec.leaseDurationSeconds, 15);
  assert.equal(spec.leaseTransitions, 0);
  assert.equal(spec.acquireTime, '2026-01-01T00:00:00.000000Z', 'renewals keep acquireTime');
  assert.match(String(spec.renewTime), /^2026-01-01T00:00:\d\d\.\d{6}Z$/);
  assert.ok(a.isLeader() && !b.isLeader());

  // a's storage writes fail: it stops leading after renewDeadline; b acquires once the record
  // has not changed for leaseDuration (observed time, not renewTime).
  const fail = lock.update.bind(lock);
  lock.update = async (l, rv) => {
    if (recordFromLease(l).holderIdentity === 'a_1') throw new Error('etcd unreachable from a');
    return fail(l, rv);
  };
  const cutAt = clock.now();
  await clock.advance(12_000);
  assert.deepEqual(ev, ['a_1 started', 'a_1 stopped']);
  assert.ok(!a.isLeader());
  await clock.advance(8_000);
  assert.equal(lock.holder(), 'b_2');
  assert.ok(b.isLeader());
  assert.ok(clock.now() - cutAt <= 15_000 + 2 * 2_000 * 2.2 + 1000);
  assert.equal((lock.cur!.lease.spec as Record<string, unknown>).leaseTransitions, 1);
  await a.stop();
  await b.stop();
  assert.deepEqual(ev, ['a_1 started', 'a_1 stopped', 'b_2 started', 'b_2 stopped']);
});

test('stop releases the lease (holderIdentity "", leaseDurationSeconds 1) and another acquires at once', async () => {
  const clock = new FakeClock();
  const lock = new MemLease();
  const ev: string[] = [];
  const a = elector('a_1', lock, clock, ev);
  const b = elector('b_2', lock, clock, ev);
  a.start();
  await clock.advance(100);
  b.start();
  await clock.advance(4_000);
  await a.stop();
  const spec = lock.cur!.lease.spec as Record<string, unknown>;
  assert.equal(spec.holderIdentity, '');
  assert.equal(spec.leaseDurationSeconds, 1);
  await clock.advance(5_000);
  assert.equal(lock.holder(), 'b_2');
  assert.deepEqual(ev, ['a_1 started', 'a_1 stopped', 'b_2 started']);
  await b.stop();
});

test('a stopped non-leader never writes; invalid timings are refused', async () => {
  const clock = new FakeClock();
  const lock = new MemLease();
  lock.failing = true;
  const ev: string[] = [];
  const a = elector('a_1', lock, clock, ev);
  a.start();
  await clock.advance(10_000);
  assert.deepEqual(ev, []);
  await a.stop();
  assert.equal(lock.cur, undefined);
  assert.throws(
    () =>
      new LeaderElector({
        namespace: 'kube-system',
        name: 'x',
        identity: 'i',
        leaseDurationMs: 10_000,
        renewDeadlineMs: 10_000,
        retryPeriodMs: 2_000,
        lock,
        onStartedLeading: () => undefined,
        onStoppedLeading: () => undefined,
      }),
    /leaseDuration must be greater than renewDeadline/,
  );
});
