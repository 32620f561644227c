/**
 * The local APIServices of kube-aggregator, in-process:
 *
 * - At every start (upstream's autoregister controller with the `onstart` set,
 *   pkg/controlplane/apiserver/aggregator.go apiServicesToRegister): one APIService
 *   `<version>.<group>` per served built-in group version that upstream's priority table lists,
 *   with `spec.service: null`, the table's groupPriorityMinimum/versionPriority and the label
 *   `kube-aggregator.kubernetes.io/automanaged: onstart`. Entries with other priorities are
 *   corrected; `onstart` entries for group versions no longer served are deleted.
 * - Availability (kube-aggregator's AvailableConditionController): a local APIService is
 *   `Available=True`, reason `Local`. kubeauth does not proxy to extension API servers, so an
 *   APIService with `spec.service` is stored and reported `Available=False`, reason
 *   `ProxyNotSupported`.
 *
 * @module
 */
import { ApiError } from '../api/errors.js';
import { deepCopy, timestamp } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { InternalClient } from '../apiserver/internal-client.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { groupVersions } from '../registry/index.js';
import { WorkQueue } from './work-queue.js';

const GROUP = 'apiregistration.k8s.io';
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/**
 * Group and version priorities of the built-in group versions (DefaultGenericAPIServicePriorities
 * of pkg/controlplane/apiserver/apis.go merged with apiVersionPriorities of
 * pkg/controlplane/apiserver/aggregator.go, kube-apiserver 1.33), for the versions kubeauth can
 * serve. A group version missing here gets no APIService, as upstream's makeAPIService skips it.
 */
export const API_VERSION_PRIORITIES: Readonly<Record<string, { group: number; version: number }>> = {
  v1: { group: 18000, version: 1 },
  'apps/v1': { group: 17800, version: 15 },
  'events.k8s.io/v1': { group: 17750, version: 15 },
  'authentication.k8s.io/v1': { group: 17700, version: 15 },
  'authentication.k8s.io/v1beta1': { group: 17700, version: 9 },
  'authorization.k8s.io/v1': { group: 17600, version: 15 },
  'autoscaling/v1': { group: 17500, version: 15 },
  'autoscaling/v2': { group: 17500, version: 30 },
  'batch/v1': { group: 17400, version: 15 },
  'certificates.k8s.io/v1': { group: 17300, version: 15 },
  // kube-apiserver 1.21's priority for the CSR v1beta1 it still served.
  'certificates.k8s.io/v1beta1': { group: 17300, version: 9 },
  'networking.k8s.io/v1': { group: 17200, version: 15 },
  'policy/v1': { group: 17100, version: 15 },
  'rbac.authorization.k8s.io/v1': { group: 17000, version: 15 },
  'storage.k8s.io/v1': { group: 16800, version: 15 },
  'apiextensions.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1': { group: 16700, version: 15 },
  'scheduling.k8s.io/v1': { group: 16600, version: 15 },
  'coordination.k8s.io/v1': { group: 16500, version: 15 },
  'node.k8s.io/v1': { group: 16300, version: 15 },
  'discovery.k8s.io/v1': { group: 16200, version: 15 },
  'flowcontrol.apiserver.k8s.io/v1': { group: 16100, version: 21 },
};

/** The APIService upstream registers for a built-in group version, or undefined if it has none. */
export function localAPIService(group: string, version: string): KubeObject | undefined {
  const p = API_VERSION_PRIORITIES[group ? `${group}/${version}` : version];
  if (!p) return undefined;
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'APIService',
    metadata: { name: `${version}.${group}`, labels: { [AUTOMANAGED_LABEL]: 'onstart' } },
    spec: { service: null, group, version, groupPriorityMinimum: p.group, versionPriority: p.version },
  };
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The Available condition an APIService should carry (without its transition time). */
export function availability(svc: KubeObject): Condition {
  const spec = (svc.spec ?? {}) as { service?: unknown; group?: string; version?: string };
  if (spec.service === undefined || spec.service === null) {
    return {
      type: 'Available',
      status: 'True',
      reason: 'Local',
      message: 'Local APIServices are always available',
    };
  }
  return {
    type: 'Available',
    status: 'False',
    reason: 'ProxyNotSupported',
    message: `kubeauth does not proxy to extension API servers: ${spec.group ?? ''}/${spec.version ?? ''} is not served`,
  };
}

export class APIServiceController {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;
  private readonly store: ObjectStore;

  constructor(
    private readonly client: InternalClient,
    private readonly opts: { now: () => Date; log: (m: string) => void },
  ) {
    this.store = client.store(GROUP, 'apiservices');
    this.queue = new WorkQueue((name) => this.syncStatus(name), {
      name: 'apiservice availability',
      log: opts.log,
    });
  }

  /** Registers the local APIServices (awaited), then keeps every APIService's availability current. */
  async start(): Promise<void> {
    await this.registerLocal();
    this.watcher = this.store.cache.watch(
      this.store.prefix,
      this.store.cache.revision(),
      (evs) => {
        for (const e of evs) if (e.type !== 'DELETED') this.queue.add(e.object.obj.metadata!.name!);
      },
      (err) => this.opts.log(`apiservice watch stopped: ${err.message}`),
    );
    for (const o of this.store.cache.list(this.store.prefix)) this.queue.add(o.obj.metadata!.name!);
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  /** Resolves when the queue is drained (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async registerLocal(): Promise<void> {
    const wanted = new Map<string, KubeObject>();
    for (const gv of groupVersions()) {
      for (const v of gv.versions) {
        const svc = localAPIService(gv.group, v);
        if (svc) wanted.set(svc.metadata!.name!, svc);
      }
    }
    for (const [name, svc] of wanted) {
      const cur = this.store.get('', name)?.obj;
      if (!cur) {
        await this.client.ensure(GROUP, 'apiservices', svc);
        continue;
      }
      const spec = (cur.spec ?? {}) as Record<string, unknown>;
      const want = svc.spec as Record<string, unknown>;
      const labels = cur.metadata?.labels ?? {};
      const local = spec.service === undefined || spec.service === null;
      if (
        local &&
        spec.groupPriorityMinimum === want.groupPriorityMinimum &&
        spec.versionPriority === want.versionPriority &&
        labels[AUTOMANAGED_LABEL] === 'onstart'
      )
        continue;
      await this.store.guaranteedUpdate('', name, (c) => {
        const next = deepCopy(c.obj);
        next.spec = { ...(next.spec ?? {}), ...want };
        next.metadata = {
          ...next.metadata,
          labels: { ...(next.metadata?.labels ?? {}), [AUTOMANAGED_LABEL]: 'onstart' },
        };
        return next;
      });
    }
    for (const o of this.store.cache.list(this.store.prefix)) {
      const name = o.obj.metadata!.name!;
      if (o.obj.metadata?.labels?.[AUTOMANAGED_LABEL] !== 'onstart' || wanted.has(name)) continue;
      try {
        await this.store.delete('', name);
        this.opts.log(`apiservices: removed ${name}, no longer served`);
      } catch (e) {
        if (!(e instanceof ApiError && e.code === 404)) throw e;
      }
    }
  }

  private async syncStatus(name: string): Promise<void> {
    const cur = this.store.get('', name)?.obj;
    if (!cur) return;
    const want = availability(cur);
    const has = ((cur.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find(
      (c) => c.type === 'Available',
    );
    if (has && has.status === want.status && has.reason === want.reason && has.message === want.message)
      return;
    const now = timestamp(this.opts.now());
    await this.store.guaranteedUpdate('', name, (c) => {
      const next = deepCopy(c.obj);
      const status = (next.status ?? {}) as { conditions?: Condition[] };
      const others = (status.conditions ?? []).filter((x) => x.type !== 'Available');
      const prev = (status.conditions ?? []).find((x) => x.type === 'Available');
      const lastTransitionTime = prev && prev.status === want.status ? prev.lastTransitionTime : now;
      const cond: Condition = { type: want.type, status: want.status, lastTransitionTime };
      cond.reason = want.reason;
      cond.message = want.message;
      next.status = { ...status, conditions: [...others, cond] };
      return next;
    });
  }
}
