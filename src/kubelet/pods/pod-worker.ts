/**
 * @module kubelet/pods/pod-worker
 *
 * One simulated pod on this node (pkg/kubelet/pod_workers.go's job, simulated as kwok does):
 * Pending with every container `ContainerCreating`, then each container runs (container.ts) and
 * its exit is handled by `restartPolicy` (kuberuntime computePodActions): Always restarts it,
 * OnFailure restarts it after a non-zero exit, Never leaves it terminated; a restart waits the
 * crash back-off (10 s doubling to 5 min, `CrashLoopBackOff` meanwhile) and increments
 * restartCount. Every change is written through `pods/status` (status-writer in runtime.ts).
 * `terminate(graceSeconds)` stops the containers: SIGTERM, then SIGKILL when the grace period ends.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { runContainer, rfc3339Nano, type ContainerSpec } from './container.js';
import type { ContainerRecord } from './pod-status.js';

const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

function metaTime(d = new Date()): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A stable, plausible image digest (there is no registry: the image is never pulled). */
export function imageID(image: string): string {
  const repo = image.replace(/[:@].*$/, '');
  const full = repo.includes('/') ? repo : `docker.io/library/${repo}`;
  return `${full}@sha256:${createHash('sha256').update(image).digest('hex')}`;
}

export interface PodWorkerDeps {
  /** The pod's directory (logs/, volumes/). */
  dir: string;
  /** Called after every status change. */
  changed: () => void;
  files: (p: string) => string | undefined;
  env: Record<string, string>;
  backoffInitialMs?: number;
  onLog?: () => void;
}

export class PodWorker {
  readonly records: ContainerRecord[];
  readonly startTime = metaTime();
  private readonly term = new AbortController();
  private readonly kill = new AbortController();
  private runs: Promise<void>[] = [];
  terminating = false;

  constructor(
    public pod: KubeObject,
    private readonly d: PodWorkerDeps,
  ) {
    this.records = this.specs().map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: '',
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      started: false,
    }));
  }

  specs(): ContainerSpec[] {
    const cs = (this.pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers;
    return Array.isArray(cs) ? cs : [];
  }

  /** The log file of a container's run (`<dir>/<container>/<restartCount>.log`, as /var/log/pods). */
  logFile(container: string, restartCount: number): string {
    return path.join(this.d.dir, container, `${restartCount}.log`);
  }

  start(): void {
    this.runs = this.specs().map((c, i) => this.loop(c, this.records[i]));
  }

  private async loop(spec: ContainerSpec, rec: ContainerRecord): Promise<void> {
    const policy = (this.pod.spec as { restartPolicy?: string })?.restartPolicy ?? 'Always';
    let backoff = this.d.backoffInitialMs ?? BACKOFF_INITIAL_MS;
    // The simulated image pull and sandbox set-up.
    await this.wait(300);
    while (!this.term.signal.aborted) {
      mkdirSync(path.join(this.d.dir, spec.name), { recursive: true, mode: 0o750 });
      const containerID = `containerd://${randomBytes(32).toString('hex')}`;
      const startedAt = metaTime();
      Object.assign(rec, {
        imageID: imageID(rec.image),
        containerID,
        state: { running: { startedAt } },
        started: true,
      });
      this.d.changed();
      const env = { ...this.d.env };
      for (const e of spec.env ?? []) if (e?.name && typeof e.value === 'string') env[e.name] = e.value;
      const code = await runContainer(spec, {
        logFile: this.logFile(spec.name, rec.restartCount),
        env,
        files: this.d.files,
        term: this.term.signal,
        kill: this.kill.signal,
        onLog: this.d.onLog,
      });
      const terminated = {
        exitCode: code,
        reason: code === 0 ? 'Completed' : 'Error',
        startedAt,
        finishedAt: metaTime(),
        containerID,
      };
      rec.state = { terminated };
      this.d.changed();
      const restart = policy === 'Always' || (policy === 'OnFailure' && code !== 0);
      if (!restart || this.term.signal.aborted) return;
      const p = this.pod.metadata ?? {};
      rec.lastState = { terminated };
      rec.state = {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${backoff / 1000}s restarting failed container=${spec.name} pod=${p.name}_${p.namespace}(${p.uid})`,
        },
      };
      this.d.changed();
      await this.wait(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
      if (this.term.signal.aborted) {
        rec.state = rec.lastState as ContainerRecord['state'];
        return;
      }
      rec.restartCount++;
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const s = this.term.signal;
      function done() {
        clearTimeout(t);
        s.removeEventListener('abort', done);
        resolve();
      }
      s.addEventListener('abort', done);
    });
  }

  /** SIGTERM now, SIGKILL after the grace period; resolves when every container has stopped. */
  async terminate(graceSeconds: number): Promise<void> {
    this.terminating = true;
    this.term.abort();
    const t = setTimeout(() => this.kill.abort(), Math.max(0, graceSeconds) * 1000);
    await Promise.allSettled(this.runs);
    clearTimeout(t);
    for (const r of this.records)
      if ('waiting' in r.state)
        r.state = {
          terminated: {
            exitCode: 0,
            reason: 'ContainerStatusUnknown',
            startedAt: this.startTime,
            finishedAt: metaTime(),
            containerID: r.containerID,
          },
        };
  }

  /** Ends everything at once (the pod is gone from the API). */
  stop(): void {
    this.term.abort();
    this.kill.abort();
  }
}

export { rfc3339Nano };
