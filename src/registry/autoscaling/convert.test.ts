/**
 * HorizontalPodAutoscaler v1 <-> v2 conversion, after pkg/apis/autoscaling/v1/conversion.go and
 * its round-trip tests: the CPU target maps to targetCPUUtilizationPercentage, everything else
 * travels in the autoscaling.alpha.kubernetes.io annotations and comes back unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  BEHAVIOR_ANNOTATION,
  CONDITIONS_ANNOTATION,
  HpaConversionError,
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
  convertHpa,
  hpaFromV1,
  hpaToV1,
} from './convert.js';

const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
const cpu = (n: number) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: n } },
});

test('v1 targetCPUUtilizationPercentage becomes a CPU Utilization metric', () => {
  const v2 = hpaFromV1({
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
  });
  assert.equal(v2.apiVersion, 'autoscaling/v2');
  assert.deepEqual(v2.spec, { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, metrics: [cpu(70)] });
  assert.equal(v2.status, undefined);
});

test('v1 without a CPU target gets the 80% default (applied in conversion, as upstream)', () => {
  const v2 = hpaFromV1({
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'a' },
    spec: { scaleTargetRef: ref, maxReplicas: 3 },
  });
  assert.deepEqual((v2.spec as { metrics: unknown }).metrics, [cpu(80)]);
});

test('v2 -> v1: CPU utilization in the spec, other metrics, statuses, conditions and behavior in annotations', () => {
  const pods = {
    type: 'Pods',
    pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
  };
  const ext = {
    type: 'External',
    external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } },
  };
  const behavior = {
    scaleDown: {
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
    },
  };
  const conditions = [
    { type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-05-01T00:00:00Z', reason: 'Ok' },
  ];
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', annotations: { keep: 'me' } },
    spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, metrics: [cpu(60), pods, ext], behavior },
    status: {
      currentReplicas: 3,
      desiredReplicas: 4,
      currentMetrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', current: { averageUtilization: 55, averageValue: '120m' } },
        },
      ],
      conditions,
    },
  };
  const v1 = hpaToV1(v2);
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.deepEqual(v1.spec, {
    scaleTargetRef: ref,
    minReplicas: 1,
    maxReplicas: 10,
    targetCPUUtilizationPercentage: 60,
  });
  assert.deepEqual(v1.status, {
    currentReplicas: 3,
    desiredReplicas: 4,
    currentCPUUtilizationPercentage: 55,
  });
  const ann = v1.metadata!.annotations!;
  assert.equal(ann.keep, 'me');
  assert.deepEqual(JSON.parse(ann[METRIC_SPECS_ANNOTATION]!), [
    { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
    { type: 'External', external: { metricName: 'queue', targetValue: '30' } },
  ]);
  assert.deepEqual(JSON.parse(ann[METRIC_STATUSES_ANNOTATION]!), [
    {
      type: 'Resource',
      resource: { name: 'cpu', currentAverageUtilization: 55, currentAverageValue: '120m' },
    },
  ]);
  assert.deepEqual(JSON.parse(ann[CONDITIONS_ANNOTATION]!), conditions);
  assert.deepEqual(JSON.parse(ann[BEHAVIOR_ANNOTATION]!), behavior);

  // ... and back: nothing lost, the annotations consumed. Other metrics come before the CPU one.
  const back = hpaFromV1(v1);
  assert.deepEqual(back.metadata!.annotations, { keep: 'me' });
  assert.deepEqual((back.spec as { metrics: unknown }).metrics, [pods, ext, cpu(60)]);
  assert.deepEqual((back.spec as { behavior: unknown }).behavior, behavior);
  assert.deepEqual((back.status as { conditions: unknown }).conditions, conditions);
  assert.deepEqual((back.status as { currentMetrics: unknown }).currentMetrics, [
    {
      type: 'Resource',
      resource: { name: 'cpu', current: { averageValue: '120m', averageUtilization: 55 } },
    },
  ]);
});

test('stale round-trip annotations on a v2 object are not served through v1', () => {
  const v1 = hpaToV1({
    apiVersion: 'autoscaling/v2',
    metadata: { name: 'a', annotations: { [METRIC_SPECS_ANNOTATION]: '[]' } },
    spec: { scaleTargetRef: ref, maxReplicas: 2, metrics: [cpu(50)] },
  });
  assert.equal(v1.metadata!.annotations, undefined);
});

test('a malformed annotation is a conversion error', () => {
  assert.throws(
    () =>
      hpaFromV1({
        apiVersion: 'autoscaling/v1',
        metadata: { name: 'a', annotations: { [METRIC_SPECS_ANNOTATION]: '{not json' } },
        spec: { scaleTargetRef: ref, maxReplicas: 2 },
      }),
    HpaConversionError,
  );
});

test('convertHpa is the identity within a version', () => {
  const o: KubeObject = { apiVersion: 'autoscaling/v2', metadata: { name: 'a' } };
  assert.equal(convertHpa(o, 'v2'), o);
  assert.equal(convertHpa(o, 'v1').apiVersion, 'autoscaling/v1');
});

test('current metrics of every source survive v2 -> v1 -> v2', () => {
  const currentMetrics = [
    { type: 'External', external: { metric: { name: 'q' }, current: { value: '3', averageValue: '1' } } },
    { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '7' } } },
    {
      type: 'Object',
      object: {
        metric: { name: 'hits' },
        current: { value: '9' },
        describedObject: { kind: 'Service', name: 's' },
      },
    },
    {
      type: 'ContainerResource',
      containerResource: {
        name: 'cpu',
        current: { averageValue: '5m', averageUtilization: 5 },
        container: 'app',
      },
    },
  ];
  const v2: KubeObject = {
    apiVersion: 'autoscaling/v2',
    metadata: { name: 'a' },
    spec: { scaleTargetRef: ref, maxReplicas: 2, metrics: [cpu(50)] },
    status: { desiredReplicas: 1, currentMetrics },
  };
  const back = hpaFromV1(hpaToV1(v2));
  assert.deepEqual((back.status as { currentMetrics: unknown }).currentMetrics, currentMetrics);
});
