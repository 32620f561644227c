/**
 * @module cli/kubelet
 *
 * `kubeauth kubelet`: the node agent's HTTPS API (the kubelet port, 10250) with the kubelet's
 * delegated authentication and authorization (seed 003): anonymous, x509 client certificates,
 * bearer tokens through TokenReview, and AlwaysAllow or Webhook (SubjectAccessReview) authorization
 * against the API server of `--kubeconfig`. `--config` loads a KubeletConfiguration; flags given on
 * the command line win over it. Runs until SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { buildDelegatingAuthenticator } from '../delegation/authenticator.js';
import { buildDelegatingAuthorizer } from '../delegation/authorizer.js';
import { apiServerConnections } from '../delegation/connection.js';
import { staleLogger } from '../delegation/stale-log.js';
import {
  authorizationMode,
  LEGACY_FLAG_DEFAULTS,
  loadKubeletConfiguration,
  type KubeletServing,
} from '../kubelet/config.js';
import { defaultNodeName } from '../kubelet/node-state.js';
import { nodeAgentFromFlags } from '../kubelet/node-agent.js';
import { listenKubelet } from '../kubelet/server.js';
import { KubeletCertError, setUpKubeletCertificates } from '../kubelet/certificates.js';
import {
  FlagError,
  formatHelp,
  parseDuration,
  parseFlags,
  refuseNotYetSupported,
  type FlagValues,
} from './flags.js';
import { kubeletFlags } from './kubelet-flags.js';

/** The effective serving configuration: the file (or the legacy flag defaults), then the flags given. */
export function effectiveConfig(f: FlagValues, set: ReadonlySet<string>): KubeletServing {
  const file = String(f.config ?? '');
  let c: KubeletServing;
  try {
    c = file ? loadKubeletConfiguration(file) : { ...LEGACY_FLAG_DEFAULTS };
  } catch (e) {
    throw new FlagError(`failed to load Kubelet config file ${file}, error ${(e as Error).message}`);
  }
  const given = (n: string) => !file || set.has(n);
  if (given('address')) c.address = String(f.address);
  if (given('port')) c.port = Number(f.port);
  if (given('tls-cert-file')) c.tlsCertFile = String(f['tls-cert-file']);
  if (given('tls-private-key-file')) c.tlsPrivateKeyFile = String(f['tls-private-key-file']);
  if (given('client-ca-file')) c.clientCAFile = String(f['client-ca-file']);
  if (given('anonymous-auth')) c.anonymous = f['anonymous-auth'] === true;
  if (given('authentication-token-webhook'))
    c.webhookAuthentication = f['authentication-token-webhook'] === true;
  if (given('authentication-token-webhook-cache-ttl'))
    c.webhookCacheTtlMs = parseDuration(String(f['authentication-token-webhook-cache-ttl']));
  if (given('authorization-mode')) {
    try {
      c.authorizationMode = authorizationMode(String(f['authorization-mode']));
    } catch (e) {
      throw new FlagError((e as Error).message);
    }
  }
  if (given('authorization-webhook-cache-authorized-ttl'))
    c.cacheAuthorizedTtlMs = parseDuration(String(f['authorization-webhook-cache-authorized-ttl']));
  if (given('authorization-webhook-cache-unauthorized-ttl'))
    c.cacheUnauthorizedTtlMs = parseDuration(String(f['authorization-webhook-cache-unauthorized-ttl']));
  if (given('rotate-certificates')) c.rotateCertificates = f['rotate-certificates'] === true;
  if (given('rotate-server-certificates')) c.serverTLSBootstrap = f['rotate-server-certificates'] === true;
  if (given('register-node')) c.registerNode = f['register-node'] !== false;
  if (given('node-status-update-frequency'))
    c.nodeStatusUpdateFrequencyMs = parseDuration(String(f['node-status-update-frequency']));
  if (given('node-lease-duration-seconds'))
    c.nodeLeaseDurationSeconds = Number(f['node-lease-duration-seconds']);
  if (given('enable-debugging-handlers')) c.enableDebuggingHandlers = f['enable-debugging-handlers'] === true;
  if (c.port < 1 || c.port > 65535)
    throw new FlagError(
      `invalid configuration: port (--port ${c.port}): must be between 1 and 65535, inclusive`,
    );
  if (Boolean(c.tlsCertFile) !== Boolean(c.tlsPrivateKeyFile))
    throw new FlagError('--tls-cert-file and --tls-private-key-file must be given together');
  return c;
}

function nodeNameOf(f: FlagValues): string {
  const a = String(f['hostname-override'] ?? '').trim();
  const b = String(f['node-name'] ?? '').trim();
  if (a && b && a.toLowerCase() !== b.toLowerCase())
    throw new FlagError(`--node-name "${b}" and --hostname-override "${a}" disagree`);
  return (a || b || defaultNodeName()).toLowerCase();
}

export async function run(argv: string[]): Promise<number> {
  const { flags: f, set, help } = parseFlags(kubeletFlags, argv);
  if (help) {
    process.stdout.write(
      formatHelp(
        'kubeauth kubelet [flags]',
        "Run the node agent's HTTPS API (the kubelet port) with the kubelet's delegated authentication and authorization.",
        kubeletFlags,
      ),
    );
    return 0;
  }
  refuseNotYetSupported(kubeletFlags, set);
  const config = effectiveConfig(f, set);
  const nodeName = nodeNameOf(f);
  const nodeIps = String(f['node-ip'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const ip of nodeIps) if (isIP(ip) === 0) throw new FlagError(`--node-ip: invalid IP address "${ip}"`);
  const staleMs = parseDuration(String(f['stale-if-error-window']));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stale = staleLogger(log);
  // Node registration, NodeStatus and the Lease heartbeat (kubelet/node-agent.ts): checked now, run once serving.
  const agent = nodeAgentFromFlags(f, config, {
    nodeName,
    nodeIps,
    kubeconfig: String(f.kubeconfig ?? ''),
    log,
  });
  // TLS bootstrap and certificate rotation (kubelet/certificates.ts): before any API call.
  const certs = await setUpKubeletCertificates({
    kubeconfig: String(f.kubeconfig ?? ''),
    bootstrapKubeconfig: String(f['bootstrap-kubeconfig'] ?? ''),
    certDir: String(f['cert-dir']),
    rotateCertificates: config.rotateCertificates,
    rotateServerCertificates: config.serverTLSBootstrap,
    tlsCertFile: config.tlsCertFile,
    tlsPrivateKeyFile: config.tlsPrivateKeyFile,
    nodeName,
    nodeIps,
    log,
  }).catch((e: unknown) => {
    throw e instanceof KubeletCertError ? new FlagError(e.message) : e;
  });
  const needsClient = config.webhookAuthentication || config.authorizationMode === 'Webhook';
  const kubeconfig = String(f.kubeconfig ?? '');
  const conns = needsClient && kubeconfig ? apiServerConnections(kubeconfig) : undefined;
  if (config.webhookAuthentication && !conns)
    throw new FlagError('no client provided, cannot use webhook authentication');
  const clientCaPem = config.clientCAFile ? readFileSync(config.clientCAFile, 'utf8') : undefined;
  let authn;
  try {
    authn = buildDelegatingAuthenticator({
      anonymous: config.anonymous,
      clientCaPem,
      tokenReview:
        config.webhookAuthentication && conns
          ? {
              connection: conns.tokenReview,
              cacheTtlMs: config.webhookCacheTtlMs,
              userAgent: 'kubeauth-kubelet/delegated-authn',
            }
          : undefined,
      staleIfErrorMs: staleMs,
      onStale: (age, e) => stale('authentication', age, e),
    });
  } catch (e) {
    throw new FlagError((e as Error).message);
  }
  let authorizer;
  try {
    authorizer = buildDelegatingAuthorizer({
      mode: config.authorizationMode,
      connection: conns?.subjectAccessReview,
      authorizedTtlMs: config.cacheAuthorizedTtlMs,
      unauthorizedTtlMs: config.cacheUnauthorizedTtlMs,
      staleIfErrorMs: staleMs,
      onStale: (age, e) => stale('authorization', age, e),
      userAgent: 'kubeauth-kubelet/delegated-authz',
    });
  } catch (e) {
    throw new FlagError((e as Error).message);
  }
  const tls = await certs.serving();
  const k = await listenKubelet({
    config,
    nodeName,
    cert: tls.cert,
    key: tls.key,
    clientCaPem,
    authenticator: authn.authenticator,
    authorizer,
    pods: agent?.pods,
    log,
  });
  certs.attach(conns ? [conns.tokenReview, conns.subjectAccessReview] : [], k);
  log(
    `I Starting to listen address=${config.address} port=${k.port} node=${nodeName} ` +
      `anonymous=${config.anonymous} x509=${Boolean(clientCaPem)} webhookAuthn=${config.webhookAuthentication} ` +
      `authorization=${config.authorizationMode}`,
  );
  agent?.start(k.port);
  await new Promise<void>((resolve) => {
    const stop = () => {
      certs.stop();
      void (agent?.stop() ?? Promise.resolve()).then(() => k.close()).then(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
