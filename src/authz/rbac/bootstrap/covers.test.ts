/** Rows after policy_comparator_test.go (component-helpers/auth/rbac/validation). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakdownRule, covers } from '../covers.js';
import { semanticEqual } from './semantic.js';
import type { PolicyRule } from './types.js';

const r = (
  verbs: string[],
  apiGroups: string[],
  resources: string[],
  resourceNames?: string[],
): PolicyRule =>
  resourceNames ? { verbs, apiGroups, resources, resourceNames } : { verbs, apiGroups, resources };
const u = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const rows: { name: string; owner: PolicyRule[]; servant: PolicyRule[]; uncovered: PolicyRule[] }[] = [
  {
    name: 'exact match',
    owner: [r(['get'], [''], ['pods'])],
    servant: [r(['get'], [''], ['pods'])],
    uncovered: [],
  },
  {
    name: 'partial: one verb missing',
    owner: [r(['get'], [''], ['pods'])],
    servant: [r(['get', 'list'], [''], ['pods'])],
    uncovered: [r(['list'], [''], ['pods'])],
  },
  {
    name: 'star verb',
    owner: [r(['*'], [''], ['pods'])],
    servant: [r(['delete'], [''], ['pods'])],
    uncovered: [],
  },
  {
    name: 'star group',
    owner: [r(['get'], ['*'], ['pods'])],
    servant: [r(['get'], ['apps'], ['pods'])],
    uncovered: [],
  },
  {
    name: 'star resource',
    owner: [r(['get'], [''], ['*'])],
    servant: [r(['get'], [''], ['pods/log'])],
    uncovered: [],
  },
  {
    name: '*/subresource',
    owner: [r(['get'], ['*'], ['*/scale'])],
    servant: [r(['get'], ['apps'], ['deployments/scale', 'deployments'])],
    uncovered: [r(['get'], ['apps'], ['deployments'])],
  },
  {
    name: 'resource names narrow the owner',
    owner: [r(['get'], [''], ['secrets'], ['a'])],
    servant: [r(['get'], [''], ['secrets'], ['a', 'b']), r(['get'], [''], ['secrets'])],
    uncovered: [r(['get'], [''], ['secrets'], ['b']), r(['get'], [''], ['secrets'])],
  },
  {
    name: 'owner without names covers named servant',
    owner: [r(['get'], [''], ['secrets'])],
    servant: [r(['get'], [''], ['secrets'], ['a'])],
    uncovered: [],
  },
  {
    name: 'non-resource URL prefix star',
    owner: [u(['get'], ['/apis/*', '/healthz'])],
    servant: [u(['get'], ['/apis/apps/v1', '/healthz', '/livez'])],
    uncovered: [u(['get'], ['/livez'])],
  },
  {
    name: 'resource rules do not cover URLs',
    owner: [r(['*'], ['*'], ['*'])],
    servant: [u(['get'], ['/x'])],
    uncovered: [u(['get'], ['/x'])],
  },
];

for (const row of rows) {
  test(`covers: ${row.name}`, () =>
    assert.deepEqual(covers(row.owner, row.servant).uncovered, row.uncovered));
}

test('breakdownRule multiplies groups × resources × verbs × names', () => {
  assert.equal(breakdownRule(r(['get', 'list'], ['', 'apps'], ['a', 'b', 'c'], ['x', 'y'])).length, 24);
  assert.equal(breakdownRule(u(['get', 'head'], ['/a', '/b'])).length, 4);
});

test('semanticEqual: missing, null, [] , {} and "" are equal; order matters', () => {
  assert.ok(semanticEqual({ a: [], b: {}, c: null, d: '' }, {}));
  assert.ok(semanticEqual([{ x: ['1'] }], [{ x: ['1'], y: [] }]));
  assert.ok(!semanticEqual(['a', 'b'], ['b', 'a']));
  assert.ok(!semanticEqual({ a: '1' }, { a: '2' }));
  assert.ok(!semanticEqual([''], ['x']));
});
