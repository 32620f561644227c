/**
 * @module controllers/csr-sign-pool
 *
 * A small pool of `node:worker_threads` workers for the CSR signer, so that signing does not
 * stall other requests (BENCHMARKS.md "CSR signing"). Jobs go to the least busy worker; workers
 * start on first use, do not keep the process alive, and are replaced when one dies (its jobs
 * fail with an error and are retried by the signer's queue). With `size` 0 jobs run on the
 * event loop. The worker file is `csr-sign-worker.js` beside this module, or `.ts` when this
 * module runs from source (then the worker registers tsx's loader first).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runSignJob, type SignJob, type SignResult } from './csr-sign-job.js';

/** Default pool size: one core is left to the event loop; at most 4 workers. */
export function defaultSigningWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');

interface Slot {
  worker: Worker;
  jobs: Map<number, (r: SignResult) => void>;
}

export class SigningPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly log: (m: string) => void = () => undefined,
  ) {}

  sign(job: SignJob): Promise<SignResult> {
    if (this.closed) return Promise.resolve({ error: 'signing pool closed' });
    if (this.size <= 0) return runSignJob(job);
    const slot = this.pick();
    const id = this.nextId++;
    return new Promise((resolve) => {
      slot.jobs.set(id, resolve);
      slot.worker.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) for (const r of s.jobs.values()) r({ error: 'signing pool closed' });
  }

  private pick(): Slot {
    if (this.slots.length < this.size) {
      const idle = this.slots.find((s) => s.jobs.size === 0);
      if (idle) return idle;
      return this.spawn();
    }
    return this.slots.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  }

  private spawn(): Slot {
    const url = new URL(`./csr-sign-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);
    // From source (tests under tsx) the worker registers tsx's loader before importing the
    // TypeScript entry (Node 20 does not apply `--import` hooks to a worker's entry module).
    const worker = FROM_SOURCE
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(url.href)}); });`,
          { eval: true },
        )
      : new Worker(url);
    worker.unref();
    const slot: Slot = { worker, jobs: new Map() };
    worker.on('message', (m: { id: number; result: SignResult }) => {
      const r = slot.jobs.get(m.id);
      slot.jobs.delete(m.id);
      r?.(m.result);
    });
    const fail = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      for (const r of slot.jobs.values()) r({ error: why });
      slot.jobs.clear();
    };
    worker.on('error', (e) => {
      this.log(`csr signer: signing worker failed: ${e.message}`);
      fail(`signing worker failed: ${e.message}`);
    });
    worker.on('exit', (code) => fail(`signing worker exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }
}
