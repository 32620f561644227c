/**
 * @module controllers/csr-sign-worker
 *
 * The entry point of a CSR signing worker thread (`csr-sign-pool.ts`): each message is a
 * `SignJob` with an id; the answer is the `SignResult` with the same id. Parsing and signing a
 * certificate is ~5 ms of JavaScript (ASN.1 in @peculiar/x509), which here does not hold up the
 * API server's event loop.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { SIGNING_THREAD_NICE, runSignJob, type SignJob } from './csr-sign-job.js';

const port = parentPort;
if (!port) throw new Error('csr-sign-worker must run as a worker thread');

/**
 * Signing is background work: the thread runs at nice 10, so that on a busy machine the event
 * loop answering requests (and everything else at nice 0) gets the CPU first. On Linux
 * setpriority(PRIO_PROCESS, tid) changes one thread; the thread's id is the last part of
 * /proc/thread-self. Raising one's own nice value needs no privilege. Elsewhere: left as is.
 */
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, SIGNING_THREAD_NICE);
} catch {
  // Not Linux, or /proc not mounted: the thread keeps the process's priority.
}
port.on('message', (msg: { id: number; job: SignJob }) => {
  void runSignJob(msg.job).then(
    (result) => port.postMessage({ id: msg.id, result }),
    (e: unknown) => port.postMessage({ id: msg.id, result: { error: String(e) } }),
  );
});
