/**
 * @module kubelet/config
 *
 * The part of `KubeletConfiguration` (kubelet.config.k8s.io/v1beta1) that `kubeauth kubelet`
 * serves: its HTTPS API's address, port, TLS files, authentication and authorization, and the
 * debugging handlers. Defaults are pkg/kubelet/apis/config/v1beta1/defaults.go's (secure:
 * anonymous off, webhook authentication on, `Webhook` authorization); without `--config` the
 * flags' legacy defaults apply instead (cmd/kubelet/app/options `applyLegacyDefaults`: anonymous
 * on, webhook authentication off, `AlwaysAllow`), as seed 003 describes. Flags given on the
 * command line win over the file.
 *
 * Decoding is strict as upstream's (unknown fields are errors); fields upstream has but this
 * agent does not implement are refused by name, so a file never seems to set what it does not.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../cli/flags.js';

export interface KubeletServing {
  address: string;
  port: number;
  tlsCertFile: string;
  tlsPrivateKeyFile: string;
  clientCAFile: string;
  anonymous: boolean;
  webhookAuthentication: boolean;
  webhookCacheTtlMs: number;
  authorizationMode: 'AlwaysAllow' | 'Webhook';
  cacheAuthorizedTtlMs: number;
  cacheUnauthorizedTtlMs: number;
  enableDebuggingHandlers: boolean;
  enableSystemLogHandler: boolean;
  /** --rotate-certificates (kubelet/certificates.ts). */
  rotateCertificates: boolean;
  /** --rotate-server-certificates: a kubelet-serving CSR instead of the self-signed pair. */
  serverTLSBootstrap: boolean;
  /** --register-node (kubelet/node-agent.ts). */
  registerNode: boolean;
  /** --node-status-update-frequency, ms. */
  nodeStatusUpdateFrequencyMs: number;
  /** nodeStatusReportFrequency (no flag), ms. */
  nodeStatusReportFrequencyMs: number;
  /** --node-lease-duration-seconds (kubeauth's flag for the field). */
  nodeLeaseDurationSeconds: number;
}

/** v1beta1 defaults (defaults.go SetDefaults_KubeletConfiguration). */
export const V1BETA1_DEFAULTS: KubeletServing = {
  address: '0.0.0.0',
  port: 10250,
  tlsCertFile: '',
  tlsPrivateKeyFile: '',
  clientCAFile: '',
  anonymous: false,
  webhookAuthentication: true,
  webhookCacheTtlMs: 2 * 60_000,
  authorizationMode: 'Webhook',
  cacheAuthorizedTtlMs: 5 * 60_000,
  cacheUnauthorizedTtlMs: 30_000,
  enableDebuggingHandlers: true,
  enableSystemLogHandler: true,
  rotateCertificates: false,
  serverTLSBootstrap: false,
  registerNode: true,
  nodeStatusUpdateFrequencyMs: 10_000,
  nodeStatusReportFrequencyMs: 5 * 60_000,
  nodeLeaseDurationSeconds: 40,
};

/** The flags' defaults without --config (applyLegacyDefaults). */
export const LEGACY_FLAG_DEFAULTS: KubeletServing = {
  ...V1BETA1_DEFAULTS,
  anonymous: true,
  webhookAuthentication: false,
  authorizationMode: 'AlwaysAllow',
};

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Upstream fields with a meaning this agent does not implement (refused when present). */
const NOT_IMPLEMENTED = new Set([
  'readOnlyPort',
  'healthzPort',
  'healthzBindAddress',
  'tlsCipherSuites',
  'tlsMinVersion',
  'staticPodPath',
  'staticPodURL',
  'enableServer',
  'enableProfilingHandler',
  'enableContentionProfiling',
  'enableDebugFlagsHandler',
  'featureGates',
]);

const KNOWN_TOP = new Set([
  'kind',
  'apiVersion',
  'address',
  'port',
  'tlsCertFile',
  'tlsPrivateKeyFile',
  'authentication',
  'authorization',
  'enableDebuggingHandlers',
  'enableSystemLogHandler',
  'rotateCertificates',
  'serverTLSBootstrap',
  'registerNode',
  'nodeStatusUpdateFrequency',
  'nodeStatusReportFrequency',
  'nodeLeaseDurationSeconds',
]);

function checkFields(o: Obj, allowed: readonly string[], at: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new Error(`strict decoding error: unknown field "${at}${k}"`);
  }
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new Error(`${field}: must be a string`);
  return v;
}
function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new Error(`${field}: must be a boolean`);
  return v;
}
function duration(v: unknown, field: string): number {
  try {
    return parseDuration(str(v, field));
  } catch {
    throw new Error(`${field}: invalid duration ${JSON.stringify(v)}`);
  }
}

/** Decodes a KubeletConfiguration document (YAML or JSON) over the v1beta1 defaults. */
export function decodeKubeletConfiguration(text: string): KubeletServing {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new Error(`failed to decode KubeletConfiguration: ${(e as Error).message}`, { cause: e });
  }
  if (!isObj(doc)) throw new Error('failed to decode KubeletConfiguration: not an object');
  if (doc.kind !== 'KubeletConfiguration' || doc.apiVersion !== KUBELET_CONFIG_API_VERSION) {
    throw new Error(
      `failed to decode: no kind "${String(doc.kind ?? '')}" is registered for version "${String(doc.apiVersion ?? '')}"; want kind KubeletConfiguration, apiVersion ${KUBELET_CONFIG_API_VERSION}`,
    );
  }
  for (const k of Object.keys(doc)) {
    if (NOT_IMPLEMENTED.has(k))
      throw new Error(`KubeletConfiguration field "${k}" is not implemented by kubeauth kubelet`);
    if (!KNOWN_TOP.has(k)) throw new Error(`strict decoding error: unknown field "${k}"`);
  }
  const c: KubeletServing = { ...V1BETA1_DEFAULTS };
  if (doc.address !== undefined) c.address = str(doc.address, 'address');
  if (doc.port !== undefined) {
    if (!Number.isInteger(doc.port) || (doc.port as number) < 1 || (doc.port as number) > 65535)
      throw new Error('port: must be between 1 and 65535, inclusive');
    c.port = doc.port as number;
  }
  if (doc.tlsCertFile !== undefined) c.tlsCertFile = str(doc.tlsCertFile, 'tlsCertFile');
  if (doc.tlsPrivateKeyFile !== undefined)
    c.tlsPrivateKeyFile = str(doc.tlsPrivateKeyFile, 'tlsPrivateKeyFile');
  if (doc.enableDebuggingHandlers !== undefined)
    c.enableDebuggingHandlers = bool(doc.enableDebuggingHandlers, 'enableDebuggingHandlers');
  if (doc.enableSystemLogHandler !== undefined)
    c.enableSystemLogHandler = bool(doc.enableSystemLogHandler, 'enableSystemLogHandler');
  if (doc.rotateCertificates !== undefined)
    c.rotateCertificates = bool(doc.rotateCertificates, 'rotateCertificates');
  if (doc.serverTLSBootstrap !== undefined)
    c.serverTLSBootstrap = bool(doc.serverTLSBootstrap, 'serverTLSBootstrap');
  if (doc.registerNode !== undefined) c.registerNode = bool(doc.registerNode, 'registerNode');
  if (doc.nodeStatusUpdateFrequency !== undefined)
    c.nodeStatusUpdateFrequencyMs = duration(doc.nodeStatusUpdateFrequency, 'nodeStatusUpdateFrequency');
  if (doc.nodeStatusReportFrequency !== undefined)
    c.nodeStatusReportFrequencyMs = duration(doc.nodeStatusReportFrequency, 'nodeStatusReportFrequency');
  if (doc.nodeLeaseDurationSeconds !== undefined) {
    if (!Number.isInteger(doc.nodeLeaseDurationSeconds) || (doc.nodeLeaseDurationSeconds as number) <= 0)
      throw new Error('nodeLeaseDurationSeconds: must be greater than 0');
    c.nodeLeaseDurationSeconds = doc.nodeLeaseDurationSeconds as number;
  }
  const an = doc.authentication;
  if (an !== undefined) {
    if (!isObj(an)) throw new Error('authentication: must be an object');
    checkFields(an, ['x509', 'webhook', 'anonymous'], 'authentication.');
    if (isObj(an.x509)) {
      checkFields(an.x509, ['clientCAFile'], 'authentication.x509.');
      if (an.x509.clientCAFile !== undefined)
        c.clientCAFile = str(an.x509.clientCAFile, 'authentication.x509.clientCAFile');
    }
    if (isObj(an.webhook)) {
      checkFields(an.webhook, ['enabled', 'cacheTTL'], 'authentication.webhook.');
      if (an.webhook.enabled !== undefined)
        c.webhookAuthentication = bool(an.webhook.enabled, 'authentication.webhook.enabled');
      if (an.webhook.cacheTTL !== undefined)
        c.webhookCacheTtlMs = duration(an.webhook.cacheTTL, 'authentication.webhook.cacheTTL');
    }
    if (isObj(an.anonymous)) {
      checkFields(an.anonymous, ['enabled'], 'authentication.anonymous.');
      if (an.anonymous.enabled !== undefined)
        c.anonymous = bool(an.anonymous.enabled, 'authentication.anonymous.enabled');
    }
  }
  const az = doc.authorization;
  if (az !== undefined) {
    if (!isObj(az)) throw new Error('authorization: must be an object');
    checkFields(az, ['mode', 'webhook'], 'authorization.');
    if (az.mode !== undefined) c.authorizationMode = authorizationMode(str(az.mode, 'authorization.mode'));
    if (isObj(az.webhook)) {
      checkFields(az.webhook, ['cacheAuthorizedTTL', 'cacheUnauthorizedTTL'], 'authorization.webhook.');
      if (az.webhook.cacheAuthorizedTTL !== undefined)
        c.cacheAuthorizedTtlMs = duration(
          az.webhook.cacheAuthorizedTTL,
          'authorization.webhook.cacheAuthorizedTTL',
        );
      if (az.webhook.cacheUnauthorizedTTL !== undefined)
        c.cacheUnauthorizedTtlMs = duration(
          az.webhook.cacheUnauthorizedTTL,
          'authorization.webhook.cacheUnauthorizedTTL',
        );
    }
  }
  return c;
}

export function authorizationMode(m: string): 'AlwaysAllow' | 'Webhook' {
  if (m === 'AlwaysAllow' || m === 'Webhook') return m;
  throw new Error(
    `authorization.mode: Unsupported value: "${m}": supported values: "AlwaysAllow", "Webhook"`,
  );
}

export function loadKubeletConfiguration(file: string): KubeletServing {
  return decodeKubeletConfiguration(readFileSync(file, 'utf8'));
}

/** Go's time.Duration String() for whole seconds/minutes (the form /configz shows). */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return (h ? `${h}h${m}m` : m ? `${m}m` : '') + `${sec}s`;
}

/** The effective configuration as /configz shows it (`{"kubeletconfig": …}`). */
export function configzView(c: KubeletServing): Obj {
  return {
    kubeletconfig: {
      kind: 'KubeletConfiguration',
      apiVersion: KUBELET_CONFIG_API_VERSION,
      enableServer: true,
      address: c.address,
      port: c.port,
      tlsCertFile: c.tlsCertFile || undefined,
      tlsPrivateKeyFile: c.tlsPrivateKeyFile || undefined,
      authentication: {
        x509: c.clientCAFile ? { clientCAFile: c.clientCAFile } : {},
        webhook: { enabled: c.webhookAuthentication, cacheTTL: goDuration(c.webhookCacheTtlMs) },
        anonymous: { enabled: c.anonymous },
      },
      authorization: {
        mode: c.authorizationMode,
        webhook: {
          cacheAuthorizedTTL: goDuration(c.cacheAuthorizedTtlMs),
          cacheUnauthorizedTTL: goDuration(c.cacheUnauthorizedTtlMs),
        },
      },
      enableDebuggingHandlers: c.enableDebuggingHandlers,
      enableSystemLogHandler: c.enableSystemLogHandler,
      rotateCertificates: c.rotateCertificates,
      serverTLSBootstrap: c.serverTLSBootstrap,
      registerNode: c.registerNode,
      nodeStatusUpdateFrequency: goDuration(c.nodeStatusUpdateFrequencyMs),
      nodeStatusReportFrequency: goDuration(c.nodeStatusReportFrequencyMs),
      nodeLeaseDurationSeconds: c.nodeLeaseDurationSeconds,
    },
  };
}
