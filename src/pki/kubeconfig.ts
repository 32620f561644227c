/**
 * @module pki/kubeconfig
 *
 * Kubeconfig files in exactly the shape kubeadm writes (`cmd/kubeadm/app/phases/kubeconfig`,
 * `cmd/kubeadm/app/util/kubeconfig/kubeconfig.go`, serialized by client-go's `clientcmd.Write`):
 *
 * ```yaml
 * apiVersion: v1
 * clusters:
 * - cluster:
 *     certificate-authority-data: <base64 PEM>
 *     server: https://127.0.0.1:6443
 *   name: kubernetes
 * contexts:
 * - context:
 *     cluster: kubernetes
 *     user: kubernetes-admin
 *   name: kubernetes-admin@kubernetes
 * current-context: kubernetes-admin@kubernetes
 * kind: Config
 * preferences: {}
 * users:
 * - name: kubernetes-admin
 *   user:
 *     client-certificate-data: <base64 PEM>
 *     client-key-data: <base64 PEM>
 * ```
 *
 * Builds, serializes, parses, and issues client-certificate kubeconfigs signed by a CA.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { issueCertAndKey, type CertAndKey, type IssueContext } from './cert.js';
import { encryptionAlgorithmOf, keyGeneratorFor, type KeyGenerator } from './keys.js';
import { replaceFile, SECRET_MODE } from './files.js';

export interface KubeconfigCluster {
  'certificate-authority-data'?: string;
  'certificate-authority'?: string;
  server: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}
export interface KubeconfigContext {
  cluster: string;
  user: string;
  namespace?: string;
}
export interface KubeconfigUser {
  'client-certificate-data'?: string;
  'client-key-data'?: string;
  'client-certificate'?: string;
  'client-key'?: string;
  token?: string;
  username?: string;
  password?: string;
  [key: string]: unknown;
}
/** A kubeconfig (`kind: Config`), with client-go's field names. */
export interface Kubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: { name: string; cluster: KubeconfigCluster }[];
  contexts: { name: string; context: KubeconfigContext }[];
  'current-context': string;
  preferences: Record<string, unknown>;
  users: { name: string; user: KubeconfigUser }[];
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');
const unb64 = (data: string): string => Buffer.from(data, 'base64').toString('utf8');

/** Inputs of a single-cluster, single-user kubeconfig. */
export interface BuildKubeconfigOptions {
  server: string;
  caCertPem: string;
  userName: string;
  /** A client certificate and its key, or a bearer `token`. */
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  /** Default `kubernetes` (kubeadm's default ClusterName). */
  clusterName?: string;
  /** The context's namespace (none by default, as kubeadm). */
  namespace?: string;
}

/** Builds a kubeconfig with one cluster, one user and context `<user>@<cluster>` selected. */
export function buildKubeconfig(o: BuildKubeconfigOptions): Kubeconfig {
  const cluster = o.clusterName ?? 'kubernetes';
  const context = `${o.userName}@${cluster}`;
  return {
    apiVersion: 'v1',
    clusters: [
      { cluster: { 'certificate-authority-data': b64(o.caCertPem), server: o.server }, name: cluster },
    ],
    contexts: [
      {
        context: { cluster, ...(o.namespace ? { namespace: o.namespace } : {}), user: o.userName },
        name: context,
      },
    ],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: o.userName,
        user:
          o.token !== undefined
            ? { token: o.token }
            : {
                'client-certificate-data': b64(o.clientCertPem ?? ''),
                'client-key-data': b64(o.clientKeyPem ?? ''),
              },
      },
    ],
  };
}

/** Serializes to YAML with kubeadm's key order (top-level keys sorted, as client-go emits). */
export function serializeKubeconfig(kc: Kubeconfig): string {
  const ordered = {
    apiVersion: kc.apiVersion,
    clusters: kc.clusters.map((c) => ({ cluster: c.cluster, name: c.name })),
    contexts: kc.contexts.map((c) => ({ context: c.context, name: c.name })),
    'current-context': kc['current-context'],
    kind: kc.kind,
    preferences: kc.preferences ?? {},
    users: kc.users.map((u) => ({ name: u.name, user: u.user })),
  };
  return stringify(ordered, { lineWidth: 0, indentSeq: false });
}

export class KubeconfigError extends Error {}

/** Parses a kubeconfig YAML (or JSON) document. Throws `KubeconfigError` if it is not one. */
export function parseKubeconfig(text: string): Kubeconfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KubeconfigError(`invalid kubeconfig YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!doc || typeof doc !== 'object') throw new KubeconfigError('kubeconfig is not a mapping');
  const d = doc as Record<string, unknown>;
  if (d.kind !== undefined && d.kind !== 'Config')
    throw new KubeconfigError(`unexpected kind ${String(d.kind)}`);
  const list = <T>(k: string): T[] => {
    const v = d[k];
    if (v == null) return [];
    if (!Array.isArray(v)) throw new KubeconfigError(`${k} must be a list`);
    return v as T[];
  };
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: list('clusters'),
    contexts: list('contexts'),
    'current-context': typeof d['current-context'] === 'string' ? d['current-context'] : '',
    preferences: (d.preferences as Record<string, unknown>) ?? {},
    users: list('users'),
  };
}

/** The effective connection settings of a kubeconfig's current context. */
export interface KubeconfigCredentials {
  contextName: string;
  clusterName: string;
  userName: string;
  server: string;
  caCertPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
}

/** Resolves the current context to server, CA and client credentials (decoded PEMs). */
export function currentCredentials(kc: Kubeconfig): KubeconfigCredentials {
  const ctx = kc.contexts.find((c) => c.name === kc['current-context']);
  if (!ctx) throw new KubeconfigError(`current context "${kc['current-context']}" not found`);
  const cluster = kc.clusters.find((c) => c.name === ctx.context.cluster);
  if (!cluster) throw new KubeconfigError(`cluster "${ctx.context.cluster}" not found`);
  const user = kc.users.find((u) => u.name === ctx.context.user);
  if (!user) throw new KubeconfigError(`user "${ctx.context.user}" not found`);
  const ca = cluster.cluster['certificate-authority-data'];
  const cert = user.user['client-certificate-data'];
  const key = user.user['client-key-data'];
  return {
    contextName: ctx.name,
    clusterName: cluster.name,
    userName: user.name,
    server: cluster.cluster.server,
    caCertPem: ca ? unb64(ca) : undefined,
    clientCertPem: cert ? unb64(cert) : undefined,
    clientKeyPem: key ? unb64(key) : undefined,
    token: user.user.token,
  };
}

/** Options for `issueClientKubeconfig` / `writeClientKubeconfig`. */
export interface ClientKubeconfigOptions extends IssueContext {
  /** The cluster CA. Either this or `dataDir` (then `DIR/pki/ca.crt` + `DIR/pki/ca.key` are read). */
  ca?: CertAndKey;
  dataDir?: string;
  /** Becomes the certificate's CN and the kubeconfig user name. */
  user: string;
  /** Become the certificate's O values. */
  groups?: string[];
  server: string;
  clusterName?: string;
  /** Default: one year, capped at the CA's expiry. */
  durationSeconds?: number;
  generateKey?: KeyGenerator;
}

/** The issued credential and its kubeconfig. */
export interface ClientKubeconfig {
  kubeconfig: Kubeconfig;
  yaml: string;
  cert: CertAndKey;
}

async function resolveCa(o: ClientKubeconfigOptions): Promise<CertAndKey> {
  if (o.ca) return o.ca;
  if (!o.dataDir) throw new Error('either ca or dataDir is required');
  const dir = join(o.dataDir, 'pki');
  const [certPem, keyPem] = await Promise.all([
    readFile(join(dir, 'ca.crt'), 'utf8'),
    readFile(join(dir, 'ca.key'), 'utf8'),
  ]);
  return { certPem, keyPem };
}

/** Issues a clientAuth certificate (CN=user, O=groups) and wraps it in a kubeconfig. */
export async function issueClientKubeconfig(o: ClientKubeconfigOptions): Promise<ClientKubeconfig> {
  // Without a generator the new key is of the CA key's algorithm: kubeadm's `kubeconfig user` takes
  // the cluster's encryptionAlgorithm, which is what ca.key was generated with.
  const ca = await resolveCa(o);
  const keyPair = await (o.generateKey ?? keyGeneratorFor(encryptionAlgorithmOf(ca.keyPem)))();
  const cert = await issueCertAndKey(ca, keyPair, {
    subject: { commonName: o.user, organizations: o.groups ?? [] },
    usages: ['digital signature', 'key encipherment', 'client auth'],
    durationSeconds: o.durationSeconds,
    now: o.now,
    randomBytes: o.randomBytes,
  });
  const kubeconfig = buildKubeconfig({
    server: o.server,
    caCertPem: ca.certPem,
    userName: o.user,
    clientCertPem: cert.certPem,
    clientKeyPem: cert.keyPem,
    clusterName: o.clusterName,
  });
  return { kubeconfig, yaml: serializeKubeconfig(kubeconfig), cert };
}

/** Issues a client kubeconfig and writes it to `path` with mode 0600 (replacing atomically). */
export async function writeClientKubeconfig(
  o: ClientKubeconfigOptions & { path: string },
): Promise<ClientKubeconfig> {
  const out = await issueClientKubeconfig(o);
  await replaceFile(o.path, out.yaml, SECRET_MODE);
  return out;
}
