/**
 * @module kubelet/pods/pod-stats
 *
 * The `pods` entries of `/stats/summary` (k8s.io/kubelet/pkg/apis/stats/v1alpha1 PodStats) and
 * the `/runningpods/` list (pkg/kubelet/server/server.go getRunningPods: the runtime's view,
 * name/namespace/uid and containers' name and image only). The values are simulated: a simulated
 * container uses no CPU and a fixed 4 MiB of memory while running.
 */
import type { KubeObject } from '../../api/types.js';
import type { PodWorker } from './pod-worker.js';

const MEMORY = 4 * 1024 * 1024;

export function podStats(workers: PodWorker[], now = new Date()): Record<string, unknown>[] {
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return workers.map((w) => {
    const md = w.pod.metadata ?? {};
    const running = w.records.filter((r) => 'running' in r.state);
    const cpu = { time, usageNanoCores: 0, usageCoreNanoSeconds: 0 };
    const memory = (n: number) => ({
      time,
      availableBytes: undefined,
      usageBytes: n,
      workingSetBytes: n,
      rssBytes: n,
      pageFaults: 0,
      majorPageFaults: 0,
    });
    return {
      podRef: { name: md.name, namespace: md.namespace, uid: md.uid },
      startTime: w.startTime,
      containers: running.map((r) => ({
        name: r.name,
        startTime: 'running' in r.state ? r.state.running.startedAt : w.startTime,
        cpu,
        memory: memory(MEMORY),
        rootfs: { time, usedBytes: 0, inodesUsed: 0 },
        logs: { time, usedBytes: 0, inodesUsed: 0 },
      })),
      cpu,
      memory: memory(MEMORY * running.length),
      network: { time, name: 'eth0', rxBytes: 0, rxErrors: 0, txBytes: 0, txErrors: 0 },
      'ephemeral-storage': { time, usedBytes: 0, inodesUsed: 0 },
      process_stats: { process_count: running.length },
    };
  });
}

export function runningPods(workers: PodWorker[]): KubeObject {
  const items = workers
    .filter((w) => w.records.some((r) => 'running' in r.state))
    .map((w) => ({
      metadata: {
        name: w.pod.metadata?.name,
        namespace: w.pod.metadata?.namespace,
        uid: w.pod.metadata?.uid,
        creationTimestamp: null,
      },
      spec: {
        containers: w.records
          .filter((r) => 'running' in r.state)
          .map((r) => ({ name: r.name, image: r.image, resources: {} })),
      },
      status: {},
    }));
  return { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: items.length ? items : null } as never;
}
