/**
 * Simulated pods end to end: the real `kubeauth serve` (its minimal scheduler binds pods to Ready
 * nodes through the pods/binding logic), the real `kubeauth kubelet` with the node's own client
 * certificate (system:node:n1) running the simulated pod runtime, the real kubectl and curl.
 * The seed's `kubectl run --restart=Never --image=gcr.io/kuar-demo/kuard-amd64:blue kuard` reaches
 * `1/1 Running`; `sh -c 'echo hi; exit 3'` with restartPolicy Never ends Failed with exit code 3;
 * delete removes the pod (the kubelet's final DELETE); the projected token is the pod's service
 * account's; the kubelet's /containerLogs answers curl with a client certificate, follow streams.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { kubectlPath, startServer, type TestServer } from './harness.js';
import { curl, startAgent, x509User, type Agent, type Who } from './delegation-helpers.js';

/**
 * The node's address: the API server proxies pods/log only to a global unicast address (upstream's
 * isProxyableHostname), so the host's first non-loopback IPv4 when there is one.
 */
const HOST_IP = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
const NODE_IP = HOST_IP ?? '10.1.2.3';

describe('simulated pods: scheduler, kubelet pod runtime, container logs', () => {
  let srv: TestServer;
  let agent: Agent;
  let who: Who & { kubeconfig: string };
  let nodeConf: string;
  const rootDir = mkdtempSync(path.join(tmpdir(), 'kubeauth-pods-root-'));
  const admin = (...args: string[]) => srv.kubectl('1.33', args);
  const asNode = (...args: string[]) => srv.kubectl('1.33', args, { kubeconfig: nodeConf });
  const waitFor = async <T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${agent?.output() ?? ''}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  };
  const podJson = async (name: string, ns = 'foo'): Promise<Record<string, any> | undefined> => {
    const r = await admin('get', 'pod', name, '-n', ns, '-o', 'json');
    return r.code === 0 ? JSON.parse(r.stdout) : undefined;
  };

  before(async () => {
    srv = await startServer({
      args: [
        '--node-monitor-grace-period',
        '20s',
        '--node-monitor-period',
        '500ms',
        // kubeadm's setting: the node name n1 does not resolve here.
        '--kubelet-preferred-address-types',
        'InternalIP,ExternalIP,Hostname',
      ],
    });
    const user = await x509User(srv, 'system:node:n1', ['system:nodes']);
    nodeConf = user.kubeconfig;
    const kc = parse(readFileSync(nodeConf, 'utf8')) as { users: { user: Record<string, string> }[] };
    kc.users[0].user = { 'client-certificate': user.cert!, 'client-key': user.key! };
    const kubeletConf = path.join(srv.dir, 'kubelet.conf');
    writeFileSync(kubeletConf, stringify(kc), { mode: 0o600 });
    who = await x509User(srv, 'log-reader');
    agent = await startAgent(
      'kubelet',
      [
        '--address',
        HOST_IP ? '0.0.0.0' : '127.0.0.1',
        '--kubeconfig',
        kubeletConf,
        '--hostname-override',
        'n1',
        '--node-ip',
        NODE_IP,
        '--pod-cidr',
        '10.88.0.0/24',
        '--root-dir',
        rootDir,
        '--node-status-update-frequency',
        '1s',
        '--anonymous-auth=false',
        '--client-ca-file',
        path.join(srv.dir, 'pki', 'ca.crt'),
      ],
      (p) => ['--port', String(p)],
    );
    await waitFor('n1 Ready', async () => {
      const r = await admin('get', 'node', 'n1', '-o', 'json');
      if (r.code !== 0) return undefined;
      const n = JSON.parse(r.stdout) as Record<string, any>;
      return n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
        ? true
        : undefined;
    });
    assert.equal((await admin('create', 'namespace', 'foo')).code, 0);
  });
  after(async () => {
    await agent?.stop();
    await srv?.stop();
  });

  test('kubectl run kuard is bound to n1 and reaches 1/1 Running (the seed)', async () => {
    const r = await admin(
      'run',
      '--restart=Never',
      '--image=gcr.io/kuar-demo/kuard-amd64:blue',
      'kuard',
      '-n',
      'foo',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pod\/kuard created/);
    const out = await waitFor('kuard 1/1 Running', async () => {
      const g = await admin('get', 'pod', '-n', 'foo');
      return /^kuard\s+1\/1\s+Running\s+0\s+\S+$/m.test(g.stdout) ? g.stdout : undefined;
    });
    assert.match(out, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    const pod = (await podJson('kuard'))!;
    assert.equal(pod.spec.nodeName, 'n1');
    assert.equal(pod.status.phase, 'Running');
    assert.equal(pod.status.hostIP, NODE_IP);
    assert.match(pod.status.podIP, /^10\.88\.0\.\d+$/);
    assert.equal(pod.status.qosClass, 'BestEffort');
    assert.ok(pod.status.startTime);
    const conds = Object.fromEntries(pod.status.conditions.map((c: any) => [c.type, c.status]));
    for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'])
      assert.equal(conds[t], 'True', t);
    const [cs] = pod.status.containerStatuses;
    assert.equal(cs.name, 'kuard');
    assert.equal(cs.image, 'gcr.io/kuar-demo/kuard-amd64:blue');
    assert.match(cs.imageID, /^gcr\.io\/kuar-demo\/kuard-amd64@sha256:[0-9a-f]{64}$/);
    assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
    assert.equal(cs.ready, true);
    assert.equal(cs.started, true);
    assert.equal(cs.restartCount, 0);
    assert.ok(cs.state.running.startedAt);
  });

  test(
    'kubectl logs kuard and logs -f, through the API server (pods/log proxied to the kubelet)',
    {
      skip: HOST_IP ? false : 'no non-loopback IPv4 address to proxy to',
    },
    async () => {
      const logs = await admin('logs', 'kuard', '-n', 'foo');
      assert.equal(logs.code, 0, logs.stderr);
      assert.match(logs.stdout, /Starting kuard version: v0\.10\.0-blue/);
      const tail = await admin('logs', 'kuard', '-n', 'foo', '--tail=1');
      assert.equal(tail.stdout.trim().split('\n').length, 1);
      // -f keeps streaming (kuard runs until stopped): the first line arrives, then kubectl is stopped.
      const f = spawn(kubectlPath('1.33'), [
        '--kubeconfig',
        srv.kubeconfig,
        'logs',
        '-f',
        'kuard',
        '-n',
        'foo',
      ]);
      let out = '';
      f.stdout.on('data', (d) => (out += d));
      await waitFor('logs -f output', async () => (/Starting kuard/.test(out) ? true : undefined), 15_000);
      f.kill();
      // Someone without pods/log gets the API server's 403, the kubelet is never asked.
      const denied = await srv.kubectl('1.33', ['get', '--raw', '/api/v1/namespaces/foo/pods/kuard/log'], {
        kubeconfig: who.kubeconfig,
      });
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr, /cannot get resource "pods\/log" in API group "" in the namespace "foo"/);
    },
  );

  test('the kubelet API lists the pod: /pods, /runningpods/, /stats/summary', async () => {
    const pods = await curl(agent.port, '/pods', who);
    assert.equal(pods.code, 200);
    const list = JSON.parse(pods.body);
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(
      list.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`),
      ['foo/kuard'],
    );
    const running = JSON.parse((await curl(agent.port, '/runningpods/', who)).body);
    assert.deepEqual(running.items[0].spec.containers, [
      { name: 'kuard', image: 'gcr.io/kuar-demo/kuard-amd64:blue', resources: {} },
    ]);
    const summary = JSON.parse((await curl(agent.port, '/stats/summary', who)).body);
    assert.equal(summary.pods.length, 1);
    assert.equal(summary.pods[0].podRef.name, 'kuard');
    assert.equal(summary.pods[0].containers[0].name, 'kuard');
  });

  test('/containerLogs: kuard lines, tailLines, timestamps, errors as upstream', async () => {
    const all = await curl(agent.port, '/containerLogs/foo/kuard/kuard', who);
    assert.equal(all.code, 200);
    assert.match(all.body, /Starting kuard version: v0\.10\.0-blue/);
    assert.match(all.body, /Serving on HTTP on :8080\n$/);
    const tail = await curl(agent.port, '/containerLogs/foo/kuard/kuard?tailLines=1&timestamps=true', who);
    assert.match(tail.body, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z \S+ \S+ Serving on HTTP on :8080\n$/);
    const limited = await curl(agent.port, '/containerLogs/foo/kuard/kuard?limitBytes=5', who);
    assert.equal(limited.body.length, 5);
    const noPod = await curl(agent.port, '/containerLogs/foo/nope/kuard', who);
    assert.deepEqual([noPod.code, noPod.body], [404, 'pod "nope" does not exist']);
    const noC = await curl(agent.port, '/containerLogs/foo/kuard/x', who);
    assert.deepEqual([noC.code, noC.body], [404, 'container "x" not found in pod "kuard"']);
    const prev = await curl(agent.port, '/containerLogs/foo/kuard/kuard?previous=true', who);
    assert.deepEqual(
      [prev.code, prev.body],
      [400, 'previous terminated container "kuard" in pod "kuard" not found'],
    );
    const bad = await curl(agent.port, '/containerLogs/foo/kuard/kuard?tailLines=-1', who);
    assert.deepEqual([bad.code, bad.body], [422, '{"message": "Invalid request."}']);
  });

  test('a pod running sh -c ends Failed with its exit code (restartPolicy Never); follow streams its lines', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'exit3', namespace: 'foo' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'c', image: 'busybox', command: ['sh', '-c', 'echo hi; sleep 2; echo bye; exit 3'] },
        ],
      },
    };
    assert.equal((await srv.kubectl('1.33', ['create', '-f', '-'], { input: JSON.stringify(pod) })).code, 0);
    await waitFor('exit3 running', async () => {
      const p = await podJson('exit3');
      return p?.status?.containerStatuses?.[0]?.state?.running ? true : undefined;
    });
    // follow: the stream is open while the container runs and carries the later line.
    const follow = await new Promise<string>((resolve) => {
      const c = spawn('curl', [
        '-sk',
        '-N',
        '--cert',
        who.cert!,
        '--key',
        who.key!,
        `https://127.0.0.1:${agent.port}/containerLogs/foo/exit3/c?follow=true`,
      ]);
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.on('exit', () => resolve(out));
    });
    assert.equal(follow, 'hi\nbye\n');
    const p = await waitFor('exit3 Failed', async () => {
      const x = await podJson('exit3');
      return x?.status?.phase === 'Failed' ? x : undefined;
    });
    const t = p.status.containerStatuses[0].state.terminated;
    assert.equal(t.exitCode, 3);
    assert.equal(t.reason, 'Error');
    assert.equal(p.status.containerStatuses[0].ready, false);
    const g = await admin('get', 'pod', 'exit3', '-n', 'foo');
    assert.match(g.stdout, /^exit3\s+0\/1\s+Error\s+0\s+/m);
  });

  test("the projected token is the pod service account's; the node may request only such tokens", async () => {
    const pod = (await podJson('kuard'))!;
    const dir = path.join(rootDir, 'pods', pod.metadata.uid, 'volumes');
    const vol = readdirSync(dir).find((d) => d.startsWith('kube-api-access-'));
    assert.ok(vol, `no kube-api-access volume in ${dir}`);
    const tokenFile = path.join(dir, vol, 'token');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    assert.equal(readFileSync(path.join(dir, vol, 'namespace'), 'utf8'), 'foo');
    const token = readFileSync(tokenFile, 'utf8');
    // A kubeconfig with only the token (a client certificate would authenticate first).
    const kc = parse(readFileSync(srv.kubeconfig, 'utf8')) as { users: { user: Record<string, string> }[] };
    kc.users[0].user = { token };
    const tokenConf = path.join(srv.dir, 'workload.conf');
    writeFileSync(tokenConf, stringify(kc), { mode: 0o600 });
    const me = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'json'], { kubeconfig: tokenConf });
    assert.equal(me.code, 0, me.stderr);
    const info = JSON.parse(me.stdout).status.userInfo;
    assert.equal(info.username, 'system:serviceaccount:foo:default');
    assert.deepEqual(info.extra['authentication.kubernetes.io/pod-name'], ['kuard']);
    // Node authorizer: a token only for a service account a pod on this node uses.
    assert.equal((await admin('create', 'serviceaccount', 'other', '-n', 'foo')).code, 0);
    const denied = await asNode('create', 'token', 'other', '-n', 'foo');
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /forbidden/);
  });

  test('delete: the kubelet stops the pod and removes it', async () => {
    const uid = (await podJson('kuard'))!.metadata.uid;
    const d = await admin('delete', 'pod', 'kuard', '-n', 'foo', '--timeout=30s');
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, /pod "kuard" deleted/);
    assert.equal(await podJson('kuard'), undefined);
    await waitFor(
      'pod dir removed',
      async () => (existsSync(path.join(rootDir, 'pods', uid)) ? undefined : true),
      5000,
    );
    const pods = JSON.parse((await curl(agent.port, '/pods', who)).body);
    assert.ok(!(pods.items ?? []).some((p: any) => p.metadata.name === 'kuard'));
  });

  test('the scheduler leaves a pod no node fits Pending with Unschedulable', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'picky', namespace: 'foo' },
      spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'busybox' }] },
    };
    assert.equal((await srv.kubectl('1.33', ['create', '-f', '-'], { input: JSON.stringify(pod) })).code, 0);
    const c = await waitFor('Unschedulable', async () => {
      const p = await podJson('picky');
      return p?.status?.conditions?.find((x: any) => x.type === 'PodScheduled');
    });
    assert.equal(c.status, 'False');
    assert.equal(c.reason, 'Unschedulable');
    assert.equal(
      c.message,
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
  });
});
