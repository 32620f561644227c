/**
 * HorizontalPodAutoscaler and APIService Table cells (printers.go printHorizontalPodAutoscaler /
 * formatHPAMetrics; kube-aggregator apiservice ConvertToTable).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiServiceTable, formatHpaMetrics, horizontalPodAutoscalerTable } from './autoscaling.js';

const now = new Date('2024-05-01T12:00:00Z');
const created = new Date(now.getTime() - 90_000).toISOString();

test('HPA columns and a fresh autoscaler row', () => {
  assert.deepEqual(
    horizontalPodAutoscalerTable.columns.map((c) => c.name),
    ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
  );
  const [row] = horizontalPodAutoscalerTable.rows(
    {
      metadata: { name: 'web', creationTimestamp: created },
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      status: { currentMetrics: null, desiredReplicas: 0 },
    },
    now,
  );
  assert.deepEqual(row!.cells, ['web', 'Deployment/web', 'cpu: <unknown>/80%', '2', 5, 0, '90s']);
});

test('formatHPAMetrics: current values, averages, unset minReplicas, more than two metrics', () => {
  const specs = [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
    {
      type: 'External',
      external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '3' } },
    },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } },
  ];
  const statuses = [
    { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '10m' } } },
    { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '7' } } },
  ];
  assert.equal(formatHpaMetrics(specs, statuses), 'cpu: 12%/50%, 7/10 + 2 more...');
  assert.equal(formatHpaMetrics(specs.slice(2), []), '<unknown>/3 (avg), memory: <unknown>/1Gi');
  assert.equal(formatHpaMetrics([], []), '<none>');
  assert.equal(formatHpaMetrics([{ type: 'Bogus' }], []), '<unknown type>');
  const [row] = horizontalPodAutoscalerTable.rows(
    {
      metadata: { name: 'a', creationTimestamp: created },
      spec: { scaleTargetRef: { kind: 'X', name: 'y' }, maxReplicas: 1 },
    },
    now,
  );
  assert.equal(row!.cells[3], '<unset>');
});

test('APIService rows: Local / namespace/name, True or "False (Reason)"', () => {
  assert.deepEqual(
    apiServiceTable.columns.map((c) => c.name),
    ['Name', 'Service', 'Available', 'Age'],
  );
  const local = apiServiceTable.rows(
    {
      metadata: { name: 'v1.apps', creationTimestamp: created },
      spec: { service: null },
      status: { conditions: [{ type: 'Available', status: 'True', reason: 'Local' }] },
    },
    now,
  )[0]!.cells;
  assert.deepEqual(local, ['v1.apps', 'Local', 'True', '90s']);
  const remote = apiServiceTable.rows(
    {
      metadata: { name: 'v1beta1.metrics.k8s.io', creationTimestamp: created },
      spec: { service: { namespace: 'kube-system', name: 'metrics-server' } },
      status: { conditions: [{ type: 'Available', status: 'False', reason: 'ProxyNotSupported' }] },
    },
    now,
  )[0]!.cells;
  assert.deepEqual(remote, [
    'v1beta1.metrics.k8s.io',
    'kube-system/metrics-server',
    'False (ProxyNotSupported)',
    '90s',
  ]);
  const unknown = apiServiceTable.rows(
    { metadata: { name: 'v1.x', creationTimestamp: created }, spec: {} },
    now,
  )[0]!;
  assert.equal(unknown.cells[2], 'Unknown');
});
