/**
 * Protobuf bodies of the autoscaling and apiregistration kinds, decoded with the hand-written
 * tables of schema/extra/autoscaling.ts (field numbers of upstream's generated.proto): what
 * kubectl >= 1.32 sends for `kubectl autoscale`, and the JSON names, pointers and omitempty flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubeProtobuf, supportedProtobufKinds } from './index.js';
import { envelope, int, msg, objectMeta, str, sub } from './encoder.test.js';

test('the new kinds are accepted', () => {
  const kinds = supportedProtobufKinds().map((k) => `${k.apiVersion} ${k.kind}`);
  for (const k of [
    'autoscaling/v2 HorizontalPodAutoscaler',
    'autoscaling/v1 HorizontalPodAutoscaler',
    'apiregistration.k8s.io/v1 APIService',
  ])
    assert.ok(kinds.includes(k), k);
});

test('autoscaling/v2 HorizontalPodAutoscaler as kubectl autoscale sends it', () => {
  const ref = sub(1, str(1, 'Deployment'), str(2, 'web'), str(3, 'apps/v1'));
  const target = sub(2, str(1, 'Utilization'), int(4, 80));
  const metric = sub(4, str(1, 'Resource'), sub(4, str(1, 'cpu'), target));
  const spec = sub(2, ref, int(2, 2), int(3, 5), metric);
  const status = sub(3, int(4, 0));
  const { object } = decodeKubeProtobuf(
    envelope('autoscaling/v2', 'HorizontalPodAutoscaler', msg(objectMeta('web'), spec, status)),
  );
  assert.deepEqual(object.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
    minReplicas: 2,
    maxReplicas: 5,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ],
  });
  // currentMetrics has no omitempty in Go (null), desiredReplicas neither.
  assert.deepEqual(object.status, { currentMetrics: null, desiredReplicas: 0 });
});

test('autoscaling/v1 HorizontalPodAutoscaler and an APIService', () => {
  const hpa = decodeKubeProtobuf(
    envelope(
      'autoscaling/v1',
      'HorizontalPodAutoscaler',
      msg(objectMeta('old'), sub(2, sub(1, str(1, 'Deployment'), str(2, 'web')), int(3, 3), int(4, 70))),
    ),
  ).object;
  assert.deepEqual(hpa.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web' },
    maxReplicas: 3,
    targetCPUUtilizationPercentage: 70,
  });
  const svc = decodeKubeProtobuf(
    envelope(
      'apiregistration.k8s.io/v1',
      'APIService',
      msg(
        objectMeta('v1beta1.metrics.k8s.io'),
        sub(
          2,
          sub(1, str(1, 'kube-system'), str(2, 'metrics-server'), int(3, 443)),
          str(2, 'metrics.k8s.io'),
          str(3, 'v1beta1'),
          int(4, true),
          int(7, 100),
          int(8, 100),
        ),
      ),
    ),
  ).object;
  assert.deepEqual(svc.spec, {
    service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    insecureSkipTLSVerify: true,
    groupPriorityMinimum: 100,
    versionPriority: 100,
  });
});
