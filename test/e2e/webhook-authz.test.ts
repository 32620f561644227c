/**
 * --authorization-mode=Node,RBAC,Webhook end to end: a real HTTPS webhook (on loopback, its own
 * CA) receives authorization.k8s.io/v1 SubjectAccessReviews from kubeauth and decides; RBAC still
 * answers first for what it allows (discovery), the webhook's reason reaches the Forbidden text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { stringify } from 'yaml';
import { createSelfSignedCa, issueCertAndKey } from '../../src/pki/cert.js';
import { generateRsaKeyPair } from '../../src/pki/keys.js';
import { mainJs, run, startServer, type TestServer } from './harness.js';

describe('Webhook authorizer', () => {
  let srv: TestServer;
  let hook: Server;
  let userConf: string;
  const reviews: Record<string, any>[] = [];

  before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-webhook-'));
    const [caKey, leafKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
    const ca = await createSelfSignedCa({ commonName: 'webhook-ca', keyPair: caKey });
    const leaf = await issueCertAndKey(ca, leafKey, {
      subject: { commonName: 'webhook' },
      usages: ['digital signature', 'key encipherment', 'server auth'],
      altNames: { ips: ['127.0.0.1'] },
    });
    hook = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const sar = JSON.parse(body);
        reviews.push(sar);
        const ra = sar.spec.resourceAttributes;
        const allowed =
          sar.spec.user === 'webhook-user' && ra?.resource === 'pods' && ['get', 'list'].includes(ra.verb);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            ...sar,
            status: allowed
              ? { allowed: true, reason: 'webhook allows pods' }
              : { allowed: false, reason: 'webhook says no' },
          }),
        );
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    const hookConf = path.join(dir, 'webhook.conf');
    writeFileSync(
      hookConf,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'hook',
            cluster: {
              server: `https://127.0.0.1:${(hook.address() as AddressInfo).port}/authorize`,
              'certificate-authority-data': Buffer.from(ca.certPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'apiserver', user: {} }],
        contexts: [{ name: 'hook', context: { cluster: 'hook', user: 'apiserver' } }],
        'current-context': 'hook',
      }),
    );
    srv = await startServer({
      args: [
        '--authorization-mode=Node,RBAC,Webhook',
        `--authorization-webhook-config-file=${hookConf}`,
        '--authorization-webhook-version=v1',
      ],
    });
    userConf = path.join(srv.dir, 'webhook-user.conf');
    const k = await run(process.execPath, [
      mainJs,
      'kubeconfig',
      '--sign-with-ca-key',
      '--data-dir',
      srv.dir,
      '--user',
      'webhook-user',
      '--group',
      'hook-users',
      '--out',
      userConf,
      '--server',
      `https://127.0.0.1:${srv.port}`,
    ]);
    assert.equal(k.code, 0, k.stderr);
  });
  after(async () => {
    await srv?.stop();
    hook?.close();
  });

  test('the webhook allows what RBAC does not, and receives a v1 SubjectAccessReview', async () => {
    const r = await srv.kubectl('1.33', ['get', 'pods', '-n', 'default'], { kubeconfig: userConf });
    assert.equal(r.code, 0, r.stderr);
    const sar = reviews.find((x) => x.spec?.resourceAttributes?.resource === 'pods');
    assert.ok(sar, 'the webhook was asked about pods');
    assert.equal(sar.apiVersion, 'authorization.k8s.io/v1');
    assert.equal(sar.kind, 'SubjectAccessReview');
    assert.equal(sar.spec.user, 'webhook-user');
    assert.deepEqual(sar.spec.groups, ['hook-users', 'system:authenticated']);
    assert.equal(sar.spec.resourceAttributes.namespace, 'default');
    assert.equal(sar.spec.resourceAttributes.verb, 'list');
  });

  test("a refusal carries the webhook's reason in the Forbidden text", async () => {
    const r = await srv.kubectl('1.33', ['get', 'secrets', '-n', 'default'], { kubeconfig: userConf });
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /secrets is forbidden: User "webhook-user" cannot list resource "secrets" in API group "" in the namespace "default": webhook says no/,
    );
  });

  test('discovery is answered by RBAC (system:discovery) without asking the webhook', async () => {
    assert.ok(!reviews.some((x) => x.spec?.nonResourceAttributes?.path === '/api'));
  });
});
