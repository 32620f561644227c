/**
 * @module kubelet/node-lease
 *
 * The node agent's heartbeat, after staging/src/k8s.io/component-helpers/apimachinery/lease
 * (controller.go) as pkg/kubelet/nodelease sets it up: the Lease `kube-node-lease/<node>` with
 * holderIdentity = the node name and leaseDurationSeconds (40), renewed every 0.25 × the duration
 * (10 s). It is found or created with backoff (200 ms doubling up to 7 s); a renewal that fails
 * is retried up to 5 times, a conflict re-reads the Lease. Once the Node exists the Lease gets an
 * ownerReference to it (setNodeOwnerFunc), so deleting the Node deletes its Lease.
 */
import type { KubeObject } from '../api/types.js';
import { apiCode, sleep, type NodeApi } from './api.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const MAX_UPDATE_RETRIES = 5;

/** metav1.MicroTime's JSON form (RFC 3339 with microseconds). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface NodeLeaseOptions {
  nodeName: string;
  leaseDurationSeconds: number;
  api: NodeApi;
  now?: () => number;
  log: (m: string) => void;
}

export class NodeLease {
  private lease?: KubeObject;
  private readonly now: () => number;
  private readonly path: string;

  constructor(private readonly o: NodeLeaseOptions) {
    this.now = o.now ?? Date.now;
    this.path = `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases/${o.nodeName}`;
  }

  /** Renew interval: 0.25 × the lease duration (nodelease.NewController's renewIntervalFraction). */
  get renewIntervalMs(): number {
    return this.o.leaseDurationSeconds * 250;
  }

  /** Runs until the signal aborts: ensure, then renew every interval. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.sync(signal);
      await sleep(this.renewIntervalMs, signal);
    }
  }

  /** One heartbeat: renew the known Lease, else find or create it. */
  async sync(signal: AbortSignal): Promise<void> {
    const known = this.lease;
    if (known) {
      for (let i = 0; i < MAX_UPDATE_RETRIES && !signal.aborted; i++) {
        try {
          this.lease = await this.o.api('PUT', this.path, await this.renewed(known));
          return;
        } catch (e) {
          this.o.log(`E failed to update lease, error: ${(e as Error).message}`);
          if (apiCode(e) === 409 || apiCode(e) === 404) break;
        }
      }
      this.lease = undefined;
    }
    await this.backoffEnsure(signal);
  }

  private async backoffEnsure(signal: AbortSignal): Promise<void> {
    let delay = 200;
    while (!signal.aborted) {
      try {
        await this.ensure();
        return;
      } catch (e) {
        this.o.log(
          `E failed to ensure lease exists, will retry in ${delay}ms, error: ${(e as Error).message}`,
        );
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 7000);
      }
    }
  }

  private async ensure(): Promise<void> {
    let cur: KubeObject | undefined;
    try {
      cur = (await this.o.api('GET', this.path)) as KubeObject;
    } catch (e) {
      if (apiCode(e) !== 404) throw e;
    }
    if (cur) {
      this.lease = await this.o.api('PUT', this.path, await this.renewed(cur));
      return;
    }
    const fresh: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.o.nodeName, namespace: NODE_LEASE_NAMESPACE },
      spec: {},
    };
    this.lease = await this.o.api(
      'POST',
      `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases`,
      await this.renewed(fresh),
    );
  }

  /** The Lease with holder, duration and renewTime set, and the Node as its owner once known. */
  private async renewed(base: KubeObject): Promise<KubeObject> {
    const l: KubeObject = { ...base, metadata: { ...base.metadata }, spec: { ...(base.spec as object) } };
    Object.assign(l.spec as object, {
      holderIdentity: this.o.nodeName,
      leaseDurationSeconds: this.o.leaseDurationSeconds,
      renewTime: microTime(this.now()),
    });
    if (!l.metadata!.ownerReferences?.length) {
      try {
        const node = (await this.o.api('GET', `/api/v1/nodes/${this.o.nodeName}`)) as KubeObject;
        if (node.metadata?.uid)
          l.metadata!.ownerReferences = [
            { apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: node.metadata.uid },
          ];
      } catch (e) {
        // Not registered yet: the owner is set on a later renewal (setNodeOwnerFunc).
        if (apiCode(e) !== 404)
          this.o.log(
            `E failed to get node when trying to set owner ref to the node lease: ${(e as Error).message}`,
          );
      }
    }
    return l;
  }
}
