/**
 * Ported from k8s.io/apimachinery/pkg/util/managedfields/internal: capmanagers_test.go
 * (TestCapManagersManagerMergesEntries, TestCapUpdateManagers), conflict_test.go
 * (TestNewConflictError), skipnonapplied_test.go (TestNoUpdateBeforeFirstApply,
 * TestUpdateBeforeFirstApply) and fieldmanager_test.go (TestApplyStripsFields,
 * TestApplyNewObject, TestUpdateApplyConflict, TestApplySuccessWithNoManagedFields...).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import { applyConflictError } from './apply.js';
import { fromFieldsV1, setOfFields, toFieldsV1, members, pathString } from './fieldpath.js';
import { TestFieldManager } from './testfieldmanager.js';

const podWithLabels = (...labels: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { labels: Object.fromEntries(labels.map((l) => [l, 'true'])) },
});

function managesField(entries: ManagedFieldsEntry[], manager: string, path: string): boolean {
  const e = entries.find((m) => m.manager === manager);
  assert.ok(e, `no entry for ${manager}`);
  return members(fromFieldsV1(e.fieldsV1)).some((p) => pathString(p) === path);
}

/** expectIdempotence: a no-op update leaves managedFields as they are. */
function expectIdempotence(f: TestFieldManager): void {
  const before = structuredClone(f.managedFields());
  f.update(f.liveObject(), 'no-op-update');
  assert.deepEqual(f.managedFields(), before);
}

test('TestCapManagersManagerMergesEntries', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod', maxUpdateManagers: 3 });
  f.update(podWithLabels('one'), 'fieldmanager_test_update_1');
  expectIdempotence(f);
  f.update(podWithLabels('one', 'two'), 'fieldmanager_test_update_2');
  expectIdempotence(f);
  f.update(podWithLabels('one', 'two', 'three'), 'fieldmanager_test_update_3');
  expectIdempotence(f);
  f.update(podWithLabels('one', 'two', 'three', 'four'), 'fieldmanager_test_update_4');
  expectIdempotence(f);
  const mf = f.managedFields();
  assert.deepEqual(
    mf.map((m) => m.manager),
    ['ancient-changes', 'fieldmanager_test_update_3', 'fieldmanager_test_update_4'],
  );
  assert.ok(managesField(mf, 'ancient-changes', '.metadata.labels.one'));
  assert.ok(managesField(mf, 'ancient-changes', '.metadata.labels.two'));
  assert.ok(managesField(mf, 'fieldmanager_test_update_3', '.metadata.labels.three'));
  assert.ok(managesField(mf, 'fieldmanager_test_update_4', '.metadata.labels.four'));
});

type E = [manager: string, version: string, hour: number, fields: string[]];

const entry = ([manager, apiVersion, hour, fields]: E): ManagedFieldsEntry => ({
  manager,
  operation: 'Update',
  apiVersion,
  // time.Time{}.Add(hour hours), as the upstream table builds them
  time: `0001-01-01T${String(hour).padStart(2, '0')}:00:00Z`,
  fieldsType: 'FieldsV1',
  fieldsV1: toFieldsV1(setOfFields(fields.map((x) => [x]))),
});

const capRows: { name: string; input: E[]; expected: E[] }[] = [
  {
    name: 'one version, no ancient changes',
    input: [
      ['update-manager1', 'v1', 1, ['a']],
      ['update-manager2', 'v1', 2, ['b']],
      ['update-manager3', 'v1', 3, ['c']],
      ['update-manager4', 'v1', 4, ['d']],
    ],
    expected: [
      ['ancient-changes', 'v1', 2, ['a', 'b']],
      ['update-manager3', 'v1', 3, ['c']],
      ['update-manager4', 'v1', 4, ['d']],
    ],
  },
  {
    name: 'one version, one ancient changes',
    input: [
      ['ancient-changes', 'v1', 2, ['a', 'b']],
      ['update-manager3', 'v1', 3, ['c']],
      ['update-manager4', 'v1', 4, ['d']],
      ['update-manager5', 'v1', 5, ['e']],
    ],
    expected: [
      ['ancient-changes', 'v1', 3, ['a', 'b', 'c']],
      ['update-manager4', 'v1', 4, ['d']],
      ['update-manager5', 'v1', 5, ['e']],
    ],
  },
  {
    name: 'two versions, no ancient changes',
    input: [
      ['update-manager1', 'v1', 1, ['a']],
      ['update-manager2', 'v2', 2, ['b']],
      ['update-manager3', 'v1', 3, ['c']],
      ['update-manager4', 'v1', 4, ['d']],
      ['update-manager5', 'v1', 5, ['e']],
    ],
    expected: [
      ['update-manager2', 'v2', 2, ['b']],
      ['ancient-changes', 'v1', 4, ['a', 'c', 'd']],
      ['update-manager5', 'v1', 5, ['e']],
    ],
  },
  {
    name: 'three versions, one ancient changes',
    input: [
      ['update-manager2', 'v2', 2, ['b']],
      ['ancient-changes', 'v1', 4, ['a', 'c', 'd']],
      ['update-manager5', 'v1', 5, ['e']],
      ['update-manager6', 'v3', 6, ['f']],
      ['update-manager7', 'v2', 7, ['g']],
    ],
    expected: [
      ['ancient-changes', 'v1', 5, ['a', 'c', 'd', 'e']],
      ['update-manager6', 'v3', 6, ['f']],
      ['ancient-changes', 'v2', 7, ['b', 'g']],
    ],
  },
  {
    name: 'three versions, two ancient changes',
    input: [
      ['ancient-changes', 'v1', 5, ['a', 'c', 'd', 'e']],
      ['update-manager6', 'v3', 6, ['f']],
      ['ancient-changes', 'v2', 7, ['b', 'g']],
      ['update-manager8', 'v3', 8, ['h']],
    ],
    expected: [
      ['ancient-changes', 'v1', 5, ['a', 'c', 'd', 'e']],
      ['ancient-changes', 'v2', 7, ['b', 'g']],
      ['ancient-changes', 'v3', 8, ['f', 'h']],
    ],
  },
  {
    name: 'four versions, two ancient changes',
    input: [
      ['ancient-changes', 'v1', 5, ['a', 'c', 'd', 'e']],
      ['update-manager6', 'v3', 6, ['f']],
      ['ancient-changes', 'v2', 7, ['b', 'g']],
      ['update-manager8', 'v4', 8, ['h']],
    ],
    expected: [
      ['ancient-changes', 'v1', 5, ['a', 'c', 'd', 'e']],
      ['update-manager6', 'v3', 6, ['f']],
      ['ancient-changes', 'v2', 7, ['b', 'g']],
      ['update-manager8', 'v4', 8, ['h']],
    ],
  },
];

for (const row of capRows) {
  test(`TestCapUpdateManagers/${row.name}`, () => {
    const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod', maxUpdateManagers: 3 });
    const live = f.liveObject();
    live.metadata = { managedFields: row.input.map(entry) };
    f.update(live, 'no-op-update');
    assert.deepEqual(f.managedFields(), row.expected.map(entry));
    expectIdempotence(f);
  });
}

test('TestNewConflictError', () => {
  const foo = {
    manager: 'foo',
    operation: 'Update' as const,
    apiVersion: 'v1',
    time: '2001-02-03T04:05:06Z',
  };
  const bar = { manager: 'bar', operation: 'Apply' as const, apiVersion: 'v1' };
  const replicas = setOfFields([['spec', 'replicas']]);
  const one = applyConflictError([{ manager: { ...foo, set: replicas }, set: replicas }]);
  assert.equal(one.code, 409);
  assert.equal(one.reason, 'Conflict');
  // The server's manager identifiers carry no time, so the message has no "at <time>".
  assert.equal(one.message, 'Apply failed with 1 conflict: conflict with "foo" using v1: .spec.replicas');
  assert.deepEqual(one.details, {
    causes: [
      { reason: 'FieldManagerConflict', message: 'conflict with "foo" using v1', field: '.spec.replicas' },
    ],
  });
  const two = applyConflictError([
    { manager: { ...foo, set: setOfFields([]) }, set: setOfFields([['spec', 'replicas']]) },
    { manager: { ...bar, set: setOfFields([]) }, set: setOfFields([['metadata', 'labels', 'app']]) },
  ]);
  assert.equal(
    two.message,
    'Apply failed with 2 conflicts: conflicts with "bar":\n- .metadata.labels.app\nconflicts with "foo" using v1:\n- .spec.replicas',
  );
  assert.deepEqual(
    two.details?.causes?.map((c) => [c.message, c.field]),
    [
      ['conflict with "foo" using v1', '.spec.replicas'],
      ['conflict with "bar"', '.metadata.labels.app'],
    ],
  );
  const scale = applyConflictError([
    {
      manager: { ...foo, subresource: 'scale', set: setOfFields([]) },
      set: setOfFields([['spec', 'replicas']]),
    },
  ]);
  assert.equal(
    scale.message,
    'Apply failed with 1 conflict: conflict with "foo" with subresource "scale" using v1: .spec.replicas',
  );
});

const cm = (data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default', ...(labels ? { labels } : {}) },
  data,
});

test('TestNoUpdateBeforeFirstApply / TestUpdateBeforeFirstApply: untracked objects stay untracked until applied', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'ConfigMap' });
  f.update(cm({ a: '1' }), 'creator');
  // an object whose managed fields were cleared (upstream: the create was not sampled)
  const cleared = f.liveObject();
  cleared.metadata!.managedFields = [{} as ManagedFieldsEntry];
  f.update(cleared, 'clearer');
  assert.deepEqual(f.managedFields(), []);
  f.update(cm({ a: '2' }), 'updater');
  assert.deepEqual(f.managedFields(), [], 'an update does not start tracking');
  // the first apply attributes what is there to "before-first-apply", then applies
  f.apply(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' }, data: { b: '1' } },
    'applier',
  );
  assert.deepEqual(
    f.managedFields().map((m) => [m.manager, m.operation]),
    [
      ['applier', 'Apply'],
      ['before-first-apply', 'Update'],
    ],
  );
  assert.ok(managesField(f.managedFields(), 'before-first-apply', '.data.a'));
  assert.ok(managesField(f.managedFields(), 'applier', '.data.b'));
  // from now on updates are tracked, and the applier conflicts with before-first-apply
  f.update(cm({ a: '3', b: '1' }), 'updater');
  assert.ok(managesField(f.managedFields(), 'updater', '.data.a'));
  assert.throws(
    () => f.apply({ ...cm({ a: '4' }), metadata: { name: 'cm', namespace: 'default' } }, 'other'),
    (e: unknown) =>
      e instanceof ApiError &&
      e.message === 'Apply failed with 1 conflict: conflict with "updater" using v1: .data.a',
  );
});

test('TestUpdateApplyConflict / force takes ownership, Update never conflicts', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'ConfigMap' });
  f.apply(cm({ a: '1', b: '1' }), 'applier');
  f.update(cm({ a: '2', b: '1' }), 'updater');
  assert.ok(managesField(f.managedFields(), 'updater', '.data.a'));
  assert.ok(
    !members(fromFieldsV1(f.managedFields().find((m) => m.manager === 'applier')!.fieldsV1)).some(
      (p) => pathString(p) === '.data.a',
    ),
  );
  assert.throws(
    () => f.apply(cm({ a: '3', b: '1' }), 'applier'),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 409 &&
      e.message === 'Apply failed with 1 conflict: conflict with "updater" using v1: .data.a',
  );
  f.apply(cm({ a: '3', b: '1' }), 'applier', true);
  assert.deepEqual(
    f.managedFields().map((m) => m.manager),
    ['applier'],
    'the updater lost its only field and its entry is dropped',
  );
  assert.equal((f.liveObject().data as Record<string, string>).a, '3');
});

test('co-ownership: a second applier of the same values shares the fields; dropping releases', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'ConfigMap' });
  f.apply(cm({ a: '1' }, { x: 'y' }), 'a');
  f.apply(cm({ a: '1' }), 'b');
  const mf = f.managedFields();
  assert.ok(managesField(mf, 'a', '.data.a') && managesField(mf, 'b', '.data.a'));
  assert.equal(mf.find((m) => m.manager === 'b')!.time, undefined, 'a no-op apply sets no time');
  // a drops data.a: b still owns it, so it stays
  f.apply({ ...cm({}, { x: 'y' }), data: undefined } as KubeObject, 'a');
  assert.deepEqual(f.liveObject().data, { a: '1' });
  // b drops it too: nobody owns it, so it goes
  f.apply({ ...cm({}), data: undefined, metadata: { name: 'cm', namespace: 'default' } } as KubeObject, 'b');
  assert.equal((f.liveObject().data as Record<string, string> | undefined)?.a, undefined);
  assert.deepEqual(f.liveObject().metadata?.labels, { x: 'y' });
});

test('TestApplyStripsFields: server-owned metadata is never tracked', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment' });
  f.apply(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'b',
        namespace: 'b',
        creationTimestamp: '2016-05-19T09:59:00Z',
        selfLink: 'b',
        uid: 'b',
        generation: 0,
        resourceVersion: 'b',
        labels: { a: 'b' },
      },
      spec: { replicas: 1 },
    } as unknown as KubeObject,
    'fieldmanager_test',
  );
  assert.deepEqual(f.managedFields()[0].fieldsV1, {
    'f:metadata': { 'f:labels': { 'f:a': {} } },
    'f:spec': { 'f:replicas': {} },
  });
});
