/**
 * The default policy equals upstream's golden files
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/*.yaml, policy_test.go): objects
 * sorted by namespace and name as the upstream test writes them, compared field for field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readUpstreamFixture } from '../../../../test/fixtures/upstream.js';
import { parse } from 'yaml';
import { clusterRoleBindings, clusterRoles } from './policy.js';
import { controllerRoleBindings, controllerRoles } from './controller-policy.js';
import { namespaceRoleBindings, namespaceRoles } from './namespace-policy.js';
import type { RbacObject } from './types.js';

function sortLikeUpstream<T extends RbacObject>(objs: T[]): T[] {
  const key = (o: RbacObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return [...objs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const cases: [string, () => RbacObject[]][] = [
  ['cluster-roles.yaml', clusterRoles],
  ['cluster-role-bindings.yaml', clusterRoleBindings],
  ['controller-roles.yaml', controllerRoles],
  ['controller-role-bindings.yaml', controllerRoleBindings],
  ['namespace-roles.yaml', () => Object.values(namespaceRoles()).flat()],
  ['namespace-role-bindings.yaml', () => Object.values(namespaceRoleBindings()).flat()],
];

for (const [file, build] of cases) {
  test(`default policy equals upstream ${file}`, () => {
    const want = (parse(readUpstreamFixture(`bootstrap-policy/${file}`)) as { items: RbacObject[] }).items;
    const got = sortLikeUpstream(build());
    assert.deepEqual(
      got.map((o) => o.metadata.name),
      want.map((o) => o.metadata.name),
    );
    for (let i = 0; i < want.length; i++)
      assert.deepEqual(got[i], want[i], `${file}: ${want[i].metadata.name}`);
  });
}

test('names are unique per kind and namespace', () => {
  const all: RbacObject[] = [
    ...clusterRoles(),
    ...controllerRoles(),
    ...clusterRoleBindings(),
    ...controllerRoleBindings(),
    ...Object.values(namespaceRoles()).flat(),
    ...Object.values(namespaceRoleBindings()).flat(),
  ];
  const keys = all.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
  assert.equal(new Set(keys).size, keys.length);
});
