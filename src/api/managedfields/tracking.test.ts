/**
 * Ported from k8s.io/apimachinery/pkg/util/managedfields/fieldmanager_test.go: when managed
 * fields change and when they must not (TestNoOpChanges, TestApplyDoesNotChangeManagedFields,
 * TestUpdateDoesNotChangeManagedFields), resets (TestResetManagedFieldsEmptyList,
 * TestResetManagedFieldsEmptyItem, TestNoTrackManagedFieldsForClientSideApply), the
 * client-side → server-side apply interop (TestInteropForClientSideApplyAndServerSideApply,
 * TestServerSideApplyWithInvalidLastApplied) and subresources (TestUpdateViaSubresources).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import { LAST_APPLIED, goJson } from './lastapplied.js';
import { TestFieldManager } from './testfieldmanager.js';

type Obj = Record<string, any>;

const podLabels = (labels: Record<string, string>, extra: Obj = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { labels, ...extra },
});

const nginx = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'deployment', labels: { app: 'nginx' } },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    template: {
      metadata: { labels: { app: 'nginx' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }] },
    },
  },
});

const myDeployment = (app: string, replicas: number, image?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'my-deployment', labels: { app } },
  spec: {
    replicas,
    ...(image
      ? {
          selector: { matchLabels: { app } },
          template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'my-c', image }] } },
        }
      : {}),
  },
});

const withLastApplied = (o: KubeObject, value?: string): KubeObject => {
  const c = structuredClone(o);
  c.metadata = { ...c.metadata, annotations: { [LAST_APPLIED]: value ?? `${goJson(o as never)}\n` } };
  return c;
};
const lastApplied = (f: TestFieldManager): string | undefined =>
  f.liveObject().metadata?.annotations?.[LAST_APPLIED];
const isConflict = (e: unknown): boolean => e instanceof ApiError && e.code === 409;

test('TestNoOpChanges', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
  // (upstream adds creationTimestamp: null, the typed zero value; the double keeps raw JSON)
  const obj = podLabels({ a: 'b' });
  f.apply(obj, 'fieldmanager_test_apply');
  let before = f.liveObject();
  f.apply(obj, 'fieldmanager_test_apply_other');
  assert.notDeepEqual(f.liveObject(), before, 'a no-op apply by a new manager adds its entry');
  before = f.liveObject();
  f.update(obj, 'fieldmanager_test_update');
  assert.deepEqual(f.liveObject(), before, 'a no-op update changes nothing');
  f.apply(obj, 'fieldmanager_test_apply', true);
  assert.deepEqual(f.liveObject(), before, 'a no-op re-apply changes nothing, not even the time');
});

for (const [name, reset] of [
  ['TestResetManagedFieldsEmptyList', []],
  ['TestResetManagedFieldsEmptyItem', [{}]],
] as const) {
  test(name, () => {
    const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
    f.apply(podLabels({ a: 'b' }), 'fieldmanager_test_apply');
    assert.equal(f.managedFields().length, 1);
    f.update(
      podLabels({ a: 'b' }, { managedFields: reset as unknown as ManagedFieldsEntry[] }),
      'update_manager',
    );
    assert.deepEqual(f.managedFields(), []);
  });
}

test('TestApplyDoesNotChangeManagedFields', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment', tick: 2 });
  f.apply(nginx(), 'fieldmanager_z');
  f.apply(
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'deployment' }, spec: { replicas: 101 } },
    'fieldmanager_b',
  );
  const before = structuredClone(f.managedFields());
  f.apply(nginx(), 'fieldmanager_z');
  assert.deepEqual(f.managedFields(), before);
});

test('TestUpdateDoesNotChangeManagedFields', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment', tick: 2 });
  f.update(nginx(), 'fieldmanager_z');
  const before = structuredClone(f.managedFields());
  f.update(nginx(), 'fieldmanager_z');
  assert.deepEqual(f.managedFields(), before);
});

test('TestApplyFailsWithManagedFields / TestApplyDoesNotStripLabels', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
  assert.throws(
    () => f.apply(podLabels({}, { managedFields: [{ manager: 'test' }] }), 'fieldmanager_test'),
    (e: unknown) =>
      e instanceof ApiError && e.code === 400 && e.message === 'metadata.managedFields must be nil',
  );
  f.apply(podLabels({ a: 'b' }), 'fieldmanager_test');
  assert.equal(f.managedFields().length, 1, 'labels are owned, not stripped');
});

test('TestServerSideApplyWithInvalidLastApplied', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment' });
  f.update(withLastApplied(myDeployment('my-app-v1', 1), 'invalid-object'), 'kubectl-client-side-apply-test');
  assert.equal(lastApplied(f), 'invalid-object');
  const applied = myDeployment('my-app-v2', 100);
  assert.throws(() => f.apply(applied, 'kubectl'), isConflict);
  assert.equal(lastApplied(f), 'invalid-object', 'not updated by a failed apply');
  f.apply(applied, 'kubectl', true);
  assert.match(lastApplied(f)!, /my-app-v2/);
});

test('TestInteropForClientSideApplyAndServerSideApply', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment' });
  const created = myDeployment('my-app', 100, 'my-image-v1');
  f.update(withLastApplied(created), 'kubectl-client-side-apply-test');
  assert.match(lastApplied(f)!, /my-image-v1/);
  // every field still matches the annotation, so kubectl takes them all over without conflicts
  f.apply(myDeployment('my-app-v2', 8, 'my-image-v2'), 'kubectl');
  assert.match(lastApplied(f)!, /my-image-v2/);
  assert.equal((f.liveObject().spec as Obj).replicas, 8);
});

test('TestNoTrackManagedFieldsForClientSideApply', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment' });
  f.update(myDeployment('my-app', 100), 'test_kubectl_create');
  assert.ok(f.managedFields().length > 0);
  // stop tracking managed fields
  const stop = myDeployment('my-app', 100);
  stop.metadata!.managedFields = [];
  f.update(stop, 'test_kubectl_replace');
  assert.deepEqual(f.managedFields(), []);
  // still not tracked, while client-side apply keeps its annotation
  f.update(withLastApplied(myDeployment('my-app', 100)), 'test_k_client_side_apply');
  assert.deepEqual(f.managedFields(), []);
  assert.match(lastApplied(f)!, /my-app/);
  // an apply starts tracking, attributing the rest to before-first-apply
  f.apply(myDeployment('my-app', 100), 'test_server_side_apply_without_upgrade');
  assert.ok(f.managedFields().length >= 2);
  assert.equal(f.managedFields()[0].manager, 'test_server_side_apply_without_upgrade');
  assert.equal(f.managedFields()[1].manager, 'before-first-apply');
  // kubectl upgrades over it: the annotation still matches, so no conflicts
  f.apply(myDeployment('my-app-v2', 8), 'kubectl');
  assert.ok(f.managedFields().length > 0);
  assert.match(lastApplied(f)!, /my-app-v2/);
});

test('TestUpdateViaSubresources', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod', subresource: 'scale' });
  const obj = podLabels(
    { a: 'b' },
    {
      managedFields: [
        {
          manager: 'test',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': { 'f:another_field': {} } } },
        },
      ],
    },
  );
  f.update(obj, 'fieldmanager_test_subresource');
  // managed fields cannot be set through a subresource...
  assert.deepEqual(
    f.managedFields().map((m) => [m.manager, m.subresource]),
    [['fieldmanager_test_subresource', 'scale']],
  );
  // ...nor reset
  const reset = structuredClone(obj);
  reset.metadata!.managedFields = [];
  f.update(reset, 'fieldmanager_test_subresource');
  assert.equal(f.managedFields().length, 1);
});
