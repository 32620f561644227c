/**
 * Property: any autoscaling/v2 HorizontalPodAutoscaler survives v2 -> v1 -> v2 (the conversion
 * upstream relies on for v1 clients that read, edit and write back): metrics, current metrics,
 * conditions and behavior come back equal, with the CPU utilization metric (the one v1 carries
 * natively) moved after the others, as Convert_v1_HorizontalPodAutoscaler_To_autoscaling_... does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../api/types.js';
import { HpaConversionError, hpaFromV1, hpaToV1 } from './convert.js';

const quantity = fc.constantFrom('1', '500m', '10', '2Gi', '100k');
const name = fc.constantFrom('qps', 'queue-depth', 'latency');
const selector = fc.option(fc.record({ matchLabels: fc.constant({ app: 'web' }) }), { nil: undefined });
const noUndef = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const identifier = fc.record({ name, selector }).map(noUndef);
const ref = fc.record({
  kind: fc.constant('Service'),
  name: fc.constant('svc'),
  apiVersion: fc.constant('v1'),
});

const podsMetric = fc.record({ metric: identifier, avg: quantity }).map(({ metric, avg }) => ({
  type: 'Pods',
  pods: { metric, target: { type: 'AverageValue', averageValue: avg } },
}));
const objectMetric = fc.record({ metric: identifier, value: quantity }).map(({ metric, value }) => ({
  type: 'Object',
  object: { describedObject: ref, target: { type: 'Value', value }, metric },
}));
const externalMetric = fc
  .record({ metric: identifier, q: quantity, avg: fc.boolean() })
  .map(({ metric, q, avg }) => ({
    type: 'External',
    external: {
      metric,
      target: avg ? { type: 'AverageValue', averageValue: q } : { type: 'Value', value: q },
    },
  }));
const memoryMetric = quantity.map((q) => ({
  type: 'Resource',
  resource: { name: 'memory', target: { type: 'AverageValue', averageValue: q } },
}));
const containerMetric = fc.integer({ min: 1, max: 100 }).map((u) => ({
  type: 'ContainerResource',
  containerResource: {
    name: 'cpu',
    target: { type: 'Utilization', averageUtilization: u },
    container: 'app',
  },
}));
const cpuMetric = fc.integer({ min: 1, max: 100 }).map((u) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } },
}));

const behavior = fc.option(
  fc.record({
    scaleDown: fc.record({
      stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
      selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
      policies: fc.array(
        fc.record({
          type: fc.constantFrom('Pods', 'Percent'),
          value: fc.integer({ min: 1, max: 10 }),
          periodSeconds: fc.integer({ min: 1, max: 1800 }),
        }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
  }),
  { nil: undefined },
);

const hpa = fc
  .record({
    others: fc.array(fc.oneof(podsMetric, objectMetric, externalMetric, memoryMetric, containerMetric), {
      maxLength: 3,
    }),
    cpu: fc.option(cpuMetric, { nil: undefined }),
    behavior,
    min: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    currentReplicas: fc.integer({ min: 0, max: 10 }),
    conditions: fc.array(
      fc.record({
        type: fc.constantFrom('AbleToScale', 'ScalingActive'),
        status: fc.constantFrom('True', 'False'),
        reason: fc.constant('R'),
      }),
      { maxLength: 2 },
    ),
    labels: fc.option(fc.constant({ team: 'a' }), { nil: undefined }),
  })
  .filter((h) => h.others.length > 0 || h.cpu !== undefined);

test('v2 -> v1 -> v2 keeps everything (CPU utilization metric last)', () => {
  fc.assert(
    fc.property(hpa, (generated) => {
      // Plain JSON objects, as bodies are (fast-check's records have a null prototype).
      const h = JSON.parse(JSON.stringify(generated)) as typeof generated;
      const metrics = [...(h.cpu ? [h.cpu] : []), ...h.others];
      const v2: KubeObject = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: noUndef({ name: 'p', namespace: 'default', labels: h.labels }),
        spec: noUndef({
          scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
          minReplicas: h.min,
          maxReplicas: 10,
          metrics,
          behavior: h.behavior,
        }),
        status: noUndef({
          currentReplicas: h.currentReplicas,
          desiredReplicas: 0,
          currentMetrics: null,
          conditions: h.conditions.length ? h.conditions : undefined,
        }),
      };
      const v1 = hpaToV1(v2);
      assert.equal(v1.apiVersion, 'autoscaling/v1');
      const back = hpaFromV1(v1);
      const spec = back.spec as Record<string, unknown>;
      assert.deepEqual(spec.metrics, [...h.others, ...(h.cpu ? [h.cpu] : [])]);
      assert.deepEqual(spec.behavior, h.behavior);
      assert.equal(spec.minReplicas, h.min);
      assert.deepEqual(back.metadata, v2.metadata);
      assert.deepEqual(
        (back.status as Record<string, unknown>).conditions,
        h.conditions.length ? h.conditions : undefined,
      );
    }),
    { numRuns: 300 },
  );
});

test('malformed input never crashes conversion (at most a HpaConversionError, answered 400)', () => {
  const json = fc.jsonValue();
  fc.assert(
    fc.property(
      fc.record({
        spec: json,
        status: json,
        annotations: fc.oneof(
          json,
          fc.dictionary(
            fc.constantFrom(
              'autoscaling.alpha.kubernetes.io/metrics',
              'autoscaling.alpha.kubernetes.io/current-metrics',
              'autoscaling.alpha.kubernetes.io/conditions',
              'autoscaling.alpha.kubernetes.io/behavior',
              'other',
            ),
            fc.oneof(
              fc.string(),
              json.map((v) => JSON.stringify(v)),
            ),
          ),
        ),
      }),
      (g) => {
        const o = JSON.parse(
          JSON.stringify({
            metadata: { name: 'x', annotations: g.annotations },
            spec: g.spec,
            status: g.status,
          }),
        ) as KubeObject;
        for (const [fn, apiVersion] of [
          [hpaFromV1, 'autoscaling/v1'],
          [hpaToV1, 'autoscaling/v2'],
        ] as const) {
          try {
            const out = fn({ ...o, apiVersion });
            JSON.stringify(out);
          } catch (e) {
            assert.ok(e instanceof HpaConversionError, String(e));
          }
        }
      },
    ),
    { numRuns: 500 },
  );
});
