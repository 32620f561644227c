/**
 * @module kubelet/node-agent
 *
 * The node lifecycle half of `kubeauth kubelet`, from its flags: with `--kubeconfig`, register the
 * Node (`--register-node`, `--node-labels` checked at start-up as upstream), keep its status
 * (`--node-status-update-frequency`) and renew its Lease (`--node-lease-duration-seconds`); the
 * KubeletConfiguration fields registerNode, nodeStatusUpdateFrequency, nodeStatusReportFrequency
 * and nodeLeaseDurationSeconds set the same (flags win). The pods bound to the node run in the
 * simulated pod runtime (pods/runtime.ts; `--root-dir`, `--pod-cidr`).
 * Without `--kubeconfig` the agent is standalone (upstream: "No API server defined - no node
 * status update will be sent"). `stop()` ends the heartbeat; the Node is not deleted.
 */
import { FlagError, type FlagValues } from '../cli/flags.js';
import type { KubeletServing } from './config.js';
import { nodeApiFromKubeconfig } from './api.js';
import { NodeLease } from './node-lease.js';
import { NodeStatusReporter } from './node-register.js';
import { NodeState } from './node-state.js';
import { firstHostIp, parseNodeLabels, validateNodeLabels } from './node-status.js';
import { defaultPodCidr, parseCidr, PodRuntime } from './pods/runtime.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface NodeAgent {
  start(kubeletPort: number): void;
  /** The simulated pods (kubelet/pods/runtime.ts). */
  pods: PodRuntime;
  stop(): Promise<void>;
}

export function nodeAgentFromFlags(
  f: FlagValues,
  config: KubeletServing,
  o: { nodeName: string; nodeIps: string[]; kubeconfig: string; log: (m: string) => void },
): NodeAgent | undefined {
  let labels: Record<string, string>;
  try {
    labels = parseNodeLabels(String(f['node-labels'] ?? ''));
  } catch (e) {
    throw new FlagError(
      `invalid argument "${String(f['node-labels'])}" for "--node-labels" flag: ${(e as Error).message}`,
    );
  }
  const bad = validateNodeLabels(labels);
  if (bad) throw new FlagError(`failed to validate kubelet flags: ${bad}`);
  const updateMs = config.nodeStatusUpdateFrequencyMs;
  if (!(updateMs > 0))
    throw new FlagError(
      'invalid configuration: nodeStatusUpdateFrequency (--node-status-update-frequency) must be greater than 0',
    );
  const leaseSeconds = config.nodeLeaseDurationSeconds;
  if (!Number.isInteger(leaseSeconds) || leaseSeconds <= 0)
    throw new FlagError(
      `invalid configuration: nodeLeaseDurationSeconds (--node-lease-duration-seconds ${leaseSeconds}) must be greater than 0`,
    );
  const podCidr = String(f['pod-cidr'] ?? '') || defaultPodCidr(o.nodeName);
  if (!parseCidr(podCidr))
    throw new FlagError(
      `invalid argument "${podCidr}" for "--pod-cidr" flag: not an IPv4 CIDR of /30 or larger`,
    );
  const rootDir = String(f['root-dir'] ?? '/var/lib/kubelet');
  if (!o.kubeconfig) {
    o.log('I No API server defined - no node status update will be sent');
    return undefined;
  }
  const api = nodeApiFromKubeconfig(o.kubeconfig);
  try {
    mkdirSync(path.join(rootDir, 'pods'), { recursive: true, mode: 0o750 });
  } catch (e) {
    throw new FlagError(`--root-dir ${rootDir}: ${(e as Error).message}`);
  }
  const pods = new PodRuntime({
    nodeName: o.nodeName,
    hostIP: o.nodeIps[0] ?? firstHostIp() ?? '127.0.0.1',
    podCidr,
    rootDir,
    api,
    kubeconfig: o.kubeconfig,
    log: o.log,
  });
  const ac = new AbortController();
  const runs: Promise<void>[] = [];
  return {
    start(kubeletPort) {
      const id = { nodeName: o.nodeName, hostname: o.nodeName, nodeIps: o.nodeIps, labels, kubeletPort };
      const status = new NodeStatusReporter({
        id,
        state: new NodeState(o.nodeName),
        api,
        register: config.registerNode,
        updateFrequencyMs: updateMs,
        reportFrequencyMs: config.nodeStatusReportFrequencyMs,
        log: o.log,
      });
      const lease = new NodeLease({
        nodeName: o.nodeName,
        leaseDurationSeconds: leaseSeconds,
        api,
        log: o.log,
      });
      runs.push(status.run(ac.signal), lease.run(ac.signal));
      pods.start();
    },
    pods,
    async stop() {
      ac.abort();
      runs.push(pods.stop());
      // A call in flight is not waited for past 2 s (it times out on its own).
      let t: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((r) => (t = setTimeout(r, 2000)));
      await Promise.race([Promise.allSettled(runs), cap]);
      clearTimeout(t);
    },
  };
}
