/**
 * --authentication-token-webhook-config-file end to end: a real HTTPS TokenReview service (its own
 * CA) decides on bearer tokens; kubectl auth whoami shows the user, uid, groups and extra it
 * returns; unknown tokens and a webhook that is down are 401 (never anonymous), the latter fast;
 * kube-apiserver's default v1beta1 TokenReview is what the webhook receives unless told v1.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createSelfSignedCa, issueCertAndKey } from '../../src/pki/cert.js';
import { generateRsaKeyPair } from '../../src/pki/keys.js';
import { freePort, run, startServer, type TestServer } from './harness.js';

function hookKubeconfig(dir: string, name: string, url: string, caPem: string): string {
  const file = path.join(dir, `${name}.conf`);
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'hook',
          cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
        },
      ],
      users: [{ name: 'apiserver', user: {} }],
      contexts: [{ name: 'hook', context: { cluster: 'hook', user: 'apiserver' } }],
      'current-context': 'hook',
    }),
  );
  return file;
}

describe('webhook token authentication', () => {
  let srv: TestServer;
  let down: TestServer;
  let hook: Server;
  const reviews: Record<string, any>[] = [];

  before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-authn-webhook-'));
    const [caKey, leafKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
    const ca = await createSelfSignedCa({ commonName: 'authn-webhook-ca', keyPair: caKey });
    const leaf = await issueCertAndKey(ca, leafKey, {
      subject: { commonName: 'authn-webhook' },
      usages: ['digital signature', 'key encipherment', 'server auth'],
      altNames: { ips: ['127.0.0.1'] },
    });
    hook = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const review = JSON.parse(body);
        reviews.push(review);
        const ok = review.spec.token === 'hook-token-carol';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            apiVersion: review.apiVersion,
            kind: 'TokenReview',
            status: ok
              ? {
                  authenticated: true,
                  user: {
                    username: 'carol',
                    uid: 'uid-carol',
                    groups: ['sre'],
                    extra: { 'example.com/team': ['infra'] },
                  },
                }
              : { authenticated: false, error: 'unknown token' },
          }),
        );
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(hook.address() as AddressInfo).port}/authenticate`;
    srv = await startServer({
      args: [`--authentication-token-webhook-config-file=${hookKubeconfig(dir, 'up', url, ca.certPem)}`],
    });
    const closed = `https://127.0.0.1:${await freePort()}/authenticate`;
    down = await startServer({
      args: [
        `--authentication-token-webhook-config-file=${hookKubeconfig(dir, 'down', closed, ca.certPem)}`,
        '--authentication-token-webhook-version=v1',
      ],
    });
  });
  after(async () => {
    hook?.close();
    await srv?.stop();
    await down?.stop();
  });
  const withToken = (s: TestServer, t: string, args: string[]) =>
    s.kubectl('1.33', [
      '--kubeconfig=/dev/null',
      `--server=https://127.0.0.1:${s.port}`,
      '--insecure-skip-tls-verify',
      `--token=${t}`,
      ...args,
    ]);

  test('kubectl --token with a token the webhook accepts: whoami shows its answer', async () => {
    const r = await withToken(srv, 'hook-token-carol', ['auth', 'whoami', '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).status.userInfo, {
      username: 'carol',
      uid: 'uid-carol',
      groups: ['sre', 'system:authenticated'],
      extra: { 'example.com/team': ['infra'] },
    });
    const review = reviews.find((x) => x.spec.token === 'hook-token-carol')!;
    assert.equal(review.apiVersion, 'authentication.k8s.io/v1beta1');
    assert.equal(review.kind, 'TokenReview');
    assert.deepEqual(review.spec.audiences, ['https://kubernetes.default.svc.cluster.local']);
  });

  test('a token the webhook refuses is 401, and its error is logged', async () => {
    const r = await withToken(srv, 'hook-token-unknown', ['get', 'ns']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /You must be logged in/);
    assert.match(srv.output(), /Unable to authenticate the request: .*unknown token/);
  });

  test('a webhook that is down: 401 in bounded time, never anonymous', async () => {
    const t0 = Date.now();
    const r = await run('curl', [
      '-sk',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      'Authorization: Bearer any-token',
      `https://127.0.0.1:${down.port}/version`,
    ]);
    assert.equal(r.stdout, '401');
    assert.ok(Date.now() - t0 < 15_000, 'answered within 15 s');
    assert.match(
      down.output(),
      /webhook authentication failed: Post "https:\/\/127\.0\.0\.1:\d+\/authenticate": connect ECONNREFUSED/,
    );
  });
});
