/**
 * Leader election over a coordination.k8s.io/v1 Lease, as client-go tools/leaderelection
 * (leaderelection.go) with resourcelock/leaselock.go:
 *
 * - acquire: every retryPeriod (with JitterFactor 1.2) try to take the lease; a lease held by
 *   another identity is free once leaseDurationSeconds have passed since this elector last
 *   *observed a change* of the record (client-go's observedTime, local clock: no clock-skew trust
 *   in renewTime).
 * - renew: every retryPeriod; leadership is lost when no renewal has succeeded for renewDeadline.
 * - release (ReleaseOnCancel): on graceful stop the leader writes holderIdentity "" with
 *   leaseDurationSeconds 1 so another replica takes over at once.
 *
 * Every write is a compare-and-swap on the lease's resourceVersion; a conflict means another
 * replica wrote first, and is just a failed attempt. Unlike kube-controller-manager (which exits on
 * "leaderelection lost"), losing leadership here stops the controllers and goes back to acquiring:
 * the process keeps serving API requests either way.
 */
import type { KubeObject } from '../api/types.js';

/** LeaderElectionRecord (resourcelock/interface.go), times in ms since the epoch. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

/** The lease, read and written with CAS on its resourceVersion. */
export interface LeaseLock {
  /** The current lease and its resourceVersion, undefined when it does not exist. */
  get():
    Promise<{ lease: KubeObject; rv: number } | undefined> | { lease: KubeObject; rv: number } | undefined;
  /** Creates the lease; rejects when it exists. */
  create(lease: KubeObject): Promise<unknown>;
  /** Replaces the lease if its resourceVersion is still rv; rejects on a conflict. */
  update(lease: KubeObject, rv: number): Promise<unknown>;
}

/** Time, injectable for unit tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms).unref?.()),
};

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  /** `<hostname>_<uuid>` as kube-controller-manager's (controllermanager.go). */
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  lock: LeaseLock;
  clock?: Clock;
  /** Random in [0,1) for the retry jitter; tests pass () => 0. */
  random?: () => number;
  log?: (m: string) => void;
  onStartedLeading(): Promise<void> | void;
  onStoppedLeading(): Promise<void> | void;
  /** After each failed acquisition attempt, and after onStartedLeading has returned. */
  onAttempt?(): void;
}

/** JitterFactor of leaderelection.go. */
const JITTER_FACTOR = 1.2;

/** metav1.MicroTime's RFC3339 with microseconds ("2006-01-02T15:04:05.000000Z07:00"). */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function parseTime(s: unknown): number {
  const t = typeof s === 'string' ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : 0;
}

/** LeaseSpecToLeaderElectionRecord (leaselock.go). */
export function recordFromLease(lease: KubeObject): LeaderElectionRecord {
  const spec = (lease.spec ?? {}) as Record<string, unknown>;
  return {
    holderIdentity: typeof spec.holderIdentity === 'string' ? spec.holderIdentity : '',
    leaseDurationSeconds: typeof spec.leaseDurationSeconds === 'number' ? spec.leaseDurationSeconds : 0,
    acquireTime: parseTime(spec.acquireTime),
    renewTime: parseTime(spec.renewTime),
    leaderTransitions: typeof spec.leaseTransitions === 'number' ? spec.leaseTransitions : 0,
  };
}

/** LeaderElectionRecordToLeaseSpec (leaselock.go). */
export function leaseSpec(r: LeaderElectionRecord): Record<string, unknown> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: formatMicroTime(r.acquireTime),
    renewTime: formatMicroTime(r.renewTime),
    leaseTransitions: r.leaderTransitions,
  };
}

const sameRecord = (a: LeaderElectionRecord | undefined, b: LeaderElectionRecord): boolean =>
  !!a && (Object.keys(b) as (keyof LeaderElectionRecord)[]).every((k) => a[k] === b[k]);

export class LeaderElector {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (m: string) => void;
  private observed?: LeaderElectionRecord;
  private observedTime = 0;
  private leading = false;
  private stopped = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(private readonly cfg: LeaderElectionConfig) {
    this.clock = cfg.clock ?? realClock;
    this.random = cfg.random ?? Math.random;
    this.log = cfg.log ?? (() => undefined);
    if (!(cfg.leaseDurationMs > cfg.renewDeadlineMs))
      throw new Error('leaseDuration must be greater than renewDeadline');
    if (!(cfg.renewDeadlineMs > JITTER_FACTOR * cfg.retryPeriodMs))
      throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (cfg.retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The last record this elector read or wrote. */
  observedRecord(): LeaderElectionRecord | undefined {
    return this.observed;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops electing; a leader stops its controllers (onStoppedLeading) and releases the lease. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Sleeps ms, or less when stop() is called. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      void this.clock.sleep(ms).then(resolve);
    });
  }

  private async run(): Promise<void> {
    const lease = `${this.cfg.namespace}/${this.cfg.name}`;
    while (!this.stopped) {
      this.log(`leaderelection: attempting to acquire leader lease ${lease}...`);
      while (!this.stopped && !(await this.tryAcquireOrRenew())) {
        this.cfg.onAttempt?.();
        await this.pause(this.cfg.retryPeriodMs * (1 + JITTER_FACTOR * this.random()));
      }
      if (this.stopped) {
        this.cfg.onAttempt?.();
        break;
      }
      this.leading = true;
      this.log(`leaderelection: successfully acquired lease ${lease}`);
      await this.callback('onStartedLeading');
      this.cfg.onAttempt?.();
      await this.renewLoop();
      this.leading = false;
      await this.callback('onStoppedLeading');
      if (this.stopped) await this.release();
      else this.log(`leaderelection: failed to renew lease ${lease}: timed out waiting for the condition`);
    }
  }

  private async callback(name: 'onStartedLeading' | 'onStoppedLeading'): Promise<void> {
    try {
      await this.cfg[name]();
    } catch (e) {
      this.log(`leaderelection: ${name}: ${(e as Error).message}`);
    }
  }

  /** Returns when leadership is lost (no renewal for renewDeadline) or stop() is called. */
  private async renewLoop(): Promise<void> {
    let lastRenew = this.clock.now();
    while (!this.stopped) {
      await this.pause(this.cfg.retryPeriodMs);
      if (this.stopped) return;
      const left = lastRenew + this.cfg.renewDeadlineMs - this.clock.now();
      // A hung storage write counts as a failed attempt once the deadline passes.
      const ok = await Promise.race([
        this.tryAcquireOrRenew(),
        this.clock.sleep(Math.max(left, 0)).then(() => false),
      ]);
      if (ok) lastRenew = this.clock.now();
      else if (this.clock.now() - lastRenew >= this.cfg.renewDeadlineMs) return;
    }
  }

  private observe(r: LeaderElectionRecord): void {
    if (!sameRecord(this.observed, r)) {
      this.observed = r;
      this.observedTime = this.clock.now();
    }
  }

  private newLease(r: LeaderElectionRecord, base?: KubeObject): KubeObject {
    return {
      ...(base ?? {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.cfg.name, namespace: this.cfg.namespace },
      }),
      spec: leaseSpec(r),
    };
  }

  /** tryAcquireOrRenew (leaderelection.go). */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const me = this.cfg.identity;
    const record: LeaderElectionRecord = {
      holderIdentity: me,
      leaseDurationSeconds: Math.round(this.cfg.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaderTransitions: 0,
    };
    try {
      const cur = await this.cfg.lock.get();
      if (!cur) {
        await this.cfg.lock.create(this.newLease(record));
        this.observe(record);
        return true;
      }
      const old = recordFromLease(cur.lease);
      this.observe(old);
      const heldByOther = old.holderIdentity !== '' && old.holderIdentity !== me;
      if (heldByOther && this.observedTime + old.leaseDurationSeconds * 1000 > now) return false;
      if (old.holderIdentity === me) {
        record.acquireTime = old.acquireTime;
        record.leaderTransitions = old.leaderTransitions;
      } else record.leaderTransitions = old.leaderTransitions + 1;
      await this.cfg.lock.update(this.newLease(record, cur.lease), cur.rv);
      this.observe(record);
      return true;
    } catch (e) {
      this.log(`leaderelection: error acquiring or renewing the lease: ${(e as Error).message}`);
      return false;
    }
  }

  /** release (leaderelection.go): only the holder, holderIdentity "", leaseDurationSeconds 1. */
  private async release(): Promise<void> {
    try {
      const cur = await this.cfg.lock.get();
      if (!cur || recordFromLease(cur.lease).holderIdentity !== this.cfg.identity) return;
      const now = this.clock.now();
      const r: LeaderElectionRecord = {
        holderIdentity: '',
        leaseDurationSeconds: 1,
        acquireTime: now,
        renewTime: now,
        leaderTransitions: recordFromLease(cur.lease).leaderTransitions,
      };
      await this.cfg.lock.update(this.newLease(r, cur.lease), cur.rv);
      this.observe(r);
      this.log(`leaderelection: released lease ${this.cfg.namespace}/${this.cfg.name}`);
    } catch (e) {
      this.log(`leaderelection: failed to release the lease: ${(e as Error).message}`);
    }
  }
}
