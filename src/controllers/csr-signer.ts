/**
 * The CSR signing controller of kube-controller-manager (pkg/controller/certificates/signer,
 * FACTS.md §10), in-process: for approved, not failed, unsigned CertificateSigningRequests of the
 * well-known signers it validates the request against the signer's rules and writes
 * `status.certificate` (signed by the cluster CA, NotBefore backdated 5 minutes, lifetime
 * min(expirationSeconds, --cluster-signing-duration) with a 10-minute floor), or adds a `Failed`
 * condition with reason `SignerValidationFailure`.
 */
import { deepCopy, timestamp } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import type { CertAndKey } from '../pki/cert.js';
import { parseCsr, signCsr, type CsrInfo } from '../pki/csr.js';
import { WorkQueue } from './work-queue.js';

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

/**
 * The CA each built-in signer issues with (kube-controller-manager runs a signing loop only for
 * the signers it has a CA for): one CA for all (`--cluster-signing-{cert,key}-file`) or one per
 * signer (`--cluster-signing-<signer>-{cert,key}-file`).
 */
export type SignerCas = CertAndKey | Partial<Record<string, CertAndKey>>;

function caFor(cas: SignerCas, signer: string): CertAndKey | undefined {
  if ('certPem' in cas && typeof cas.certPem === 'string') return cas as CertAndKey;
  return (cas as Partial<Record<string, CertAndKey>>)[signer];
}

export class CsrSigner {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;

  constructor(
    private readonly csrs: ObjectStore,
    private readonly ca: SignerCas,
    private readonly opts: { now: () => Date; signingDurationSeconds: number; log: (m: string) => void },
  ) {
    this.queue = new WorkQueue((name) => this.sign(name), { name: 'csr signer', log: opts.log });
  }

  start(): void {
    this.watcher = this.csrs.cache.watch(
      this.csrs.prefix,
      this.csrs.cache.revision(),
      (evs) => {
        for (const e of evs) if (e.type !== 'DELETED') this.enqueue(e.object.obj);
      },
      (err) => this.opts.log(`csr signer watch stopped: ${err.message}`),
    );
    for (const o of this.csrs.cache.list(this.csrs.prefix)) this.enqueue(o.obj);
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  private enqueue(csr: KubeObject): void {
    if (!this.needsSigning(csr)) return;
    this.queue.add(csr.metadata!.name!);
  }

  private needsSigning(csr: KubeObject): boolean {
    const spec = csr.spec as { signerName?: string } | undefined;
    const status = (csr.status ?? {}) as { certificate?: string; conditions?: Condition[] };
    const conds = status.conditions ?? [];
    return (
      WELL_KNOWN_SIGNERS.has(spec?.signerName ?? '') &&
      caFor(this.ca, spec?.signerName ?? '') !== undefined &&
      !status.certificate &&
      conds.some((c) => c.type === 'Approved' && c.status === 'True') &&
      !conds.some((c) => c.type === 'Failed' && c.status === 'True')
    );
  }

  private async sign(name: string): Promise<void> {
    const cur = this.csrs.get('', name)?.obj;
    if (!cur || !this.needsSigning(cur)) return;
    const spec = cur.spec as {
      request: string;
      signerName: string;
      usages?: string[];
      expirationSeconds?: number;
    };
    const pem = Buffer.from(spec.request, 'base64').toString('utf8');
    const usages = spec.usages ?? [];
    let failure: string | undefined;
    let certificate: string | undefined;
    try {
      const info = await parseCsr(pem);
      failure = signerValidationError(spec.signerName, usages, info);
      if (!failure) {
        const duration = Math.max(
          600,
          Math.min(spec.expirationSeconds ?? Infinity, this.opts.signingDurationSeconds),
        );
        certificate = await signCsr(pem, caFor(this.ca, spec.signerName)!, {
          usages,
          durationSeconds: duration,
          now: this.opts.now(),
        });
      }
    } catch (e) {
      failure = (e as Error).message;
    }
    const now = timestamp(this.opts.now());
    await this.csrs.guaranteedUpdate('', name, (c) => {
      if (!this.needsSigning(c.obj)) return undefined;
      const next = deepCopy(c.obj);
      const status = (next.status ??= {}) as { certificate?: string; conditions?: Condition[] };
      if (certificate) status.certificate = Buffer.from(certificate).toString('base64');
      else {
        status.conditions = [
          ...(status.conditions ?? []),
          {
            type: 'Failed',
            status: 'True',
            reason: 'SignerValidationFailure',
            message: failure ?? 'signing failed',
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
        ];
      }
      return next;
    });
  }
}
