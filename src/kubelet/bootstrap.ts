/**
 * @module kubelet/bootstrap
 *
 * TLS bootstrap, after pkg/kubelet/certificate/bootstrap/bootstrap.go (`LoadClientCert`): when
 * `--kubeconfig` exists and its client certificate is still valid, nothing is done; otherwise the
 * node connects with `--bootstrap-kubeconfig` (a bootstrap token), reuses the key of the store's
 * current pair or `<cert-dir>/kubelet-client.key.tmp` (made once, ECDSA P-256, kept until the CSR
 * succeeds), creates a `kubernetes.io/kube-apiserver-client-kubelet` CSR for
 * CN=system:node:<node>, O=system:nodes (named `node-csr-<digest>` as upstream's `digestedName`, so
 * a restart waits for the same CSR), waits up to an hour for the certificate, stores the pair
 * (kubelet-client-<ts>.pem, kubelet-client-current.pem) and writes `--kubeconfig` pointing at the
 * current pair (`writeKubeconfigFromBootstrapping`). Also the CSRs of the certificate managers.
 */
import { createHash, createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clientFromCredentials, type ClientCredentials, type KubeClient } from '../client/kube-client.js';
import { requestCertificate } from '../client/csr.js';
import { createCsr } from '../pki/csr.js';
import { generateKeyPairFor } from '../pki/keys.js';
import { serializeKubeconfig } from '../pki/kubeconfig.js';
import { connectionFromKubeconfigFile } from '../webhook/client.js';
import { CertStore, type CertPair } from './cert-store.js';

export const KUBELET_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client-kubelet';
export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
const TMP_KEY = 'kubelet-client.key.tmp';

/** client-go csr.go `digestedName`: `node-csr-` + base64url(SHA-512/256 of the '|'-ended base64url fields). */
export function digestedCsrName(keyPem: string, cn: string, orgs: string[], usages: string[]): string {
  const spki = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
  const h = createHash('sha512-256');
  for (const d of [
    spki,
    Buffer.from(cn),
    ...orgs.map((o) => Buffer.from(o)),
    ...usages.map((u) => Buffer.from(u)),
  ])
    h.update(d.toString('base64url') + '|');
  return `node-csr-${h.digest('base64url')}`;
}

/** Usages of a node's key (bootstrap.go / certificate_manager.go `getUsages`): key encipherment only for RSA. */
export function nodeUsages(keyPem: string, purpose: 'client auth' | 'server auth'): string[] {
  const rsa = createPrivateKey(keyPem).asymmetricKeyType === 'rsa';
  return rsa ? ['key encipherment', 'digital signature', purpose] : ['digital signature', purpose];
}

export interface NodeCsrOptions {
  nodeName: string;
  keyPem: string;
  signerName: typeof KUBELET_CLIENT_SIGNER | typeof KUBELET_SERVING_SIGNER;
  /** The serving certificate's names (hostname, node IPs). */
  altNames?: { dnsNames: string[]; ips: string[] };
  log?: (line: string) => void;
  timeoutMs?: number;
}

/** Creates the node's CSR (not approved by itself) and waits for the certificate. */
export async function requestNodeCertificate(client: KubeClient, o: NodeCsrOptions): Promise<string> {
  const cn = `system:node:${o.nodeName}`;
  const orgs = ['system:nodes'];
  const usages = nodeUsages(o.keyPem, o.signerName === KUBELET_CLIENT_SIGNER ? 'client auth' : 'server auth');
  const csrPem = await createCsr({
    commonName: cn,
    organizations: orgs,
    altNames: o.altNames,
    privateKeyPem: o.keyPem,
  });
  const name = digestedCsrName(o.keyPem, cn, orgs, usages);
  return requestCertificate(client, {
    name,
    csrPem,
    signerName: o.signerName,
    usages,
    approve: false,
    reuseExisting: true,
    timeoutMs: o.timeoutMs ?? 3600_000,
    pollMs: 1000,
    onWaitingForApproval: (n) =>
      o.log?.(`I Waiting for client certificate to be issued csr=${n} signer=${o.signerName}`),
  });
}

/** bootstrap.go `isClientConfigStillValid`: the kubeconfig loads, has a client certificate, and none of it has expired. */
export function clientConfigStillValid(kubeconfigPath: string, now: Date = new Date()): boolean {
  if (!existsSync(kubeconfigPath)) return false;
  try {
    const c = connectionFromKubeconfigFile(kubeconfigPath);
    if (!c.certPem || !c.keyPem) return false;
    const certs = c.certPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    if (!certs.length) return false;
    return certs.every((p) => new Date(new X509Certificate(p).validTo).getTime() > now.getTime());
  } catch {
    return false;
  }
}

/** The kubeconfig's server and credentials, file references read. */
export function credentialsOf(kubeconfigPath: string): ClientCredentials & { insecure: boolean } {
  const c = connectionFromKubeconfigFile(kubeconfigPath);
  return {
    server: c.server,
    caCertPem: c.caPem,
    clientCertPem: c.certPem,
    clientKeyPem: c.keyPem,
    token: c.token,
    insecure: Boolean(c.insecureSkipTLSVerify),
  };
}

export interface LoadClientCertOptions {
  kubeconfig: string;
  bootstrapKubeconfig: string;
  certDir: string;
  nodeName: string;
  log?: (line: string) => void;
  timeoutMs?: number;
}

/** `LoadClientCert`; resolves true when it bootstrapped (wrote a new certificate and kubeconfig). */
export async function loadClientCert(o: LoadClientCertOptions): Promise<boolean> {
  if (clientConfigStillValid(o.kubeconfig)) {
    o.log?.(`I Kubeconfig exists and is valid, skipping bootstrap path=${o.kubeconfig}`);
    return false;
  }
  o.log?.('I Using bootstrap kubeconfig to generate TLS client cert, key and kubeconfig file');
  const boot = credentialsOf(o.bootstrapKubeconfig);
  await mkdir(o.certDir, { recursive: true, mode: 0o700 });
  const store = new CertStore(o.certDir, 'kubelet-client');
  const keyPem = (await store.current())?.keyPem ?? (await loadOrGenerateKey(join(o.certDir, TMP_KEY)));
  const cert = await requestNodeCertificate(clientFromCredentials(boot), {
    nodeName: o.nodeName,
    keyPem,
    signerName: KUBELET_CLIENT_SIGNER,
    log: o.log,
    timeoutMs: o.timeoutMs,
  });
  await store.update(cert, keyPem);
  await unlink(join(o.certDir, TMP_KEY)).catch(() => undefined);
  await writeKubeconfigFromBootstrapping(boot, o.kubeconfig, store.currentPath);
  o.log?.(`I Wrote the bootstrapped client certificate ${store.currentPath} and kubeconfig ${o.kubeconfig}`);
  return true;
}

/** keyutil.LoadOrGenerateKeyFile: reuse the PEM key in `path`, or make an ECDSA P-256 key there (0600). */
async function loadOrGenerateKey(path: string): Promise<string> {
  try {
    const pem = await readFile(path, 'utf8');
    createPrivateKey(pem);
    return pem;
  } catch {
    const k = await generateKeyPairFor('ECDSA-P256');
    await writeFile(path, k.privateKeyPem, { mode: 0o600 });
    return k.privateKeyPem;
  }
}

/** bootstrap.go `writeKubeconfigFromBootstrapping`: default-cluster/default-auth/default-context, the pair by path. */
async function writeKubeconfigFromBootstrapping(
  boot: ClientCredentials & { insecure: boolean },
  path: string,
  pemPath: string,
): Promise<void> {
  const yaml = serializeKubeconfig({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'default-cluster',
        cluster: {
          server: boot.server,
          ...(boot.insecure ? { 'insecure-skip-tls-verify': true } : {}),
          ...(boot.caCertPem
            ? { 'certificate-authority-data': Buffer.from(boot.caCertPem).toString('base64') }
            : {}),
        },
      },
    ],
    contexts: [
      {
        name: 'default-context',
        context: { cluster: 'default-cluster', user: 'default-auth', namespace: 'default' },
      },
    ],
    'current-context': 'default-context',
    preferences: {},
    users: [{ name: 'default-auth', user: { 'client-certificate': pemPath, 'client-key': pemPath } }],
  });
  await writeFile(path, yaml, { mode: 0o600 });
}

/** A client with a pair's certificate, to the kubeconfig's server (renewals and serving CSRs). */
export function clientWithPair(kubeconfigPath: string, pair: CertPair | undefined): KubeClient {
  const c = credentialsOf(kubeconfigPath);
  return clientFromCredentials(pair ? { ...c, clientCertPem: pair.certPem, clientKeyPem: pair.keyPem } : c);
}
