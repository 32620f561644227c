/**
 * @module controllers/csr-sign-worker
 *
 * The entry point of a CSR signing worker thread (`csr-sign-pool.ts`): each message is a
 * `SignJob` with an id; the answer is the `SignResult` with the same id. Parsing and signing a
 * certificate is ~5 ms of JavaScript (ASN.1 in @peculiar/x509), which here does not hold up the
 * API server's event loop.
 */
import { parentPort } from 'node:worker_threads';
import { runSignJob, type SignJob } from './csr-sign-job.js';

const port = parentPort;
if (!port) throw new Error('csr-sign-worker must run as a worker thread');
port.on('message', (msg: { id: number; job: SignJob }) => {
  void runSignJob(msg.job).then(
    (result) => port.postMessage({ id: msg.id, result }),
    (e: unknown) => port.postMessage({ id: msg.id, result: { error: String(e) } }),
  );
});
