// explain(): allowed-by, near misses on each dimension, other-namespace bindings, unresolved roles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, formatExplanation } from './explain.js';
import { RbacStore } from './store.js';
import { newClusterRole, newRole, resAttrs, urlAttrs } from './testutil.js';
import { RBAC_GROUP, type RbacObject } from './types.js';

const rb = (
  ns: string,
  name: string,
  kind: 'Role' | 'ClusterRole',
  role: string,
  user: string,
): RbacObject => ({
  kind: 'RoleBinding',
  metadata: { name, namespace: ns },
  roleRef: { apiGroup: RBAC_GROUP, kind, name: role },
  subjects: [{ kind: 'User', name: user }],
});
const store = new RbacStore([
  newRole('reader', 'dev', { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }),
  newRole('named', 'dev', { verbs: ['delete'], apiGroups: [''], resources: ['pods'], resourceNames: ['p1'] }),
  newClusterRole(
    'edit',
    { verbs: ['delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['get'], nonResourceURLs: ['/healthz'] },
  ),
  rb('dev', 'read', 'Role', 'reader', 'bob'),
  rb('dev', 'del-one', 'Role', 'named', 'bob'),
  rb('prod', 'edit', 'ClusterRole', 'edit', 'bob'),
  rb('dev', 'broken', 'Role', 'missing', 'bob'),
  {
    kind: 'ClusterRoleBinding',
    metadata: { name: 'health' },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: 'edit' },
    subjects: [{ kind: 'Group', name: 'ops' }],
  },
]);

test('explain: denied with near misses on verb, resourceName and namespace', () => {
  const a = resAttrs('bob', '', 'delete', 'pods', '', 'dev', '', 'p2');
  a.user.groups = [];
  const exp = explain(store, a);
  assert.equal(exp.decision, 'NoOpinion');
  assert.equal(exp.allowedBy, undefined);
  assert.deepEqual(
    exp.nearMisses.map((m) => [m.bindingName, m.namespace, m.ruleIndex, m.missing]),
    [
      ['read', 'dev', 0, ['verb']],
      ['del-one', 'dev', 0, ['resourceName']],
      ['edit', 'prod', 0, ['namespace']],
    ],
  );
  assert.deepEqual(exp.unresolved, [
    {
      bindingKind: 'RoleBinding',
      bindingName: 'broken',
      namespace: 'dev',
      error: 'role.rbac.authorization.k8s.io "missing" not found',
    },
  ]);
  assert.equal(
    formatExplanation(exp),
    [
      'User "bob" (groups=[]) cannot delete resource "pods" named "p2" in API group "" in the namespace "dev": no RBAC rule allows it',
      'near miss: RoleBinding "read/dev" of Role "reader", rule 0 {APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}: verb "delete" not in ["get" "list"]',
      'near miss: RoleBinding "del-one/dev" of Role "named", rule 0 {APIGroups:[""], Resources:["pods"], ResourceNames:["p1"], Verbs:["delete"]}: name "p2" not in ["p1"]',
      'near miss: RoleBinding "edit/prod" of ClusterRole "edit", rule 0 {APIGroups:[""], Resources:["pods"], Verbs:["delete"]}: would allow in namespace "prod", but the request is in namespace "dev"',
      'unresolved: RoleBinding "broken/dev": role.rbac.authorization.k8s.io "missing" not found',
    ].join('\n'),
  );
  assert.equal(
    formatExplanation(exp, { short: true }),
    'no RBAC rule allows it; closest: RoleBinding "read/dev" of Role "reader", rule 0 {APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}: verb "delete" not in ["get" "list"]',
  );
});

test('explain: allowed names the binding and rule', () => {
  const exp = explain(store, resAttrs('bob', '', 'list', 'pods', '', 'dev', ''));
  assert.equal(exp.decision, 'Allow');
  assert.deepEqual(exp.allowedBy, {
    bindingKind: 'RoleBinding',
    bindingName: 'read',
    namespace: 'dev',
    roleKind: 'Role',
    roleName: 'reader',
    ruleIndex: 0,
    rule: { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
  });
  assert.equal(exp.reason, 'RBAC: allowed by RoleBinding "read/dev" of Role "reader" to User "bob"');
  assert.match(
    formatExplanation(exp),
    /^User "bob" \(groups=\[""\]\) can list resource "pods" in API group "" in the namespace "dev"\nallowed by RoleBinding "read\/dev"/,
  );
});

test('explain: non-resource near miss and apiGroup/resource dimensions', () => {
  const exp = explain(store, urlAttrs('amy', ['ops'], 'get', '/metrics'));
  assert.deepEqual(
    exp.nearMisses.map((m) => m.missing),
    [['nonResourceURL']],
  );
  assert.match(formatExplanation(exp, { short: true }), /path "\/metrics" not matched by \["\/healthz"\]$/);
  const g = explain(store, resAttrs('bob', '', 'get', 'pods', 'log', 'dev', ''));
  assert.deepEqual(
    g.nearMisses.map((m) => m.missing),
    [['resource']],
  );
  const h = explain(store, resAttrs('bob', '', 'get', 'pods', '', 'dev', 'apps'));
  assert.deepEqual(
    h.nearMisses.map((m) => m.missing),
    [['apiGroup']],
  );
  assert.equal(explain(store, resAttrs('nobody', '', 'get', 'pods', '', 'dev', '')).nearMisses.length, 0);
});
