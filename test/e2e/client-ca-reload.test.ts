/**
 * --client-ca-file is reloaded without a restart (upstream's DynamicFileCAContent): the x509
 * authenticator and the TLS CertificateRequest CA list (what Go clients such as kubectl use to pick
 * their certificate) follow the file; a broken file keeps the previous bundle.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, renameSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createSelfSignedCa, issueCertAndKey, type CertAndKey } from '../../src/pki/cert.js';
import { generateRsaKeyPair } from '../../src/pki/keys.js';
import { startServer, type TestServer } from './harness.js';

const REVIEW = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });

/** A SelfSubjectReview over a fresh connection with `client`: [status, username]. */
function whoAmI(port: number, client: CertAndKey): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        headers: { 'content-type': 'application/json' },
        cert: client.certPem,
        key: client.keyPem,
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          let user = '';
          try {
            user = JSON.parse(body).status?.userInfo?.username ?? '';
          } catch {
            /* a non-JSON answer has no user */
          }
          resolve([res.statusCode ?? 0, user]);
        });
      },
    );
    req.on('error', reject);
    req.end(REVIEW);
  });
}

function publishedCaFrom(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication',
        headers: { authorization: 'Bearer reader-token-0123456789' },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(JSON.parse(body).data?.['client-ca-file'] ?? ''));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function eventually(what: string, f: () => Promise<boolean>, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('--client-ca-file reload', () => {
  let srv: TestServer;
  let dir: string;
  let caFile: string;
  let ca1: CertAndKey, ca2: CertAndKey, alice: CertAndKey, bob: CertAndKey;
  const writeCa = (pem: string) => {
    const tmp = `${caFile}.tmp`;
    writeFileSync(tmp, pem);
    renameSync(tmp, caFile);
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-careload-'));
    const [k1, k2, ka, kb] = await Promise.all([1, 2, 3, 4].map(() => generateRsaKeyPair()));
    ca1 = await createSelfSignedCa({ commonName: 'first-ca', keyPair: k1 });
    ca2 = await createSelfSignedCa({ commonName: 'second-ca', keyPair: k2 });
    const usages = ['digital signature', 'key encipherment', 'client auth'];
    alice = await issueCertAndKey(ca1, ka, {
      subject: { commonName: 'alice', organizations: ['devs'] },
      usages,
    });
    bob = await issueCertAndKey(ca2, kb, { subject: { commonName: 'bob', organizations: ['ops'] }, usages });
    caFile = path.join(dir, 'client-ca.crt');
    writeCa(ca1.certPem);
    // The admin kubeconfig's certificate is from the cluster CA, not in this file: a token reads.
    const tokens = path.join(dir, 'tokens.csv');
    writeFileSync(tokens, 'reader-token-0123456789,admin,admin-uid,"system:masters"\n');
    srv = await startServer({
      args: ['--client-ca-file', caFile, '--anonymous-auth=false', '--token-auth-file', tokens],
    });
  });
  after(async () => {
    await srv?.stop();
  });

  const publishedCa = () => publishedCaFrom(srv.port);
  const kubectlAs = (who: CertAndKey) => {
    const file = path.join(dir, `kc-${Math.random().toString(36).slice(2)}.yaml`);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: { server: `https://127.0.0.1:${srv.port}`, 'insecure-skip-tls-verify': true },
          },
        ],
        users: [
          {
            name: 'u',
            user: { 'client-certificate-data': b64(who.certPem), 'client-key-data': b64(who.keyPem) },
          },
        ],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    return srv.kubectl('1.33', ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      kubeconfig: file,
    });
  };

  test('a second CA added to the file authenticates within seconds, removed again gives 401', async () => {
    assert.deepEqual(await whoAmI(srv.port, alice), [201, 'alice']);
    assert.equal((await whoAmI(srv.port, bob))[0], 401);
    assert.equal(await publishedCa(), ca1.certPem);
    const before = await kubectlAs(bob);
    assert.notEqual(before.code, 0);
    assert.match(before.stderr, /Unauthorized/);

    writeCa(ca1.certPem + ca2.certPem);
    await eventually('bob authenticates', async () => (await whoAmI(srv.port, bob))[0] === 201);
    assert.deepEqual(await whoAmI(srv.port, bob), [201, 'bob']);
    assert.deepEqual(await whoAmI(srv.port, alice), [201, 'alice']);
    // The extension-apiserver-authentication ConfigMap publishes the new bundle.
    await eventually(
      'the ConfigMap follows',
      async () => (await publishedCa()) === ca1.certPem + ca2.certPem,
    );
    // kubectl (Go TLS) sends its certificate only when the CertificateRequest names its CA.
    const now = await kubectlAs(bob);
    assert.equal(now.code, 0, now.stderr);
    assert.equal(now.stdout, 'bob');

    // A broken file keeps the previous bundle and is logged.
    writeCa('-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
    await eventually('the bad bundle is logged', async () => /Failed to load CA bundle/.test(srv.output()));
    assert.deepEqual(await whoAmI(srv.port, bob), [201, 'bob']);

    writeCa(ca1.certPem);
    await eventually('bob is refused again', async () => (await whoAmI(srv.port, bob))[0] === 401);
    assert.deepEqual(await whoAmI(srv.port, alice), [201, 'alice']);
  });
});
