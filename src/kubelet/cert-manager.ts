/**
 * @module kubelet/cert-manager
 *
 * Certificate rotation, after client-go util/certificate/certificate_manager.go: the manager holds
 * the current pair of a store (kubelet/cert-store.ts); at the rotation deadline, a jittered 70–90%
 * of the certificate's lifetime (`nextRotationDeadline`: NotBefore + `wait.Jitter(0.7·total, 0.2)`),
 * it makes a new key, asks for a certificate through the `request` callback (a CSR), stores the
 * pair and tells `onRotate`. A failed request is retried with exponential backoff (2s doubling to
 * 5 minutes, upstream's `wait.Backoff` cap). With no current pair (or an expired one) the deadline
 * is now.
 */
import { generateKeyPairFor } from '../pki/keys.js';
import type { CertPair, CertStore } from './cert-store.js';

/** NotBefore + total·(0.7 + 0.2·random): upstream's `jitteryDuration` = `wait.Jitter(total, 0.2) - 0.3·total`. */
export function rotationDeadline(notBefore: Date, notAfter: Date, random: () => number = Math.random): Date {
  const total = notAfter.getTime() - notBefore.getTime();
  return new Date(notBefore.getTime() + total * (0.7 + 0.2 * random()));
}

export interface CertManagerOptions {
  store: CertStore;
  /** Asks for a certificate for this new private key; resolves with the certificate PEM. */
  request: (keyPem: string) => Promise<string>;
  /** Rotate at the deadline; false: only get a certificate when there is none (no rotation). */
  rotate: boolean;
  /** The pair to start from when the store has none (a kubeconfig's own certificate). */
  fallback?: CertPair;
  onRotate?: (pair: CertPair) => void;
  log?: (line: string) => void;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => { unref?(): void };
  clearTimer?: (t: unknown) => void;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class CertManager {
  private pair: CertPair | undefined;
  private timer: unknown;
  private stopped = false;
  private failures = 0;
  private readonly now: () => number;
  private readonly setTimer: NonNullable<CertManagerOptions['setTimer']>;
  private readonly clearTimer: NonNullable<CertManagerOptions['clearTimer']>;

  constructor(private readonly o: CertManagerOptions) {
    this.now = o.now ?? Date.now;
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  current(): CertPair | undefined {
    return this.pair;
  }

  /** Loads the store's pair (or the fallback) and schedules the next rotation. */
  async start(): Promise<void> {
    this.pair = (await this.o.store.current()) ?? this.o.fallback;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clearTimer(this.timer);
  }

  /** When the next certificate is asked for (now when there is none or it has expired). */
  deadline(): Date {
    const p = this.pair;
    if (!p || p.notAfter.getTime() <= this.now()) return new Date(this.now());
    return rotationDeadline(p.notBefore, p.notAfter, this.o.random);
  }

  private schedule(delayMs?: number): void {
    if (this.stopped) return;
    if (this.pair && !this.o.rotate && delayMs === undefined) return;
    const at = delayMs ?? Math.max(0, this.deadline().getTime() - this.now());
    if (delayMs === undefined && this.pair)
      this.o.log?.(
        `I Certificate rotation deadline ${this.o.store.prefix} expiration=${this.pair.notAfter.toISOString()} deadline=${new Date(this.now() + at).toISOString()}`,
      );
    const wait = Math.min(at, MAX_TIMER_MS);
    const t = this.setTimer(() => {
      this.timer = undefined;
      if (wait < at) this.schedule(at - wait);
      else void this.rotateNow();
    }, wait);
    t.unref?.();
    this.timer = t;
  }

  /** Gets a new certificate now; resolves when stored (or, on failure, after scheduling a retry). */
  async rotateNow(): Promise<void> {
    if (this.stopped) return;
    try {
      this.o.log?.(`I Rotating certificates ${this.o.store.prefix}`);
      const key = await generateKeyPairFor('ECDSA-P256');
      const cert = await this.o.request(key.privateKeyPem);
      if (this.stopped) return;
      this.pair = await this.o.store.update(cert, key.privateKeyPem);
      this.failures = 0;
      this.o.log?.(
        `I Certificate rotated ${this.o.store.prefix} file=${this.o.store.currentPath} expiration=${this.pair.notAfter.toISOString()}`,
      );
      this.o.onRotate?.(this.pair);
      this.schedule();
    } catch (e) {
      const backoff = Math.min(300_000, 2000 * 2 ** this.failures++);
      this.o.log?.(
        `E Failed while requesting a signed certificate from the control plane ${this.o.store.prefix}: ${e instanceof Error ? e.message : String(e)}; retrying in ${backoff / 1000}s`,
      );
      this.schedule(backoff);
    }
  }
}
