/**
 * Node lifecycle end to end: the real `kubeauth serve` (a short --node-monitor-grace-period) and
 * the real `kubeauth kubelet` with the node's own client certificate (system:node:n1 in
 * system:nodes). The kubelet registers n1 (kubelet_node_status.go initialNode: labels, addresses,
 * conditions), renews `kube-node-lease/n1` (nodelease); stopped, n1 turns Unknown with the
 * unreachable taints (nodelifecycle tryUpdateNodeHealth, "Kubelet stopped posting node status.");
 * restarted, Ready again without them. The node's certificate cannot patch another node nor set
 * a node-restriction.kubernetes.io/ label (NodeRestriction's texts), and the kubelet refuses such
 * a --node-labels at start-up (ValidateKubeletFlags' text).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';
import { curl, startAgent, x509User, type Agent, type Who } from './delegation-helpers.js';

const GRACE_MS = 4000;

describe('kubelet node registration, Lease and the node lifecycle controller', () => {
  let srv: TestServer;
  let nodeConf: string;
  let who: Who;
  let kubeletConf: string;
  let agent: Agent | undefined;
  const admin = (...args: string[]) => srv.kubectl('1.33', args);
  const asNode = (...args: string[]) => srv.kubectl('1.33', args, { kubeconfig: nodeConf });
  const kubeletArgs = () => [
    '--address',
    '127.0.0.1',
    '--kubeconfig',
    kubeletConf,
    '--hostname-override',
    'n1',
    '--node-ip',
    '10.1.2.3',
    '--node-labels',
    'example.com/tier=edge,node.kubernetes.io/pool=blue',
    '--node-status-update-frequency',
    '1s',
    '--node-lease-duration-seconds',
    '2',
  ];
  const startKubelet = async () => {
    agent = await startAgent('kubelet', kubeletArgs(), (p) => ['--port', String(p)]);
  };
  const nodeJson = async (name = 'n1'): Promise<Record<string, any> | undefined> => {
    const r = await admin('get', 'node', name, '-o', 'json');
    return r.code === 0 ? JSON.parse(r.stdout) : undefined;
  };
  const ready = (n: Record<string, any> | undefined) =>
    n?.status?.conditions?.find((c: Record<string, string>) => c.type === 'Ready');
  const waitFor = async <T>(what: string, f: () => Promise<T | undefined>, ms: number): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${agent?.output() ?? ''}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  before(async () => {
    srv = await startServer({
      args: ['--node-monitor-grace-period', `${GRACE_MS / 1000}s`, '--node-monitor-period', '500ms'],
    });
    const user = await x509User(srv, 'system:node:n1', ['system:nodes']);
    nodeConf = user.kubeconfig;
    who = user;
    // The kubelet's kubeconfig names its certificate files, as TLS bootstrap writes it.
    const kc = parse(readFileSync(nodeConf, 'utf8')) as { users: { user: Record<string, string> }[] };
    kc.users[0].user = { 'client-certificate': user.cert!, 'client-key': user.key! };
    kubeletConf = path.join(srv.dir, 'kubelet.conf');
    writeFileSync(kubeletConf, stringify(kc), { mode: 0o600 });
    const c = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n2' } }),
    });
    assert.equal(c.code, 0, c.stderr);
    await startKubelet();
  });
  after(async () => {
    await agent?.stop();
    await srv?.stop();
  });

  test('kubectl get nodes shows n1 Ready with the kubelet labels and addresses (initialNode)', async () => {
    const n = await waitFor(
      'n1 Ready',
      async () => (ready(await nodeJson())?.status === 'True' ? nodeJson() : undefined),
      20_000,
    );
    const r = await admin('get', 'nodes');
    assert.match(r.stdout, /^n1\s+Ready\s+<none>\s+\S+\s+v1\.33\.0\+kubeauth$/m);
    const labels = n!.metadata.labels;
    assert.equal(labels['kubernetes.io/hostname'], 'n1');
    assert.equal(labels['kubernetes.io/os'], 'linux');
    assert.equal(labels['beta.kubernetes.io/os'], 'linux');
    assert.match(labels['kubernetes.io/arch'], /^(amd64|arm64|\w+)$/);
    assert.equal(labels['example.com/tier'], 'edge');
    assert.equal(labels['node.kubernetes.io/pool'], 'blue');
    assert.deepEqual(n!.status.addresses, [
      { type: 'InternalIP', address: '10.1.2.3' },
      { type: 'Hostname', address: 'n1' },
    ]);
    const rc = ready(n);
    assert.equal(rc.reason, 'KubeletReady');
    assert.equal(rc.message, 'kubelet is posting ready status');
    const types = n!.status.conditions.map(
      (c: Record<string, string>) => `${c.type}=${c.status}:${c.reason}`,
    );
    assert.deepEqual(types, [
      'MemoryPressure=False:KubeletHasSufficientMemory',
      'DiskPressure=False:KubeletHasNoDiskPressure',
      'PIDPressure=False:KubeletHasSufficientPID',
      'Ready=True:KubeletReady',
    ]);
    assert.ok(Number(n!.status.capacity.cpu) >= 1);
    assert.match(n!.status.allocatable.memory, /^\d+Ki$/);
    assert.equal(n!.status.nodeInfo.kubeletVersion, 'v1.33.0+kubeauth');
    assert.equal(n!.status.daemonEndpoints.kubeletEndpoint.Port, agent!.port);
    assert.equal(n!.spec.taints, undefined);
  });

  test('the Lease kube-node-lease/n1 is held by n1, owned by its Node, and renewed', async () => {
    const lease = async () => {
      const r = await admin('get', 'lease', '-n', 'kube-node-lease', 'n1', '-o', 'json');
      return r.code === 0 ? (JSON.parse(r.stdout) as Record<string, any>) : undefined;
    };
    const l1 = await waitFor(
      'the lease',
      async () => ((await lease())?.metadata.ownerReferences ? lease() : undefined),
      10_000,
    );
    assert.equal(l1!.spec.holderIdentity, 'n1');
    assert.equal(l1!.spec.leaseDurationSeconds, 2);
    assert.match(l1!.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const n = await nodeJson();
    assert.deepEqual(l1!.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: n!.metadata.uid },
    ]);
    const l2 = await waitFor(
      'a renewal',
      async () => {
        const l = await lease();
        return l && l.spec.renewTime > l1!.spec.renewTime ? l : undefined;
      },
      5_000,
    );
    assert.ok(l2);
  });

  test('stopping the kubelet turns n1 NotReady (Unknown) with the unreachable taints within the grace period', async () => {
    const stopped = Date.now();
    await agent!.stop();
    agent = undefined;
    const n = await waitFor(
      'n1 Unknown',
      async () => {
        const x = await nodeJson();
        return ready(x)?.status === 'Unknown' && x?.spec?.taints?.length === 2 ? x : undefined;
      },
      GRACE_MS + 6000,
    );
    const elapsed = Date.now() - stopped;
    assert.ok(elapsed >= GRACE_MS - 1000, `Unknown after ${elapsed}ms, before the grace period`);
    for (const c of n!.status.conditions) {
      assert.equal(c.status, 'Unknown', c.type);
      assert.equal(c.reason, 'NodeStatusUnknown');
      assert.equal(c.message, 'Kubelet stopped posting node status.');
    }
    const taints = n!.spec.taints.map((t: Record<string, string>) => `${t.key}:${t.effect}`);
    assert.deepEqual(taints, [
      'node.kubernetes.io/unreachable:NoSchedule',
      'node.kubernetes.io/unreachable:NoExecute',
    ]);
    assert.ok(n!.spec.taints[1].timeAdded);
    const r = await admin('get', 'nodes', 'n1');
    assert.match(r.stdout, /^n1\s+NotReady\s/m);
  });

  test('restarting the kubelet makes n1 Ready again and removes the taints', async () => {
    await startKubelet();
    await waitFor(
      'n1 Ready without taints',
      async () => {
        const x = await nodeJson();
        return ready(x)?.status === 'True' && !x?.spec?.taints ? x : undefined;
      },
      15_000,
    );
    const r = await admin('get', 'nodes', 'n1');
    assert.match(r.stdout, /^n1\s+Ready\s/m);
  });

  test("the node's certificate cannot patch another node nor set a node-restriction.kubernetes.io/ label (403)", async () => {
    // kubectl patch reads the node first: the Node authorizer refuses that read.
    let r = await asNode('patch', 'node', 'n2', '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}');
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /nodes "n2" is forbidden: User "system:node:n1" cannot get resource "nodes" in API group "" at the cluster scope: node 'n1' cannot read 'n2', only its own Node object/,
    );
    // The PATCH itself (curl with the node's certificate) and a create through kubectl: NodeRestriction.
    const p = await curl(srv.port, '/api/v1/nodes/n2', who, 'PATCH', [
      '-H',
      'Content-Type: application/merge-patch+json',
      '--data',
      '{"metadata":{"labels":{"x":"y"}}}',
    ]);
    assert.equal(p.code, 403, p.body);
    assert.equal(
      JSON.parse(p.body).message,
      'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"',
    );
    r = await srv.kubectl('1.33', ['create', '-f', '-'], {
      kubeconfig: nodeConf,
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n3' } }),
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /nodes "n3" is forbidden: node "n1" is not allowed to modify node "n3"/);
    r = await asNode('label', 'node', 'n1', 'node-restriction.kubernetes.io/pool=a');
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /nodes "n1" is forbidden: is not allowed to modify labels: node-restriction\.kubernetes\.io\/pool/,
    );
    const n = await nodeJson('n2');
    assert.equal(n!.metadata.labels?.x, undefined);
  });

  test('the kubelet refuses a --node-labels outside the kubelet label set at start-up (ValidateKubeletFlags)', async () => {
    const r = await run(process.execPath, [
      mainJs,
      'kubelet',
      '--kubeconfig',
      nodeConf,
      '--hostname-override',
      'n1',
      '--node-labels',
      'node-restriction.kubernetes.io/pool=a,kubernetes.io/role=x',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /unknown 'kubernetes\.io' or 'k8s\.io' labels specified with --node-labels: \[kubernetes\.io\/role node-restriction\.kubernetes\.io\/pool\]\n--node-labels in the 'kubernetes\.io' namespace must begin with an allowed prefix \(kubelet\.kubernetes\.io, node\.kubernetes\.io\) or be in the specifically allowed set \(beta\.kubernetes\.io\/arch, /,
    );
  });
});
