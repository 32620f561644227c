/**
 * `kubectl drain` with the real kubectl: it cordons the node (a strategic merge patch of
 * spec.unschedulable), lists the node's pods with fieldSelector spec.nodeName across namespaces,
 * skips DaemonSet pods (--ignore-daemonsets, after reading the DaemonSet), evicts the others
 * through policy/v1 evictions and waits for them to be gone. With --dry-run=server every one of
 * those writes is a server-side dry run (the eviction carries deleteOptions.dryRun), so nothing
 * may change.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.js';

const NODE = 'worker-1';

const manifests = [
  { apiVersion: 'v1', kind: 'Node', metadata: { name: NODE } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } },
  pod('team-a', 'web'),
  pod('team-b', 'db', { volumes: [{ name: 'scratch', emptyDir: {} }] }),
  pod('team-b', 'elsewhere', {}, 'worker-2'),
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'team-a' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  },
];

function pod(namespace: string, name: string, extra: Record<string, unknown> = {}, node = NODE) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...extra },
  };
}

for (const version of ['1.33', '1.27'])
  describe(`kubectl.${version} drain`, () => {
    let srv: TestServer;
    const k = (...args: string[]) => srv.kubectl(version, args, { timeoutMs: 90_000 });
    const podsOnNode = async () => {
      const r = await k('get', 'pods', '-A', '--field-selector', `spec.nodeName=${NODE}`, '-o', 'name');
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n').filter(Boolean).sort();
    };
    const unschedulable = async () =>
      (await k('get', 'node', NODE, '-o', 'jsonpath={.spec.unschedulable}')).stdout;

    before(async () => {
      srv = await startServer();
      const items = { apiVersion: 'v1', kind: 'List', items: manifests };
      let r = await srv.kubectl(version, ['create', '-f', '-'], { input: JSON.stringify(items) });
      assert.equal(r.code, 0, r.stderr);
      // A pod owned by the DaemonSet (no controller runs here to create it).
      const ds = JSON.parse((await k('get', 'ds', 'agent', '-n', 'team-a', '-o', 'json')).stdout);
      const owned = pod('team-a', 'agent-x');
      (owned.metadata as Record<string, unknown>).ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true },
      ];
      r = await srv.kubectl(version, ['create', '-f', '-'], { input: JSON.stringify(owned) });
      assert.equal(r.code, 0, r.stderr);
    });
    after(async () => {
      await srv?.stop();
    });

    const drainArgs = [
      'drain',
      NODE,
      '--ignore-daemonsets',
      '--force',
      '--delete-emptydir-data',
      '--timeout=60s',
    ];
    const all = ['pod/agent-x', 'pod/db', 'pod/web'];

    test('--dry-run=server evicts nothing and does not cordon', async () => {
      assert.deepEqual(await podsOnNode(), all);
      const r = await k(...drainArgs, '--dry-run=server');
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const out = r.stdout + r.stderr;
      assert.match(out, new RegExp(`node/${NODE} cordoned \\(server dry run\\)`));
      assert.match(out, /evicting pod team-a\/web \(server dry run\)/);
      assert.match(out, /evicting pod team-b\/db \(server dry run\)/);
      assert.match(out, new RegExp(`node/${NODE} drained \\(server dry run\\)`));
      assert.deepEqual(await podsOnNode(), all);
      assert.equal(await unschedulable(), '');
    });

    test('a real drain cordons and evicts every pod but the DaemonSet one', async () => {
      const r = await k(...drainArgs);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.match(r.stdout + r.stderr, /pod\/web evicted/);
      assert.match(r.stdout + r.stderr, /pod\/db evicted/);
      assert.match(r.stdout + r.stderr, new RegExp(`node/${NODE} drained`));
      assert.deepEqual(await podsOnNode(), ['pod/agent-x']);
      assert.equal(await unschedulable(), 'true');
      const other = await k('get', 'pod', 'elsewhere', '-n', 'team-b', '-o', 'name');
      assert.equal(other.stdout.trim(), 'pod/elsewhere');
    });
  });
