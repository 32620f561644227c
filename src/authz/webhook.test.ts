/**
 * The webhook authorizer against a real HTTPS server on 127.0.0.1 (throwaway CA, mutual TLS),
 * after staging/src/k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook_v1_test.go: request
 * body, decisions, TLS/kubeconfig wiring, cache TTLs with an injected clock, failure policy,
 * retries and timeouts.
 */
import 'reflect-metadata';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCa, signCertificate } from '../pki/cert.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import { buildKubeconfig, serializeKubeconfig } from '../pki/kubeconfig.js';
import type { Attributes, AuthzResult } from './interfaces.js';
import { unionAuthorizer } from './union.js';
import { buildWebhookAuthorizer, type WebhookAuthorizerSpec } from './webhook.js';
import type { WebhookConnection } from '../webhook/client.js';

interface Seen {
  body: any;
  headers: Record<string, unknown>;
  clientCN?: string;
}
let server: Server;
let conn: WebhookConnection;
let kubeconfigPath: string;
const seen: Seen[] = [];
/** What the server does next: [HTTP status, body, delay ms]. */
let respond: (body: any) => [number, unknown, number?] = () => [200, { status: { allowed: true } }];

before(async () => {
  const [caKeys, serverKeys, clientKeys] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
  const ca = await createSelfSignedCa({ commonName: 'webhook-ca', keyPair: caKeys });
  const serverCert = await signCertificate(ca, {
    subject: { commonName: 'webhook' },
    publicKey: serverKeys.publicKeyPem,
    usages: ['digital signature', 'key encipherment', 'server auth'],
    altNames: { ips: ['127.0.0.1'] },
  });
  const clientCert = await signCertificate(ca, {
    subject: { commonName: 'kube-apiserver' },
    publicKey: clientKeys.publicKeyPem,
    usages: ['digital signature', 'key encipherment', 'client auth'],
  });
  server = createServer(
    {
      key: serverKeys.privateKeyPem,
      cert: serverCert,
      ca: ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        seen.push({ body, headers: req.headers, clientCN: peer?.subject?.CN as string | undefined });
        const [code, out, delay] = respond(body);
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(code, { 'Content-Type': 'application/json' });
          res.end(typeof out === 'string' ? out : JSON.stringify(out));
        }, delay ?? 0);
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const url = `https://127.0.0.1:${port}/authorize`;
  conn = { server: url, caPem: ca.certPem, certPem: clientCert, keyPem: clientKeys.privateKeyPem };
  const dir = mkdtempSync(join(tmpdir(), 'webhook-authz-'));
  kubeconfigPath = join(dir, 'webhook.kubeconfig');
  const kc = buildKubeconfig({
    server: url,
    caCertPem: ca.certPem,
    userName: 'kube-apiserver',
    clientCertPem: clientCert,
    clientKeyPem: clientKeys.privateKeyPem,
  });
  writeFileSync(kubeconfigPath, serializeKubeconfig(kc));
});
after(() => server.close());

const spec = (over: Partial<WebhookAuthorizerSpec> = {}): WebhookAuthorizerSpec => ({
  name: 'test',
  timeoutMs: 2000,
  subjectAccessReviewVersion: 'v1',
  failurePolicy: 'NoOpinion',
  connectionInfo: { type: 'Connection', connection: conn },
  ...over,
});
const attrs = (over: Partial<Attributes> = {}): Attributes => ({
  user: { name: 'jane', uid: 'u-1', groups: ['group1', 'group2'], extra: { scopes: ['a', 'b'] } },
  verb: 'list',
  isResourceRequest: true,
  path: '/apis/apps/v1/namespaces/kittens/deployments',
  namespace: 'kittens',
  apiGroup: 'apps',
  apiVersion: 'v1',
  resource: 'deployments',
  subresource: '',
  name: '',
  ...over,
});
const noSleep = { sleep: async () => {} };
const reset = (fn: typeof respond): void => {
  seen.length = 0;
  respond = fn;
};

test('v1 request body for a resource request, over mutual TLS', async () => {
  reset(() => [
    200,
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      status: { allowed: true, reason: 'ok' },
    },
  ]);
  const r = await buildWebhookAuthorizer(spec(), noSleep).authorize(
    attrs({
      fieldSelector: 'spec.nodeName=n1,status.phase!=Failed',
      labelSelector: 'app=web,tier in (a,b),!old',
    }),
  );
  assert.deepEqual(r, { decision: 'Allow', reason: 'ok' });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].clientCN, 'kube-apiserver');
  assert.equal(seen[0].headers['content-type'], 'application/json');
  assert.deepEqual(seen[0].body, {
    kind: 'SubjectAccessReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {
      resourceAttributes: {
        namespace: 'kittens',
        verb: 'list',
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        fieldSelector: {
          requirements: [
            { key: 'spec.nodeName', operator: 'In', values: ['n1'] },
            { key: 'status.phase', operator: 'NotIn', values: ['Failed'] },
          ],
        },
        labelSelector: {
          requirements: [
            { key: 'app', operator: 'In', values: ['web'] },
            { key: 'tier', operator: 'In', values: ['a', 'b'] },
            { key: 'old', operator: 'DoesNotExist' },
          ],
        },
      },
      user: 'jane',
      groups: ['group1', 'group2'],
      extra: { scopes: ['a', 'b'] },
      uid: 'u-1',
    },
    status: { allowed: false },
  });
});

test('non-resource request, v1beta1 spells groups as "group"; empty fields are omitted', async () => {
  reset(() => [200, { status: { allowed: false, reason: 'nope' } }]);
  const a = attrs({ isResourceRequest: false, path: '/healthz', verb: 'get' });
  a.user = { name: 'bob', uid: '', groups: ['g'], extra: {} };
  const r = await buildWebhookAuthorizer(spec({ subjectAccessReviewVersion: 'v1beta1' }), noSleep).authorize(
    a,
  );
  assert.deepEqual(r, { decision: 'NoOpinion', reason: 'nope' });
  assert.equal(seen[0].body.apiVersion, 'authorization.k8s.io/v1beta1');
  assert.deepEqual(seen[0].body.spec, {
    nonResourceAttributes: { path: '/healthz', verb: 'get' },
    user: 'bob',
    group: ['g'],
  });
});

test('decisions: allowed, denied, both (Deny with an error), neither', async () => {
  const cases: [object, Partial<AuthzResult>, string?][] = [
    [{ allowed: true }, { decision: 'Allow', reason: '' }],
    [
      { allowed: false, denied: true, reason: 'blocked' },
      { decision: 'Deny', reason: 'blocked' },
    ],
    [
      { allowed: true, denied: true, reason: 'x' },
      { decision: 'Deny', reason: 'x' },
      'webhook subject access review returned both allow and deny response',
    ],
    [
      { allowed: false, evaluationError: 'boom' },
      { decision: 'NoOpinion', reason: '' },
    ],
  ];
  for (const [status, want, err] of cases) {
    reset(() => [200, { status }]);
    const r = await buildWebhookAuthorizer(spec(), noSleep).authorize(attrs());
    assert.equal(r.decision, want.decision);
    assert.equal(r.reason, want.reason);
    assert.equal(r.error?.message, err);
  }
});

test('kubeconfig file connection (CA, client certificate data) and bearer token', async () => {
  reset(() => [200, { status: { allowed: true } }]);
  const az = buildWebhookAuthorizer(
    spec({ connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: kubeconfigPath } }),
  );
  assert.equal((await az.authorize(attrs())).decision, 'Allow');
  assert.equal(seen[0].clientCN, 'kube-apiserver');
  const withToken = buildWebhookAuthorizer(
    spec({ connectionInfo: { type: 'Connection', connection: { ...conn, token: 's3cret' } } }),
  );
  await withToken.authorize(attrs());
  assert.equal(seen[1].headers.authorization, 'Bearer s3cret');
});

test('cache: allowed answers live authorizedTTL, others unauthorizedTTL (injected clock)', async () => {
  let now = 1_000_000;
  let allow = true;
  reset(() => [200, { status: { allowed: allow } }]);
  const az = buildWebhookAuthorizer(spec({ authorizedTTLMs: 5 * 60_000, unauthorizedTTLMs: 30_000 }), {
    now: () => now,
  });
  const a = attrs();
  assert.equal((await az.authorize(a)).decision, 'Allow');
  const cached = az.authorize(a);
  assert.ok(!(cached instanceof Promise), 'a cache hit answers synchronously');
  assert.equal(cached.decision, 'Allow');
  now += 5 * 60_000 - 1;
  await az.authorize(a);
  assert.equal(seen.length, 1);
  now += 1;
  allow = false;
  assert.equal((await az.authorize(a)).decision, 'NoOpinion');
  assert.equal(seen.length, 2);
  now += 29_999;
  await az.authorize(a);
  assert.equal(seen.length, 2);
  now += 1;
  await az.authorize(a);
  assert.equal(seen.length, 3);
  await az.authorize(attrs({ name: 'other' })); // a different key
  assert.equal(seen.length, 4);
  await az.authorize(attrs({ name: 'x'.repeat(10_000) })); // too large to cache
  await az.authorize(attrs({ name: 'x'.repeat(10_000) }));
  assert.equal(seen.length, 6);
});

test('failure policy: errors give NoOpinion or Deny with the error, are not cached; 4xx is not retried', async () => {
  reset(() => [
    403,
    { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'forbidden by webhook', code: 403 },
  ]);
  const soft = await buildWebhookAuthorizer(spec(), noSleep).authorize(attrs());
  assert.equal(soft.decision, 'NoOpinion');
  assert.equal(soft.error?.message, 'forbidden by webhook');
  assert.equal(seen.length, 1);
  const hard = buildWebhookAuthorizer(spec({ failurePolicy: 'Deny' }), noSleep);
  assert.equal((await hard.authorize(attrs())).decision, 'Deny');
  assert.equal((await hard.authorize(attrs())).decision, 'Deny');
  assert.equal(seen.length, 3, 'errors are not cached');
  // In a chain, a NoOpinion with an error becomes the union's error (the filter's 500).
  const chain = unionAuthorizer([
    buildWebhookAuthorizer(spec(), noSleep),
    { name: 'RBAC', authorize: () => ({ decision: 'NoOpinion', reason: '' }) },
  ]);
  const r = await chain.authorize(attrs());
  assert.equal(r.decision, 'NoOpinion');
  assert.equal(r.error?.message, 'forbidden by webhook');
});

test('5xx and 429 are retried with exponential backoff, then fail', async () => {
  const delays: number[] = [];
  const deps = { sleep: async (ms: number) => void delays.push(ms), random: () => 0 };
  reset(() => [500, 'internal']);
  const r = await buildWebhookAuthorizer(spec(), deps).authorize(attrs());
  assert.equal(seen.length, 5);
  assert.deepEqual(delays, [500, 750, 1125, 1687.5]);
  assert.match(
    r.error?.message ?? '',
    /an error on the server \("internal"\) has prevented the request from succeeding/,
  );
  let n = 0;
  reset(() => (++n < 3 ? [429, 'slow down'] : [200, { status: { allowed: true } }]));
  assert.equal((await buildWebhookAuthorizer(spec(), deps).authorize(attrs())).decision, 'Allow');
  assert.equal(seen.length, 3);
});

test('timeout: a slow webhook is an error (failure policy applies), not retried', async () => {
  reset(() => [200, { status: { allowed: true } }, 400]);
  const started = Date.now();
  const r = await buildWebhookAuthorizer(spec({ timeoutMs: 100, failurePolicy: 'Deny' }), noSleep).authorize(
    attrs(),
  );
  assert.equal(r.decision, 'Deny');
  assert.match(r.error?.message ?? '', /Client\.Timeout exceeded/);
  assert.ok(Date.now() - started < 390);
  assert.equal(seen.length, 1);
});

test('connection failures and unsupported options', async () => {
  const closed = { ...conn, server: 'https://127.0.0.1:1/authorize' };
  const r = await buildWebhookAuthorizer(
    spec({ connectionInfo: { type: 'Connection', connection: closed } }),
    noSleep,
  ).authorize(attrs());
  assert.equal(r.decision, 'NoOpinion');
  assert.match(r.error?.message ?? '', /^Post "https:\/\/127\.0\.0\.1:1\/authorize": .*ECONNREFUSED/);
  assert.throws(
    () => buildWebhookAuthorizer(spec({ matchConditions: [{ expression: 'true' }] })),
    /matchConditions are not supported/,
  );
  assert.throws(
    () => buildWebhookAuthorizer(spec({ subjectAccessReviewVersion: 'v2' as 'v1' })),
    /unsupported webhook authorizer version "v2", supported versions are "v1", "v1beta1"/,
  );
});

test('stale-if-error: past the TTL a cached answer decides only while the server is unreachable, within the window', async () => {
  let now = 1_000_000;
  reset(() => [200, { status: { allowed: true } }]);
  const staleSeen: number[] = [];
  const az = buildWebhookAuthorizer(spec({ authorizedTTLMs: 1000, staleIfErrorMs: 5000 }), {
    ...noSleep,
    now: () => now,
    onStale: (age) => staleSeen.push(age),
  });
  assert.equal((await az.authorize(attrs())).decision, 'Allow');
  // The server refuses (a 403 is its word, not an outage): no stale answer.
  now += 1500;
  reset(() => [403, { kind: 'Status', message: 'no', code: 403 }]);
  const refused = await az.authorize(attrs());
  assert.equal(refused.decision, 'NoOpinion');
  assert.equal(refused.error?.message, 'no');
  // The server is down (5xx after retries): the stale Allow decides, and is reported.
  reset(() => [503, 'down']);
  const stale = await az.authorize(attrs());
  assert.equal(stale.decision, 'Allow');
  assert.equal(stale.error, undefined);
  assert.deepEqual(staleSeen, [500], '500 ms past its TTL');
  // Not cached at all: the error stands.
  assert.ok((await az.authorize(attrs({ name: 'never-asked' }))).error);
  // Past TTL + window: the error stands.
  now += 4500;
  assert.ok((await az.authorize(attrs())).error);
});

test('cache keys kept per user object: one user, different attributes, different decisions', async () => {
  reset((body) => [200, { status: { allowed: body.spec.resourceAttributes?.subresource === 'stats' } }]);
  const az = buildWebhookAuthorizer(spec(), noSleep);
  const user = attrs().user;
  const stats = attrs({ user, resource: 'nodes', subresource: 'stats' });
  const proxy = attrs({ user, resource: 'nodes', subresource: 'proxy' });
  assert.equal((await az.authorize(stats)).decision, 'Allow');
  assert.equal((await az.authorize(proxy)).decision, 'NoOpinion');
  assert.equal((await az.authorize({ ...stats })).decision, 'Allow');
  assert.equal((await az.authorize({ ...proxy })).decision, 'NoOpinion');
  assert.equal(seen.length, 2, 'the repeats are cache hits');
  // Another user object with the same name is keyed by its spec, not by identity.
  await az.authorize(attrs({ resource: 'nodes', subresource: 'stats' }));
  assert.equal(seen.length, 2);
  await az.authorize(attrs({ user: { ...user, name: 'john' }, resource: 'nodes', subresource: 'stats' }));
  assert.equal(seen.length, 3);
});
