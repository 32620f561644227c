/**
 * The node agent's Node and Lease with a fake API server and injected time: initialNode's labels,
 * addresses and conditions (kubelet_node_status.go, nodestatus/setters.go), `--node-labels`
 * validation (ValidateKubeletFlags' texts), registration against an existing Node reconciling
 * only the default labels, status posted on change or after the report frequency, and the Lease
 * created with holder/duration/owner and renewed every quarter of its duration (nodelease).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError } from '../client/kube-client.js';
import type { NodeApi } from './api.js';
import { microTime, NodeLease } from './node-lease.js';
import { NodeStatusReporter } from './node-register.js';
import { NodeState } from './node-state.js';
import { initialNode, parseNodeLabels, statusChanged, validateNodeLabels } from './node-status.js';

const T0 = Date.parse('2031-06-01T12:00:00Z');
const id = {
  nodeName: 'n1',
  hostname: 'n1',
  nodeIps: ['10.0.0.5'],
  labels: { 'a.io/x': 'y' },
  kubeletPort: 10250,
};
type Obj = Record<string, any>;

/** An in-memory API for one Node and its Lease, recording calls. */
function fakeApi(objects: Map<string, Obj>) {
  const calls: string[] = [];
  let uid = 0;
  const api: NodeApi = async (method, path, body) => {
    calls.push(`${method} ${path}`);
    const key = path.replace(/\/status$/, '');
    const notFound = () => new KubeApiError(method, path, 404, { reason: 'NotFound' }, '');
    if (method === 'GET') {
      const o = objects.get(key);
      if (!o) throw notFound();
      return structuredClone(o);
    }
    if (method === 'POST') {
      const b = body as Obj;
      const k = `${path}/${b.metadata.name}`;
      if (objects.has(k)) throw new KubeApiError(method, path, 409, { reason: 'AlreadyExists' }, '');
      const o = { ...b, metadata: { ...b.metadata, uid: `uid-${++uid}` } };
      objects.set(k, o);
      return structuredClone(o);
    }
    if (method === 'PUT') {
      if (!objects.has(key)) throw notFound();
      objects.set(key, structuredClone(body as Obj));
      return structuredClone(body);
    }
    throw new Error(`unexpected ${method}`);
  };
  return { api, calls };
}

test('initialNode: default and --node-labels labels, addresses, upstream conditions', () => {
  const n = initialNode(id, new NodeState('n1'), T0) as Obj;
  assert.equal(n.metadata.labels['kubernetes.io/hostname'], 'n1');
  assert.equal(n.metadata.labels['kubernetes.io/os'], 'linux');
  assert.equal(n.metadata.labels['a.io/x'], 'y');
  assert.deepEqual(n.status.addresses, [
    { type: 'InternalIP', address: '10.0.0.5' },
    { type: 'Hostname', address: 'n1' },
  ]);
  const ready = n.status.conditions.find((c: Obj) => c.type === 'Ready');
  assert.deepEqual(ready, {
    type: 'Ready',
    status: 'True',
    lastHeartbeatTime: '2031-06-01T12:00:00Z',
    lastTransitionTime: '2031-06-01T12:00:00Z',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
  });
  assert.equal(n.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
});

test('--node-labels: parsed as k=v pairs; kubernetes.io labels outside the kubelet set refused', () => {
  assert.deepEqual(parseNodeLabels('a=b, node.kubernetes.io/pool=x'), {
    a: 'b',
    'node.kubernetes.io/pool': 'x',
  });
  assert.throws(() => parseNodeLabels('a'), /malformed pair/);
  assert.equal(
    validateNodeLabels({ 'topology.kubernetes.io/zone': 'z', 'kubelet.kubernetes.io/x': 'y' }),
    undefined,
  );
  assert.match(
    validateNodeLabels({ 'node-restriction.kubernetes.io/a': 'b', 'x.k8s.io/c': 'd' })!,
    /^unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: \[node-restriction.kubernetes.io\/a x.k8s.io\/c\]\n--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix \(kubelet.kubernetes.io, node.kubernetes.io\) or be in the specifically allowed set \(beta.kubernetes.io\/arch, beta.kubernetes.io\/instance-type, beta.kubernetes.io\/os, failure-domain.beta.kubernetes.io\/region, failure-domain.beta.kubernetes.io\/zone, kubernetes.io\/arch, kubernetes.io\/hostname, kubernetes.io\/os, node.kubernetes.io\/instance-type, topology.kubernetes.io\/region, topology.kubernetes.io\/zone\)$/,
  );
  assert.match(validateNodeLabels({ 'a b': 'c' })!, /^invalid node labels: 'a b' - /);
});

test('registration: an existing Node gets the default labels back, not --node-labels; status on change or every 5 min', async () => {
  const objects = new Map<string, Obj>([
    [
      '/api/v1/nodes/n1',
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'old' } },
        status: {},
      },
    ],
  ]);
  const { api, calls } = fakeApi(objects);
  let now = T0;
  const r = new NodeStatusReporter({
    id,
    state: new NodeState('n1'),
    api,
    register: true,
    updateFrequencyMs: 10_000,
    now: () => now,
    log: () => undefined,
  });
  const ac = new AbortController();
  await r.registerWithApiServer(ac.signal);
  const labels = objects.get('/api/v1/nodes/n1')!.metadata.labels;
  assert.equal(labels['kubernetes.io/hostname'], 'n1');
  assert.equal(labels['a.io/x'], undefined);
  await r.updateNodeStatus(ac.signal);
  assert.equal(calls.filter((c) => c === 'PUT /api/v1/nodes/n1/status').length, 1);
  now += 10_000;
  await r.updateNodeStatus(ac.signal);
  assert.equal(calls.filter((c) => c === 'PUT /api/v1/nodes/n1/status').length, 1, 'unchanged: not posted');
  now += 5 * 60_000;
  await r.updateNodeStatus(ac.signal);
  assert.equal(calls.filter((c) => c === 'PUT /api/v1/nodes/n1/status').length, 2, 'the report frequency');
  const s = objects.get('/api/v1/nodes/n1')!.status;
  assert.equal(
    statusChanged(s, { ...s, conditions: s.conditions.map((c: Obj) => ({ ...c, lastHeartbeatTime: 'x' })) }),
    false,
  );
});

test('the Lease: created with holder, duration and the Node as owner, then renewed', async () => {
  const objects = new Map<string, Obj>([['/api/v1/nodes/n1', { metadata: { name: 'n1', uid: 'node-uid' } }]]);
  const { api } = fakeApi(objects);
  let now = T0;
  const l = new NodeLease({
    nodeName: 'n1',
    leaseDurationSeconds: 40,
    api,
    now: () => now,
    log: () => undefined,
  });
  assert.equal(l.renewIntervalMs, 10_000);
  const ac = new AbortController();
  await l.sync(ac.signal);
  const key = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1';
  let lease = objects.get(key)!;
  assert.deepEqual(lease.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: microTime(T0) });
  assert.equal(lease.spec.renewTime, '2031-06-01T12:00:00.000000Z');
  assert.deepEqual(lease.metadata.ownerReferences, [
    { apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid' },
  ]);
  now += 10_000;
  await l.sync(ac.signal);
  lease = objects.get(key)!;
  assert.equal(lease.spec.renewTime, '2031-06-01T12:00:10.000000Z');
});
