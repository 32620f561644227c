/**
 * @module kubelet/node-state
 *
 * What the node agent knows about its node, read from this host (node:os, statfs of `/`): the
 * machine spec (`/spec/`, cAdvisor's MachineInfo JSON), the stats Summary (`/stats/summary`, the
 * shape of k8s.io/kubelet/pkg/apis/stats/v1alpha1 as pkg/kubelet/server/stats/summary.go builds
 * it) and the samples behind `/metrics/resource` and `/metrics/cadvisor`.
 *
 * The pods entries are added by routes.ts from the simulated pods (pods/pod-stats.ts); here the
 * Summary has `pods: []`.
 */
import { cpus, freemem, hostname, totalmem, uptime } from 'node:os';
import { statfsSync } from 'node:fs';

export interface NodeSample {
  timeIso: string;
  timeMs: number;
  cpuUsageCoreNanoSeconds: number;
  cpuUsageNanoCores: number;
  memoryUsageBytes: number;
  memoryAvailableBytes: number;
  memoryWorkingSetBytes: number;
  fs?: {
    capacityBytes: number;
    availableBytes: number;
    usedBytes: number;
    inodes: number;
    inodesFree: number;
  };
}

/** Go's time.Time RFC3339 JSON form, seconds precision. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function cpuNanoSeconds(): number {
  let ms = 0;
  for (const c of cpus()) ms += c.times.user + c.times.nice + c.times.sys + c.times.irq;
  return ms * 1e6;
}

export class NodeState {
  readonly startTimeMs: number;
  private last?: { t: number; cpu: number };

  constructor(
    readonly nodeName: string,
    private readonly now: () => number = Date.now,
  ) {
    this.startTimeMs = this.now() - uptime() * 1000;
  }

  sample(): NodeSample {
    const t = this.now();
    const cpu = cpuNanoSeconds();
    const rate =
      this.last && t > this.last.t ? Math.max(0, ((cpu - this.last.cpu) / (t - this.last.t)) * 1e3) : 0;
    this.last = { t, cpu };
    const total = totalmem();
    const free = freemem();
    let fs: NodeSample['fs'];
    try {
      const s = statfsSync('/');
      fs = {
        capacityBytes: s.blocks * s.bsize,
        availableBytes: s.bavail * s.bsize,
        usedBytes: (s.blocks - s.bfree) * s.bsize,
        inodes: s.files,
        inodesFree: s.ffree,
      };
    } catch {
      fs = undefined;
    }
    return {
      timeIso: rfc3339(t),
      timeMs: t,
      cpuUsageCoreNanoSeconds: Math.round(cpu),
      cpuUsageNanoCores: Math.round(rate),
      memoryUsageBytes: total - free,
      memoryAvailableBytes: free,
      memoryWorkingSetBytes: total - free,
      fs,
    };
  }

  /** `/stats/summary` (`only_cpu_and_memory=true` leaves out fs, network, rlimit). */
  summary(onlyCpuAndMemory: boolean): Record<string, unknown> {
    const s = this.sample();
    const node: Record<string, unknown> = {
      nodeName: this.nodeName,
      startTime: rfc3339(this.startTimeMs),
      cpu: {
        time: s.timeIso,
        usageNanoCores: s.cpuUsageNanoCores,
        usageCoreNanoSeconds: s.cpuUsageCoreNanoSeconds,
      },
      memory: {
        time: s.timeIso,
        availableBytes: s.memoryAvailableBytes,
        usageBytes: s.memoryUsageBytes,
        workingSetBytes: s.memoryWorkingSetBytes,
      },
    };
    if (!onlyCpuAndMemory && s.fs) {
      node.fs = {
        time: s.timeIso,
        availableBytes: s.fs.availableBytes,
        capacityBytes: s.fs.capacityBytes,
        usedBytes: s.fs.usedBytes,
        inodesFree: s.fs.inodesFree,
        inodes: s.fs.inodes,
        inodesUsed: s.fs.inodes - s.fs.inodesFree,
      };
    }
    return { node, pods: [] };
  }

  /** `/spec/`: cAdvisor MachineInfo (the fields this host can tell). */
  machineInfo(): Record<string, unknown> {
    const c = cpus();
    return {
      timestamp: new Date(this.now()).toISOString(),
      num_cores: c.length,
      num_physical_cores: c.length,
      num_sockets: 1,
      cpu_frequency_khz: (c[0]?.speed ?? 0) * 1000,
      memory_capacity: totalmem(),
      swap_capacity: 0,
      memory_by_type: {},
      hugepages: [],
      machine_id: '',
      system_uuid: '',
      boot_id: '',
      filesystems: [],
      disk_map: {},
      network_devices: [],
      topology: [],
      cloud_provider: 'Unknown',
      instance_type: 'Unknown',
      instance_id: 'None',
    };
  }
}

/** The host name the node is named after without --hostname-override (lower-cased, as upstream). */
export function defaultNodeName(): string {
  return hostname().toLowerCase();
}
