/**
 * @module cli/kubeconfig-online
 *
 * `kubeauth kubeconfig user NAME` and `kubeauth kubeconfig serviceaccount NS/NAME`: kubeconfigs
 * obtained through the API with the caller's credentials (`--kubeconfig`), nothing signed
 * locally. `user` does the seven manual steps of issuing a user certificate in one: it makes the
 * key here (the key never leaves this machine: only the CSR is sent), creates a
 * kube-apiserver-client CertificateSigningRequest (CN = NAME, O = the groups), approves it when
 * the caller may (otherwise prints the `kubectl certificate approve` line and waits for someone
 * who may), waits for the certificate and writes a kubeconfig with the CA, certificate and key
 * embedded (0600). `serviceaccount` asks for a bound token (TokenRequest, as `kubectl create
 * token`) and writes a token kubeconfig whose context defaults to the account's namespace.
 * The kubeconfig's server, CA and cluster name are the caller's.
 */
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { clientFromKubeconfig, type KubeClient } from '../client/kube-client.js';
import { requestCertificate } from '../client/csr.js';
import { createCsr } from '../pki/csr.js';
import { replaceFile, SECRET_MODE } from '../pki/files.js';
import {
  buildKubeconfig,
  currentCredentials,
  parseKubeconfig,
  serializeKubeconfig,
} from '../pki/kubeconfig.js';
import { readFileSync } from 'node:fs';
import { FlagError, parseDuration, type FlagSpec, type FlagValues } from './flags.js';

export const onlineFlags: readonly FlagSpec[] = [
  {
    name: 'kubeconfig',
    type: 'string',
    default: '',
    help: 'Kubeconfig of the caller (default $KUBECONFIG, else ~/.kube/config)',
  },
  { name: 'out', type: 'string', help: 'Write the kubeconfig to this file (0600) instead of stdout' },
  { name: 'namespace', type: 'string', help: "The context's namespace" },
  {
    name: 'expiration',
    type: 'string',
    help: 'Requested lifetime (e.g. 24h; at least 10m; the signer caps it at --cluster-signing-duration)',
  },
];

export const userFlags: readonly FlagSpec[] = [
  {
    name: 'group',
    type: 'stringArray',
    default: [],
    help: 'Group (certificate O); repeat or comma-separate',
  },
  ...onlineFlags,
  {
    name: 'key-type',
    type: 'string',
    default: 'rsa',
    help: 'Key made locally: rsa (2048 bits) or ecdsa (P-256)',
  },
  {
    name: 'csr-name',
    type: 'string',
    help: 'Name of the CertificateSigningRequest (default user-request-NAME-xxxxx)',
  },
  {
    name: 'timeout',
    type: 'duration',
    default: '15m',
    help: 'How long to wait for approval and the certificate',
  },
];

export const serviceAccountFlags: readonly FlagSpec[] = [
  ...onlineFlags,
  {
    name: 'audience',
    type: 'stringArray',
    default: [],
    help: 'Audience of the token (default the API server)',
  },
];

function callerKubeconfig(flag: string): string {
  const p =
    flag ||
    process.env.KUBECONFIG?.split(':').find((x) => x) ||
    resolve(process.env.HOME ?? '.', '.kube/config');
  if (!existsSync(p)) throw new FlagError(`kubeconfig ${p} not found (use --kubeconfig)`);
  return p;
}

/** Server, CA and cluster name of the caller's kubeconfig, for the kubeconfig written. */
function callerCluster(file: string): { server: string; caCertPem: string; clusterName: string } {
  const creds = currentCredentials(parseKubeconfig(readFileSync(file, 'utf8')));
  if (!creds.caCertPem) throw new FlagError(`kubeconfig ${file} has no certificate-authority-data to embed`);
  return { server: creds.server, caCertPem: creds.caCertPem, clusterName: creds.clusterName };
}

function expirationSeconds(f: FlagValues): number | undefined {
  if (f.expiration === undefined) return undefined;
  const s = Math.floor(parseDuration(String(f.expiration)) / 1000);
  if (s < 600) throw new FlagError('--expiration must be at least 10m');
  return s;
}

async function output(f: FlagValues, yaml: string, what: string): Promise<void> {
  const out = f.out as string | undefined;
  if (!out) {
    process.stdout.write(yaml);
    return;
  }
  await replaceFile(resolve(out), yaml, SECRET_MODE);
  process.stderr.write(`Wrote kubeconfig for ${what} to ${resolve(out)}\n`);
}

/** A DNS-subdomain CSR name derived from the user name. */
function csrName(user: string): string {
  const base =
    user
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || 'user';
  return `user-request-${base.slice(0, 200)}-${randomBytes(3).toString('hex').slice(0, 5)}`;
}

function newKeyPem(kind: string): string {
  const opts =
    kind === 'rsa'
      ? ({ type: 'rsa', options: { modulusLength: 2048 } } as const)
      : kind === 'ecdsa'
        ? ({ type: 'ec', options: { namedCurve: 'P-256' } } as const)
        : undefined;
  if (!opts) throw new FlagError(`--key-type must be rsa or ecdsa, got "${kind}"`);
  const { privateKey } =
    opts.type === 'rsa' ? generateKeyPairSync('rsa', opts.options) : generateKeyPairSync('ec', opts.options);
  return opts.type === 'rsa'
    ? privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    : privateKey.export({ type: 'sec1', format: 'pem' }).toString();
}

export async function runUser(user: string, f: FlagValues): Promise<number> {
  const exp = expirationSeconds(f);
  const timeoutMs = parseDuration(String(f.timeout));
  const file = callerKubeconfig(String(f.kubeconfig ?? ''));
  const cluster = callerCluster(file);
  const client: KubeClient = clientFromKubeconfig(file);
  const keyPem = newKeyPem(String(f['key-type']));
  const csrPem = await createCsr({
    commonName: user,
    organizations: f.group as string[],
    privateKeyPem: keyPem,
  });
  const name = (f['csr-name'] as string | undefined) ?? csrName(user);
  const certPem = await requestCertificate(client, {
    name,
    csrPem,
    signerName: 'kubernetes.io/kube-apiserver-client',
    usages: ['digital signature', 'key encipherment', 'client auth'],
    expirationSeconds: exp,
    timeoutMs,
    onWaitingForApproval: (n) =>
      process.stderr.write(
        `Waiting for certificate signing request "${n}" to be approved; someone allowed to approve it can run:\n` +
          `  kubectl certificate approve ${n}\n`,
      ),
  });
  const kc = buildKubeconfig({
    ...cluster,
    userName: user,
    clientCertPem: certPem,
    clientKeyPem: keyPem,
    namespace: f.namespace as string | undefined,
  });
  await output(f, serializeKubeconfig(kc), `user "${user}" (certificate signing request "${name}")`);
  return 0;
}

export async function runServiceAccount(ref: string, f: FlagValues): Promise<number> {
  const m = /^([^/]+)\/([^/]+)$/.exec(ref);
  if (!m) throw new FlagError(`expected NAMESPACE/NAME, got "${ref}"`);
  const [, ns, sa] = m;
  const exp = expirationSeconds(f);
  const file = callerKubeconfig(String(f.kubeconfig ?? ''));
  const cluster = callerCluster(file);
  const client = clientFromKubeconfig(file);
  const audiences = f.audience as string[];
  const tr = (await client.request(
    'POST',
    `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(sa)}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: {
        ...(audiences.length ? { audiences } : {}),
        ...(exp !== undefined ? { expirationSeconds: exp } : {}),
      },
    },
  )) as { status?: { token?: string } };
  const token = tr.status?.token;
  if (!token) throw new Error('the TokenRequest answer has no status.token');
  const userName = `system:serviceaccount:${ns}:${sa}`;
  const kc = buildKubeconfig({
    ...cluster,
    userName,
    token,
    namespace: (f.namespace as string | undefined) ?? ns,
  });
  await output(f, serializeKubeconfig(kc), `service account "${ns}/${sa}"`);
  return 0;
}
