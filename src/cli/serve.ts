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
import { DynamicCaBundle } from '../authn/dynamic-ca.js';
import { DynamicCertKeyPair } from '../apiserver/dynamic-serving.js';
import { AnonymousSetting } from '../authn/oidc/anonymous-paths.js';
import { TokenFileAuthenticator } from '../authn/token-file.js';
import { BASIC_AUTH_WARNING, PasswordFileAuthenticator } from '../authn/password-file.js';
import { connectionFromKubeconfigFile, type WebhookConnection } from '../webhook/client.js';
import { ensurePki } from '../pki/index.js';
import { parseEncryptionAlgorithm } from '../pki/keys.js';
import { signingKeyFromPem } from '../serviceaccount/jwt.js';
import { ServiceAccountKeyFiles } from '../serviceaccount/key-files.js';
import { ensureSelfSignedServing } from '../pki/selfsigned.js';
import {
  legacyAuthorizerConfigs,
  parseAuthorizationConfiguration,
  type AuthorizerConfig,
} from '../authz/config.js';
import { FlagError, formatHelp, parseDuration, parseFlags, type FlagValues } from './flags.js';
import { serveFlags } from './serve-flags.js';
import { openStoreFromFlags } from './serve-storage.js';
import { leaderElectionFromFlags } from './serve-flags-leader.js';
import { jwtFromFlags } from './serve-oidc.js';
import { signerCasFromFlags } from './serve-signing.js';
import { kubeletClientFromFlags } from './serve-kubelet.js';

/** --csr-signing-workers: -1 (default: cores - 1, 1..4), 0 (sign on the event loop) or a count up to 64. */
function signingWorkers(f: Record<string, unknown>): number | undefined {
  const workers = Number(f['csr-signing-workers']);
  if (!Number.isInteger(workers) || workers < -1 || workers > 64)
    throw new FlagError(
      `--csr-signing-workers must be -1, 0 or a number of threads up to 64, got ${workers}`,
    );
  return workers === -1 ? undefined : workers;
}

/** --node-monitor-grace-period and --node-monitor-period (the node lifecycle controller). */
function nodeLifecycleFlags(f: Record<string, unknown>): { gracePeriodMs: number; monitorPeriodMs: number } {
  const gracePeriodMs = parseDuration(String(f['node-monitor-grace-period']));
  const monitorPeriodMs = parseDuration(String(f['node-monitor-period']));
  if (!(gracePeriodMs > 0)) throw new FlagError('--node-monitor-grace-period must be greater than 0');
  if (!(monitorPeriodMs > 0)) throw new FlagError('--node-monitor-period must be greater than 0');
  return { gracePeriodMs, monitorPeriodMs };
}

function readPem(file: string): string {
  return readFileSync(file, 'utf8');
}

/** A cert/key pair watched for changes; a pair that is unusable at start refuses the flag. */
function watchedPair(
  flag: string,
  certFile: string,
  keyFile: string,
  purpose: 'serving-cert' | 'sni-serving-cert',
): DynamicCertKeyPair {
  try {
    return new DynamicCertKeyPair(path.resolve(certFile), path.resolve(keyFile), { purpose });
  } catch (e) {
    throw new FlagError(`${flag}: ${(e as Error).message}`);
  }
}

/** --tls-sni-cert-key "cert,key[:name1,name2]", each pair watched for changes. */
function parseSni(values: string[]): { pair: DynamicCertKeyPair; names: string[] }[] {
  return values.map((v) => {
    const [pair, names] = v.split(':');
    const [cert, key] = pair.split(',');
    if (!cert || !key)
      throw new FlagError(
        `invalid argument "${v}" for "--tls-sni-cert-key" flag: expected "cert,key[:names]"`,
      );
    return {
      pair: watchedPair('--tls-sni-cert-key', cert, key, 'sni-serving-cert'),
      names: names ? names.split(',') : [],
    };
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
  // A flag that is accepted must take effect: one kubeauth does not implement yet fails start-up
  // rather than leave the operator believing it is on (e.g. an authenticator or audit log).
  const unsupported = serveFlags
    .filter((s) => s.notYetSupported && set.has(s.name))
    .map((s) => `--${s.name}: ${s.notYetSupported}`);
  if (unsupported.length)
    throw new FlagError(
      `not supported yet by kubeauth, refusing to start (see README "Status"):\n  ${unsupported.join('\n  ')}`,
    );
  const dataDir = path.resolve(String(f['data-dir']));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const port = Number(f['secure-port']);
  const advertise = String(f['advertise-address']);
  const range = String(f['service-cluster-ip-range']);

  let encryptionAlgorithm;
  try {
    encryptionAlgorithm = parseEncryptionAlgorithm(String(f['encryption-algorithm']));
  } catch (e) {
    throw new FlagError(`--encryption-algorithm: ${(e as Error).message}`);
  }
  let servingPair: DynamicCertKeyPair;
  const pki = await ensurePki(dataDir, {
    encryptionAlgorithm,
    serviceCidr: range,
    advertiseAddress: advertise,
    extraSans: f['apiserver-cert-extra-sans'] as string[],
    nodeName: hostname(),
    server: `https://${advertise.includes(':') ? `[${advertise}]` : advertise}:${port || 6443}`,
  });
  if (f['tls-cert-file'] || f['tls-private-key-file']) {
    if (!f['tls-cert-file'] || !f['tls-private-key-file'])
      throw new FlagError('--tls-cert-file and --tls-private-key-file must be given together');
    servingPair = watchedPair(
      '--tls-cert-file',
      String(f['tls-cert-file']),
      String(f['tls-private-key-file']),
      'serving-cert',
    );
  } else if (f['cert-dir']) {
    const certDir = path.resolve(String(f['cert-dir']));
    const ss = await ensureSelfSignedServing(certDir, {
      host: hostname(),
      alternateIps: [advertise].filter((a) => a !== '127.0.0.1'),
      alternateDns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    });
    servingPair = new DynamicCertKeyPair(ss.certFile, ss.keyFile, { initial: ss });
  } else {
    // The PKI's apiserver.crt/key, watched so `kubeauth certs renew apiserver` takes effect live.
    const a = pki.leaves.apiserver;
    servingPair = new DynamicCertKeyPair(a.certPath, a.keyPath, {
      initial: { cert: a.certPem, key: a.keyPem },
    });
  }
  const clientCa = f['client-ca-file'] ? readPem(String(f['client-ca-file'])) : pki.cas.ca.certPem;
  let clientCaBundle: DynamicCaBundle | undefined;
  if (f['client-ca-file']) {
    try {
      clientCaBundle = new DynamicCaBundle(String(f['client-ca-file']), undefined, clientCa);
    } catch (e) {
      throw new FlagError(`--client-ca-file: ${(e as Error).message}`);
    }
  }
  const signingKeyFile = f['service-account-signing-key-file']
    ? String(f['service-account-signing-key-file'])
    : pki.serviceAccount.keyPath;
  try {
    signingKeyFromPem(readPem(signingKeyFile));
  } catch (e) {
    throw new FlagError(`--service-account-signing-key-file: ${(e as Error).message}`);
  }
  const issuers = f['service-account-issuer'] as string[];
  if (!issuers.length || issuers.some((i) => !i))
    throw new FlagError('--service-account-issuer must be set and non-empty');
  const audiences = (f['api-audiences'] as string[]).length ? (f['api-audiences'] as string[]) : [issuers[0]];
  const keyFiles = f['service-account-key-file'] as string[];
  // kube-apiserver verifies with the signing key when no --service-account-key-file is given.
  const defaultKeyFile = f['service-account-signing-key-file']
    ? String(f['service-account-signing-key-file'])
    : pki.serviceAccount.pubPath;
  // Both kinds of file are re-read while running (issue #8; serviceaccount/key-files.ts).
  let saKeyFiles: ServiceAccountKeyFiles;
  try {
    saKeyFiles = new ServiceAccountKeyFiles(
      keyFiles.length ? keyFiles : [defaultKeyFile],
      signingKeyFile,
      (m) => process.stderr.write(`${m}\n`),
    );
  } catch (e) {
    throw new FlagError(`--service-account-key-file: ${(e as Error).message}`);
  }
  // pkg/kubeapiserver/options/authentication.go: between 1 hour and 2^32 seconds when set.
  const maxTokenSeconds = Math.floor(parseDuration(String(f['service-account-max-token-expiration'])) / 1000);
  if (maxTokenSeconds !== 0 && (maxTokenSeconds < 3600 || maxTokenSeconds > 2 ** 32))
    throw new FlagError('the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
  const rhCa = String(f['requestheader-client-ca-file']);
  const headerList = (name: string) => (f[name] as string[]).flatMap((v) => v.split(',')).filter(Boolean);
  if (
    !rhCa &&
    [
      'requestheader-allowed-names',
      'requestheader-username-headers',
      'requestheader-uid-headers',
      'requestheader-group-headers',
      'requestheader-extra-headers-prefix',
    ].some((n) => set.has(n))
  )
    throw new FlagError('--requestheader-* flags need --requestheader-client-ca-file');
  let requestHeaderCaBundle: DynamicCaBundle | undefined;
  if (rhCa)
    try {
      requestHeaderCaBundle = new DynamicCaBundle(rhCa, undefined, readPem(rhCa), 'request-header');
    } catch (e) {
      throw new FlagError(`--requestheader-client-ca-file: ${(e as Error).message}`);
    }
  const requestHeader = requestHeaderCaBundle
    ? {
        caPem: requestHeaderCaBundle.current(),
        allowedNames: headerList('requestheader-allowed-names'),
        usernameHeaders: headerList('requestheader-username-headers'),
        uidHeaders: headerList('requestheader-uid-headers'),
        groupHeaders: headerList('requestheader-group-headers'),
        extraHeaderPrefixes: headerList('requestheader-extra-headers-prefix'),
      }
    : undefined;
  let webhook: { connection: WebhookConnection; version: 'v1' | 'v1beta1'; cacheTtlMs: number } | undefined;
  if (f['authentication-token-webhook-config-file']) {
    const version = String(f['authentication-token-webhook-version']);
    if (version !== 'v1' && version !== 'v1beta1')
      throw new FlagError(`--authentication-token-webhook-version must be v1 or v1beta1, got "${version}"`);
    try {
      webhook = {
        connection: connectionFromKubeconfigFile(String(f['authentication-token-webhook-config-file'])),
        version,
        cacheTtlMs: parseDuration(String(f['authentication-token-webhook-cache-ttl'])),
      };
    } catch (e) {
      throw new FlagError(`--authentication-token-webhook-config-file: ${(e as Error).message}`);
    }
  }
  let passwordFile: PasswordFileAuthenticator | undefined;
  if (f['basic-auth-file']) {
    process.stderr.write(`W ${BASIC_AUTH_WARNING}\n`);
    try {
      passwordFile = PasswordFileAuthenticator.fromFile(String(f['basic-auth-file']));
    } catch (e) {
      throw new FlagError(`--basic-auth-file: ${(e as Error).message}`);
    }
  }
  let tokenFile: TokenFileAuthenticator | undefined;
  if (f['token-auth-file']) {
    try {
      tokenFile = TokenFileAuthenticator.fromFile(String(f['token-auth-file']), (m) =>
        process.stderr.write(`W ${m}\n`),
      );
    } catch (e) {
      throw new FlagError(`--token-auth-file: ${(e as Error).message}`);
    }
  }

  const jwt = jwtFromFlags(f, set, issuers, audiences, (m) => process.stderr.write(`W ${m}\n`));
  const anonymous = jwt?.anonymous ?? new AnonymousSetting({ enabled: Boolean(f['anonymous-auth']) });

  const signerCas = signerCasFromFlags(f, pki.cas.ca);
  const etcdBacked = set.has('storage-backend')
    ? f['storage-backend'] === 'etcd3'
    : (f['etcd-servers'] as string[]).some((s) => s.trim() !== '');
  const leaderElection = leaderElectionFromFlags(f, set, etcdBacked);
  const kubeletClient = kubeletClientFromFlags(f, pki.leaves['apiserver-kubelet-client'], (m) =>
    process.stderr.write(`${m}\n`),
  );
  const store = await openStoreFromFlags(f, set, dataDir, pki);
  const server = await startApiServer({
    store,
    host: String(f['bind-address']),
    port,
    tls: {
      ...servingPair.current(),
      servingPair,
      clientCa,
      clientCaBundle,
      requestHeaderCaBundle,
      sniPairs: parseSni(f['tls-sni-cert-key'] as string[]),
    },
    anonymousAuth: anonymous.current.enabled,
    authorizers: authorizerConfigs(f, set),
    serviceClusterIpRange: range,
    advertiseAddress: advertise,
    verbosity: Number(f.v),
    leaderElection,
    rootCaPem: pki.cas.ca.certPem,
    requestTimeoutMs: parseDuration(String(f['request-timeout'])),
    nodeLifecycle: nodeLifecycleFlags(f),
    kubeletClient,
    clusterSigning: {
      cas: signerCas,
      durationSeconds: parseDuration(String(f['cluster-signing-duration'])) / 1000,
      workers: signingWorkers(f),
    },
    serviceAccount: {
      signingKeyPem: saKeyFiles.signingKeyPem()!,
      issuer: issuers[0],
      apiAudiences: audiences,
      maxExpirationSeconds: maxTokenSeconds,
      extendExpiration: Boolean(f['service-account-extend-token-expiration']),
    },
    serviceAccountKeyFiles: saKeyFiles,
    authentication: {
      apiAudiences: audiences,
      tokenFile,
      passwordFile,
      requestHeader,
      webhook,
      jwt: jwt ? { tokens: jwt.authenticators } : undefined,
      anonymous,
      bootstrapTokens: Boolean(f['enable-bootstrap-token-auth']),
      serviceAccounts: {
        keys: () => saKeyFiles.verificationKeys(),
        issuers,
        lookup: Boolean(f['service-account-lookup']),
        jwksUri: String(f['service-account-jwks-uri']) || undefined,
      },
    },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(
    `kubeauth serving on https://${String(f['bind-address'])}:${server.port} (ready in ${ms.toFixed(0)} ms)\n` +
      `export KUBECONFIG=${pki.admin.path}\n`,
  );
  const shutdown = (): void => {
    jwt?.authenticators.close();
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
