/**
 * The kube-controller-manager part of kubeauth: the controllers that must run in exactly one
 * replica (CSR signing and approval, service-account token secrets, ClusterRole aggregation,
 * bootstrap token cleaner, namespace lifecycle, node lifecycle, kube-root-ca.crt publisher, and the
 * minimal pod scheduler of scheduler.ts). With leader election
 * (etcd storage, `--leader-elect`, the default) they run only while this process holds the
 * kube-system Lease `kube-controller-manager`; each leadership term starts a fresh set and losing
 * or releasing the lease stops it. Controllers of the apiserver itself (CRD naming and finalizer,
 * APIService availability, bootstrap RBAC reconciliation, the authentication ConfigMap) run in
 * every replica as upstream's kube-apiserver post-start hooks do, and are not grouped here.
 *
 * With SQLite the election is skipped: the database belongs to one process, so that process is
 * trivially the leader, and a Lease left by a killed predecessor would only delay its controllers
 * by a lease duration after a restart.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Randomness } from '../api/meta.js';
import type { Authorizer } from '../authz/interfaces.js';
import type { InternalClient } from '../apiserver/internal-client.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { prepareForCreate } from '../apiserver/rest/strategy.js';
import type { ResourceDescriptor } from '../registry/types.js';
import type { TokenSigner } from '../serviceaccount/jwt.js';
import { BootstrapTokenCleaner } from './bootstrap-token-cleaner.js';
import { startCertificateControllers, type ClusterSigningOptions } from './certificates.js';
import { ClusterRoleAggregationController } from './clusterrole-aggregation-controller.js';
import { RootCaPublisher } from './configmap-publisher.js';
import { LeaderElector, type LeaseLock } from './leader-election.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController, type NodeLifecycleOptions } from './node-lifecycle.js';
import { Scheduler } from './scheduler.js';
import { ServiceAccountTokensController } from './serviceaccount-tokens.js';

/** kube-controller-manager's --leader-elect-* (componentbaseconfig LeaderElectionConfiguration). */
export interface LeaderElectionOptions {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Default `<hostname>_<uuid>`. */
  identity?: string;
}

export interface ControllerManagerDeps {
  client: InternalClient;
  stores: Map<ResourceDescriptor, ObjectStore>;
  authorizer: Authorizer;
  clusterSigning?: ClusterSigningOptions;
  rootCaPem?: string;
  tokenSigner?: TokenSigner;
  now: () => Date;
  rnd: Randomness;
  log: (m: string) => void;
  /** --node-monitor-grace-period and --node-monitor-period. */
  nodeLifecycle?: Pick<NodeLifecycleOptions, 'gracePeriodMs' | 'monitorPeriodMs'>;
  /** Undefined: no election, the controllers start at once. */
  leaderElection?: LeaderElectionOptions;
}

export const CONTROLLER_MANAGER_LEASE = 'kube-controller-manager';

/** One set of running controllers. */
async function startControllers(d: ControllerManagerDeps): Promise<() => Promise<void>> {
  const { client, log, now } = d;
  const stopped: (() => unknown)[] = [];
  const aggregation = new ClusterRoleAggregationController(
    client.store('rbac.authorization.k8s.io', 'clusterroles'),
    log,
  );
  await aggregation.start();
  stopped.push(() => aggregation.stop());
  const ns = new NamespaceController(client, d.stores, log);
  ns.start();
  stopped.push(() => ns.stop());
  const certificates = startCertificateControllers(
    client.store('certificates.k8s.io', 'certificatesigningrequests'),
    d.authorizer,
    d.clusterSigning,
    { now, log },
  );
  stopped.push(() => certificates.stop());
  if (d.rootCaPem) {
    const rootCa = new RootCaPublisher(client, d.rootCaPem, log);
    rootCa.start();
    stopped.push(() => rootCa.stop());
  }
  if (d.tokenSigner && d.rootCaPem) {
    const saTokens = new ServiceAccountTokensController(
      client.store('', 'secrets'),
      client.store('', 'serviceaccounts'),
      d.tokenSigner,
      d.rootCaPem,
      log,
    );
    saTokens.start();
    stopped.push(() => saTokens.stop());
  }
  // kubeadm enables kube-controller-manager's tokencleaner; kubeauth runs it always.
  const tokenCleaner = new BootstrapTokenCleaner(client.store('', 'secrets'), { now, log });
  tokenCleaner.start();
  stopped.push(() => tokenCleaner.stop());
  const nodeLifecycle = new NodeLifecycleController(
    client.store('', 'nodes'),
    client.store('coordination.k8s.io', 'leases'),
    { ...d.nodeLifecycle, now, log },
  );
  nodeLifecycle.start();
  stopped.push(() => nodeLifecycle.stop());
  // The minimal scheduler (kube-scheduler's part, here under the same lease).
  const scheduler = new Scheduler(client.store('', 'pods'), client.store('', 'nodes'), { now, log });
  scheduler.start();
  stopped.push(() => scheduler.stop());
  return async () => {
    for (const s of stopped.reverse()) await s();
  };
}

/** The Lease in kube-system through the internal client, CAS on resourceVersion. */
export function leaseLock(d: ControllerManagerDeps, name: string): LeaseLock {
  const st = d.client.store('coordination.k8s.io', 'leases');
  return {
    get: () => {
      const c = st.get('kube-system', name);
      return c && { lease: c.obj, rv: c.rv };
    },
    create: (lease) => st.create(prepareForCreate(st.desc, lease, 'kube-system', { now: d.now, rnd: d.rnd })),
    update: (lease, rv) => {
      const md = { ...lease.metadata };
      delete md.resourceVersion;
      return st.update({ ...lease, metadata: md }, rv);
    },
  };
}

export interface ControllerManager {
  /** Leader election state; undefined without election. */
  elector?: LeaderElector;
  stop(): Promise<void>;
}

/**
 * Starts the controllers, at once or under leader election. The first acquisition attempt is
 * awaited, so a lone replica has its controllers running when this returns.
 */
export async function startControllerManager(d: ControllerManagerDeps): Promise<ControllerManager> {
  const le = d.leaderElection;
  if (!le) {
    const stop = await startControllers(d);
    return { stop };
  }
  // Leadership changes are serialised: a term's controllers are fully stopped before the next starts.
  let chain = Promise.resolve();
  let stopCurrent: (() => Promise<void>) | undefined;
  const serial = (f: () => Promise<void>) => (chain = chain.then(f, f));
  let firstAttempt!: () => void;
  const attempted = new Promise<void>((r) => (firstAttempt = r));
  const elector = new LeaderElector({
    namespace: 'kube-system',
    name: CONTROLLER_MANAGER_LEASE,
    identity: le.identity ?? `${hostname()}_${randomUUID()}`,
    leaseDurationMs: le.leaseDurationMs,
    renewDeadlineMs: le.renewDeadlineMs,
    retryPeriodMs: le.retryPeriodMs,
    lock: leaseLock(d, CONTROLLER_MANAGER_LEASE),
    log: d.log,
    onAttempt: () => firstAttempt(),
    onStartedLeading: () =>
      serial(async () => {
        stopCurrent = await startControllers(d);
      }),
    onStoppedLeading: () =>
      serial(async () => {
        const s = stopCurrent;
        stopCurrent = undefined;
        await s?.();
      }),
  });
  elector.start();
  await attempted;
  await chain;
  return {
    elector,
    async stop() {
      await elector.stop();
      await chain;
    },
  };
}
