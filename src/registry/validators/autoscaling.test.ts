/**
 * HorizontalPodAutoscaler validation and defaults (pkg/apis/autoscaling/validation and
 * pkg/apis/autoscaling/v2/defaults.go), and APIService validation (kube-aggregator
 * ValidateAPIService), with upstream's field paths and texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { defaultHorizontalPodAutoscaler } from '../defaults/autoscaling.js';
import { validateAPIService } from './apiregistration.js';
import { validateHorizontalPodAutoscaler } from './autoscaling.js';

const hpa = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  metadata: { name: 'a', namespace: 'default' },
  spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, ...spec },
});
const msgs = (o: KubeObject, old?: KubeObject) =>
  validateHorizontalPodAutoscaler(o, { old }).map((e) => `${e.field}: ${e.detail}`);

test('defaults: minReplicas 1 and the 80% CPU metric; behavior filled only when set', () => {
  const o = hpa({});
  defaultHorizontalPodAutoscaler(o);
  assert.deepEqual(o.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web' },
    maxReplicas: 3,
    minReplicas: 1,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ],
  });
  assert.deepEqual(o.status, { currentMetrics: null, desiredReplicas: 0 });
  const b = hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 30, tolerance: '0.1' } } });
  defaultHorizontalPodAutoscaler(b);
  assert.deepEqual((b.spec as { behavior: unknown }).behavior, {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindowSeconds: 30,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  });
});

test('replica bounds and the scale target', () => {
  assert.deepEqual(msgs(hpa({ minReplicas: 0, maxReplicas: 0, scaleTargetRef: { kind: '', name: 'a/b' } })), [
    'spec.minReplicas: must be greater than or equal to 1',
    'spec.maxReplicas: must be greater than 0',
    'spec.scaleTargetRef.kind: ',
    "spec.scaleTargetRef.name: may not contain '/'",
    'spec.metrics: must specify at least one Object or External metric to support scaling to zero replicas',
  ]);
  assert.deepEqual(msgs(hpa({ minReplicas: 4, maxReplicas: 3 })), [
    'spec.maxReplicas: must be greater than or equal to `minReplicas`',
  ]);
  // An object already at minReplicas 0 may stay there (ValidateHorizontalPodAutoscalerUpdate).
  const atZero = hpa({ minReplicas: 0, metrics: [] });
  assert.deepEqual(msgs(atZero, atZero), [
    'spec.metrics: must specify at least one Object or External metric to support scaling to zero replicas',
  ]);
});

test('metrics: type, the matching source only, targets', () => {
  assert.deepEqual(
    msgs(
      hpa({
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } },
          },
          { type: 'Pods', resource: { name: 'cpu', target: { type: 'Bad', averageValue: '1' } } },
          { type: 'Nope' },
        ],
      }),
    ),
    [
      'spec.metrics[0].resource.target.averageUtilization: must be greater than 0',
      'spec.metrics[1].resource.target.type: must be either Utilization, Value, or AverageValue',
      'spec.metrics[1].pods: must populate information for the given metric source',
      'spec.metrics[2].type: supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ],
  );
});

test('behavior rules', () => {
  assert.deepEqual(
    msgs(
      hpa({
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 4000,
            selectPolicy: 'Most',
            policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }],
          },
          scaleDown: { policies: [] },
        },
      }),
    ),
    [
      'spec.behavior.scaleUp.stabilizationWindowSeconds: must be less than or equal to 3600',
      'spec.behavior.scaleUp.selectPolicy: supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleUp.policies[0].value: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: must be less than or equal to 1800',
      'spec.behavior.scaleDown.policies: must specify at least one Policy',
    ],
  );
});

test('APIService: name, group, version, priorities, local TLS settings', () => {
  const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ metadata: { name }, spec });
  assert.deepEqual(
    validateAPIService(
      svc('v1.apps', { group: 'apps', version: 'v1', groupPriorityMinimum: 17800, versionPriority: 15 }),
    ),
    [],
  );
  assert.deepEqual(
    validateAPIService(
      svc('wrong', {
        group: '',
        version: 'v2',
        groupPriorityMinimum: 0,
        versionPriority: 2000,
        insecureSkipTLSVerify: true,
      }),
    ).map((e) => `${e.field}: ${e.detail}`),
    [
      'metadata.name: must be `spec.version+"."+spec.group`: "v2."',
      'spec.group: only v1 may have an empty group and it better be legacy kube',
      'spec.groupPriorityMinimum: must be positive and less than 20000',
      'spec.versionPriority: must be positive and less than 1000',
      'spec.insecureSkipTLSVerify: local APIServices may not have insecureSkipTLSVerify',
    ],
  );
  assert.deepEqual(
    validateAPIService(
      svc('v1.x.io', {
        group: 'x.io',
        version: 'v1',
        groupPriorityMinimum: 1,
        versionPriority: 1,
        service: { port: 0 },
      }),
    ).map((e) => e.field),
    ['spec.service.namespace', 'spec.service.name', 'spec.service.port'],
  );
});
