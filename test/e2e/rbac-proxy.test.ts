/**
 * `kubeauth proxy` (kube-rbac-proxy's job, with its flag names) in front of a small HTTP service,
 * against the real `kubeauth serve`: unauthenticated (401), forbidden (403 with kube-rbac-proxy's
 * text) and allowed requests, by client certificate and by service-account token (TokenReview);
 * non-resource authorization of the path by default; `--config-file` resourceAttributes with a
 * query-parameter rewrite; identity headers (`--auth-header-fields-enabled`), spoofed ones
 * removed, the bearer token not forwarded; `--ignore-paths` and `--allow-paths`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startServer, type TestServer } from './harness.js';
import { admin, curl, startAgent, x509User, type Agent, type Who } from './delegation-helpers.js';

describe('kubeauth proxy (kube-rbac-proxy flags)', () => {
  let srv: TestServer;
  let upstream: Server;
  let upstreamUrl: string;
  let caFile: string;
  let agentConf: string;
  let dave: Who;
  let token: string;
  let byPath: Agent;
  let byResource: Agent;
  const seen: { path: string; headers: Record<string, string | string[] | undefined> }[] = [];

  const proxy = (...args: string[]) =>
    startAgent(
      'proxy',
      ['--upstream', upstreamUrl, '--kubeconfig', agentConf, '--client-ca-file', caFile, ...args],
      (p) => ['--secure-listen-address', `127.0.0.1:${p}`],
    );

  before(async () => {
    upstream = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`upstream ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
    srv = await startServer();
    caFile = path.join(srv.dir, 'pki', 'ca.crt');
    agentConf = (await x509User(srv, 'rbac-proxy')).kubeconfig;
    await admin(
      srv,
      'create',
      'clusterrolebinding',
      'rbac-proxy-delegator',
      '--clusterrole=system:auth-delegator',
      '--user=rbac-proxy',
    );
    dave = await x509User(srv, 'dave', ['ops']);
    await admin(srv, 'create', 'serviceaccount', 'scraper');
    token = (await admin(srv, 'create', 'token', 'scraper')).trim();
    byPath = await proxy('--auth-header-fields-enabled', '--ignore-paths', '/healthz');
    const cfg = path.join(srv.dir, 'proxy-config.yaml');
    writeFileSync(
      cfg,
      [
        'authorization:',
        '  rewrites:',
        '    byQueryParameter:',
        '      name: namespace',
        '  resourceAttributes:',
        '    namespace: "{{ .Value }}"',
        '    apiVersion: v1',
        '    resource: services',
        '    subresource: proxy',
        '    name: metrics-app',
      ].join('\n'),
    );
    byResource = await proxy('--config-file', cfg, '--allow-paths', '/metrics,/federate*');
  });

  after(async () => {
    await byPath?.stop();
    await byResource?.stop();
    await srv?.stop();
    upstream?.close();
  });

  test('no credentials: 401 Unauthorized (anonymous is off, as in kube-rbac-proxy)', async () => {
    const r = await curl(byPath.port, '/metrics');
    assert.equal(r.code, 401);
    assert.equal(r.body, 'Unauthorized\n');
  });

  test('a bad bearer token: 401', async () => {
    assert.equal((await curl(byPath.port, '/metrics', { token: 'garbage' })).code, 401);
  });

  test('non-resource authorization of the path: forbidden, then allowed by a nonResourceURLs rule', async () => {
    const r = await curl(byPath.port, '/metrics', dave);
    assert.equal(r.code, 403);
    assert.equal(r.body, 'Forbidden (user=dave, verb=get, resource=, subresource=)\n');
    await admin(srv, 'create', 'clusterrole', 'metrics-reader', '--verb=get', '--non-resource-url=/metrics');
    await admin(
      srv,
      'create',
      'clusterrolebinding',
      'dave-metrics',
      '--clusterrole=metrics-reader',
      '--user=dave',
    );
    await admin(
      srv,
      'create',
      'clusterrolebinding',
      'scraper-metrics',
      '--clusterrole=metrics-reader',
      '--serviceaccount=default:scraper',
    );
    // The denial above is cached for the unauthorized TTL (30s): a new path is a new decision, so
    // use the token user, never asked before, then dave on a fresh proxy.
    const t = await curl(byPath.port, '/metrics', { token });
    assert.equal(t.code, 200, t.body);
    assert.equal(t.body, 'upstream GET /metrics');
    const fresh = await proxy('--auth-header-fields-enabled');
    try {
      const n = seen.length;
      const ok = await curl(fresh.port, '/metrics', dave, 'GET', [
        '-H',
        'X-Remote-User: mallory',
        '-H',
        'X-Remote-Extra-Scopes: all',
      ]);
      assert.equal(ok.code, 200, ok.body);
      const h = seen[n].headers;
      assert.equal(h['x-remote-user'], 'dave', 'the spoofed header is replaced');
      assert.equal(h['x-remote-groups'], 'ops|system:authenticated');
      assert.equal(h['x-remote-extra-scopes'], undefined);
      // POST is verb create: not granted.
      const post = await curl(fresh.port, '/metrics', dave, 'POST');
      assert.equal(post.code, 403);
      assert.equal(post.body, 'Forbidden (user=dave, verb=create, resource=, subresource=)\n');
    } finally {
      await fresh.stop();
    }
  });

  test('the token is not forwarded to the upstream', async () => {
    const n = seen.length;
    assert.equal((await curl(byPath.port, '/metrics', { token })).code, 200);
    assert.equal(seen[n].headers.authorization, undefined);
    assert.equal(seen[n].headers['x-remote-user'], 'system:serviceaccount:default:scraper');
  });

  test('--ignore-paths: no authentication or authorization', async () => {
    const r = await curl(byPath.port, '/healthz');
    assert.equal(r.code, 200);
    assert.equal(r.body, 'upstream GET /healthz');
  });

  test('--config-file resourceAttributes with a byQueryParameter rewrite', async () => {
    const none = await curl(byResource.port, '/metrics', { token });
    assert.equal(none.code, 400);
    assert.equal(none.body, 'Bad Request. The request or configuration is malformed.\n');
    const denied = await curl(byResource.port, '/metrics?namespace=default', { token });
    assert.equal(denied.code, 403);
    assert.equal(
      denied.body,
      'Forbidden (user=system:serviceaccount:default:scraper, verb=get, resource=services, subresource=proxy)\n',
    );
    await admin(
      srv,
      'create',
      'role',
      'metrics-app-proxy',
      '-n',
      'kube-system',
      '--verb=get',
      '--resource=services/proxy',
      '--resource-name=metrics-app',
    );
    await admin(
      srv,
      'create',
      'rolebinding',
      'scraper-app',
      '-n',
      'kube-system',
      '--role=metrics-app-proxy',
      '--serviceaccount=default:scraper',
    );
    const ok = await curl(byResource.port, '/metrics?namespace=kube-system', { token });
    assert.equal(ok.code, 200, ok.body);
    assert.equal(ok.body, 'upstream GET /metrics?namespace=kube-system');
    // Still denied in the namespace without the role (and cached as such).
    assert.equal((await curl(byResource.port, '/metrics?namespace=default', { token })).code, 403);
  });

  test('--allow-paths: anything else is 404 before authentication', async () => {
    const r = await curl(byResource.port, '/admin');
    assert.equal(r.code, 404);
    assert.equal(r.body, '404 page not found\n');
    assert.equal((await curl(byResource.port, '/federate')).code, 401);
  });

  test('flags kube-rbac-proxy has that kubeauth does not implement refuse start-up', async () => {
    await assert.rejects(
      proxy('--insecure-listen-address', '127.0.0.1:0'),
      /--insecure-listen-address: plain-HTTP listening is not offered/,
    );
  });
});
