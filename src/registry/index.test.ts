/**
 * Registry lookups and the discovery facts of groups without a golden file (from upstream
 * `kubectl api-resources`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allResources, compareKubeVersions, findByKind, findResource, groupVersions } from './index.js';

test('findResource / findByKind', () => {
  assert.equal(findResource('', 'v1', 'pods')?.kind, 'Pod');
  assert.equal(findResource('apps', 'v1', 'deployments')?.kind, 'Deployment');
  assert.equal(
    findResource('authentication.k8s.io', 'v1beta1', 'selfsubjectreviews')?.kind,
    'SelfSubjectReview',
  );
  assert.equal(findResource('authentication.k8s.io', 'v1beta1', 'tokenreviews'), undefined);
  assert.equal(findResource('', 'v1', 'deployments'), undefined);
  assert.equal(findByKind('rbac.authorization.k8s.io', 'ClusterRole')?.resource, 'clusterroles');
  assert.equal(findByKind('events.k8s.io', 'Event')?.group, 'events.k8s.io');
  assert.equal(findByKind('', 'Event')?.group, '');
});

test('groupVersions: core first, upstream order, preferred version first', () => {
  const gvs = groupVersions();
  assert.deepEqual(gvs[0], { group: '', versions: ['v1'] });
  assert.deepEqual(
    gvs.map((g) => g.group),
    [
      '',
      'apiregistration.k8s.io',
      'apps',
      'events.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'batch',
      'certificates.k8s.io',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
    ],
  );
  assert.deepEqual(gvs.find((g) => g.group === 'authentication.k8s.io')?.versions, ['v1', 'v1beta1']);
  assert.deepEqual(gvs.find((g) => g.group === 'autoscaling')?.versions, ['v2', 'v1']);
});

test('compareKubeVersions', () => {
  const vs = ['v1alpha1', 'v1beta1', 'v2', 'v1', 'v2beta1', 'foo', 'v10alpha3', 'v1beta2'];
  assert.deepEqual(vs.sort(compareKubeVersions), [
    'v2',
    'v1',
    'v2beta1',
    'v1beta2',
    'v1beta1',
    'v10alpha3',
    'v1alpha1',
    'foo',
  ]);
});

test('short names and categories of groups without a golden file', () => {
  const want: Record<string, [string[] | undefined, string[] | undefined]> = {
    'batch/cronjobs': [['cj'], ['all']],
    'batch/jobs': [undefined, ['all']],
    'networking.k8s.io/ingresses': [['ing'], undefined],
    'networking.k8s.io/networkpolicies': [['netpol'], undefined],
    'networking.k8s.io/ingressclasses': [undefined, undefined],
    'policy/poddisruptionbudgets': [['pdb'], undefined],
    'events.k8s.io/events': [['ev'], undefined],
    'scheduling.k8s.io/priorityclasses': [['pc'], undefined],
    'storage.k8s.io/storageclasses': [['sc'], undefined],
  };
  for (const [key, [shortNames, categories]] of Object.entries(want)) {
    const d = allResources.find((r) => `${r.group}/${r.resource}` === key);
    assert.ok(d, key);
    assert.deepEqual(d.shortNames, shortNames, key);
    assert.deepEqual(d.categories, categories, key);
  }
});

test('descriptors are well formed', () => {
  const seen = new Set<string>();
  for (const d of allResources) {
    const key = `${d.group}/${d.resource}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    assert.equal(d.listKind, `${d.kind}List`);
    assert.deepEqual([...d.verbs].sort(), d.verbs, `${key} verbs sorted`);
    if (d.virtual) assert.deepEqual(d.verbs, ['create'], key);
    if (d.hasStatus)
      assert.ok(
        d.subresources.some((s) => s.name === 'status'),
        key,
      );
  }
});
