/**
 * Table cells of events and the smaller kinds for fixture objects, against printers.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { findResource } from '../index.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  creationTimestamp: ago(300),
  ...extra,
});

function tableOf(group: string, resource: string): TableConvertor {
  const t = findResource(group, 'v1', resource)?.table;
  assert.ok(t, `${resource} has a table`);
  return t;
}
const cells = (group: string, resource: string, o: KubeObject) =>
  tableOf(group, resource).rows(o, now)[0].cells;

test('events (core and events.k8s.io)', () => {
  const core: KubeObject = {
    apiVersion: 'v1',
    metadata: meta('web.1'),
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{a}' },
    reason: 'Pulled',
    type: 'Normal',
    message: ' pulled image \n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(600),
    lastTimestamp: ago(30),
    count: 4,
  };
  assert.deepEqual(cells('', 'events', core), [
    '30s',
    'Normal',
    'Pulled',
    'pod/web',
    'spec.containers{a}',
    'kubelet, node-1',
    'pulled image',
    '10m',
    4,
    'web.1',
  ]);
  const v1: KubeObject = {
    apiVersion: 'events.k8s.io/v1',
    metadata: meta('e2'),
    regarding: { kind: 'Node', name: '' },
    reason: 'Starting',
    type: 'Normal',
    note: 'hi',
    eventTime: ago(90),
    reportingController: 'kubelet',
  };
  assert.deepEqual(cells('events.k8s.io', 'events', v1), [
    '90s',
    'Normal',
    'Starting',
    'node',
    '',
    'kubelet',
    'hi',
    '90s',
    1,
    'e2',
  ]);
});

test('other kinds', () => {
  assert.deepEqual(
    cells('coordination.k8s.io', 'leases', { metadata: meta('l'), spec: { holderIdentity: 'n1' } }),
    ['l', 'n1', '5m'],
  );
  assert.deepEqual(
    cells('policy', 'poddisruptionbudgets', {
      metadata: meta('p'),
      spec: { minAvailable: '50%' },
      status: { disruptionsAllowed: 1 },
    }),
    ['p', '50%', 'N/A', 1, '5m'],
  );
  assert.deepEqual(
    cells('scheduling.k8s.io', 'priorityclasses', {
      metadata: meta('pc'),
      value: 1000,
      preemptionPolicy: 'Never',
    }),
    ['pc', 1000, false, '5m', 'Never'],
  );
  assert.deepEqual(
    cells('storage.k8s.io', 'storageclasses', {
      metadata: meta('std', { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      provisioner: 'x.csi',
    }),
    ['std (default)', 'x.csi', 'Delete', 'Immediate', false, '5m'],
  );
  const ing: KubeObject = {
    metadata: meta('i'),
    spec: { rules: [{ host: 'a' }, {}, { host: 'b' }, { host: 'c' }, { host: 'd' }], tls: [{}] },
    status: { loadBalancer: { ingress: [{ ip: '1.1.1.1' }] } },
  };
  assert.deepEqual(cells('networking.k8s.io', 'ingresses', ing), [
    'i',
    '<none>',
    'a,b,c + 2 more...',
    '1.1.1.1',
    '80, 443',
    '5m',
  ]);
  assert.deepEqual(
    cells('networking.k8s.io', 'networkpolicies', { metadata: meta('np'), spec: { podSelector: {} } }),
    ['np', '<none>', '5m'],
  );
  assert.deepEqual(
    cells('', 'endpoints', {
      metadata: meta('ep'),
      subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], ports: [{ port: 80 }, { port: 443 }] }],
    }),
    ['ep', '10.0.0.1:80,[fd00::1]:80,10.0.0.1:443 + 1 more...', '5m'],
  );
  assert.deepEqual(
    cells('', 'resourcequotas', {
      metadata: meta('q'),
      status: {
        hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '2Gi' },
        used: { pods: '1', 'requests.cpu': '500m' },
      },
    }),
    ['q', 'pods: 1/10, requests.cpu: 500m/1', 'limits.memory: 0/2Gi', '5m'],
  );
  assert.deepEqual(
    cells('apps', 'controllerrevisions', {
      metadata: meta('cr', {
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: 'u', controller: true },
        ],
      }),
      revision: 2,
    }),
    ['cr', 'daemonset.apps/fluentd', 2, '5m'],
  );
});
