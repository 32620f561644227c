/**
 * Helpers of the CSR e2e tests over one running server: a fresh openssl CSR, a manifest, create
 * through kubectl, a user's kubeconfig from the CA, waiting on a jsonpath, a ClusterRole on
 * `signers`, and a PUT to a CSR subresource with curl (kubectl cannot send `/approval` bodies).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mainJs, run, type TestServer } from './harness.js';

export function csrKit(server: () => TestServer) {
  const k = (...args: string[]) => server().kubectl('1.33', args);
  let n = 0;
  /** A fresh key and CSR for `subj`; the base64 request. */
  const request = async (subj: string, extra: string[] = []) => {
    const base = path.join(server().dir, `r${n++}`);
    const r = await run('openssl', [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
      '-subj',
      subj,
      ...extra,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return readFileSync(`${base}.csr`).toString('base64');
  };
  const manifest = (name: string, spec: Record<string, unknown>, apiVersion = 'certificates.k8s.io/v1') =>
    JSON.stringify({ apiVersion, kind: 'CertificateSigningRequest', metadata: { name }, spec });
  const create = (input: string, kubeconfig?: string) =>
    server().kubectl('1.33', ['create', '-f', '-'], { input, kubeconfig });
  const userConf = async (user: string, groups: string[] = []) => {
    const out = path.join(server().dir, `${user.replace(/:/g, '_')}.conf`);
    const r = await run(process.execPath, [
      mainJs,
      'kubeconfig',
      '--sign-with-ca-key',
      '--data-dir',
      server().dir,
      '--user',
      user,
      ...groups.flatMap((g) => ['--group', g]),
      '--out',
      out,
      '--server',
      `https://127.0.0.1:${server().port}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return out;
  };
  const waitFor = async (name: string, jsonpath: string) => {
    for (let i = 0; i < 50; i++) {
      const r = await k('get', 'csr', name, '-o', `jsonpath=${jsonpath}`);
      if (r.stdout) return r.stdout;
      await new Promise((res) => setTimeout(res, 100));
    }
    return '';
  };
  const client = ['digital signature', 'key encipherment', 'client auth'];
  /** A ClusterRole on `signers` (not a served resource, so `kubectl create clusterrole` cannot name it). */
  const signerRole = (name: string, verb: string, signer: string) =>
    server().kubectl('1.33', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: [
          {
            apiGroups: ['certificates.k8s.io'],
            resources: ['signers'],
            resourceNames: [signer],
            verbs: [verb],
          },
        ],
      }),
    });

  /** PUT of a CSR body to `/approval` as the admin, with curl and the admin's client certificate. */
  const putApproval = async (name: string, body: unknown, version = 'v1', sub = 'approval') => {
    const cfg = (jp: string) => k('config', 'view', '--raw', '-o', `jsonpath=${jp}`).then((r) => r.stdout);
    const files = { cert: path.join(server().dir, 'adm.crt'), key: path.join(server().dir, 'adm.key') };
    writeFileSync(files.cert, Buffer.from(await cfg('{.users[0].user.client-certificate-data}'), 'base64'));
    writeFileSync(files.key, Buffer.from(await cfg('{.users[0].user.client-key-data}'), 'base64'), {
      mode: 0o600,
    });
    const r = await run('curl', [
      '-sS',
      '--cacert',
      path.join(server().dir, 'pki/ca.crt'),
      '--cert',
      files.cert,
      '--key',
      files.key,
      '-X',
      'PUT',
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      JSON.stringify(body),
      `https://127.0.0.1:${server().port}/apis/certificates.k8s.io/${version}/certificatesigningrequests/${name}/${sub}`,
    ]);
    return JSON.parse(r.stdout) as {
      code?: number;
      message?: string;
      kind: string;
      apiVersion: string;
      status?: { conditions?: { type: string; status: string }[] };
    };
  };

  return { k, request, manifest, create, userConf, waitFor, client, signerRole, putApproval };
}
