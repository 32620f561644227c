/**
 * @module cli/proxy
 *
 * `kubeauth proxy`: kube-rbac-proxy's job with kube-rbac-proxy's flags: an HTTPS listener on
 * `--secure-listen-address` in front of `--upstream`, authenticating with client certificates
 * (`--client-ca-file`) and TokenReview, authorizing every request with a SubjectAccessReview
 * (`--config-file` resource attributes, or the path as a non-resource URL), through the API server
 * of `--kubeconfig` (in-cluster configuration without it). The delegation code is the kubelet's
 * (src/delegation/). Runs until SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import type { WebhookConnection } from '../webhook/client.js';
import { inClusterConnection } from '../authz/webhook-incluster.js';
import { buildDelegatingAuthenticator } from '../delegation/authenticator.js';
import { buildDelegatingAuthorizer } from '../delegation/authorizer.js';
import {
  apiServerConnections,
  SUBJECT_ACCESS_REVIEW_PATH,
  TOKEN_REVIEW_PATH,
} from '../delegation/connection.js';
import { staleLogger } from '../delegation/stale-log.js';
import { selfSignedServingCert } from '../kubelet/serving-cert.js';
import { loadProxyConfig } from '../proxy/config.js';
import { listenProxy } from '../proxy/server.js';
import {
  FlagError,
  formatHelp,
  parseDuration,
  parseFlags,
  refuseNotYetSupported,
  type FlagSpec,
} from './flags.js';

const NO = 'not implemented by kubeauth proxy';

export const proxyFlags: FlagSpec[] = [
  {
    name: 'upstream',
    type: 'string',
    default: '',
    help: 'The upstream URL to proxy to once requests have successfully been authenticated and authorized.',
  },
  {
    name: 'secure-listen-address',
    type: 'string',
    default: '',
    help: 'The address the kube-rbac-proxy HTTPs server should listen on.',
  },
  {
    name: 'config-file',
    type: 'string',
    default: '',
    help: 'Configuration file to configure kube-rbac-proxy (authorization.resourceAttributes, authorization.rewrites).',
  },
  {
    name: 'kubeconfig',
    type: 'string',
    default: '',
    help: 'Path to a kubeconfig file, specifying how to connect to the API server. If unset, in-cluster configuration will be used',
  },
  {
    name: 'tls-cert-file',
    type: 'string',
    default: '',
    help: 'File containing the default x509 Certificate for HTTPS. (CA cert, if any, concatenated after server cert); without it a self-signed one is made.',
  },
  {
    name: 'tls-private-key-file',
    type: 'string',
    default: '',
    help: 'File containing the default x509 private key matching --tls-cert-file.',
  },
  {
    name: 'tls-min-version',
    type: 'string',
    default: 'VersionTLS12',
    help: 'Minimum TLS version supported (VersionTLS12 or VersionTLS13).',
  },
  {
    name: 'client-ca-file',
    type: 'string',
    default: '',
    help: 'If set, any request presenting a client certificate signed by one of the authorities in the client-ca-file is authenticated with an identity corresponding to the CommonName of the client certificate.',
  },
  {
    name: 'auth-token-audiences',
    type: 'stringArray',
    default: [],
    help: 'Comma-separated list of token audiences to accept. By default a token does not have to have any specific audience. It is recommended to set a specific audience.',
  },
  {
    name: 'auth-header-fields-enabled',
    type: 'bool',
    default: false,
    help: 'When set to true, kube-rbac-proxy adds auth-related fields to the headers of http requests sent to the upstream',
  },
  {
    name: 'auth-header-user-field-name',
    type: 'string',
    default: 'x-remote-user',
    help: "The name of the field inside a http(2) request header to tell the upstream server about the user's name",
  },
  {
    name: 'auth-header-groups-field-name',
    type: 'string',
    default: 'x-remote-groups',
    help: "The name of the field inside a http(2) request header to tell the upstream server about the user's groups",
  },
  {
    name: 'auth-header-groups-field-separator',
    type: 'string',
    default: '|',
    help: "The separator string used for concatenating multiple group names in a groups header field's value",
  },
  {
    name: 'allow-paths',
    type: 'stringArray',
    default: [],
    help: "Comma-separated list of paths against which kube-rbac-proxy pattern-matches the incoming request. If the request doesn't match, kube-rbac-proxy responds with a 404 status code. If omitted, the incoming request path isn't checked. Cannot be used with --ignore-paths.",
  },
  {
    name: 'ignore-paths',
    type: 'stringArray',
    default: [],
    help: 'Comma-separated list of paths against which kube-rbac-proxy pattern-matches the incoming request. If the requst matches, it will proxy the request without performing an authentication or authorization check. Cannot be used with --allow-paths.',
  },
  {
    name: 'upstream-ca-file',
    type: 'string',
    default: '',
    help: 'The CA the upstream uses for TLS connection. This is required when the upstream uses TLS and its own CA certificate',
  },
  {
    name: 'upstream-client-cert-file',
    type: 'string',
    default: '',
    help: 'If set, the client will be used to authenticate the proxy to upstream. Requires --upstream-client-key-file to be set, too.',
  },
  {
    name: 'upstream-client-key-file',
    type: 'string',
    default: '',
    help: 'The key matching the certificate from --upstream-client-cert-file. If set, requires --upstream-client-cert-file to be set, too.',
  },
  {
    name: 'stale-if-error-window',
    type: 'duration',
    default: '0s',
    help: 'kubeauth: while the API server cannot be reached, a cached TokenReview or SubjectAccessReview answer past its TTL keeps deciding for this long (logged); 0 = never.',
  },
  {
    name: 'insecure-listen-address',
    type: 'string',
    default: '',
    help: '[DEPRECATED] The address the kube-rbac-proxy HTTP server should listen on.',
    notYetSupported: 'plain-HTTP listening is not offered: tokens would cross the network in the clear',
  },
  {
    name: 'upstream-force-h2c',
    type: 'bool',
    default: false,
    help: 'Force h2c to communiate with the upstream.',
    notYetSupported: NO,
  },
  {
    name: 'proxy-endpoints-port',
    type: 'int',
    default: 0,
    help: "The port to securely serve proxy-specific endpoints (such as '/healthz').",
    notYetSupported: NO,
  },
  {
    name: 'tls-cipher-suites',
    type: 'stringArray',
    default: [],
    help: 'Comma-separated list of cipher suites for the server.',
    notYetSupported: NO,
  },
  {
    name: 'tls-reload-interval',
    type: 'duration',
    default: '1m0s',
    help: 'The interval at which to watch for TLS certificate changes.',
    notYetSupported: 'certificates are read once at start-up',
  },
  {
    name: 'oidc-issuer',
    type: 'string',
    default: '',
    help: 'The URL of the OpenID issuer.',
    notYetSupported: NO,
  },
  {
    name: 'oidc-clientID',
    type: 'string',
    default: '',
    help: 'The client ID for the OpenID Connect client.',
    notYetSupported: NO,
  },
];

function hostPort(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(addr);
  if (!m) throw new FlagError(`--secure-listen-address: invalid address "${addr}": want host:port`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port: Number(m[3]) };
}

function withPath(c: WebhookConnection, p: string): WebhookConnection {
  return { ...c, server: c.server.replace(/\/+$/, '') + p };
}

export async function run(argv: string[]): Promise<number> {
  const { flags: f, set, help } = parseFlags(proxyFlags, argv);
  if (help) {
    process.stdout.write(
      formatHelp(
        'kubeauth proxy --upstream URL --secure-listen-address HOST:PORT [flags]',
        'A small HTTP proxy for a single upstream that authenticates and authorizes each request against the Kubernetes API (TokenReview, SubjectAccessReview), as kube-rbac-proxy.',
        proxyFlags,
      ),
    );
    return 0;
  }
  refuseNotYetSupported(proxyFlags, set);
  const s = (n: string) => String(f[n] ?? '');
  const arr = (n: string) => (f[n] as string[] | undefined) ?? [];
  if (!s('upstream')) throw new FlagError('--upstream is required');
  let upstream: URL;
  try {
    upstream = new URL(s('upstream'));
  } catch {
    throw new FlagError(`failed to parse upstream URL "${s('upstream')}"`);
  }
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:')
    throw new FlagError(`--upstream: scheme must be http or https, not "${upstream.protocol}"`);
  if (!s('secure-listen-address')) throw new FlagError('--secure-listen-address is required');
  const { host, port } = hostPort(s('secure-listen-address'));
  if (arr('allow-paths').length && arr('ignore-paths').length)
    throw new FlagError('cannot use --allow-paths and --ignore-paths together');
  if (Boolean(s('tls-cert-file')) !== Boolean(s('tls-private-key-file')))
    throw new FlagError('--tls-cert-file and --tls-private-key-file must be given together');
  if (Boolean(s('upstream-client-cert-file')) !== Boolean(s('upstream-client-key-file')))
    throw new FlagError('--upstream-client-cert-file and --upstream-client-key-file must be given together');
  const tlsMin = { VersionTLS12: 'TLSv1.2', VersionTLS13: 'TLSv1.3' }[s('tls-min-version')] as
    'TLSv1.2' | 'TLSv1.3' | undefined;
  if (!tlsMin) throw new FlagError(`--tls-min-version: unknown tls version "${s('tls-min-version')}"`);
  const authz = s('config-file') ? loadProxyConfig(s('config-file')) : {};
  let review: WebhookConnection;
  let access: WebhookConnection;
  if (s('kubeconfig')) {
    const c = apiServerConnections(s('kubeconfig'));
    review = c.tokenReview;
    access = c.subjectAccessReview;
  } else {
    const c = inClusterConnection();
    review = withPath(c, TOKEN_REVIEW_PATH);
    access = withPath(c, SUBJECT_ACCESS_REVIEW_PATH);
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const stale = staleLogger(log);
  const staleMs = parseDuration(s('stale-if-error-window'));
  const clientCaPem = s('client-ca-file') ? readFileSync(s('client-ca-file'), 'utf8') : undefined;
  // kube-rbac-proxy: anonymous off, TokenReview cached 2m, SARs 5m / 30s.
  const authn = buildDelegatingAuthenticator({
    anonymous: false,
    clientCaPem,
    tokenReview: {
      connection: review,
      cacheTtlMs: 2 * 60_000,
      audiences: arr('auth-token-audiences'),
      userAgent: 'kubeauth-proxy/delegated-authn',
    },
    staleIfErrorMs: staleMs,
    onStale: (age, e) => stale('authentication', age, e),
  });
  const authorizer = buildDelegatingAuthorizer({
    mode: 'Webhook',
    connection: access,
    authorizedTtlMs: 5 * 60_000,
    unauthorizedTtlMs: 30_000,
    staleIfErrorMs: staleMs,
    onStale: (age, e) => stale('authorization', age, e),
    userAgent: 'kubeauth-proxy/delegated-authz',
  });
  const tls = s('tls-cert-file')
    ? { cert: readFileSync(s('tls-cert-file'), 'utf8'), key: readFileSync(s('tls-private-key-file'), 'utf8') }
    : await selfSignedServingCert(host === '0.0.0.0' || host === '' ? 'localhost' : host, []);
  const p = await listenProxy({
    upstream,
    upstreamTls: {
      ca: s('upstream-ca-file') ? readFileSync(s('upstream-ca-file'), 'utf8') : undefined,
      cert: s('upstream-client-cert-file') ? readFileSync(s('upstream-client-cert-file'), 'utf8') : undefined,
      key: s('upstream-client-key-file') ? readFileSync(s('upstream-client-key-file'), 'utf8') : undefined,
    },
    host,
    port,
    cert: tls.cert,
    key: tls.key,
    clientCaPem,
    minVersion: tlsMin,
    authenticator: authn.authenticator,
    authorizer,
    authz,
    authHeader: {
      enabled: f['auth-header-fields-enabled'] === true,
      userFieldName: s('auth-header-user-field-name'),
      groupsFieldName: s('auth-header-groups-field-name'),
      groupSeparator: s('auth-header-groups-field-separator'),
    },
    allowPaths: arr('allow-paths'),
    ignorePaths: arr('ignore-paths'),
    log,
  });
  log(`I Listening securely on ${host}:${p.port}, proxying to ${upstream.toString()}`);
  await new Promise<void>((resolve) => {
    const stop = () => void p.close().then(resolve);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
