/**
 * API server → kubelet end to end: the real `kubeauth serve` (its default kubelet client identity,
 * the PKI's apiserver-kubelet-client pair) in front of the real `kubeauth kubelet` with Webhook
 * authentication and authorization, driven by the real kubectl and curl.
 * - nodes/proxy as upstream (pkg/registry/core/node/rest/proxy.go): /stats/summary and /healthz
 *   for the admin, 403 from the API server without nodes/proxy, the kubelet authorizing the
 *   caller as kube-apiserver-kubelet-client through SubjectAccessReview;
 * - upgradeaware.go: a redirect is passed back, never followed; an upgrade is spliced only after a
 *   101, any other answer (the kubelet's 404 for exec) is returned as is;
 * - pods/log, pods/exec and pods/portforward error paths with upstream's texts (strategy.go).
 * The kubelet must listen on a global unicast address (isProxyableHostname refuses loopback):
 * the suite uses this host's first non-internal IPv4 address and is skipped without one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { startFakeKubelet, type FakeKubelet } from './kubelet-proxy-fake.js';
import { parse, stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';
import { curl, startAgent, x509User, type Agent, type Who } from './delegation-helpers.js';

const IP = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('API server → kubelet proxying', { skip: IP ? false : 'no non-loopback IPv4 address' }, () => {
  let srv: TestServer;
  let kubelet: Agent | undefined;
  let root: Who;
  let carol: Who & { kubeconfig: string };
  let fake: FakeKubelet;
  let fakePort: number;
  const seen = () => fake.seen;
  const serverArgs = ['--kubelet-preferred-address-types', 'InternalIP,Hostname'];

  const waitFor = async <T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${kubelet?.output() ?? ''}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  before(async () => {
    srv = await startServer({ args: serverArgs });
    root = await x509User(srv, 'root', ['system:masters']);
    carol = await x509User(srv, 'carol');
    const node = await x509User(srv, 'system:node:n1', ['system:nodes']);
    const kc = parse(readFileSync(node.kubeconfig, 'utf8')) as { users: { user: Record<string, string> }[] };
    kc.users[0].user = { 'client-certificate': node.cert!, 'client-key': node.key! };
    const kubeletConf = path.join(srv.dir, 'kubelet.conf');
    writeFileSync(kubeletConf, stringify(kc), { mode: 0o600 });
    kubelet = await startAgent(
      'kubelet',
      [
        '--address',
        IP!,
        '--node-ip',
        IP!,
        '--hostname-override',
        'n1',
        '--kubeconfig',
        kubeletConf,
        '--client-ca-file',
        path.join(srv.dir, 'pki', 'ca.crt'),
        '--authentication-token-webhook',
        '--authorization-mode',
        'Webhook',
      ],
      (p) => ['--port', String(p)],
    );
    await waitFor('n1 registered', async () => {
      const r = await srv.kubectl('1.33', ['get', 'node', 'n1', '-o', 'json']);
      return r.code === 0 && JSON.parse(r.stdout).status?.daemonEndpoints ? true : undefined;
    });

    // A stand-in backend on another port of a node "fake" (nodes/https:fake:PORT/proxy).
    fake = await startFakeKubelet(IP!, srv.dir);
    fakePort = fake.port;
    const c = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'fake' },
        status: {
          addresses: [{ type: 'InternalIP', address: IP }],
          daemonEndpoints: { kubeletEndpoint: { Port: fakePort } },
        },
      }),
    });
    assert.equal(c.code, 0, c.stderr);
  });

  after(async () => {
    await kubelet?.stop();
    await srv?.stop();
    await fake?.close();
  });

  test('kubectl get --raw /api/v1/nodes/n1/proxy/stats/summary and /healthz as the admin', async () => {
    const r = await srv.kubectl('1.33', ['get', '--raw', '/api/v1/nodes/n1/proxy/stats/summary']);
    assert.equal(r.code, 0, r.stderr + kubelet!.output());
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.node.nodeName, 'n1');
    const h = await srv.kubectl('1.33', ['get', '--raw', '/api/v1/nodes/n1/proxy/healthz']);
    assert.equal(h.code, 0, h.stderr);
    assert.equal(h.stdout, 'ok');
    // The explicit kubelet port (nodes/NAME:PORT) is the kubelet transport too.
    const port = kubelet!.port;
    const p = await srv.kubectl('1.33', ['get', '--raw', `/api/v1/nodes/n1:${port}/proxy/healthz`]);
    assert.equal(p.stdout, 'ok', p.stderr);
  });

  test('the kubelet authorizes kube-apiserver-kubelet-client (system:kubelet-api-admin)', async () => {
    const r = await srv.kubectl('1.33', [
      'auth',
      'can-i',
      'get',
      'nodes/proxy',
      '--as',
      'kube-apiserver-kubelet-client',
    ]);
    assert.equal(r.stdout.trim(), 'yes');
    const m = await srv.kubectl('1.33', ['get', '--raw', '/api/v1/nodes/n1/proxy/metrics']);
    assert.equal(m.code, 0, m.stderr);
    // Directly, the kubelet's Webhook authorizer refuses carol (she has no nodes/* rights).
    const d = await run('curl', [
      '-sk',
      '--cert',
      carol.cert!,
      '--key',
      carol.key!,
      `https://${IP}:${kubelet!.port}/healthz`,
    ]);
    assert.equal(d.stdout, 'Forbidden (user=carol, verb=get, resource=nodes, subresource=proxy)');
  });

  test('a user without nodes/proxy gets 403 from the API server', async () => {
    const r = await srv.kubectl('1.33', ['get', '--raw', '/api/v1/nodes/n1/proxy/stats/summary'], {
      kubeconfig: carol.kubeconfig,
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /nodes "n1" is forbidden: User "carol" cannot get resource "nodes\/proxy" in API group "" at the cluster scope/,
    );
  });

  test('nodes/proxy errors: unknown node, loopback address, invalid id', async () => {
    const nf = await curl(srv.port, '/api/v1/nodes/nope/proxy/healthz', root);
    assert.equal(nf.code, 404);
    assert.equal(JSON.parse(nf.body).message, 'nodes "nope" not found');
    const lo = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'lo' },
        status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] },
      }),
    });
    assert.equal(lo.code, 0, lo.stderr);
    const l = await curl(srv.port, '/api/v1/nodes/lo/proxy/healthz', root);
    assert.equal(l.code, 400);
    assert.equal(JSON.parse(l.body).message, 'address not allowed');
    const bad = await curl(srv.port, '/api/v1/nodes/ftp:n1:21/proxy/', root);
    assert.equal(bad.code, 400);
    assert.equal(JSON.parse(bad.body).message, 'invalid node request "ftp:n1:21"');
  });

  test('a backend redirect is passed back, not followed; credentials are not forwarded', async () => {
    seen().length = 0;
    const hdrs = path.join(srv.dir, 'redirect.headers');
    const base = `/api/v1/nodes/https:fake:${fakePort}/proxy`;
    const r = await curl(srv.port, `${base}/redirect?x=1`, root, 'GET', [
      '-H',
      'Authorization: Bearer not-for-the-backend',
      '-D',
      hdrs,
    ]);
    assert.equal(r.code, 302);
    assert.equal(r.body, 'moved');
    const h = readFileSync(hdrs, 'utf8');
    assert.match(h, /^location: https:\/\/example\.invalid\/elsewhere\r$/m, 'another host: unchanged');
    assert.doesNotMatch(h, /access-control-allow-origin/i, 'CORS headers removed (corsRemovingTransport)');
    assert.deepEqual(
      seen().map((s) => s.url),
      ['/redirect?x=1'],
    );
    assert.equal(seen()[0]!.headers['authorization'], undefined);
    assert.equal(seen()[0]!.headers['x-forwarded-uri'], `${base}/redirect`);
    // A same-host absolute path gets the proxy prefix (proxy/transport.go rewriteURL).
    await curl(srv.port, `${base}/redirect-local`, root, 'GET', ['-D', hdrs]);
    assert.match(readFileSync(hdrs, 'utf8'), new RegExp(`^location: ${base}/target/\\r$`, 'm'));
    // An unreachable backend port: upstream's text.
    const down = await curl(srv.port, '/api/v1/nodes/https:fake:1/proxy/', root);
    assert.equal(down.code, 500);
    assert.equal(
      JSON.parse(down.body).message,
      `error trying to reach service: dial tcp ${IP}:1: connect: connection refused`,
    );
    const post = await curl(srv.port, `/api/v1/nodes/https:fake:${fakePort}/proxy/echo`, root, 'POST', [
      '-d',
      'body',
    ]);
    assert.equal(post.body, 'hello POST /echo');
  });

  test('an upgrade to a backend that answers non-101 returns that answer; 101 is spliced', async () => {
    const r = await curl(srv.port, `/api/v1/nodes/https:fake:${fakePort}/proxy/noupgrade`, root, 'GET', [
      '--http1.1',
      '-H',
      'Connection: Upgrade',
      '-H',
      'Upgrade: websocket',
    ]);
    assert.equal(r.code, 403);
    assert.equal(r.body, 'no upgrade for you');
    const ws = new WebSocket(`wss://127.0.0.1:${srv.port}/api/v1/nodes/https:fake:${fakePort}/proxy/ws`, {
      cert: readFileSync(root.cert!),
      key: readFileSync(root.key!),
      rejectUnauthorized: false,
    });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('hi'));
      ws.on('message', (m) => resolve(String(m)));
      ws.on('error', reject);
    });
    ws.close();
    assert.equal(reply, 'echo:hi');
  });

  const createPod = async (name: string, nodeName: string | undefined, containers: string[]) => {
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default' },
        spec: {
          nodeName,
          // Without a node, a selector no node matches keeps the scheduler from binding it.
          ...(nodeName ? {} : { nodeSelector: { 'kubeauth.test/never': 'true' } }),
          containers: containers.map((c) => ({ name: c, image: 'busybox' })),
        },
      }),
    });
    assert.equal(r.code, 0, r.stderr);
  };
  const up = ['--http1.1', '-H', 'Connection: Upgrade', '-H', 'Upgrade: SPDY/3.1'];

  test('pods/exec and portforward: no host assigned, upgrade required, the kubelet answer echoed', async () => {
    await createPod('pending', undefined, ['c']);
    const exec = '/api/v1/namespaces/default/pods/pending/exec?command=ls&stdout=true';
    const a = await curl(srv.port, exec, root, 'POST', up);
    assert.equal(a.code, 400);
    assert.equal(JSON.parse(a.body).message, 'pod pending does not have a host assigned');
    const pf = await curl(
      srv.port,
      '/api/v1/namespaces/default/pods/pending/portforward?ports=80',
      root,
      'POST',
      up,
    );
    assert.equal(JSON.parse(pf.body).message, 'pod pending does not have a host assigned');

    await createPod('bound', 'n1', ['c']);
    const plain = await curl(
      srv.port,
      '/api/v1/namespaces/default/pods/bound/exec?command=ls&stdout=true',
      root,
      'POST',
    );
    assert.equal(plain.code, 400);
    assert.equal(JSON.parse(plain.body).message, 'Upgrade request required');
    // The kubelet (through its Webhook authz, as kube-apiserver-kubelet-client) answers 404: echoed.
    const k = await curl(
      srv.port,
      '/api/v1/namespaces/default/pods/bound/exec?command=ls&stdout=true',
      root,
      'POST',
      up,
    );
    assert.equal(k.code, 404, k.body);
    assert.match(k.body, /pod does not exist/);
    const nf = await curl(srv.port, '/api/v1/namespaces/default/pods/nope/exec?command=ls', root, 'POST', up);
    assert.equal(nf.code, 404);
    assert.equal(JSON.parse(nf.body).message, 'pods "nope" not found');
  });

  test('pods/log: container choice, the kubelet answer as a Status, an unscheduled pod logs nothing', async () => {
    await createPod('two', 'n1', ['a', 'b']);
    const raw = await curl(srv.port, '/api/v1/namespaces/default/pods/two/log', root);
    assert.equal(raw.code, 400);
    assert.equal(
      JSON.parse(raw.body).message,
      'a container name must be specified for pod two, choose one of: [a b]',
    );
    const bad = await curl(srv.port, '/api/v1/namespaces/default/pods/two/log?container=zz', root);
    assert.equal(JSON.parse(bad.body).message, 'container zz is not valid for pod two');
    const inv = await curl(
      srv.port,
      '/api/v1/namespaces/default/pods/two/log?container=a&tailLines=-1',
      root,
    );
    assert.equal(inv.code, 422);
    // The simulated runtime knows 'bound' (scheduled to n1) but it never ran before: the kubelet's
    // 400 for --previous comes back as a Status naming the pod, whatever state it is in now.
    const r = await srv.kubectl('1.33', ['logs', 'bound', '--previous']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(BadRequest\): .*\( pods\/log bound\)/);
    const p = await srv.kubectl('1.33', ['logs', 'pending']);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(p.stdout, '');
  });

  test('happy paths against a stand-in kubelet: kubectl logs streams, exec is spliced after 101', async () => {
    await createPod('logged', 'fake', ['c']);
    seen().length = 0;
    const r = await srv.kubectl('1.33', ['logs', 'logged', '--tail=5', '--timestamps']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'line 1\nline 2\n');
    assert.deepEqual(
      seen().map((x) => x.url),
      ['/containerLogs/default/logged/c?tailLines=5&timestamps=true'],
    );
    seen().length = 0;
    const ws = new WebSocket(
      `wss://127.0.0.1:${srv.port}/api/v1/namespaces/default/pods/logged/exec?command=sh&command=-c&command=echo%20hi&stdout=true&stderr=true`,
      ['v5.channel.k8s.io'],
      { cert: readFileSync(root.cert!), key: readFileSync(root.key!), rejectUnauthorized: false },
    );
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on('open', () => ws.send('x'));
      ws.on('message', (m) => resolve(String(m)));
      ws.on('error', reject);
    });
    ws.close();
    assert.equal(reply, 'echo:x');
    assert.equal(
      seen()[0]!.url,
      '/exec/default/logged/c?command=sh&command=-c&command=echo+hi&error=1&output=1',
    );
    assert.equal(seen()[0]!.headers['sec-websocket-protocol'], 'v5.channel.k8s.io');
    assert.equal(seen()[0]!.headers['authorization'], undefined);
  });

  test('kubectl logs -f streams as the kubelet writes; the kubelet stream ends with the client', async () => {
    await createPod('followed', 'fake', ['c']);
    const r = await srv.kubectl('1.33', ['logs', '-f', 'followed'], { timeoutMs: 2500 });
    assert.match(r.stdout, /^first\ntick\n(tick\n)+/);
    await waitFor(
      'the kubelet stream closed',
      async () => (fake.state.followClosed ? true : undefined),
      5000,
    );
  });

  test('a WebSocket exec (a GET) also needs create on pods/exec (AuthorizePodWebsocketUpgradeCreatePermission)', async () => {
    for (const args of [
      ['create', 'role', 'exec-get', '--verb=get', '--resource=pods', '--resource=pods/exec'],
      ['create', 'rolebinding', 'exec-get', '--role=exec-get', '--user=carol'],
    ]) {
      const r = await srv.kubectl('1.33', args);
      assert.equal(r.code, 0, r.stderr);
    }
    const ws = new WebSocket(
      `wss://127.0.0.1:${srv.port}/api/v1/namespaces/default/pods/logged/exec?command=sh&stdout=true`,
      ['v5.channel.k8s.io'],
      { cert: readFileSync(carol.cert!), key: readFileSync(carol.key!), rejectUnauthorized: false },
    );
    const status = await new Promise<{ code: number; body: string }>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      ws.on('open', () => reject(new Error('upgraded')));
      ws.on('error', () => undefined);
    });
    assert.equal(status.code, 403);
    assert.equal(
      JSON.parse(status.body).message,
      'pods "logged" is forbidden: User "carol" cannot create resource "pods/exec" in API group "" in the namespace "default"',
    );
  });

  test('--kubelet-client-certificate/--kubelet-client-key take effect; half a pair refuses start-up', async () => {
    const tester = await x509User(srv, 'proxy-tester');
    await srv.stop();
    const half = await run(
      process.execPath,
      [
        mainJs,
        'serve',
        '--data-dir',
        srv.dir,
        '--secure-port',
        '0',
        '--kubelet-client-certificate',
        tester.cert!,
      ],
      { timeoutMs: 20_000 },
    );
    assert.notEqual(half.code, 0);
    assert.match(half.stderr, /--kubelet-client-certificate and --kubelet-client-key must be given together/);
    srv = await startServer({
      dir: srv.dir,
      port: srv.port,
      args: [
        ...serverArgs,
        '--kubelet-client-certificate',
        tester.cert!,
        '--kubelet-client-key',
        tester.key!,
      ],
    });
    const r = await curl(srv.port, '/api/v1/nodes/n1/proxy/healthz', root);
    assert.equal(r.code, 403);
    assert.equal(r.body, 'Forbidden (user=proxy-tester, verb=get, resource=nodes, subresource=proxy)');
  });
});
