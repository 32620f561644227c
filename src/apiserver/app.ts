/**
 * Assembles a running API server from its parts: a watch cache and ObjectStore per stored
 * resource, the authenticator and authorizer chains, the handler chain, bootstrap objects
 * (system namespaces, the `kubernetes` Service and Endpoints), the built-in controllers and the
 * HTTPS listener. `kubeauth serve` (src/cli/serve.ts) turns flags into ApiServerOptions.
 */
import { allocateIp, firstIp, parseCidr } from '../api/cidr.js';
import { cryptoRandomness, type Randomness } from '../api/meta.js';
import { decodeKubeProtobuf } from '../api/protobuf/index.js';
import { requestHeaderNames } from '../authn/request-header.js';
import { AuthenticationTrustPublisher } from '../controllers/configmap-publisher.js';
import type { AuthorizerConfig } from '../authz/config.js';
import { APIServiceController } from '../controllers/apiservices.js';
import type { ClusterSigningOptions } from '../controllers/certificates.js';
import { startControllerManager, type LeaderElectionOptions } from '../controllers/controller-manager.js';
import type { NodeLifecycleOptions } from '../controllers/node-lifecycle.js';
import { reconcileBootstrapPolicy } from '../controllers/rbac-bootstrap.js';
import { allResources } from '../registry/index.js';
import { ResourceRegistry } from '../registry/registry.js';
import { CustomResourceServing } from '../apiextensions/serving.js';
import { CrdNamesController } from '../controllers/crd-names.js';
import { CrdFinalizerController } from '../controllers/crd-finalizer.js';
import type { ResourceDescriptor } from '../registry/types.js';
import type { KubeObject } from '../api/types.js';
import { TokenSigner } from '../serviceaccount/jwt.js';
import {
  followServiceAccountKeys,
  JWKS_PATH,
  type IssuerDiscoveryDocs,
} from '../serviceaccount/discovery.js';
import type { ServiceAccountKeyFiles } from '../serviceaccount/key-files.js';
import type { Store } from '../storage/interfaces.js';
import {
  buildAuthenticator,
  buildTokenAuthenticator,
  reviewAuthenticator,
  type AuthenticationOptions,
} from './authentication.js';
import { buildAuthorization } from './authorization.js';
import { rulesFor } from '../authz/rbac/resolver.js';
import { explain, formatExplanation } from '../authz/rbac/explain.js';
import type { Attributes } from '../authz/interfaces.js';
import { buildHandlerChain } from './chain.js';
import { withImpersonation } from './filters/impersonation.js';
import type { RequestContext } from './context.js';
import { InternalClient } from './internal-client.js';
import { handleNonResource, type HealthCheck } from './nonresource.js';
import { newObjectCache } from './rest/cache-adapter.js';
import { restHandler } from './rest/handler.js';
import { ObjectStore, storagePrefix, type ObjectCache } from './rest/object-store.js';
import type { ServerEnv } from './rest/scope.js';
import { listen, type RunningServer } from './server.js';
import { defaultKubeletClient, KubeletClient, type KubeletClientOptions } from './rest/kubelet-client.js';
import { certificateRequestCas, currentSni, watchServingTls, type ServingTlsOptions } from './serving-tls.js';

/**
 * What /version reports. The minor decides which kubectl.1.<minor> the `kubectl` dispatcher on
 * these machines runs (kubectl-wire.md §2), so it names the newest client behaviour we serve;
 * `+kubeauth` marks the build as not an upstream binary.
 */
export const KUBERNETES_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0+kubeauth' };

export interface ApiServerOptions {
  store: Store;
  host: string;
  port: number;
  tls: ServingTlsOptions;

  anonymousAuth: boolean;
  /** The authorizer chain in order (from --authorization-mode or --authorization-config). */
  authorizers: AuthorizerConfig[];
  serviceClusterIpRange: string;
  advertiseAddress: string;
  serviceAccount?: {
    signingKeyPem: string;
    issuer: string;
    apiAudiences: string[];
    maxExpirationSeconds?: number;
    extendExpiration?: boolean;
  };
  /**
   * The service-account key files, watched: a new signing key signs new tokens, new verification
   * keys verify tokens and are published at /openid/v1/jwks (authentication.serviceAccounts.keys
   * should read them).
   */
  serviceAccountKeyFiles?: ServiceAccountKeyFiles;
  /** Token authentication (kube-apiserver's authenticator config); none when absent. */
  authentication?: AuthenticationOptions;
  now?: () => Date;
  rnd?: Randomness;
  log?: (msg: string) => void;
  /** --request-timeout for non-long-running requests, ms (default 60 s). */
  requestTimeoutMs?: number;
  /**
   * The CSR signers' CAs (kube-controller-manager --cluster-signing-*), re-read when their files
   * change; no signing (and no auto-approval) without this (controllers/certificates.ts).
   */
  clusterSigning?: ClusterSigningOptions;
  /** The cluster CA bundle published as `kube-root-ca.crt` in every namespace (kube-controller-manager --root-ca-file). */
  rootCaPem?: string;
  /** The node lifecycle controller's --node-monitor-grace-period and --node-monitor-period (50 s, 5 s). */
  nodeLifecycle?: Pick<NodeLifecycleOptions, 'gracePeriodMs' | 'monitorPeriodMs'>;
  /** --v: at 1 and above, every refused request is logged with the RBAC explanation of why. */
  verbosity?: number;
  /** The client towards kubelets (--kubelet-client-certificate ...); anonymous and unverified without. */
  kubeletClient?: KubeletClientOptions;
  /** Run the kube-controller-manager controllers only while holding its Lease; undefined: always. */
  leaderElection?: LeaderElectionOptions;
}

export interface ApiServer {
  port: number;
  /** Every served resource's store, custom resources included (entries come and go with CRDs). */
  stores: Map<ResourceDescriptor, ObjectStore>;
  registry: ResourceRegistry;
  client: InternalClient;
  close(): Promise<void>;
}

export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const log = o.log ?? ((m: string) => process.stderr.write(`I ${new Date().toISOString()} ${m}\n`));
  const now = o.now ?? (() => new Date());
  const rnd = o.rnd ?? cryptoRandomness;
  const cidr = parseCidr(o.serviceClusterIpRange);

  const stores = new Map<ResourceDescriptor, ObjectStore>();
  const caches: { stop(): void }[] = [];
  for (const d of allResources) {
    if (d.virtual) continue;
    const cache: ObjectCache & { stop(): void } = await newObjectCache(o.store, storagePrefix(d));
    caches.push(cache);
    stores.set(d, new ObjectStore(d, o.store, cache));
  }
  const storeFor = (group: string, resource: string): ObjectStore | undefined => {
    for (const [d, s] of stores) if (d.group === group && d.resource === resource) return s;
    return undefined;
  };
  const objectIn =
    (resource: string) =>
    (namespace: string, name: string): KubeObject | undefined =>
      storeFor('', resource)?.get(namespace, name)?.obj;
  const tokenAuthenticator = buildTokenAuthenticator(
    o.authentication,
    {
      serviceAccount: objectIn('serviceaccounts'),
      secret: objectIn('secrets'),
      pod: objectIn('pods'),
      node: (name) => objectIn('nodes')('', name),
    },
    now,
    (m) => {
      if ((o.verbosity ?? 0) >= 3) log(m);
    },
  );
  const authz = buildAuthorization(o.authorizers, { storeFor, now, log });
  const authorizer = authz.authorizer;
  const env: ServerEnv = {
    now,
    rnd,
    protobuf: decodeKubeProtobuf,
    authorizer,
    storeFor,
    rbac: authz.rbac,
    rulesResolver: authz.rbac
      ? ((store) => (user, ns) => ({ ...rulesFor(store, user, ns) }))(authz.rbac.store)
      : undefined,
    tokenAuthenticator: reviewAuthenticator(tokenAuthenticator),
    kubelet: new KubeletClient(o.kubeletClient ?? defaultKubeletClient),
    allocateClusterIp: (taken) => allocateIp(cidr, new Set([...taken, firstIp(cidr)]), rnd.int),
    tokens: o.serviceAccount
      ? {
          signer: new TokenSigner(o.serviceAccount.signingKeyPem),
          issuer: o.serviceAccount.issuer,
          apiAudiences: o.serviceAccount.apiAudiences,
          maxExpirationSeconds: o.serviceAccount.maxExpirationSeconds ?? 0,
          extendExpiration: o.serviceAccount.extendExpiration ?? true,
        }
      : undefined,
  };
  const client = new InternalClient(stores, { now, rnd });
  await bootstrap(client, firstIp(cidr), o.advertiseAddress, o.port || 6443);

  const reconciled = await reconcileBootstrapPolicy(client, log);
  log(`rbac/bootstrap-roles: reconciled ${reconciled} default RBAC objects`);
  const apiServices = new APIServiceController(client, { now, log });
  await apiServices.start();
  // Custom resources: served once their CRD is Established (apiextensions/serving.ts).
  const registry = new ResourceRegistry();
  const crds = storeFor('apiextensions.k8s.io', 'customresourcedefinitions')!;
  const crServing = new CustomResourceServing({ registry, stores, store: o.store, crds, log });
  await crServing.start();
  const crdNames = new CrdNamesController(crds, now, log);
  crdNames.start();
  const crdFinalizer = new CrdFinalizerController(crds, (n) => crServing.storeFor(n), now, log);
  crdFinalizer.start();
  const trust = new AuthenticationTrustPublisher(
    client,
    { clientCaPem: o.tls.clientCa, requestHeader: o.authentication?.requestHeader },
    log,
  );
  await trust.start();
  o.tls.clientCaBundle?.onChange((pem) => trust.setClientCa(pem));
  o.tls.requestHeaderCaBundle?.onChange((pem) => trust.setRequestHeaderCa(pem));
  // kube-controller-manager's controllers, in one replica at a time (controllers/controller-manager.ts).
  const controllers = await startControllerManager({
    client,
    stores,
    authorizer,
    clusterSigning: o.clusterSigning,
    rootCaPem: o.rootCaPem,
    tokenSigner: env.tokens?.signer,
    now,
    rnd,
    log,
    nodeLifecycle: o.nodeLifecycle,
    leaderElection: o.leaderElection,
  });

  const checks: HealthCheck[] = [
    { name: 'ping', check: () => undefined },
    { name: 'log', check: () => undefined },
    { name: 'storage', check: async () => void (await o.store.currentRevision()) },
    { name: 'poststarthook/rbac/bootstrap-roles', check: () => undefined },
    { name: 'poststarthook/start-cluster-role-aggregation', check: () => undefined },
    { name: 'poststarthook/start-csr-signer', check: () => undefined },
    { name: 'autoregister-completion', check: () => undefined },
    { name: 'poststarthook/start-apiextensions-controllers', check: () => undefined },
  ];
  const rest = restHandler({ env, stores, registry });
  const nonResourceCfg = {
    version: {
      ...KUBERNETES_VERSION,
      gitCommit: '',
      gitTreeState: 'clean',
      buildDate: '',
      goVersion: `node${process.versions.node}`,
      compiler: 'node',
      platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    },
    serverAddress: `${o.advertiseAddress}:${o.port}`,
    livez: checks.slice(0, 2),
    readyz: checks,
    registry,
    issuerDiscovery: undefined as IssuerDiscoveryDocs | undefined,
  };
  const api = async (ctx: RequestContext): Promise<void> =>
    ctx.info.isResourceRequest ? rest(ctx) : handleNonResource(ctx, nonResourceCfg);
  const handler = buildHandlerChain({
    authenticator: buildAuthenticator(o, tokenAuthenticator),
    proxyHeaders: o.authentication?.requestHeader
      ? {
          names: requestHeaderNames(o.authentication.requestHeader),
          prefixes: o.authentication.requestHeader.extraHeaderPrefixes.map((p) => p.toLowerCase()),
        }
      : undefined,
    authorizer,
    afterAuthentication: [withImpersonation(authorizer)],
    onDeny: (o.verbosity ?? 0) >= 1 ? denyLogger(authz, log) : undefined,
    requestTimeoutMs: o.requestTimeoutMs,
    api,
  });
  let server: RunningServer;
  try {
    server = await listen(
      {
        host: o.host,
        port: o.port,
        cert: o.tls.cert,
        key: o.tls.key,
        clientCa: certificateRequestCas(o.tls, o.authentication?.requestHeader?.caPem),
        sni: currentSni(o.tls),
      },
      handler,
    );
  } catch (e) {
    await controllers.stop();
    apiServices.stop();
    trust.stop();
    crdNames.stop();
    crdFinalizer.stop();
    crServing.stop();
    caches.forEach((c) => c.stop());
    throw e;
  }
  const tlsFiles = watchServingTls(o.tls, server, o.authentication?.requestHeader?.caPem);
  nonResourceCfg.serverAddress = `${o.advertiseAddress}:${server.port}`;
  // Issuer discovery is served when the issuer is an https URL (openidmetadata.go); the JWKS URI
  // defaults to this server's own address. Both follow the key files, as does the signer.
  const sa = o.authentication?.serviceAccounts;
  const host = o.advertiseAddress.includes(':') ? `[${o.advertiseAddress}]` : o.advertiseAddress;
  const keyFiles = o.serviceAccountKeyFiles;
  await followServiceAccountKeys({
    issuer: sa?.issuers[0]?.startsWith('https://') ? sa.issuers[0] : undefined,
    jwksUri: sa?.jwksUri || `https://${host}:${server.port}${JWKS_PATH}`,
    keys: sa?.keys ?? [],
    publish: (docs) => (nonResourceCfg.issuerDiscovery = docs),
    keyFiles,
    signer: env.tokens?.signer,
    log,
  });
  return {
    port: server.port,
    stores,
    registry,
    client,
    async close() {
      tlsFiles.stop();
      keyFiles?.stop();
      await controllers.stop();
      apiServices.stop();
      crdNames.stop();
      crdFinalizer.stop();
      trust.stop();
      authz.informers.forEach((i) => i.stop());
      await server.close();
      env.kubelet?.close();
      crServing.stop();
      caches.forEach((c) => c.stop());
    },
  };
}

/** One log line per refused request: the attributes and, with RBAC, the nearest misses. */
function denyLogger(authz: ReturnType<typeof buildAuthorization>, log: (m: string) => void) {
  return (attrs: Attributes, reason: string): void => {
    const why = authz.rbac ? formatExplanation(explain(authz.rbac.store, attrs), { short: true }) : reason;
    const what = attrs.isResourceRequest
      ? `${attrs.verb} ${attrs.resource}${attrs.subresource ? '/' + attrs.subresource : ''}${attrs.apiGroup ? '.' + attrs.apiGroup : ''}${attrs.name ? ' ' + JSON.stringify(attrs.name) : ''}${attrs.namespace ? ` in ${attrs.namespace}` : ''}`
      : `${attrs.verb} ${attrs.path}`;
    log(
      `forbidden: user=${JSON.stringify(attrs.user.name)} groups=${JSON.stringify(attrs.user.groups)} ${what}: ${why}`,
    );
  };
}

/** The objects every cluster has: system namespaces, the `kubernetes` Service and Endpoints. */
async function bootstrap(
  client: InternalClient,
  serviceIp: string,
  advertise: string,
  port: number,
): Promise<void> {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    await client.ensure('', 'namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await client.ensure('', 'services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: {
      clusterIP: serviceIp,
      clusterIPs: [serviceIp],
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
  });
  await client.ensure('', 'endpoints', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: 'kubernetes',
      namespace: 'default',
      labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    },
    subsets: [{ addresses: [{ ip: advertise }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  });
}
