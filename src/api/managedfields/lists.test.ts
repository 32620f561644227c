/**
 * Associative lists (`+listType=map`) and sets (`+listType=set`) shared by several appliers,
 * after sigs.k8s.io/structured-merge-diff merge/multiple_appliers_test.go (TestMultipleAppliersSet,
 * TestMultipleAppliersNestedType) and merge/set_test.go, on built-in kinds: Pod containers
 * (keyed by name), container ports (keyed by containerPort and protocol, protocol defaulting to
 * TCP) and metadata.finalizers (a set).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { TestFieldManager } from './testfieldmanager.js';

type Obj = Record<string, any>;

const pod = (containers?: Obj[], finalizers?: string[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', ...(finalizers ? { finalizers } : {}) },
  ...(containers ? { spec: { containers } } : {}),
});

const names = (f: TestFieldManager): string[] =>
  ((f.liveObject().spec as Obj).containers ?? []).map((c: Obj) => c.name);

test('TestMultipleAppliersSet: set items are owned one by one', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
  f.apply(pod(undefined, ['a', 'b']), 'apply-one');
  f.apply(pod(undefined, ['c', 'b']), 'apply-two');
  assert.deepEqual(f.liveObject().metadata?.finalizers, ['a', 'c', 'b']);
  // apply-one drops b: apply-two still owns it
  f.apply(pod(undefined, ['a']), 'apply-one');
  assert.deepEqual(f.liveObject().metadata?.finalizers, ['a', 'c', 'b']);
  // apply-two drops b and c: nobody owns them any more
  f.apply(pod(undefined, []), 'apply-two');
  assert.deepEqual(f.liveObject().metadata?.finalizers, ['a']);
  const two = f.managedFields().find((m) => m.manager === 'apply-two');
  assert.equal(two, undefined, 'an applier owning nothing has no entry');
});

test('TestMultipleAppliersNestedType: items of an associative list are merged by key', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
  f.apply(pod([{ name: 'a', image: 'a:1' }]), 'apply-one');
  f.apply(pod([{ name: 'b', image: 'b:1' }]), 'apply-two');
  assert.deepEqual(names(f), ['a', 'b']);
  // each applier changes its own item freely
  f.apply(pod([{ name: 'a', image: 'a:2' }]), 'apply-one');
  assert.deepEqual((f.liveObject().spec as Obj).containers, [
    { name: 'a', image: 'a:2' },
    { name: 'b', image: 'b:1' },
  ]);
  // a field of another applier's item conflicts, naming the item by its key
  assert.throws(
    () => f.apply(pod([{ name: 'b', image: 'b:2' }]), 'apply-one'),
    (e: unknown) =>
      e instanceof ApiError &&
      e.message ===
        'Apply failed with 1 conflict: conflict with "apply-two": .spec.containers[name="b"].image',
  );
  // adding a field to another applier's item is fine and shares the item
  f.apply(
    pod([
      { name: 'a', image: 'a:2' },
      { name: 'b', workingDir: '/w' },
    ]),
    'apply-one',
  );
  f.apply(pod([]), 'apply-two');
  assert.deepEqual((f.liveObject().spec as Obj).containers, [
    { name: 'a', image: 'a:2' },
    { name: 'b', workingDir: '/w' },
  ]);
});

test('multi-key associative list: items differing by one key are distinct, keys default', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
  const c = (ports: Obj[]): Obj[] => [{ name: 'c', image: 'i', ports }];
  f.apply(pod(c([{ containerPort: 53, name: 'dns' }])), 'tcp');
  f.apply(pod(c([{ containerPort: 53, protocol: 'UDP', name: 'dns-udp' }])), 'udp');
  const ports = (f.liveObject().spec as Obj).containers[0].ports;
  assert.deepEqual(ports, [
    { containerPort: 53, name: 'dns' },
    { containerPort: 53, protocol: 'UDP', name: 'dns-udp' },
  ]);
  // the first item's protocol defaults to TCP, so stating it is the same item (and co-owned)
  f.apply(pod(c([{ containerPort: 53, protocol: 'TCP', name: 'dns' }])), 'tcp-explicit');
  assert.equal((f.liveObject().spec as Obj).containers[0].ports.length, 2);
  const tcp = f.managedFields().find((m) => m.manager === 'tcp-explicit')!.fieldsV1 as Obj;
  assert.deepEqual(Object.keys(tcp['f:spec']['f:containers']['k:{"name":"c"}']['f:ports']), [
    'k:{"containerPort":53,"protocol":"TCP"}',
  ]);
});

test('atomic lists are owned whole: another value conflicts, the same value is shared', () => {
  const f = new TestFieldManager({ apiVersion: 'v1', kind: 'Pod' });
  f.apply(pod([{ name: 'c', image: 'i', args: ['a', 'b'] }]), 'one');
  f.apply(pod([{ name: 'c', args: ['a', 'b'] }]), 'two');
  assert.throws(
    () => f.apply(pod([{ name: 'c', args: ['a'] }]), 'two'),
    (e: unknown) =>
      e instanceof ApiError &&
      e.message === 'Apply failed with 1 conflict: conflict with "one": .spec.containers[name="c"].args',
  );
  f.apply(pod([{ name: 'c', args: ['a'] }]), 'two', true);
  assert.deepEqual((f.liveObject().spec as Obj).containers[0].args, ['a']);
});
