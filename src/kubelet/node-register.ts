/**
 * @module kubelet/node-register
 *
 * Registration and the node status loop of pkg/kubelet/kubelet_node_status.go:
 * `registerWithAPIServer` (POST the initial Node with backoff, 100 ms doubling up to 7 s; when it
 * already exists, reconcile the default labels on it: `reconcileExistingNode`/`updateDefaultLabels`
 * — `--node-labels` only apply at creation), then every `nodeStatusUpdateFrequency` (10 s)
 * `updateNodeStatus`: the new status is PUT on `nodes/<name>/status` when it changed (heartbeat
 * times aside) or the last report is older than `nodeStatusReportFrequency` (5 min, the Lease
 * being the heartbeat), with up to 5 tries (nodeStatusUpdateRetry).
 */
import type { KubeObject } from '../api/types.js';
import { apiCode, sleep, type NodeApi } from './api.js';
import type { NodeState } from './node-state.js';
import { defaultLabels, initialNode, nodeStatus, statusChanged, type NodeIdentity } from './node-status.js';

const NODE_STATUS_UPDATE_RETRY = 5;

export interface NodeStatusOptions {
  id: NodeIdentity;
  state: NodeState;
  api: NodeApi;
  /** --register-node. */
  register: boolean;
  updateFrequencyMs: number;
  reportFrequencyMs?: number;
  now?: () => number;
  log: (m: string) => void;
}

export class NodeStatusReporter {
  private registered = false;
  private lastReportMs = -Infinity;
  private readonly now: () => number;

  constructor(private readonly o: NodeStatusOptions) {
    this.now = o.now ?? Date.now;
  }

  async run(signal: AbortSignal): Promise<void> {
    if (this.o.register) await this.registerWithApiServer(signal);
    while (!signal.aborted) {
      await this.updateNodeStatus(signal);
      await sleep(this.o.updateFrequencyMs, signal);
    }
  }

  async registerWithApiServer(signal: AbortSignal): Promise<void> {
    let delay = 100;
    while (!signal.aborted && !this.registered) {
      try {
        this.registered = await this.tryRegister();
        if (this.registered) this.o.log(`I Successfully registered node node="${this.o.id.nodeName}"`);
      } catch (e) {
        this.o.log(`E Unable to register node with API server err="${(e as Error).message}"`);
      }
      if (this.registered) return;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 7000);
    }
  }

  private async tryRegister(): Promise<boolean> {
    const node = initialNode(this.o.id, this.o.state, this.now());
    try {
      await this.o.api('POST', '/api/v1/nodes', node);
      this.lastReportMs = this.now();
      return true;
    } catch (e) {
      if (apiCode(e) !== 409) throw e;
    }
    const existing = (await this.o.api('GET', `/api/v1/nodes/${this.o.id.nodeName}`)) as KubeObject;
    const labels = { ...(existing.metadata?.labels ?? {}) };
    let changed = false;
    for (const [k, v] of Object.entries(defaultLabels(this.o.id))) {
      if (labels[k] !== v) {
        labels[k] = v;
        changed = true;
      }
    }
    if (changed) {
      await this.o.api('PUT', `/api/v1/nodes/${this.o.id.nodeName}`, {
        ...existing,
        metadata: { ...existing.metadata, labels },
      });
    }
    return true;
  }

  /** updateNodeStatus: up to 5 tries of tryUpdateNodeStatus. */
  async updateNodeStatus(signal: AbortSignal): Promise<void> {
    for (let i = 0; i < NODE_STATUS_UPDATE_RETRY && !signal.aborted; i++) {
      try {
        await this.tryUpdateNodeStatus();
        return;
      } catch (e) {
        this.o.log(`E Error updating node status, will retry err="${(e as Error).message}"`);
      }
    }
  }

  private async tryUpdateNodeStatus(): Promise<void> {
    const path = `/api/v1/nodes/${this.o.id.nodeName}`;
    const node = (await this.o.api('GET', path)) as KubeObject;
    const old = node.status as Record<string, any> | undefined;
    const nowMs = this.now();
    const status = nodeStatus(this.o.id, this.o.state, old, nowMs);
    const due = nowMs - this.lastReportMs >= (this.o.reportFrequencyMs ?? 5 * 60_000);
    if (!due && !statusChanged(old, status)) return;
    await this.o.api('PUT', `${path}/status`, { ...node, status });
    this.lastReportMs = nowMs;
  }
}
