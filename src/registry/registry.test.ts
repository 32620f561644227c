/**
 * ResourceRegistry: built-ins plus run-time descriptors, lookups, the order custom groups take
 * (after every built-in group, by name: crdregistration_controller.go gives CRD groups the lowest
 * priority), the generation that invalidates discovery, and discovery built from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allResources } from './index.js';
import { ResourceRegistry } from './registry.js';
import type { ResourceDescriptor } from './types.js';
import { discoveryFor } from '../apiserver/discovery.js';

function custom(group: string, resource: string, kind: string, versions = ['v1']): ResourceDescriptor {
  return {
    group,
    versions,
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: true,
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    subresources: [],
    categories: ['all'],
  };
}

test('built-ins are served as from the static list', () => {
  const r = new ResourceRegistry();
  assert.equal(r.find('', 'v1', 'pods')?.kind, 'Pod');
  assert.equal(
    r.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')?.kind,
    'CustomResourceDefinition',
  );
  assert.equal(r.resources().length, allResources.length);
  assert.equal(r.find('example.com', 'v1', 'widgets'), undefined);
});

test('set / delete: lookups, order after the built-ins, generation, listeners', () => {
  const r = new ResourceRegistry();
  const g0 = r.generation;
  let calls = 0;
  const off = r.onChange(() => calls++);
  const w = custom('example.com', 'widgets', 'Widget', ['v1', 'v1beta1']);
  const a = custom('a.example.org', 'apples', 'Apple');
  r.set('widgets.example.com', w);
  r.set('apples.a.example.org', a);
  assert.equal(r.find('example.com', 'v1beta1', 'widgets'), w);
  assert.equal(r.findByKind('example.com', 'Widget'), w);
  assert.ok(r.generation > g0);
  assert.equal(calls, 2);
  const groups = r.groupVersions().map((g) => g.group);
  assert.deepEqual(groups.slice(-2), ['a.example.org', 'example.com']);
  assert.deepEqual(r.groupVersions().at(-1), { group: 'example.com', versions: ['v1', 'v1beta1'] });
  assert.equal(r.resources().at(-1), w);
  assert.equal(r.delete('widgets.example.com'), true);
  assert.equal(r.delete('widgets.example.com'), false);
  assert.equal(r.find('example.com', 'v1', 'widgets'), undefined);
  off();
  r.delete('apples.a.example.org');
  assert.equal(calls, 3);
});

test('a custom descriptor never shadows a built-in one', () => {
  const r = new ResourceRegistry();
  r.set('pods.x', { ...custom('', 'pods', 'Fake'), namespaced: true });
  assert.equal(r.find('', 'v1', 'pods')?.kind, 'Pod');
});

test('discovery follows the registry: custom groups last in /apis and aggregated, rebuilt on change', () => {
  const r = new ResourceRegistry();
  const before = JSON.parse(discoveryFor(r).legacyApiGroupList().toString());
  assert.equal(
    before.groups.some((g: { name: string }) => g.name === 'example.com'),
    false,
  );
  r.set('widgets.example.com', custom('example.com', 'widgets', 'Widget'));
  const list = JSON.parse(discoveryFor(r).legacyApiGroupList().toString());
  assert.equal(list.groups.at(-1).name, 'example.com');
  assert.deepEqual(list.groups.at(-1).preferredVersion, { groupVersion: 'example.com/v1', version: 'v1' });
  const res = JSON.parse(discoveryFor(r).apiResourceList('example.com', 'v1')!.toString());
  assert.equal(res.resources[0].name, 'widgets');
  assert.deepEqual(res.resources[0].categories, ['all']);
  const agg = JSON.parse(discoveryFor(r).aggregatedDiscovery('apis', 'v2').toString());
  assert.equal(agg.items.at(-1).metadata.name, 'example.com');
  assert.equal(agg.items.at(-1).versions[0].resources[0].resource, 'widgets');
  const names = agg.items.map((i: { metadata: { name: string } }) => i.metadata.name);
  assert.ok(names.indexOf('apiextensions.k8s.io') < names.indexOf('example.com'));
  r.delete('widgets.example.com');
  assert.equal(discoveryFor(r).apiResourceList('example.com', 'v1'), undefined);
});

test('custom groups are ordered as the aggregator orders their APIServices: by <version>.<group>', () => {
  const r = new ResourceRegistry();
  r.set('x.b.io', custom('b.io', 'xs', 'X', ['v1']));
  r.set('y.a.io', custom('a.io', 'ys', 'Y', ['v2']));
  r.set('z.c.io', custom('c.io', 'zs', 'Z', ['v1beta1', 'v1']));
  assert.deepEqual(
    r
      .groupVersions()
      .slice(-3)
      .map((g) => g.group),
    ['b.io', 'c.io', 'a.io'],
  );
  const agg = JSON.parse(discoveryFor(r).aggregatedDiscovery('apis', 'v2').toString());
  assert.deepEqual(
    agg.items.slice(-3).map((i: { metadata: { name: string } }) => i.metadata.name),
    ['b.io', 'c.io', 'a.io'],
  );
});
