/**
 * Keeps ConfigMaps with fixed content in place, as two upstream controllers do:
 * - the root-CA publisher (pkg/controller/certificates/rootcacertpublisher): `kube-root-ca.crt`
 *   with the cluster CA bundle (`ca.crt`) in every namespace that is not terminating, put back
 *   when deleted or edited — the seed's "CA bundle handed to every namespace";
 * - the cluster-authentication-trust controller (pkg/controlplane/controller/
 *   clusterauthenticationtrust): `kube-system/extension-apiserver-authentication` with the
 *   client CA and the front-proxy settings, which extension API servers read.
 */
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { InternalClient } from '../apiserver/internal-client.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { WorkQueue } from './work-queue.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

const sameData = (a: unknown, b: Record<string, string>): boolean => {
  const x = (a ?? {}) as Record<string, string>;
  return Object.keys(x).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => x[k] === v);
};

/** Creates the ConfigMap, or rewrites its data (and annotations) when they differ. */
export async function ensureConfigMap(
  client: InternalClient,
  namespace: string,
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): Promise<void> {
  const cms = client.store('', 'configmaps');
  const cur = cms.get(namespace, name);
  if (!cur) {
    await client.ensure('', 'configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
      data,
    });
    return;
  }
  const annOk =
    !annotations || Object.entries(annotations).every(([k, v]) => cur.obj.metadata?.annotations?.[k] === v);
  if (sameData(cur.obj.data, data) && annOk) return;
  await cms.guaranteedUpdate(namespace, name, (c) => {
    const next = deepCopy(c.obj);
    next.data = { ...data };
    if (annotations)
      next.metadata = {
        ...next.metadata,
        annotations: { ...(next.metadata?.annotations ?? {}), ...annotations },
      };
    return next;
  });
}

/** `kube-root-ca.crt` in every namespace. */
export class RootCaPublisher {
  private readonly watchers: { cancel(): void }[] = [];
  private readonly queue: WorkQueue;

  constructor(
    private readonly client: InternalClient,
    private readonly caPem: string,
    private readonly log: (m: string) => void,
  ) {
    this.queue = new WorkQueue((ns) => this.sync(ns), { name: 'root-ca-cert-publisher', log, retryMs: 2000 });
  }

  start(): void {
    const namespaces = this.client.store('', 'namespaces');
    const cms = this.client.store('', 'configmaps');
    this.watchers.push(
      namespaces.cache.watch(
        namespaces.prefix,
        namespaces.cache.revision(),
        (evs) => {
          for (const e of evs) if (e.type !== 'DELETED') this.queue.add(e.object.obj.metadata!.name!);
        },
        (err) => this.log(`root-ca-cert-publisher namespace watch stopped: ${err.message}`),
      ),
      cms.cache.watch(
        cms.prefix,
        cms.cache.revision(),
        (evs) => {
          for (const e of evs)
            if (e.object.obj.metadata?.name === ROOT_CA_CONFIGMAP)
              this.queue.add(e.object.obj.metadata.namespace!);
        },
        (err) => this.log(`root-ca-cert-publisher configmap watch stopped: ${err.message}`),
      ),
    );
    for (const n of namespaces.cache.list(namespaces.prefix)) this.queue.add(n.obj.metadata!.name!);
  }

  stop(): void {
    this.queue.stop();
    this.watchers.forEach((w) => w.cancel());
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private async sync(ns: string): Promise<void> {
    const n: KubeObject | undefined = this.client.store('', 'namespaces').get('', ns)?.obj;
    if (
      !n ||
      n.metadata?.deletionTimestamp ||
      (n.status as { phase?: string } | undefined)?.phase === 'Terminating'
    )
      return;
    await ensureConfigMap(
      this.client,
      ns,
      ROOT_CA_CONFIGMAP,
      { 'ca.crt': this.caPem },
      {
        'kubernetes.io/description': ROOT_CA_DESCRIPTION,
      },
    );
  }
}

export interface AuthenticationTrust {
  clientCaPem?: string;
  requestHeader?: {
    caPem: string;
    allowedNames: string[];
    usernameHeaders: string[];
    uidHeaders: string[];
    groupHeaders: string[];
    extraHeaderPrefixes: string[];
  };
}

/** The data of `extension-apiserver-authentication` (keys as upstream writes them, lists as JSON). */
export function authenticationTrustData(t: AuthenticationTrust): Record<string, string> {
  const data: Record<string, string> = {};
  if (t.clientCaPem) data['client-ca-file'] = t.clientCaPem;
  const rh = t.requestHeader;
  if (rh) {
    data['requestheader-client-ca-file'] = rh.caPem;
    data['requestheader-allowed-names'] = JSON.stringify(rh.allowedNames);
    data['requestheader-username-headers'] = JSON.stringify(rh.usernameHeaders);
    data['requestheader-uid-headers'] = JSON.stringify(rh.uidHeaders);
    data['requestheader-group-headers'] = JSON.stringify(rh.groupHeaders);
    data['requestheader-extra-headers-prefix'] = JSON.stringify(rh.extraHeaderPrefixes);
  }
  return data;
}

/** Publishes `kube-system/extension-apiserver-authentication` (at every start, and put back if changed). */
export class AuthenticationTrustPublisher {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;
  private readonly data: Record<string, string>;

  constructor(
    private readonly client: InternalClient,
    trust: AuthenticationTrust,
    private readonly log: (m: string) => void,
  ) {
    this.data = authenticationTrustData(trust);
    this.queue = new WorkQueue(() => this.sync(), {
      name: 'cluster-authentication-trust',
      log,
      retryMs: 2000,
    });
  }

  async start(): Promise<void> {
    await this.sync();
    const cms: ObjectStore = this.client.store('', 'configmaps');
    this.watcher = cms.cache.watch(
      cms.listPrefix('kube-system'),
      cms.cache.revision(),
      (evs) => {
        if (evs.some((e) => e.object.obj.metadata?.name === 'extension-apiserver-authentication'))
          this.queue.add('sync');
      },
      (err) => this.log(`cluster-authentication-trust watch stopped: ${err.message}`),
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  /** A reloaded --client-ca-file is published as upstream's controller does on a CA change. */
  setClientCa(pem: string): void {
    this.data['client-ca-file'] = pem;
    this.queue.add('sync');
  }

  /** A reloaded --requestheader-client-ca-file, likewise. */
  setRequestHeaderCa(pem: string): void {
    this.data['requestheader-client-ca-file'] = pem;
    this.queue.add('sync');
  }

  private sync(): Promise<void> {
    return ensureConfigMap(this.client, 'kube-system', 'extension-apiserver-authentication', this.data);
  }
}
