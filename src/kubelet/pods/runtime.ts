/**
 * @module kubelet/pods/runtime
 *
 * The simulated pod runtime of `kubeauth kubelet` (no containers run: pods are simulated, as
 * kwok does). The pods bound to this node (pod-watch.ts) each get a PodWorker; their status is
 * written through `pods/status` with the node's identity (the status manager's job): phase,
 * conditions, containerStatuses, hostIP, podIP (from the node's pod CIDR), startTime, qosClass.
 * A pod with a deletionTimestamp is terminated within its grace period, its final status written,
 * then removed with a DELETE carrying `gracePeriodSeconds: 0` and its uid as precondition
 * (status_manager.go canBeDeleted/deletePod). Projected service-account tokens: token-volume.ts.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { apiCode, type NodeApi } from '../api.js';
import { watchNodePods, type PodEvent } from './pod-watch.js';
import { podStatus } from './pod-status.js';
import { PodWorker } from './pod-worker.js';
import { TokenVolume } from './token-volume.js';

export interface PodRuntimeOptions {
  nodeName: string;
  hostIP: string;
  /** IPv4 CIDR pod IPs come from (hosts .2 onwards). */
  podCidr: string;
  /** Per-pod directories: `<rootDir>/pods/<uid>/` (logs and volumes). */
  rootDir: string;
  api: NodeApi;
  kubeconfig: string;
  log: (m: string) => void;
  backoffInitialMs?: number;
}

interface Entry {
  worker: PodWorker;
  ip?: string;
  token?: TokenVolume;
  writing?: Promise<void>;
  dirty: boolean;
  gone: boolean;
}

function ipv4(s: string): number {
  return s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}

/** The pod CIDR kubeauth picks for a node without --pod-cidr: 10.244.<hash of the name>.0/24. */
export function defaultPodCidr(nodeName: string): string {
  let h = 0;
  for (const c of nodeName) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `10.244.${h % 256}.0/24`;
}

export function parseCidr(s: string): { base: number; size: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 30) return undefined;
  const size = 2 ** (32 - Number(m[5]));
  return { base: ipv4(m.slice(1, 5).join('.')) - (ipv4(m.slice(1, 5).join('.')) % size), size };
}

export class PodRuntime {
  private readonly entries = new Map<string, Entry>();
  private readonly ac = new AbortController();
  private run?: Promise<void>;
  private readonly cidr: { base: number; size: number };
  /** Called whenever a container writes a log line (followers wake up). */
  onLog?: () => void;

  constructor(private readonly o: PodRuntimeOptions) {
    const c = parseCidr(o.podCidr);
    if (!c) throw new Error(`invalid pod CIDR ${o.podCidr}`);
    this.cidr = c;
  }

  start(): void {
    this.run = watchNodePods({
      nodeName: this.o.nodeName,
      api: this.o.api,
      kubeconfig: this.o.kubeconfig,
      signal: this.ac.signal,
      log: this.o.log,
      onSync: (pods) => {
        const uids = new Set(pods.map((p) => p.metadata?.uid ?? ''));
        for (const [uid, e] of this.entries) if (!uids.has(uid)) this.forget(uid, e);
        for (const p of pods) this.observe({ type: 'MODIFIED', pod: p });
      },
      onEvent: (ev) => this.observe(ev),
    });
  }

  async stop(): Promise<void> {
    this.ac.abort();
    for (const [uid, e] of this.entries) {
      e.worker.stop();
      e.token?.stop();
      this.entries.delete(uid);
    }
    await this.run;
  }

  /** The pods this node runs, with the status the kubelet computed. */
  pods(): KubeObject[] {
    return [...this.entries.values()].map((e) => ({ ...e.worker.pod, status: this.status(e) }));
  }

  workers(): PodWorker[] {
    return [...this.entries.values()].map((e) => e.worker);
  }

  find(ns: string, name: string): PodWorker | undefined {
    for (const e of this.entries.values()) {
      const md = e.worker.pod.metadata;
      if (md?.namespace === ns && md?.name === name) return e.worker;
    }
    return undefined;
  }

  private status(e: Entry): Record<string, unknown> {
    return podStatus(e.worker.pod, e.worker.records, {
      hostIP: this.o.hostIP,
      podIP: e.ip,
      startTime: e.worker.startTime,
      now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  }

  private allocateIp(): string | undefined {
    const used = new Set([...this.entries.values()].map((e) => e.ip));
    for (let i = 2; i < this.cidr.size - 1; i++) {
      const n = this.cidr.base + i;
      const ip = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
      if (!used.has(ip)) return ip;
    }
    return undefined;
  }

  private observe(ev: PodEvent): void {
    const pod = ev.pod;
    const uid = pod.metadata?.uid ?? '';
    if (!uid) return;
    let e = this.entries.get(uid);
    if (ev.type === 'DELETED') {
      if (e) this.forget(uid, e);
      return;
    }
    if ((pod.spec as { nodeName?: string })?.nodeName !== this.o.nodeName) return;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (!e) {
      if (phase === 'Succeeded' || phase === 'Failed') {
        // Finished before this kubelet started: nothing to run; removed once deleted.
        if (pod.metadata?.deletionTimestamp) void this.remove(pod);
        return;
      }
      const dir = path.join(this.o.rootDir, 'pods', uid);
      const token = new TokenVolume(pod, this.o.api, dir, this.o.log);
      const md = pod.metadata ?? {};
      const worker = new PodWorker(pod, {
        dir: path.join(dir, 'logs'),
        changed: () => this.changed(uid),
        files: (p) => (p === '/etc/hostname' ? `${md.name}\n` : token.files.get(p)),
        env: {
          PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          HOSTNAME: md.name ?? '',
        },
        backoffInitialMs: this.o.backoffInitialMs,
        onLog: () => this.onLog?.(),
      });
      e = { worker, token, dirty: false, gone: false, ip: this.allocateIp() };
      this.entries.set(uid, e);
      this.changed(uid);
      const started = e;
      void token
        .fill()
        .catch((err: unknown) =>
          this.o.log(`E pod ${md.namespace}/${md.name}: token volume: ${(err as Error).message}`),
        )
        .finally(() => {
          if (!started.gone && !pod.metadata?.deletionTimestamp) worker.start();
        });
    } else e.worker.pod = pod;
    if (pod.metadata?.deletionTimestamp && !e.worker.terminating) void this.terminate(uid, e);
  }

  private async terminate(uid: string, e: Entry): Promise<void> {
    const pod = e.worker.pod;
    const grace =
      pod.metadata?.deletionGracePeriodSeconds ??
      (pod.spec as { terminationGracePeriodSeconds?: number })?.terminationGracePeriodSeconds ??
      30;
    await e.worker.terminate(grace);
    e.token?.stop();
    await this.changed(uid);
    while (e.writing) await e.writing;
    await this.remove(e.worker.pod);
    this.forget(uid, e);
  }

  /** The kubelet's final DELETE: gracePeriodSeconds 0, the uid as precondition. */
  private async remove(pod: KubeObject): Promise<void> {
    const md = pod.metadata ?? {};
    try {
      await this.o.api('DELETE', `/api/v1/namespaces/${md.namespace}/pods/${md.name}`, {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: md.uid },
      });
    } catch (err) {
      if (apiCode(err) !== 404 && apiCode(err) !== 409)
        this.o.log(`E pod ${md.namespace}/${md.name}: delete: ${(err as Error).message}`);
    }
  }

  private forget(uid: string, e: Entry): void {
    e.gone = true;
    e.worker.stop();
    e.token?.stop();
    this.entries.delete(uid);
    rmSync(path.join(this.o.rootDir, 'pods', uid), { recursive: true, force: true });
  }

  /** Marks the pod's status dirty and writes it (one write in flight per pod; the latest wins). */
  private changed(uid: string): Promise<void> {
    const e = this.entries.get(uid);
    if (!e) return Promise.resolve();
    e.dirty = true;
    if (!e.writing)
      e.writing = this.write(e).finally(() => {
        e.writing = undefined;
      });
    return e.writing;
  }

  private async write(e: Entry): Promise<void> {
    while (e.dirty && !e.gone && !this.ac.signal.aborted) {
      e.dirty = false;
      const md = e.worker.pod.metadata ?? {};
      const p = `/api/v1/namespaces/${md.namespace}/pods/${md.name}/status`;
      for (let attempt = 0; attempt < 5 && !e.gone; attempt++) {
        try {
          const cur = e.worker.pod;
          const next = await this.o.api('PUT', p, { ...cur, status: this.status(e) });
          if (next?.metadata?.uid === md.uid) e.worker.pod = next as KubeObject;
          break;
        } catch (err) {
          const code = apiCode(err);
          if (code === 404) return;
          if (code === 409) {
            try {
              const fresh = (await this.o.api(
                'GET',
                `/api/v1/namespaces/${md.namespace}/pods/${md.name}`,
              )) as KubeObject;
              if (fresh.metadata?.uid !== md.uid) return;
              e.worker.pod = fresh;
            } catch {
              return;
            }
            continue;
          }
          this.o.log(`E pod ${md.namespace}/${md.name}: status update: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  }
}
