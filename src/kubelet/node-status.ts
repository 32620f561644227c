/**
 * @module kubelet/node-status
 *
 * The node agent's Node object, after pkg/kubelet/kubelet_node_status.go and
 * pkg/kubelet/nodestatus/setters.go: `initialNode` (labels `kubernetes.io/hostname`,
 * `kubernetes.io/os`, `kubernetes.io/arch` and their `beta.` forms, then `--node-labels`;
 * addresses InternalIP from `--node-ip` (else this host's first non-loopback IPv4) and Hostname;
 * capacity and allocatable of this host; the MemoryPressure, DiskPressure, PIDPressure and Ready
 * conditions with upstream's reasons and messages; nodeInfo; the kubelet endpoint), and the
 * `--node-labels` check of cmd/kubelet/app/options/options.go `ValidateKubeletFlags`.
 */
import { arch, cpus, networkInterfaces, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { KUBELET_LABEL_NAMESPACES, KUBELET_LABELS, isKubeletLabel } from '../admission/noderestriction.js';
import { isQualifiedName, isValidLabelValue } from '../registry/names.js';
import type { KubeObject } from '../api/types.js';
import type { NodeState } from './node-state.js';

type Obj = Record<string, any>;

/** The version the agent reports (the API server's KUBERNETES_VERSION). */
export const KUBELET_VERSION = 'v1.33.0+kubeauth';
/** Default eviction threshold memory.available<100Mi, kept out of allocatable. */
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;

export interface NodeIdentity {
  nodeName: string;
  /** The host name (--hostname-override, else this host's), lower-cased. */
  hostname: string;
  nodeIps: string[];
  /** --node-labels. */
  labels: Record<string, string>;
  kubeletPort: number;
}

/** Go's GOARCH for this process. */
export function goArch(): string {
  const a = arch();
  return a === 'x64' ? 'amd64' : a === 'ia32' ? '386' : a;
}

/** `--node-labels` (a mapStringString flag: `k1=v1,k2=v2`). */
export function parseNodeLabels(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf('=');
    if (i < 0) throw new Error(`malformed pair, expect string=string`);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

const labelNamespace = (k: string) => (k.includes('/') ? k.slice(0, k.indexOf('/')) : '');
function isKubernetesLabel(k: string): boolean {
  const ns = labelNamespace(k);
  return ns === 'kubernetes.io' || ns.endsWith('.kubernetes.io') || ns === 'k8s.io' || ns.endsWith('.k8s.io');
}

/** ValidateKubeletFlags' label checks: the error text, or undefined. */
export function validateNodeLabels(labels: Record<string, string>): string | undefined {
  const unknown = Object.keys(labels)
    .filter((k) => isKubernetesLabel(k) && !isKubeletLabel(k))
    .sort();
  if (unknown.length) {
    return (
      `unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [${unknown.join(' ')}]\n` +
      `--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix ` +
      `(${[...KUBELET_LABEL_NAMESPACES].sort().join(', ')}) or be in the specifically allowed set ` +
      `(${[...KUBELET_LABELS].sort().join(', ')})`
    );
  }
  const errs: string[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const ke = isQualifiedName(k);
    if (ke.length) errs.push(`'${k}' - ${ke.join(', ')}`);
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(`'${v}' - ${ve.join(', ')}`);
  }
  return errs.length ? `invalid node labels: ${errs.join('; ')}` : undefined;
}

/** The labels the kubelet owns and reconciles on an existing Node (updateDefaultLabels). */
export function defaultLabels(id: NodeIdentity): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': goArch(),
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': goArch(),
    'kubernetes.io/hostname': id.hostname,
    'kubernetes.io/os': 'linux',
  };
}

export function firstHostIp(): string | undefined {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') return a.address;
  return undefined;
}

function readTrim(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readTrim('/etc/os-release'));
  return m?.[1] ?? 'Linux';
}

/** Go's metav1.Time JSON form (seconds). */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const CONDITIONS: [type: string, status: string, reason: string, message: string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/**
 * The status the kubelet posts: every setter's result. A condition keeps its lastTransitionTime
 * while its status stays the same (setters.go); lastHeartbeatTime is now.
 */
export function nodeStatus(id: NodeIdentity, state: NodeState, prev: Obj | undefined, nowMs: number): Obj {
  const now = metaTime(nowMs);
  const mem = totalmem();
  const fs = state.sample().fs;
  const capacity: Record<string, string> = {
    cpu: String(cpus().length),
    'ephemeral-storage': `${Math.floor((fs?.capacityBytes ?? 0) / 1024)}Ki`,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${Math.floor(mem / 1024)}Ki`,
    pods: '110',
  };
  const allocatable = {
    ...capacity,
    // nodefs.available<10% is kept out of allocatable ephemeral storage.
    'ephemeral-storage': String(Math.floor((fs?.capacityBytes ?? 0) * 0.9)),
    memory: `${Math.floor(Math.max(0, mem - EVICTION_MEMORY_BYTES) / 1024)}Ki`,
  };
  const ips = id.nodeIps.length ? id.nodeIps : [firstHostIp()].filter((x): x is string => !!x);
  const old: Obj[] = Array.isArray(prev?.conditions) ? prev.conditions : [];
  const conditions = CONDITIONS.map(([type, status, reason, message]) => {
    const o = old.find((c) => c?.type === type);
    const lastTransitionTime = o && o.status === status ? (o.lastTransitionTime ?? now) : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  });
  return {
    capacity,
    allocatable,
    conditions,
    addresses: [
      ...ips.map((address) => ({ type: 'InternalIP', address })),
      { type: 'Hostname', address: id.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: {
      machineID: readTrim('/etc/machine-id'),
      systemUUID: readTrim('/sys/class/dmi/id/product_uuid'),
      bootID: readTrim('/proc/sys/kernel/random/boot_id'),
      kernelVersion: release(),
      osImage: osImage(),
      containerRuntimeVersion: '',
      kubeletVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: goArch(),
    },
  };
}

/** initialNode: the Node the kubelet registers. */
export function initialNode(id: NodeIdentity, state: NodeState, nowMs: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.nodeName,
      labels: { ...defaultLabels(id), ...id.labels },
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {},
    status: nodeStatus(id, state, undefined, nowMs),
  };
}

/** Whether a status differs from the last one posted, heartbeat times aside (nodeStatusHasChanged). */
export function statusChanged(a: Obj | undefined, b: Obj): boolean {
  const strip = (s: Obj | undefined) =>
    JSON.stringify({
      ...(s ?? {}),
      conditions: (s?.conditions ?? []).map((c: Obj) => ({ ...c, lastHeartbeatTime: undefined })),
    });
  return strip(a) !== strip(b);
}
