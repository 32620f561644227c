/**
 * @module controllers/certificates
 *
 * kube-controller-manager's certificate controllers, started together: the signers (csrsigning,
 * one reloading CA source per distinct CA, signing in a worker pool), the csrapproving
 * auto-approver (run with the signers, as kube-controller-manager runs both by default) and the
 * csrcleaner (always). `stop()` ends them and the pool.
 */
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import type { Authorizer } from '../authz/interfaces.js';
import type { CertAndKey } from '../pki/cert.js';
import { CsrApprover } from './csr-approver.js';
import { CsrCleaner } from './csr-cleaner.js';
import { defaultSigningWorkers, SigningPool } from './csr-sign-pool.js';
import { CsrSigner, type SignerCaSources } from './csr-signer.js';
import { FileSigningCa, type SigningCaSource } from './csr-signing-ca.js';

/** What the signers need (kube-controller-manager --cluster-signing-*, cli/serve-signing.ts). */
export interface ClusterSigningOptions {
  /** Signer name -> its CA and files; a signer without one is not run. */
  cas: Partial<Record<string, { ca: CertAndKey; certFile: string; keyFile: string }>>;
  /** --cluster-signing-duration, seconds. */
  durationSeconds: number;
  /** Signing worker threads (default `defaultSigningWorkers()`; 0 signs on the event loop). */
  workers?: number;
}

/** One reloading source per distinct CA (the signers sharing one CA share its source). */
function signingCaSources(cas: ClusterSigningOptions['cas'], log: (m: string) => void): SignerCaSources {
  const sources = new Map<object, SigningCaSource>();
  const out: SignerCaSources = {};
  for (const [signer, c] of Object.entries(cas)) {
    if (!c) continue;
    let src = sources.get(c);
    if (!src) {
      src = new FileSigningCa(c.ca, { certFile: c.certFile, keyFile: c.keyFile }, { log });
      sources.set(c, src);
    }
    out[signer] = src;
  }
  return out;
}

export function startCertificateControllers(
  csrs: ObjectStore,
  authorizer: Authorizer,
  signing: ClusterSigningOptions | undefined,
  o: { now: () => Date; log: (m: string) => void },
): { stop(): Promise<void> } {
  const pool = signing ? new SigningPool(signing.workers ?? defaultSigningWorkers(), o.log) : undefined;
  const signer =
    signing && pool
      ? new CsrSigner(csrs, signingCaSources(signing.cas, o.log), pool, {
          now: o.now,
          signingDurationSeconds: signing.durationSeconds,
          log: o.log,
        })
      : undefined;
  const approver = signing ? new CsrApprover(csrs, authorizer, o) : undefined;
  const cleaner = new CsrCleaner(csrs, o);
  approver?.start();
  signer?.start();
  cleaner.start();
  return {
    async stop() {
      signer?.stop();
      cleaner.stop();
      approver?.stop();
      await pool?.close();
    },
  };
}
