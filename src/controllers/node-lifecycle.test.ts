/**
 * The node lifecycle controller with injected time (pkg/controller/nodelifecycle
 * node_lifecycle_controller_test.go TestMonitorNodeHealth* in spirit): a node heard from within
 * the grace period keeps its conditions; a silent one gets Unknown conditions ("Kubelet stopped
 * posting node status.") and the unreachable taints; a Lease renewal counts as hearing from it;
 * Ready=False gets the not-ready taints; Ready=True again removes them; a node that never posted
 * status waits for the startup grace period ("Kubelet never posted node status.").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { newObjectCache } from '../apiserver/rest/cache-adapter.js';
import { ObjectStore, storagePrefix } from '../apiserver/rest/object-store.js';
import { nodes } from '../registry/resources/core.js';
import { leases } from '../registry/resources/coordination.js';
import { openSqliteStore } from '../storage/sqlite.js';
import { NodeLifecycleController } from './node-lifecycle.js';
import { desiredTaints, metaTime, observe, staleConditions } from './node-health.js';

const T0 = Date.parse('2031-06-01T12:00:00Z');
const cond = (type: string, status: string, hb = metaTime(T0)) => ({
  type,
  status,
  reason: 'r',
  message: 'm',
  lastHeartbeatTime: hb,
  lastTransitionTime: hb,
});
const node = (ready?: string, taints?: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', creationTimestamp: metaTime(T0) },
  spec: taints ? { taints } : {},
  status: ready
    ? {
        conditions: [
          cond('MemoryPressure', 'False'),
          cond('DiskPressure', 'False'),
          cond('PIDPressure', 'False'),
          cond('Ready', ready),
        ],
      }
    : {},
});

test('observe: a new heartbeat or a newer Lease renewTime resets the probe time', () => {
  const h0 = observe(undefined, node('True'), undefined, T0);
  assert.equal(h0.probeMs, T0);
  assert.equal(observe(h0, node('True'), undefined, T0 + 5000).probeMs, T0);
  const lease = { spec: { renewTime: '2031-06-01T12:00:04.000000Z' } };
  const h1 = observe(h0, node('True'), lease, T0 + 5000);
  assert.equal(h1.probeMs, T0 + 5000);
  assert.equal(observe(h1, node('True'), lease, T0 + 9000).probeMs, T0 + 5000);
});

test('staleConditions: Unknown past the grace period, with the upstream reason and message', () => {
  const h = observe(undefined, node('True'), undefined, T0);
  assert.equal(staleConditions(node('True'), h, T0 + 40_000, 40_000, 60_000), undefined);
  const c = staleConditions(node('True'), h, T0 + 40_001, 40_000, 60_000)!;
  assert.deepEqual(
    c.map((x) => [x.type, x.status, x.reason, x.message, x.lastHeartbeatTime]),
    ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'].map((t) => [
      t,
      'Unknown',
      'NodeStatusUnknown',
      'Kubelet stopped posting node status.',
      metaTime(T0),
    ]),
  );
  // Never posted: the startup grace period, then NodeStatusNeverUpdated.
  assert.equal(staleConditions(node(), h, T0 + 50_000, 40_000, 60_000), undefined);
  const never = staleConditions(node(), h, T0 + 60_001, 40_000, 60_000)!;
  assert.equal(never.length, 4);
  assert.ok(
    never.every(
      (x) => x.reason === 'NodeStatusNeverUpdated' && x.message === 'Kubelet never posted node status.',
    ),
  );
});

test('desiredTaints: unreachable for Unknown, not-ready for False, none for True, by-condition NoSchedule; other taints kept', () => {
  const other = { key: 'dedicated', value: 'x', effect: 'NoSchedule' };
  const u = desiredTaints(node('Unknown', [other]), T0)!;
  assert.deepEqual(u, [
    other,
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: metaTime(T0) },
  ]);
  assert.equal(desiredTaints(node('Unknown', u), T0 + 1000), undefined);
  assert.deepEqual(
    desiredTaints(node('False', u), T0)!.map((t) => `${t.key}:${t.effect}`),
    [
      'dedicated:NoSchedule',
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ],
  );
  assert.deepEqual(desiredTaints(node('True', u), T0), [other]);
  assert.equal(desiredTaints(node('True'), T0), undefined);
  // NoSchedule by condition and for spec.unschedulable (doNoScheduleTaintingPass).
  const pressured = node('True');
  (pressured.status as Record<string, any>).conditions[0].status = 'True';
  (pressured.spec as Record<string, any>).unschedulable = true;
  assert.deepEqual(
    desiredTaints(pressured, T0)!.map((t) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule'],
  );
});

test('the controller over real stores: silent → Unknown + unreachable taints; Lease renewal keeps it Ready', async () => {
  const store = await openSqliteStore(':memory:', { compaction: false });
  const nodeStore = new ObjectStore(nodes, store, await newObjectCache(store, storagePrefix(nodes)));
  const leaseStore = new ObjectStore(leases, store, await newObjectCache(store, storagePrefix(leases)));
  let now = T0;
  const c = new NodeLifecycleController(nodeStore, leaseStore, {
    gracePeriodMs: 10_000,
    now: () => new Date(now),
    log: () => undefined,
  });
  await nodeStore.create(node('True'));
  await leaseStore.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'n1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'n1', renewTime: '2031-06-01T12:00:00.000000Z' },
  });
  await c.monitor();
  now = T0 + 8000;
  await leaseStore.guaranteedUpdate('kube-node-lease', 'n1', (l) => ({
    ...l.obj,
    spec: { ...(l.obj.spec as object), renewTime: '2031-06-01T12:00:08.000000Z' },
  }));
  await c.monitor();
  now = T0 + 15_000;
  await c.monitor();
  let n = nodeStore.get('', 'n1')!.obj as Record<string, any>;
  assert.equal(n.status.conditions[3].status, 'True', 'the Lease renewal at 8 s counts');
  now = T0 + 18_001;
  await c.monitor();
  n = nodeStore.get('', 'n1')!.obj as Record<string, any>;
  assert.equal(n.status.conditions[3].status, 'Unknown');
  assert.deepEqual(
    n.spec.taints.map((t: Record<string, string>) => `${t.key}:${t.effect}`),
    ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
  );
  // The kubelet posts Ready again: the taints go.
  now = T0 + 19_000;
  const hb = metaTime(now);
  const posted = {
    conditions: ['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((t) => cond(t, 'False', hb)),
  };
  posted.conditions.push(cond('Ready', 'True', hb));
  await nodeStore.guaranteedUpdate('', 'n1', (x) => ({ ...x.obj, status: posted }));
  await c.monitor();
  n = nodeStore.get('', 'n1')!.obj as Record<string, any>;
  assert.equal(n.spec.taints, undefined);
  await c.stop();
  await store.close();
});
