/**
 * kube-controller-manager's leader-election flags (component-base LeaderElectionConfiguration,
 * names and defaults as upstream): with etcd storage the controllers run in the replica holding
 * the kube-system Lease `kube-controller-manager` (controllers/controller-manager.ts). With SQLite
 * there is one process, so the election is skipped; the timing flags then refuse start-up.
 */
import type { LeaderElectionOptions } from '../controllers/controller-manager.js';
import { FlagError, parseDuration, type FlagSpec, type FlagValues } from './flags.js';

const TIMING = ['leader-elect-lease-duration', 'leader-elect-renew-deadline', 'leader-elect-retry-period'];

export const leaderElectionFlags: FlagSpec[] = [
  {
    name: 'leader-elect',
    type: 'bool',
    default: true,
    help: 'Start a leader election client and gain leadership before running the controllers (CSR signer and approver, service-account tokens, ClusterRole aggregation, token cleaner, namespace and node lifecycle, root CA publisher); with etcd storage. Without it every replica runs them.',
  },
  {
    name: 'leader-elect-lease-duration',
    type: 'duration',
    default: '15s',
    help: 'The duration that non-leader candidates will wait after observing a leadership renewal until attempting to acquire leadership of a led but unrenewed leader slot.',
  },
  {
    name: 'leader-elect-renew-deadline',
    type: 'duration',
    default: '10s',
    help: 'The interval between attempts by the acting master to renew a leadership slot before it stops leading. Must be less than the lease duration.',
  },
  {
    name: 'leader-elect-retry-period',
    type: 'duration',
    default: '2s',
    help: 'The duration the clients should wait between attempting acquisition and renewal of a leadership.',
  },
];

/**
 * The election settings, or undefined (no election: SQLite storage or --leader-elect=false).
 * @throws FlagError for inconsistent durations, or timing flags that would have no effect.
 */
export function leaderElectionFromFlags(
  f: FlagValues,
  set: ReadonlySet<string>,
  etcd: boolean,
): LeaderElectionOptions | undefined {
  const stray = TIMING.filter((n) => set.has(n));
  if (!etcd || !f['leader-elect']) {
    if (stray.length)
      throw new FlagError(
        `${stray.map((n) => `--${n}`).join(', ')} require --leader-elect and --storage-backend=etcd3`,
      );
    return undefined;
  }
  const [leaseDurationMs, renewDeadlineMs, retryPeriodMs] = TIMING.map((n) => parseDuration(String(f[n])));
  // validateLeaderElectionConfiguration (component-base config/validation).
  if (!(leaseDurationMs > 0)) throw new FlagError('--leader-elect-lease-duration must be greater than zero');
  if (!(renewDeadlineMs > 0)) throw new FlagError('--leader-elect-renew-deadline must be greater than zero');
  if (!(retryPeriodMs > 0)) throw new FlagError('--leader-elect-retry-period must be greater than zero');
  if (leaseDurationMs <= renewDeadlineMs)
    throw new FlagError('--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline');
  if (renewDeadlineMs <= 1.2 * retryPeriodMs)
    throw new FlagError(
      '--leader-elect-renew-deadline must be greater than 1.2 x --leader-elect-retry-period',
    );
  return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}
