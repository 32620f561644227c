/**
 * @module controllers/csr-sign-job
 *
 * One signing job of the CSR signer, as a plain function of plain data so that it runs the same
 * on the event loop and in a `node:worker_threads` worker (`csr-sign-worker.ts`): parse the PEM
 * request and verify its self-signature, apply the signer's rules (`signerValidationError`), and
 * sign with the CA (signer.go `handle` + `sign`).
 */
import type { CertAndKey } from '../pki/cert.js';
import { parseCsrWithName, signParsedCsr } from '../pki/csr.js';
import { signerValidationError } from './csr-signer.js';

/** What the signer hands a worker: everything as strings and numbers (structured-cloneable). */

/** The nice value of the signing threads (csr-sign-worker.ts). */
export const SIGNING_THREAD_NICE = 10;
export interface SignJob {
  csrPem: string;
  signerName: string;
  usages: string[];
  durationSeconds: number;
  /** The signer's clock, ms since the epoch. */
  nowMs: number;
  ca: CertAndKey;
}

/**
 * `certificate`: the PEM certificate. `failure`: the signer refuses the request (it gets a
 * `Failed` condition with reason SignerValidationFailure). `error`: signing itself failed (retried,
 * as upstream returns "error auto signing csr").
 */
export type SignResult = { certificate: string } | { failure: string } | { error: string };

export async function runSignJob(job: SignJob): Promise<SignResult> {
  let parsed;
  try {
    parsed = await parseCsrWithName(job.csrPem);
  } catch (e) {
    // Upstream returns "unable to parse csr" and retries forever; validation on create makes this
    // unreachable for stored objects, so kubeauth fails the request instead of retrying (deliberate).
    return { failure: (e as Error).message };
  }
  const failure = signerValidationError(job.signerName, job.usages, parsed.info);
  if (failure) return { failure };
  try {
    const certificate = await signParsedCsr(parsed, job.ca, {
      usages: job.usages,
      durationSeconds: job.durationSeconds,
      validity: 'csr-signer',
      now: new Date(job.nowMs),
    });
    return { certificate };
  } catch (e) {
    return { error: `error auto signing csr: ${(e as Error).message}` };
  }
}
