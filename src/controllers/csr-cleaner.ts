/**
 * @module controllers/csr-cleaner
 *
 * The CSR cleaner of kube-controller-manager (pkg/controller/certificates/cleaner/cleaner.go,
 * controller `csrcleaner`), in-process: every hour (pollingInterval) it looks at every
 * CertificateSigningRequest and deletes one that is
 * - approved and issued, the Approved condition's lastUpdateTime over 1 hour ago
 *   (isIssuedPastDeadline, approvedExpiration);
 * - denied, the Denied condition's lastUpdateTime over 1 hour ago (isDeniedPastDeadline);
 * - failed, the Failed condition's lastUpdateTime over 1 hour ago (isFailedPastDeadline, which
 *   reuses deniedExpiration);
 * - pending (no conditions at all), created over 24 hours ago (isPendingPastDeadline);
 * - approved and issued with a certificate whose NotAfter has passed (isIssuedExpired).
 * A zero (absent or unparsable) time is never "older than" (isOlderThan). Time is injected.
 * The delete carries the observed resourceVersion as a precondition (upstream's has none), so a
 * CSR changed meanwhile is looked at again on the next pass rather than deleted on stale data.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { firstPemBlock } from '../pki/csr-verify.js';
import { WorkQueue } from './work-queue.js';

const HOUR = 3600_000;
export const POLLING_INTERVAL_MS = HOUR;
const APPROVED_EXPIRATION_MS = HOUR;
const DENIED_EXPIRATION_MS = HOUR;
const PENDING_EXPIRATION_MS = 24 * HOUR;

interface Condition {
  type?: string;
  lastUpdateTime?: string;
}

/** isOlderThan: t is set and more than `d` ms before now. */
function isOlderThan(t: string | null | undefined, d: number, now: Date): boolean {
  const ms = t ? Date.parse(t) : NaN;
  return !Number.isNaN(ms) && ms - now.getTime() < -d;
}

/** isExpired: the first PEM block of status.certificate is a certificate whose NotAfter has passed. */
function isExpired(certificate64: string, now: Date): boolean {
  const block = firstPemBlock(Buffer.from(certificate64, 'base64').toString('latin1'));
  if (!block) return false;
  try {
    return now.getTime() > new x509.X509Certificate(block.der).notAfter.getTime();
  } catch {
    return false;
  }
}

/** Why the cleaner deletes `csr` at `now` (cleaner.go's log lines), or undefined to keep it. */
export function cleanupReason(csr: KubeObject, now: Date): string | undefined {
  const status = (csr.status ?? {}) as { conditions?: Condition[]; certificate?: string };
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const issued = typeof status.certificate === 'string' && status.certificate.length > 0;
  for (const c of conditions) {
    if (c?.type === 'Approved' && issued && isOlderThan(c.lastUpdateTime, APPROVED_EXPIRATION_MS, now))
      return 'it is more than approvedExpiration duration old and approved';
    if (c?.type === 'Denied' && isOlderThan(c.lastUpdateTime, DENIED_EXPIRATION_MS, now))
      return 'it is more than deniedExpiration duration old and denied';
    if (c?.type === 'Failed' && isOlderThan(c.lastUpdateTime, DENIED_EXPIRATION_MS, now))
      return 'it is more than deniedExpiration duration old and failed';
  }
  if (conditions.length === 0 && isOlderThan(csr.metadata?.creationTimestamp, PENDING_EXPIRATION_MS, now))
    return 'it is more than pendingExpiration duration old and unhandled';
  for (const c of conditions) {
    if (c?.type === 'Approved' && issued && isExpired(status.certificate!, now))
      return 'the associated certificate is expired';
  }
  return undefined;
}

export class CsrCleaner {
  private readonly queue: WorkQueue;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly csrs: ObjectStore,
    private readonly opts: { now: () => Date; log: (m: string) => void; pollingIntervalMs?: number },
  ) {
    this.queue = new WorkQueue((name) => this.evaluate(name), {
      name: 'csr cleaner',
      log: opts.log,
      retryMs: 5000,
    });
  }

  /** A pass at once, then one every polling interval (wait.UntilWithContext). */
  start(): void {
    this.sweep();
    this.timer = setInterval(() => this.sweep(), this.opts.pollingIntervalMs ?? POLLING_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.queue.stop();
  }

  /** Queues every CSR for a look (one pass of the worker). */
  sweep(): void {
    for (const o of this.csrs.cache.list(this.csrs.prefix)) this.queue.add(o.obj.metadata!.name!);
  }

  /** Resolves once queued evaluations are done (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async evaluate(name: string): Promise<void> {
    const cur = this.csrs.get('', name);
    if (!cur) return;
    const reason = cleanupReason(cur.obj, this.opts.now());
    if (!reason) return;
    this.opts.log(`csr cleaner: deleting CSR ${JSON.stringify(name)} as ${reason}`);
    try {
      await this.csrs.delete('', name, cur.rv);
    } catch (e) {
      // Gone or changed meanwhile: the next pass looks at it again.
      if ((e as { code?: number }).code === 404 || (e as { code?: number }).code === 409) return;
      throw e;
    }
  }
}
