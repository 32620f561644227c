// Covers (policy_comparator_test.go, same test names), CompactString/CompactRules, and the
// ConfirmNoEscalation / write-check texts of pkg/registry/rbac.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../../authn/interfaces.js';
import { rbacAuthorizer } from './authorizer.js';
import { covers, nonResourceURLCovers } from './covers.js';
import {
  checkBindingWrite,
  checkRoleWrite,
  confirmNoEscalation,
  escalationForbiddenMessage,
  storeEscalationResolver,
} from './escalation.js';
import { compactString } from './format.js';
import { RbacStore } from './store.js';
import { newClusterRole, newClusterRoleBinding, newRole, newRoleBinding } from './testutil.js';
import type { PolicyRule } from './types.js';

const R = (
  apiGroups: string[],
  verbs: string[],
  resources: string[],
  resourceNames?: string[],
): PolicyRule =>
  resourceNames ? { apiGroups, verbs, resources, resourceNames } : { apiGroups, verbs, resources };
const U = (urls: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs: urls, verbs });

const coversCases: Array<[string, PolicyRule[], PolicyRule[], boolean, PolicyRule[]]> = [
  ['TestCoversExactMatch', [R(['v1'], ['get'], ['builds'])], [R(['v1'], ['get'], ['builds'])], true, []],
  [
    'TestCoversSubresourceWildcard',
    [R(['v1'], ['get'], ['*/scale'])],
    [R(['v1'], ['get'], ['foo/scale'])],
    true,
    [],
  ],
  [
    'TestCoversMultipleRulesCoveringSingleRule',
    [
      R(['v1'], ['delete'], ['deployments']),
      R(['v1'], ['delete'], ['builds']),
      R(['v1'], ['update'], ['builds', 'deployments']),
    ],
    [R(['v1'], ['delete', 'update'], ['builds', 'deployments'])],
    true,
    [],
  ],
  [
    'TestCoversMultipleAPIGroupsCoveringSingleRule',
    [
      R(['group1'], ['delete'], ['deployments']),
      R(['group1'], ['delete'], ['builds']),
      R(['group1'], ['update'], ['builds', 'deployments']),
      R(['group2'], ['delete'], ['deployments']),
      R(['group2'], ['delete'], ['builds']),
      R(['group2'], ['update'], ['builds', 'deployments']),
    ],
    [R(['group1', 'group2'], ['delete', 'update'], ['builds', 'deployments'])],
    true,
    [],
  ],
  [
    'TestCoversSingleAPIGroupsCoveringMultiple',
    [R(['group1', 'group2'], ['delete', 'update'], ['builds', 'deployments'])],
    [
      R(['group1'], ['delete'], ['deployments']),
      R(['group1'], ['delete'], ['builds']),
      R(['group1'], ['update'], ['builds', 'deployments']),
      R(['group2'], ['delete'], ['deployments']),
      R(['group2'], ['delete'], ['builds']),
      R(['group2'], ['update'], ['builds', 'deployments']),
    ],
    true,
    [],
  ],
  [
    'TestCoversMultipleRulesMissingSingleVerbResourceCombination',
    [R(['v1'], ['delete', 'update'], ['builds', 'deployments']), R(['v1'], ['delete'], ['pods'])],
    [R(['v1'], ['delete', 'update'], ['builds', 'deployments', 'pods'])],
    false,
    [R(['v1'], ['update'], ['pods'])],
  ],
  [
    'TestCoversAPIGroupStarCoveringMultiple',
    [R(['*'], ['get'], ['roles'])],
    [R(['group1', 'group2'], ['get'], ['roles'])],
    true,
    [],
  ],
  [
    'TestCoversEnumerationNotCoveringAPIGroupStar',
    [R(['dummy-group'], ['get'], ['roles'])],
    [R(['*'], ['get'], ['roles'])],
    false,
    [R(['*'], ['get'], ['roles'])],
  ],
  [
    'TestCoversAPIGroupStarCoveringStar',
    [R(['*'], ['get'], ['roles'])],
    [R(['*'], ['get'], ['roles'])],
    true,
    [],
  ],
  [
    'TestCoversVerbStarCoveringMultiple',
    [R(['v1'], ['*'], ['roles'])],
    [R(['v1'], ['watch', 'list'], ['roles'])],
    true,
    [],
  ],
  [
    'TestCoversEnumerationNotCoveringVerbStar',
    [R(['v1'], ['get', 'list', 'watch', 'create', 'update', 'delete', 'exec'], ['roles'])],
    [R(['v1'], ['*'], ['roles'])],
    false,
    [R(['v1'], ['*'], ['roles'])],
  ],
  ['TestCoversVerbStarCoveringStar', [R(['v1'], ['*'], ['roles'])], [R(['v1'], ['*'], ['roles'])], true, []],
  [
    'TestCoversResourceStarCoveringMultiple',
    [R(['v1'], ['get'], ['*'])],
    [R(['v1'], ['get'], ['resourcegroup:deployments'])],
    true,
    [],
  ],
  [
    'TestCoversEnumerationNotCoveringResourceStar',
    [R(['v1'], ['get'], ['roles', 'resourcegroup:deployments'])],
    [R(['v1'], ['get'], ['*'])],
    false,
    [R(['v1'], ['get'], ['*'])],
  ],
  ['TestCoversResourceStarCoveringStar', [R(['v1'], ['get'], ['*'])], [R(['v1'], ['get'], ['*'])], true, []],
  [
    'TestCoversResourceNameEmptyCoveringMultiple',
    [R(['v1'], ['get'], ['pods'], [])],
    [R(['v1'], ['get'], ['pods'], ['foo', 'bar'])],
    true,
    [],
  ],
  [
    'TestCoversEnumerationNotCoveringResourceNameEmpty',
    [R(['v1'], ['get'], ['pods'], ['foo', 'bar'])],
    [R(['v1'], ['get'], ['pods'], [])],
    false,
    [R(['v1'], ['get'], ['pods'])],
  ],
  ['TestCoversNonResourceURLs', [U(['/apis'], ['*'])], [U(['/apis'], ['*'])], true, []],
  ['TestCoversNonResourceURLsStar', [U(['*'], ['*'])], [U(['/apis', '/apis/v1', '/'], ['*'])], true, []],
  [
    'TestCoversNonResourceURLsStarAfterPrefixDoesntCover',
    [U(['/apis/*'], ['*'])],
    [U(['/apis', '/apis/v1'], ['get'])],
    false,
    [U(['/apis'], ['get'])],
  ],
  [
    'TestCoversNonResourceURLsStarAfterPrefix',
    [U(['/apis/*'], ['*'])],
    [U(['/apis/v1/foo', '/apis/v1'], ['get'])],
    true,
    [],
  ],
  [
    'TestCoversNonResourceURLsWithOtherFields',
    [{ ...R(['v1'], ['get'], ['builds']), nonResourceURLs: ['/apis'] }],
    [{ ...R(['v1'], ['get'], ['builds']), nonResourceURLs: ['/apis'] }],
    true,
    [],
  ],
  [
    'TestCoversNonResourceURLsWithOtherFieldsFailure',
    [R(['v1'], ['get'], ['builds'])],
    [{ ...R(['v1'], ['get'], ['builds']), nonResourceURLs: ['/apis'] }],
    false,
    [U(['/apis'], ['get'])],
  ],
];

for (const [name, owner, servant, want, uncovered] of coversCases) {
  test(name, () => {
    const got = covers(owner, servant);
    assert.equal(got.covers, want);
    assert.deepEqual(got.uncovered, uncovered);
  });
}

const urlCases: Array<[string, string, boolean]> = [
  ['*', '', true],
  ['*', '/', true],
  ['*', '/api', true],
  ['/*', '', false],
  ['/*', '/', true],
  ['/*', '/foo', true],
  ['/api', '/api', true],
  ['/apis', '/api', false],
  ['/api/v1', '/api', false],
  ['/api/v1', '/api/v1', true],
  ['/api/*', '/api/v1', true],
  ['/api/*', '/api', false],
  ['/api/*/*', '/api/v1', false],
  ['/*/v1/*', '/api/v1', false],
];
for (const [owner, requested, want] of urlCases) {
  test(`TestNonResourceURLCovers: ${owner} ${requested}`, () =>
    assert.equal(nonResourceURLCovers(owner, requested), want));
}

test('CompactString prints non-empty fields in upstream order', () => {
  assert.equal(
    compactString(R(['apps'], ['create', 'delete'], ['deployments'])),
    '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create" "delete"]}',
  );
  assert.equal(compactString(U(['/healthz'], ['get'])), '{NonResourceURLs:["/healthz"], Verbs:["get"]}');
  assert.equal(
    compactString(R([''], ['get'], ['pods'], ['a"b'])),
    '{APIGroups:[""], Resources:["pods"], ResourceNames:["a\\"b"], Verbs:["get"]}',
  );
});

const user: UserInfo = { name: 'bob', uid: '', groups: ['dev', 'system:authenticated'], extra: {} };

test('ConfirmNoEscalation: compacted, sorted, de-duplicated missing rules; resolution errors', () => {
  const store = new RbacStore([
    newClusterRole('pods-get', R([''], ['get'], ['pods'])),
    newClusterRoleBinding('pods-get', 'Group:dev'),
    newRoleBinding('ns1', 'missing', 'Role', 'User:bob'),
  ]);
  const resolver = storeEscalationResolver(store);
  assert.equal(confirmNoEscalation(user, [R([''], ['get'], ['pods'])], 'ns1', resolver), undefined);
  const msg = confirmNoEscalation(
    user,
    [
      R(['apps'], ['create', 'delete'], ['deployments']),
      R([''], ['get', 'list'], ['pods']),
      U(['/healthz'], ['get']),
    ],
    'ns1',
    resolver,
  );
  assert.equal(
    msg,
    'user "bob" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
      '{APIGroups:[""], Resources:["pods"], Verbs:["list"]}\n' +
      '{APIGroups:["apps"], Resources:["deployments"], Verbs:["create" "delete"]}\n' +
      '{NonResourceURLs:["/healthz"], Verbs:["get"]}' +
      '; resolution errors: [roles.rbac.authorization.k8s.io "missing" not found]',
  );
  assert.equal(
    escalationForbiddenMessage('roles', 'r', 'x'),
    'roles.rbac.authorization.k8s.io "r" is forbidden: x',
  );
});

test('checkRoleWrite / checkBindingWrite: masters, escalate, bind, covers, aggregation, missing role', async () => {
  const store = new RbacStore([
    newClusterRole('pods-all', R([''], ['*'], ['pods'])),
    newClusterRole('binder', R(['rbac.authorization.k8s.io'], ['bind'], ['clusterroles'], ['admin'])),
    newClusterRole('admin', R(['*'], ['*'], ['*'])),
    newClusterRole('escalator', R(['rbac.authorization.k8s.io'], ['escalate'], ['roles'])),
    newClusterRoleBinding('pods-all', 'User:bob'),
    newRoleBinding('ns1', 'binder', 'ClusterRole', 'User:bob'),
    newRoleBinding('ns2', 'escalator', 'ClusterRole', 'User:bob'),
  ]);
  const az = rbacAuthorizer(store);
  const res = storeEscalationResolver(store);
  const role = (ns: string, ...rules: PolicyRule[]) => newRole('r', ns, ...rules);
  assert.deepEqual(await checkRoleWrite(az, res, user, role('ns1', R([''], ['get'], ['pods']))), {
    ok: true,
  });
  const denied = await checkRoleWrite(az, res, user, role('ns1', R([''], ['get'], ['secrets'])));
  assert.deepEqual(denied, {
    ok: false,
    reason: 'Forbidden',
    message:
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "bob" (groups=["dev" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
  });
  assert.deepEqual(
    await checkRoleWrite(az, res, user, role('ns2', R([''], ['get'], ['secrets']))),
    { ok: true },
    'escalate',
  );
  const masters = { ...user, groups: ['system:masters'] };
  assert.deepEqual(await checkRoleWrite(az, res, masters, role('ns1', R(['*'], ['*'], ['*']))), { ok: true });
  const agg = {
    ...newClusterRole('agg'),
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] },
  };
  assert.deepEqual(await checkRoleWrite(az, res, user, agg), {
    ok: false,
    reason: 'Forbidden',
    message:
      'clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule',
  });
  // bind on ClusterRole admin allowed in ns1 only
  assert.deepEqual(
    await checkBindingWrite(az, res, user, newRoleBinding('ns1', 'admin', 'ClusterRole', 'User:eve')),
    { ok: true },
  );
  const rb2 = {
    ...newRoleBinding('ns3', 'admin', 'ClusterRole', 'User:eve'),
    metadata: { name: 'b', namespace: 'ns3' },
  };
  const r2 = await checkBindingWrite(az, res, user, rb2);
  assert.equal(r2.ok, false);
  assert.match(
    r2.ok ? '' : r2.message,
    /^rolebindings\.rbac\.authorization\.k8s\.io "b" is forbidden: user "bob" .*\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}$/,
  );
  assert.deepEqual(
    await checkBindingWrite(az, res, user, newRoleBinding('ns3', 'pods-all', 'ClusterRole', 'User:eve')),
    { ok: true },
    'covers',
  );
  assert.deepEqual(
    await checkBindingWrite(az, res, user, newRoleBinding('ns3', 'nope', 'Role', 'User:eve')),
    {
      ok: false,
      reason: 'NotFound',
      message: 'roles.rbac.authorization.k8s.io "nope" not found',
    },
  );
  // GC-only update skips the check
  const bad = role('ns1', R([''], ['get'], ['secrets']));
  const gcOnly = { ...bad, metadata: { ...bad.metadata, finalizers: ['x'] } };
  assert.deepEqual(await checkRoleWrite(az, res, user, gcOnly, bad), { ok: true });
});
