/**
 * `kubeauth serve`: the kube-apiserver-compatible API server. Flags keep kube-apiserver's names
 * and defaults (except --bind-address, 127.0.0.1 here so a first start is not exposed). With no
 * TLS flags it creates (or reuses) the kubeadm-style PKI and admin kubeconfig in --data-dir and
 * serves with it, so `kubeauth serve` alone gives a working cluster endpoint.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { startApiServer } from '../apiserver/app.js';
import { ensurePki } from '../pki/index.js';
import { ensureSelfSignedServing } from '../pki/selfsigned.js';
import { openSqliteStore } from '../storage/sqlite.js';
import {
  legacyAuthorizerConfigs,
  parseAuthorizationConfiguration,
  type AuthorizerConfig,
} from '../authz/config.js';
import { FlagError, formatHelp, parseDuration, parseFlags, type FlagSpec, type FlagValues } from './flags.js';

export const serveFlags: FlagSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    default: '.kubeauth',
    help: 'Directory for the PKI, kubeconfigs and the embedded SQLite database (created on first start).',
  },
  {
    name: 'secure-port',
    type: 'int',
    default: 6443,
    help: 'The port on which to serve HTTPS with authentication and authorization. 0 picks a free port.',
  },
  {
    name: 'bind-address',
    type: 'string',
    default: '127.0.0.1',
    help: 'The IP address on which to listen for the --secure-port port (upstream default 0.0.0.0).',
  },
  {
    name: 'advertise-address',
    type: 'string',
    default: '127.0.0.1',
    help: 'The IP address on which to advertise the apiserver to members of the cluster.',
  },
  {
    name: 'tls-cert-file',
    type: 'string',
    default: '',
    help: 'File containing the default x509 Certificate for HTTPS (CA cert, if any, concatenated after server cert).',
  },
  {
    name: 'tls-private-key-file',
    type: 'string',
    default: '',
    help: 'File containing the default x509 private key matching --tls-cert-file.',
  },
  {
    name: 'tls-sni-cert-key',
    type: 'stringArray',
    default: [],
    help: 'A pair of x509 certificate and private key file paths, optionally suffixed with a list of domain patterns: "foo.crt,foo.key:*.foo.com,foo.com". Repeatable.',
  },
  {
    name: 'cert-dir',
    type: 'string',
    default: '',
    help: 'The directory where the TLS certs are located; used when --tls-cert-file/--tls-private-key-file are not given and no PKI is wanted (default <data-dir>/pki).',
  },
  {
    name: 'client-ca-file',
    type: 'string',
    default: '',
    help: 'Any request presenting a client certificate signed by one of the authorities in this file is authenticated with the CommonName as user and Organizations as groups (default <data-dir>/pki/ca.crt).',
  },
  {
    name: 'anonymous-auth',
    type: 'bool',
    default: true,
    help: 'Enables anonymous requests to the secure port (system:anonymous, group system:unauthenticated).',
  },
  {
    name: 'authorization-mode',
    type: 'string',
    default: 'Node,RBAC',
    help: 'Ordered list of plug-ins to do authorization on secure port: AlwaysAllow,AlwaysDeny,Node,RBAC,Webhook.',
  },
  {
    name: 'authorization-config',
    type: 'string',
    default: '',
    help: 'File with an AuthorizationConfiguration (apiserver.config.k8s.io/v1) for the authorizer chain; mutually exclusive with --authorization-mode and the --authorization-webhook-* flags.',
  },
  {
    name: 'authorization-webhook-config-file',
    type: 'string',
    default: '',
    help: 'File with webhook configuration in kubeconfig format, used with --authorization-mode=Webhook.',
  },
  {
    name: 'authorization-webhook-version',
    type: 'string',
    default: 'v1beta1',
    help: 'The API version of authorization.k8s.io SubjectAccessReview to send to and expect from the webhook (v1 or v1beta1).',
  },
  {
    name: 'authorization-webhook-cache-authorized-ttl',
    type: 'duration',
    default: '5m0s',
    help: 'The duration to cache authorized responses from the webhook authorizer.',
  },
  {
    name: 'authorization-webhook-cache-unauthorized-ttl',
    type: 'duration',
    default: '30s',
    help: 'The duration to cache unauthorized responses from the webhook authorizer.',
  },
  {
    name: 'service-cluster-ip-range',
    type: 'string',
    default: '10.96.0.0/12',
    help: 'A CIDR notation IP range from which to assign service cluster IPs.',
  },
  {
    name: 'apiserver-cert-extra-sans',
    type: 'stringArray',
    default: [],
    help: 'Extra Subject Alternative Names for the generated API server serving certificate (kubeadm flag).',
  },
  {
    name: 'service-account-key-file',
    type: 'stringArray',
    default: [],
    help: 'PEM-encoded keys used to verify ServiceAccount tokens (default <data-dir>/pki/sa.pub).',
  },
  {
    name: 'service-account-signing-key-file',
    type: 'string',
    default: '',
    help: 'Path to the file that contains the current private key of the service account token issuer (default <data-dir>/pki/sa.key).',
  },
  {
    name: 'service-account-issuer',
    type: 'stringArray',
    default: ['https://kubernetes.default.svc.cluster.local'],
    help: 'Identifier of the service account token issuer.',
  },
  {
    name: 'api-audiences',
    type: 'stringArray',
    default: [],
    help: 'Identifiers of the API; defaults to the first --service-account-issuer.',
  },
  {
    name: 'storage-backend',
    type: 'string',
    default: 'sqlite',
    help: 'The storage backend: sqlite (embedded, default) or etcd3.',
  },
  {
    name: 'etcd-servers',
    type: 'stringArray',
    default: [],
    help: 'List of etcd servers to connect with (scheme://ip:port).',
    notYetSupported: true,
  },
  {
    name: 'etcd-cafile',
    type: 'string',
    default: '',
    help: 'SSL Certificate Authority file used to secure etcd communication.',
    notYetSupported: true,
  },
  {
    name: 'etcd-certfile',
    type: 'string',
    default: '',
    help: 'SSL certification file used to secure etcd communication.',
    notYetSupported: true,
  },
  {
    name: 'etcd-keyfile',
    type: 'string',
    default: '',
    help: 'SSL key file used to secure etcd communication.',
    notYetSupported: true,
  },
  {
    name: 'token-auth-file',
    type: 'string',
    default: '',
    help: 'If set, the file that will be used to secure the secure port of the API server via token authentication.',
    notYetSupported: true,
  },
  {
    name: 'enable-bootstrap-token-auth',
    type: 'bool',
    default: false,
    help: 'Enable bootstrap tokens (Secrets of type bootstrap.kubernetes.io/token in kube-system) for TLS bootstrapping.',
    notYetSupported: true,
  },
  {
    name: 'oidc-issuer-url',
    type: 'string',
    default: '',
    help: 'The URL of the OpenID issuer (https only).',
    notYetSupported: true,
  },
  {
    name: 'oidc-client-id',
    type: 'string',
    default: '',
    help: 'The client ID for the OpenID Connect client.',
    notYetSupported: true,
  },
  {
    name: 'authentication-token-webhook-config-file',
    type: 'string',
    default: '',
    help: 'File with webhook configuration for token authentication in kubeconfig format.',
    notYetSupported: true,
  },
  {
    name: 'requestheader-client-ca-file',
    type: 'string',
    default: '',
    help: 'Root certificate bundle to verify client certificates on incoming requests before trusting usernames in headers.',
    notYetSupported: true,
  },
  {
    name: 'requestheader-allowed-names',
    type: 'stringArray',
    default: [],
    help: 'List of client certificate common names allowed to provide usernames in headers.',
    notYetSupported: true,
  },
  {
    name: 'requestheader-username-headers',
    type: 'stringArray',
    default: [],
    help: 'List of request headers to inspect for usernames. X-Remote-User is common.',
    notYetSupported: true,
  },
  {
    name: 'requestheader-group-headers',
    type: 'stringArray',
    default: [],
    help: 'List of request headers to inspect for groups. X-Remote-Group is suggested.',
    notYetSupported: true,
  },
  {
    name: 'requestheader-extra-headers-prefix',
    type: 'stringArray',
    default: [],
    help: 'List of request header prefixes to inspect. X-Remote-Extra- is suggested.',
    notYetSupported: true,
  },
  {
    name: 'proxy-client-cert-file',
    type: 'string',
    default: '',
    help: 'Client certificate used to prove the identity of the aggregator or kube-apiserver when it must call out during a request.',
    notYetSupported: true,
  },
  {
    name: 'proxy-client-key-file',
    type: 'string',
    default: '',
    help: 'Private key for the client certificate used by the aggregator.',
    notYetSupported: true,
  },
  {
    name: 'kubelet-client-certificate',
    type: 'string',
    default: '',
    help: 'Path to a client cert file for TLS to kubelets.',
    notYetSupported: true,
  },
  {
    name: 'kubelet-client-key',
    type: 'string',
    default: '',
    help: 'Path to a client key file for TLS to kubelets.',
    notYetSupported: true,
  },
  {
    name: 'enable-admission-plugins',
    type: 'stringArray',
    default: [],
    help: 'Admission plugins to enable in addition to the defaults (NamespaceLifecycle, ServiceAccount are built in).',
    notYetSupported: true,
  },
  {
    name: 'audit-log-path',
    type: 'string',
    default: '',
    help: 'If set, all requests coming to the apiserver will be logged to this file.',
    notYetSupported: true,
  },
  { name: 'v', type: 'int', default: 0, help: 'Log level verbosity.' },
];

function readPem(file: string): string {
  return readFileSync(file, 'utf8');
}

/** --tls-sni-cert-key "cert,key[:name1,name2]". */
function parseSni(values: string[]): { cert: string; key: string; names: string[] }[] {
  return values.map((v) => {
    const [pair, names] = v.split(':');
    const [cert, key] = pair.split(',');
    if (!cert || !key)
      throw new FlagError(
        `invalid argument "${v}" for "--tls-sni-cert-key" flag: expected "cert,key[:names]"`,
      );
    return { cert: readPem(cert), key: readPem(key), names: names ? names.split(',') : [] };
  });
}

/** --authorization-config, or the legacy --authorization-mode / --authorization-webhook-* flags. */
function authorizerConfigs(f: FlagValues, set: Set<string>): AuthorizerConfig[] {
  if (f['authorization-config']) {
    const legacy = [
      'authorization-mode',
      'authorization-webhook-config-file',
      'authorization-webhook-version',
      'authorization-webhook-cache-authorized-ttl',
      'authorization-webhook-cache-unauthorized-ttl',
    ].filter((n) => set.has(n));
    if (legacy.length)
      throw new FlagError(
        `--authorization-config can not be specified when --${legacy.join(', --')} flags are specified`,
      );
    try {
      return parseAuthorizationConfiguration(readFileSync(String(f['authorization-config']), 'utf8'));
    } catch (e) {
      throw new FlagError(`invalid --authorization-config: ${(e as Error).message}`);
    }
  }
  const version = String(f['authorization-webhook-version']);
  if (version !== 'v1' && version !== 'v1beta1')
    throw new FlagError(`--authorization-webhook-version must be v1 or v1beta1, got "${version}"`);
  try {
    return legacyAuthorizerConfigs({
      modes: String(f['authorization-mode']).split(',').filter(Boolean),
      webhookConfigFile: String(f['authorization-webhook-config-file']) || undefined,
      webhookVersion: version,
      webhookAuthorizedTTLMs: parseDuration(String(f['authorization-webhook-cache-authorized-ttl'])),
      webhookUnauthorizedTTLMs: parseDuration(String(f['authorization-webhook-cache-unauthorized-ttl'])),
    });
  } catch (e) {
    throw new FlagError((e as Error).message);
  }
}

export async function run(argv: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const { flags: f, set, help } = parseFlags(serveFlags, argv);
  if (help) {
    process.stdout.write(
      formatHelp('kubeauth serve [flags]', 'Run the kube-apiserver-compatible API server.', serveFlags),
    );
    return 0;
  }
  for (const spec of serveFlags) {
    if (spec.notYetSupported && set.has(spec.name))
      process.stderr.write(`W flag --${spec.name} is accepted but not supported yet; it has no effect\n`);
  }
  if (f['storage-backend'] !== 'sqlite')
    throw new FlagError(
      `--storage-backend=${String(f['storage-backend'])} is not supported yet (only sqlite)`,
    );
  const dataDir = path.resolve(String(f['data-dir']));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const port = Number(f['secure-port']);
  const advertise = String(f['advertise-address']);
  const range = String(f['service-cluster-ip-range']);

  let cert: string, key: string;
  const pki = await ensurePki(dataDir, {
    serviceCidr: range,
    advertiseAddress: advertise,
    extraSans: f['apiserver-cert-extra-sans'] as string[],
    nodeName: hostname(),
    server: `https://${advertise.includes(':') ? `[${advertise}]` : advertise}:${port || 6443}`,
  });
  if (f['tls-cert-file'] || f['tls-private-key-file']) {
    if (!f['tls-cert-file'] || !f['tls-private-key-file'])
      throw new FlagError('--tls-cert-file and --tls-private-key-file must be given together');
    cert = readPem(String(f['tls-cert-file']));
    key = readPem(String(f['tls-private-key-file']));
  } else if (f['cert-dir']) {
    const ss = await ensureSelfSignedServing(path.resolve(String(f['cert-dir'])), {
      host: hostname(),
      alternateIps: [advertise].filter((a) => a !== '127.0.0.1'),
      alternateDns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    });
    cert = ss.cert;
    key = ss.key;
  } else {
    cert = pki.leaves.apiserver.certPem;
    key = pki.leaves.apiserver.keyPem;
  }
  const clientCa = f['client-ca-file'] ? readPem(String(f['client-ca-file'])) : pki.cas.ca.certPem;
  const saKey = f['service-account-signing-key-file']
    ? readPem(String(f['service-account-signing-key-file']))
    : pki.serviceAccount.privateKeyPem;
  const issuers = f['service-account-issuer'] as string[];
  const audiences = (f['api-audiences'] as string[]).length ? (f['api-audiences'] as string[]) : [issuers[0]];

  const store = await openSqliteStore(path.join(dataDir, 'kubeauth.db'));
  const server = await startApiServer({
    store,
    host: String(f['bind-address']),
    port,
    tls: { cert, key, clientCa, sni: parseSni(f['tls-sni-cert-key'] as string[]) },
    anonymousAuth: Boolean(f['anonymous-auth']),
    authorizers: authorizerConfigs(f, set),
    serviceClusterIpRange: range,
    advertiseAddress: advertise,
    serviceAccount: saKey ? { signingKeyPem: saKey, issuer: issuers[0], apiAudiences: audiences } : undefined,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `kubeauth serving on https://${String(f['bind-address'])}:${server.port} (ready in ${ms.toFixed(0)} ms)\n` +
      `export KUBECONFIG=${pki.admin.path}\n`,
  );
  const shutdown = (): void => {
    void server
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return 0;
}
