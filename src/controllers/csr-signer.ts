/**
 * @module controllers/csr-signer
 *
 * The CSR signing controllers of kube-controller-manager (pkg/controller/certificates/signer/
 * signer.go, FACTS.md §10), in-process, one controller for the four signers it runs
 * (kube-apiserver-client, kube-apiserver-client-kubelet, kubelet-serving, legacy-unknown): for
 * approved, not failed, unsigned CertificateSigningRequests it validates the request against the
 * signer's rules and writes `status.certificate`, or adds a `Failed` condition with reason
 * `SignerValidationFailure` and the rule's message. Lifetime: signer.go `duration` (the
 * `--cluster-signing-duration`, or `expirationSeconds` when shorter, with a 10-minute floor);
 * NotBefore backdated 5 minutes unless the lifetime is under 8 hours (`Backdate`/`Short`).
 *
 * The parsing and signing (~5 ms of JavaScript each) run in a worker pool (`csr-sign-pool.ts`),
 * several at once, so the API keeps answering while certificates are issued; the CA comes from a
 * `SigningCaSource` that follows the CA files (`csr-signing-ca.ts`).
 */
import { deepCopy, timestamp } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import type { CsrInfo } from '../pki/csr.js';
import type { SigningPool } from './csr-sign-pool.js';
import type { SigningCaSource } from './csr-signing-ca.js';
import { WorkQueue, followObjects } from './work-queue.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

const CLIENT = 'kubernetes.io/kube-apiserver-client';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
const LEGACY_UNKNOWN = 'kubernetes.io/legacy-unknown';

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The signer's rules (signer.go + certificates helpers); undefined when the request is fine. */
export function signerValidationError(signer: string, usages: string[], info: CsrInfo): string | undefined {
  // signer.go isLegacyUnknown: no restrictions, for backward compatibility.
  if (signer === LEGACY_UNKNOWN) return undefined;
  if (signer === CLIENT) {
    // validAPIServerClientUsages: an unexpected usage is reported before a missing client auth.
    const bad = usages.find((u) => !['client auth', 'digital signature', 'key encipherment'].includes(u));
    if (bad) return `invalid usage for client certificate: ${bad}`;
    if (!usages.includes('client auth')) return 'missing required usage for client certificate: client auth';
    return undefined;
  }
  const nodeSubject = (): string | undefined => {
    if (!sameSet(info.organizations, ['system:nodes'])) return 'subject organization is not system:nodes';
    if (!info.commonName.startsWith('system:node:'))
      return 'subject common name does not begin with "system:node:"';
    return undefined;
  };
  if (signer === KUBELET_CLIENT) {
    const e = nodeSubject();
    if (e) return e;
    const a = info.altNames;
    if (a.dnsNames.length || a.ips.length || a.emails.length || a.uris.length)
      return 'DNS, email, IP and URI subjectAltNames are not allowed';
    if (
      !sameSet(usages, ['digital signature', 'key encipherment', 'client auth']) &&
      !sameSet(usages, ['digital signature', 'client auth'])
    ) {
      return `usages did not match [digital signature key encipherment client auth]`;
    }
    return undefined;
  }
  if (signer === KUBELET_SERVING) {
    const e = nodeSubject();
    if (e) return e;
    const a = info.altNames;
    if (!a.dnsNames.length && !a.ips.length) return 'DNS or IP subjectAltName is required';
    if (a.emails.length || a.uris.length) return 'email and URI subjectAltNames are not allowed';
    if (
      !sameSet(usages, ['digital signature', 'key encipherment', 'server auth']) &&
      !sameSet(usages, ['digital signature', 'server auth'])
    ) {
      return `usages did not match [digital signature key encipherment server auth]`;
    }
    return undefined;
  }
  return 'unknown signer';
}

export const WELL_KNOWN_SIGNERS = new Set([CLIENT, KUBELET_CLIENT, KUBELET_SERVING, LEGACY_UNKNOWN]);

/** signer.go `duration`: the signing duration, or the requested one when shorter, at least 10 min. */
export function certificateDuration(expirationSeconds: number | undefined, maxSeconds: number): number {
  if (expirationSeconds === undefined) return maxSeconds;
  if (expirationSeconds > maxSeconds) return maxSeconds;
  return Math.max(600, expirationSeconds);
}

type Status = { certificate?: string; conditions?: Condition[] };

/**
 * The CA each built-in signer issues with: kube-controller-manager runs a signing loop only for
 * the signers it has a CA for (one CA for all with `--cluster-signing-{cert,key}-file`, or one per
 * signer with `--cluster-signing-<signer>-{cert,key}-file`; cli/serve-signing.ts).
 */
export type SignerCaSources = Partial<Record<string, SigningCaSource>>;

/**
 * Approved, not failed, not yet issued, and for one of our signers (signer.go `handle`); with
 * `running`, only for a signer that has a CA.
 */
export function needsSigning(csr: KubeObject, running?: SignerCaSources): boolean {
  const spec = csr.spec as { signerName?: string } | undefined;
  const status = (csr.status ?? {}) as Status;
  const conds = status.conditions ?? [];
  return (
    WELL_KNOWN_SIGNERS.has(spec?.signerName ?? '') &&
    (running === undefined || running[spec?.signerName ?? ''] !== undefined) &&
    !status.certificate &&
    conds.some((c) => c.type === 'Approved' && c.status === 'True') &&
    !conds.some((c) => c.type === 'Failed' && c.status === 'True')
  );
}

export interface CsrSignerOptions {
  now: () => Date;
  /** --cluster-signing-duration, seconds. */
  signingDurationSeconds: number;
  log: (m: string) => void;
  /** Requests signed at once (default: twice the pool size, at least 1). */
  concurrency?: number;
  /** Delay before a request whose signing errored is retried (default 5 s). */
  retryMs?: number;
}

export class CsrSigner {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;

  constructor(
    private readonly csrs: ObjectStore,
    private readonly cas: SignerCaSources,
    private readonly pool: SigningPool,
    private readonly opts: CsrSignerOptions,
  ) {
    this.queue = new WorkQueue((name) => this.sign(name), {
      name: 'csr signer',
      log: opts.log,
      retryMs: opts.retryMs ?? 5000,
      concurrency: opts.concurrency ?? Math.max(1, pool.size * 2),
    });
  }

  start(): void {
    this.watcher = followObjects(
      this.csrs,
      this.csrs.prefix,
      (o) => this.enqueue(o),
      'csr signer',
      this.opts.log,
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  /** Resolves once nothing is queued or being signed (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private enqueue(csr: KubeObject): void {
    if (needsSigning(csr, this.cas)) this.queue.add(csr.metadata!.name!);
  }

  private async sign(name: string): Promise<void> {
    const cur = this.csrs.get('', name)?.obj;
    if (!cur || !needsSigning(cur, this.cas)) return;
    const spec = cur.spec as {
      request: string;
      signerName: string;
      usages?: string[];
      expirationSeconds?: number;
    };
    const result = await this.pool.sign({
      csrPem: Buffer.from(spec.request, 'base64').toString('utf8'),
      signerName: spec.signerName,
      usages: spec.usages ?? [],
      durationSeconds: certificateDuration(spec.expirationSeconds, this.opts.signingDurationSeconds),
      nowMs: this.opts.now().getTime(),
      ca: await this.cas[spec.signerName]!.current(),
    });
    if ('error' in result) throw new Error(result.error);
    const now = timestamp(this.opts.now());
    await this.csrs.guaranteedUpdate('', name, (c) => {
      if (!needsSigning(c.obj, this.cas)) return undefined;
      const next = deepCopy(c.obj);
      const status = (next.status ??= {}) as Status;
      if ('certificate' in result) status.certificate = Buffer.from(result.certificate).toString('base64');
      else {
        status.conditions = [
          ...(status.conditions ?? []),
          {
            type: 'Failed',
            status: 'True',
            reason: 'SignerValidationFailure',
            message: result.failure,
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
        ];
      }
      return next;
    });
  }
}
