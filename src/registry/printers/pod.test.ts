/**
 * Pod and Node table cells (printPod, printNode) for fixture objects, against printers.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { findResource } from '../index.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: ago(300) });

function tableOf(resource: string): TableConvertor {
  const t = findResource('', 'v1', resource)?.table;
  assert.ok(t, `${resource} has a table`);
  return t;
}
const cells = (_g: string, resource: string, o: KubeObject) => tableOf(resource).rows(o, now)[0].cells;
const names = (t: TableConvertor) => t.columns.map((c) => `${c.name}${c.priority ? '[w]' : ''}`);

const runningPod: KubeObject = {
  metadata: meta('web'),
  spec: { nodeName: 'node-1', containers: [{ name: 'a' }, { name: 'b' }] },
  status: {
    phase: 'Running',
    podIP: '10.0.0.5',
    podIPs: [{ ip: '10.0.0.5' }],
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      {
        name: 'a',
        ready: true,
        restartCount: 3,
        state: { running: { startedAt: ago(100) } },
        lastState: { terminated: { exitCode: 1, finishedAt: ago(310) } },
      },
      { name: 'b', ready: true, restartCount: 0, state: { running: {} } },
    ],
  },
};

test('pod columns and cells', () => {
  const t = tableOf('pods');
  assert.deepEqual(names(t), [
    'Name',
    'Ready',
    'Status',
    'Restarts',
    'Age',
    'IP[w]',
    'Node[w]',
    'Nominated Node[w]',
    'Readiness Gates[w]',
  ]);
  assert.deepEqual(cells('', 'pods', runningPod), [
    'web',
    '2/2',
    'Running',
    '3 (5m10s ago)',
    '5m',
    '10.0.0.5',
    'node-1',
    '<none>',
    '<none>',
  ]);
  const pending: KubeObject = {
    metadata: meta('p'),
    spec: { containers: [{ name: 'a' }] },
    status: { phase: 'Pending' },
  };
  assert.deepEqual(cells('', 'pods', pending).slice(0, 4), ['p', '0/1', 'Pending', '0']);
  const creating: KubeObject = {
    metadata: meta('c'),
    spec: { containers: [{ name: 'a' }] },
    status: {
      phase: 'Pending',
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
      ],
    },
  };
  assert.equal(cells('', 'pods', creating)[2], 'ContainerCreating');
  const completed: KubeObject = {
    metadata: meta('done'),
    spec: { containers: [{ name: 'a' }] },
    status: {
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    },
  };
  const row = tableOf('pods').rows(completed, now)[0];
  assert.deepEqual(row.cells.slice(1, 3), ['0/1', 'Completed']);
  assert.deepEqual(row.conditions, [
    {
      type: 'Completed',
      status: 'True',
      reason: 'Succeeded',
      message: 'The pod has completed successfully.',
    },
  ]);
  const initWaiting: KubeObject = {
    metadata: meta('i'),
    spec: {
      initContainers: [{ name: 'init' }, { name: 'side', restartPolicy: 'Always' }],
      containers: [{ name: 'a' }],
    },
    status: {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'init', state: { running: {} } }],
      containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }],
    },
  };
  assert.deepEqual(cells('', 'pods', initWaiting).slice(1, 3), ['0/2', 'Init:0/2']);
  const crash: KubeObject = {
    metadata: meta('x'),
    spec: { containers: [{ name: 'a' }] },
    status: {
      phase: 'Running',
      initContainerStatuses: [],
      containerStatuses: [{ name: 'a', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    },
  };
  assert.deepEqual(cells('', 'pods', crash).slice(2, 4), ['CrashLoopBackOff', '2']);
  const terminating = { ...runningPod, metadata: { ...runningPod.metadata, deletionTimestamp: ago(1) } };
  assert.equal(cells('', 'pods', terminating)[2], 'Terminating');
  const gated: KubeObject = {
    metadata: meta('g'),
    spec: {
      containers: [{ name: 'a' }],
      readinessGates: [{ conditionType: 'x/ok' }, { conditionType: 'y' }],
    },
    status: { phase: 'Pending', conditions: [{ type: 'x/ok', status: 'True' }] },
  };
  assert.equal(cells('', 'pods', gated)[8], '1/2');
});

test('node status and roles', () => {
  const node = (
    ready: string | undefined,
    labels: Record<string, string>,
    unschedulable = false,
  ): KubeObject => ({
    metadata: { name: 'n1', creationTimestamp: ago(3 * 86400), labels },
    spec: { unschedulable },
    status: {
      conditions: ready
        ? [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: ready },
          ]
        : [],
      addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
      nodeInfo: {
        kubeletVersion: 'v1.30.0',
        osImage: 'Ubuntu 22.04',
        kernelVersion: '',
        containerRuntimeVersion: 'containerd://1.7',
      },
    },
  });
  const cp = node('True', {
    'node-role.kubernetes.io/control-plane': '',
    'node-role.kubernetes.io/master': '',
  });
  assert.deepEqual(cells('', 'nodes', cp), [
    'n1',
    'Ready',
    'control-plane,master',
    '3d',
    'v1.30.0',
    '192.168.1.10',
    '<none>',
    'Ubuntu 22.04',
    '<unknown>',
    'containerd://1.7',
  ]);
  assert.deepEqual(cells('', 'nodes', node('False', { 'kubernetes.io/role': 'worker' }, true)).slice(1, 3), [
    'NotReady,SchedulingDisabled',
    'worker',
  ]);
  assert.deepEqual(cells('', 'nodes', node(undefined, {})).slice(1, 3), ['Unknown', '<none>']);
});

test('convertors do not mutate their input', () => {
  const copy = structuredClone(runningPod);
  tableOf('pods').rows(runningPod, now);
  assert.deepEqual(runningPod, copy);
});
