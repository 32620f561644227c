/**
 * The scheduler's filters. The toleration table is upstream's
 * staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  filterNode,
  fitErrorMessage,
  toleratesTaint,
  type Taint,
  type Toleration,
} from './scheduler-filters.js';

describe('toleratesTaint (toleration_test.go TestTolerationToleratesTaint)', () => {
  const cases: [string, Toleration, Taint, boolean][] = [
    [
      'toleration and taint have the same key and effect, and operator is Exists, and taint has no value, expect tolerated',
      { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'foo', effect: 'NoSchedule' },
      true,
    ],
    [
      'toleration and taint have the same key and effect, and operator is Exists, and taint has some value, expect tolerated',
      { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      true,
    ],
    [
      'toleration and taint have the same effect, toleration has empty key and operator is Exists, means match all taints, expect tolerated',
      { key: '', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      true,
    ],
    [
      'toleration and taint have the same key, effect and value, and operator is Equal, expect tolerated',
      { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      true,
    ],
    [
      'toleration and taint have the same key and effect, but different values, and operator is Equal, expect not tolerated',
      { key: 'foo', operator: 'Equal', value: 'value1', effect: 'NoSchedule' },
      { key: 'foo', value: 'value2', effect: 'NoSchedule' },
      false,
    ],
    [
      'toleration and taint have the same key and value, but different effects, and operator is Equal, expect not tolerated',
      { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoExecute' },
      false,
    ],
    [
      'toleration with empty effect matches all effects',
      { key: 'foo', operator: 'Exists' },
      { key: 'foo', value: 'bar', effect: 'NoExecute' },
      true,
    ],
    [
      'empty operator means Equal',
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      true,
    ],
    [
      'empty key with Exists and no effect tolerates everything',
      { operator: 'Exists' },
      { key: 'x', effect: 'NoExecute' },
      true,
    ],
    [
      'an unknown operator tolerates nothing',
      { key: 'foo', operator: 'Gt' },
      { key: 'foo', effect: 'NoSchedule' },
      false,
    ],
  ];
  for (const [name, t, taint, want] of cases) test(name, () => assert.equal(toleratesTaint(t, taint), want));
});

describe('filterNode', () => {
  const node = (o: Record<string, unknown> = {}) => ({
    metadata: { name: 'n', labels: { disk: 'ssd' } },
    spec: o,
  });
  test('nodeSelector must match the labels', () => {
    assert.equal(filterNode({ spec: { nodeSelector: { disk: 'ssd' } } }, node()), undefined);
    assert.equal(
      filterNode({ spec: { nodeSelector: { disk: 'hdd' } } }, node()),
      "node(s) didn't match Pod's node affinity/selector",
    );
  });
  test('spec.unschedulable, unless the unschedulable taint is tolerated', () => {
    assert.equal(filterNode({}, node({ unschedulable: true })), 'node(s) were unschedulable');
    const tol = [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }];
    assert.equal(filterNode({ spec: { tolerations: tol } }, node({ unschedulable: true })), undefined);
  });
  test('NoSchedule and NoExecute taints filter, PreferNoSchedule does not', () => {
    const taints = [{ key: 'a', value: 'b', effect: 'NoSchedule' }];
    assert.equal(filterNode({}, node({ taints })), 'node(s) had untolerated taint {a: b}');
    assert.equal(filterNode({}, node({ taints: [{ key: 'a', effect: 'PreferNoSchedule' }] })), undefined);
    assert.equal(
      filterNode({ spec: { tolerations: [{ operator: 'Exists' }] } }, node({ taints })),
      undefined,
    );
  });
});

test('fitErrorMessage: upstream FitError text with sorted reasons', () => {
  const m = new Map([
    ['node(s) were unschedulable', 1],
    ["node(s) didn't match Pod's node affinity/selector", 2],
  ]);
  assert.equal(
    fitErrorMessage(3, m),
    "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
  );
  assert.equal(fitErrorMessage(0, new Map()), 'no nodes available to schedule pods');
});
