/**
 * `kubeauth kubelet` against the real `kubeauth serve`, the cases of seed 003 (Kubelet
 * authentication/authorization, v1.25) one by one, driven with curl on the kubelet port:
 * anonymous allowed or 401 per --anonymous-auth, x509 users allowed only once a ClusterRole grants
 * nodes/proxy (or nodes/stats), a service-account token through TokenReview, the verb and
 * subresource tables row by row (pkg/kubelet/server/auth.go v1.25), upstream's 401/403 texts
 * (server.go InstallAuthFilter), and the stale-if-error window with the API server stopped.
 *
 * The kubelet talks to the API server as `kubeauth-kubelet`, bound to system:auth-delegator
 * (create tokenreviews and subjectaccessreviews), as kubeadm binds it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, type TestServer } from './harness.js';
import { admin, curl, grantNodes, startAgent, x509User, type Agent, type Who } from './delegation-helpers.js';

describe('kubelet delegated authn/authz (seed 003)', () => {
  let srv: TestServer;
  let caFile: string;
  let agentConf: string;
  let alice: Who;
  let carol: Who;
  let bobToken: string;
  const agents: Agent[] = [];

  const kubelet = async (...args: string[]): Promise<Agent> => {
    const a = await startAgent(
      'kubelet',
      ['--address', '127.0.0.1', '--hostname-override', 'node1', ...args],
      (p) => ['--port', String(p)],
    );
    agents.push(a);
    return a;
  };
  const webhookArgs = () => [
    '--kubeconfig',
    agentConf,
    '--client-ca-file',
    caFile,
    '--authentication-token-webhook',
    '--authorization-mode',
    'Webhook',
  ];

  before(async () => {
    srv = await startServer();
    caFile = path.join(srv.dir, 'pki', 'ca.crt');
    const agent = await x509User(srv, 'kubeauth-kubelet');
    agentConf = agent.kubeconfig;
    await admin(
      srv,
      'create',
      'clusterrolebinding',
      'kubelet-auth-delegator',
      '--clusterrole=system:auth-delegator',
      '--user=kubeauth-kubelet',
    );
    alice = await x509User(srv, 'alice', ['devs']);
    carol = await x509User(srv, 'carol');
    await admin(srv, 'create', 'serviceaccount', 'bob');
    bobToken = (await admin(srv, 'create', 'token', 'bob')).trim();
  });

  after(async () => {
    for (const a of agents) await a.stop();
    await srv?.stop();
  });

  test('default flags: anonymous allowed (system:anonymous, AlwaysAllow)', async () => {
    const k = await kubelet();
    const r = await curl(k.port, '/pods');
    assert.equal(r.code, 200, r.body);
    assert.deepEqual(JSON.parse(r.body), { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: null });
    assert.equal((await curl(k.port, '/healthz')).body, 'ok');
    await k.stop();
  });

  test('--anonymous-auth=false: 401 Unauthorized without credentials; an x509 user passes', async () => {
    const k = await kubelet('--anonymous-auth=false', '--client-ca-file', caFile);
    const r = await curl(k.port, '/pods');
    assert.equal(r.code, 401);
    assert.equal(r.body, 'Unauthorized');
    assert.equal((await curl(k.port, '/pods', alice)).code, 200);
    await k.stop();
  });

  test('anonymous allowed by authentication, then denied by Webhook authorization', async () => {
    const k = await kubelet(...webhookArgs());
    const r = await curl(k.port, '/pods');
    assert.equal(r.code, 403);
    assert.equal(r.body, 'Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=proxy)');
    assert.match(r.contentType, /^text\/plain/);
    await k.stop();
  });

  test('an x509 user is allowed only after a ClusterRole grants nodes/proxy', async () => {
    const k = await kubelet(...webhookArgs(), '--authorization-webhook-cache-unauthorized-ttl=0s');
    const before = await curl(k.port, '/pods', alice);
    assert.equal(before.code, 403);
    assert.equal(before.body, 'Forbidden (user=alice, verb=get, resource=nodes, subresource=proxy)');
    await grantNodes(srv, 'alice-node-proxy', { user: 'alice' }, ['nodes/proxy']);
    assert.equal((await curl(k.port, '/pods', alice)).code, 200);
    // nodes/proxy covers /pods, not /stats.
    assert.equal((await curl(k.port, '/stats/summary', alice)).code, 403);
    await k.stop();
  });

  test('a service-account token goes through TokenReview; a bad token is 401', async () => {
    const k = await kubelet(...webhookArgs(), '--authorization-webhook-cache-unauthorized-ttl=0s');
    const who = { token: bobToken };
    const r = await curl(k.port, '/pods', who);
    assert.equal(r.code, 403);
    assert.equal(
      r.body,
      'Forbidden (user=system:serviceaccount:default:bob, verb=get, resource=nodes, subresource=proxy)',
    );
    await grantNodes(srv, 'bob-node-proxy', { serviceAccount: 'default:bob' }, ['nodes/proxy']);
    assert.equal((await curl(k.port, '/pods', who)).code, 200);
    const bad = await curl(k.port, '/pods', { token: 'not-a-token' });
    assert.equal(bad.code, 401);
    assert.equal(bad.body, 'Unauthorized');
    assert.match(k.output(), /Unable to authenticate the request due to an error/);
    await k.stop();
  });

  test('a user allowed only get nodes/stats (on node1): the verb and subresource tables row by row', async () => {
    await grantNodes(srv, 'carol-node-stats', { user: 'carol' }, ['nodes/stats'], ['get'], ['node1']);
    const k = await kubelet(...webhookArgs());
    const ok = await curl(k.port, '/stats/summary', carol);
    assert.equal(ok.code, 200, ok.body);
    const summary = JSON.parse(ok.body);
    assert.equal(summary.node.nodeName, 'node1');
    assert.deepEqual(summary.pods, []);
    // [method, path, verb, subresource]: seed 003's two tables.
    const rows: [string, string, string, string][] = [
      ['GET', '/pods', 'get', 'proxy'],
      ['GET', '/metrics', 'get', 'metrics'],
      ['GET', '/metrics/cadvisor', 'get', 'metrics'],
      ['GET', '/logs/', 'get', 'log'],
      ['GET', '/spec/', 'get', 'spec'],
      ['GET', '/configz', 'get', 'proxy'],
      ['GET', '/healthz', 'get', 'proxy'],
      ['POST', '/run/default/web/c', 'create', 'proxy'],
      ['POST', '/stats/summary', 'create', 'stats'],
      ['PUT', '/stats/summary', 'update', 'stats'],
      ['PATCH', '/stats/summary', 'patch', 'stats'],
      ['DELETE', '/stats/summary', 'delete', 'stats'],
      ['GET', '/exec/default/web/c', 'get', 'proxy'],
      ['GET', '/containerLogs/default/web/c', 'get', 'proxy'],
    ];
    for (const [method, p, verb, sub] of rows) {
      const r = await curl(k.port, p, carol, method);
      assert.equal(r.code, 403, `${method} ${p}: ${r.body}`);
      assert.equal(
        r.body,
        `Forbidden (user=carol, verb=${verb}, resource=nodes, subresource=${sub})`,
        `${method} ${p}`,
      );
    }
    // HEAD is get (seed 003: "GET, HEAD → get").
    assert.match((await curl(k.port, '/stats/summary', carol, 'HEAD')).body, /^HTTP\/1\.1 200/);
    await k.stop();
  });

  test('the routes answer as upstream once allowed', async () => {
    await grantNodes(
      srv,
      'alice-node-all',
      { user: 'alice' },
      ['nodes/proxy', 'nodes/stats', 'nodes/metrics', 'nodes/log', 'nodes/spec'],
      ['*'],
    );
    const k = await kubelet(...webhookArgs());
    const cases: [string, string, number, RegExp][] = [
      ['GET', '/metrics/resource', 200, /^# HELP node_cpu_usage_seconds_total \[STABLE\]/],
      ['GET', '/spec/', 200, /"num_cores":/],
      ['GET', '/configz', 200, /"authorization":\{"mode":"Webhook"/],
      ['GET', '/runningpods/', 200, /"kind":"PodList"/],
      ['POST', '/run/default/web/c', 404, /^pod does not exist$/],
      ['POST', '/exec/default/web/c', 400, /^you must specify at least 1 of stdin, stdout, stderr$/],
      ['POST', '/exec/default/web/c?output=1', 404, /^pod does not exist$/],
      ['GET', '/containerLogs/default/web/c', 404, /^pod "web" does not exist$/],
      ['POST', '/checkpoint/default/web/c', 404, /^404 page not found\n$/],
      ['GET', '/no-such-path', 404, /^404 page not found\n$/],
    ];
    for (const [method, p, code, body] of cases) {
      const r = await curl(k.port, p, alice, method);
      assert.equal(r.code, code, `${method} ${p}: ${r.body}`);
      assert.match(r.body, body, `${method} ${p}`);
    }
    await k.stop();
  });

  test('--config KubeletConfiguration: v1beta1 defaults (anonymous off, Webhook), flags win', async () => {
    const { writeFileSync } = await import('node:fs');
    const cfg = path.join(srv.dir, 'kubelet-config.yaml');
    writeFileSync(
      cfg,
      [
        'apiVersion: kubelet.config.k8s.io/v1beta1',
        'kind: KubeletConfiguration',
        'authentication:',
        '  x509:',
        `    clientCAFile: ${caFile}`,
      ].join('\n'),
    );
    const k = await kubelet('--config', cfg, '--kubeconfig', agentConf);
    assert.equal((await curl(k.port, '/pods')).code, 401, 'anonymous is off by the v1beta1 default');
    assert.equal((await curl(k.port, '/pods', carol)).code, 403, 'authorization is Webhook by default');
    assert.equal((await curl(k.port, '/pods', alice)).code, 200);
    await k.stop();
    const k2 = await kubelet(
      '--config',
      cfg,
      '--kubeconfig',
      agentConf,
      '--anonymous-auth=true',
      '--authorization-mode=AlwaysAllow',
    );
    assert.equal((await curl(k2.port, '/pods')).code, 200, 'flags win over the file');
    await k2.stop();
  });

  test('stale-if-error: with the API server stopped, cached answers keep deciding for the window, the rest is refused', async () => {
    const ttl = [
      '--authentication-token-webhook-cache-ttl=1s',
      '--authorization-webhook-cache-authorized-ttl=1s',
      '--authorization-webhook-cache-unauthorized-ttl=1s',
    ];
    const withWindow = await kubelet(...webhookArgs(), ...ttl, '--stale-if-error-window=4s');
    const without = await kubelet(...webhookArgs(), ...ttl);
    const bob = { token: bobToken };
    for (const k of [withWindow, without]) {
      assert.equal((await curl(k.port, '/pods', alice)).code, 200);
      assert.equal((await curl(k.port, '/pods', bob)).code, 200);
      assert.equal((await curl(k.port, '/stats/summary', { token: bobToken })).code, 403);
    }
    await srv.stop();
    await new Promise((r) => setTimeout(r, 1300));
    // Past the TTLs: only the kubelet with a window still answers, from its cache.
    assert.equal((await curl(withWindow.port, '/pods', alice)).code, 200);
    assert.equal((await curl(withWindow.port, '/pods', bob)).code, 200);
    assert.equal(
      (await curl(withWindow.port, '/stats/summary', bob)).code,
      403,
      'a cached denial stays a denial',
    );
    assert.match(withWindow.output(), /stale-if-error: the API server cannot be reached/);
    // Not cached: refused.
    const unknown = await curl(withWindow.port, '/metrics', alice);
    assert.equal(unknown.code, 500);
    assert.equal(
      unknown.body,
      'Authorization error (user=alice, verb=get, resource=nodes, subresource=metrics)',
    );
    assert.equal((await curl(withWindow.port, '/pods', { token: 'never-seen' })).code, 401);
    // Without a window (upstream): refused as soon as the TTL is over.
    assert.equal((await curl(without.port, '/pods', alice)).code, 500);
    assert.equal((await curl(without.port, '/pods', bob)).code, 401);
    // The window is bounded: 1s TTL + 4s window.
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal((await curl(withWindow.port, '/pods', alice)).code, 500);
    assert.equal((await curl(withWindow.port, '/pods', bob)).code, 401);
  });
});
