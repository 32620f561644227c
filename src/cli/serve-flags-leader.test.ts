/** --leader-elect* parsing: kube-controller-manager defaults, validation, refusal without etcd. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFlags } from './flags.js';
import { leaderElectionFlags, leaderElectionFromFlags } from './serve-flags-leader.js';

const parse = (argv: string[], etcd = true) => {
  const { flags, set } = parseFlags(leaderElectionFlags, argv);
  return leaderElectionFromFlags(flags, set, etcd);
};

test('defaults are 15s/10s/2s with etcd; no election with SQLite or --leader-elect=false', () => {
  assert.deepEqual(parse([]), { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  assert.equal(parse([], false), undefined);
  assert.equal(parse(['--leader-elect=false']), undefined);
  assert.deepEqual(
    parse([
      '--leader-elect-lease-duration=6s',
      '--leader-elect-renew-deadline=4s',
      '--leader-elect-retry-period=1s',
    ]),
    {
      leaseDurationMs: 6_000,
      renewDeadlineMs: 4_000,
      retryPeriodMs: 1_000,
    },
  );
});

test('timings that could not take effect or are inconsistent refuse start-up', () => {
  assert.throws(
    () => parse(['--leader-elect-retry-period=1s'], false),
    /require --leader-elect and --storage-backend=etcd3/,
  );
  assert.throws(
    () => parse(['--leader-elect=false', '--leader-elect-lease-duration=20s']),
    /require --leader-elect/,
  );
  assert.throws(
    () => parse(['--leader-elect-lease-duration=10s']),
    /lease-duration must be greater than --leader-elect-renew-deadline/,
  );
  assert.throws(() => parse(['--leader-elect-retry-period=9s']), /renew-deadline must be greater than 1.2/);
  assert.throws(() => parse(['--leader-elect-retry-period=0s']), /retry-period must be greater than zero/);
});
