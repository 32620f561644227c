// Binding traversal and subject matching: TestAppliesTo and TestDefaultRuleResolver of
// pkg/registry/rbac/validation/rule_test.go, run against the linear port and the indexed resolver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appliesTo, linearRulesFor } from './linear.js';
import { policyRulesFor, rulesFor } from './resolver.js';
import { PolicyObjects } from './source.js';
import { RbacStore } from './store.js';
import { newClusterRoleBinding, newRoleBinding, randomPolicy, rng, VOCAB } from './testutil.js';
import type { PolicyRule, RbacObject, RbacUser, Subject } from './types.js';

const appliesToCases: Array<{
  subjects: Subject[];
  user: RbacUser;
  namespace?: string;
  index: number;
  testCase: string;
}> = [
  {
    subjects: [{ kind: 'User', name: 'foobar' }],
    user: { name: 'foobar', groups: [] },
    index: 0,
    testCase: 'single subject that matches username',
  },
  {
    subjects: [
      { kind: 'User', name: 'barfoo' },
      { kind: 'User', name: 'foobar' },
    ],
    user: { name: 'foobar', groups: [] },
    index: 1,
    testCase: 'multiple subjects, one that matches username',
  },
  {
    subjects: [
      { kind: 'User', name: 'barfoo' },
      { kind: 'User', name: 'foobar' },
    ],
    user: { name: 'zimzam', groups: [] },
    index: -1,
    testCase: 'multiple subjects, none that match username',
  },
  {
    subjects: [
      { kind: 'User', name: 'barfoo' },
      { kind: 'Group', name: 'foobar' },
    ],
    user: { name: 'zimzam', groups: ['foobar'] },
    index: 1,
    testCase: 'multiple subjects, one that match group',
  },
  {
    subjects: [
      { kind: 'User', name: 'barfoo' },
      { kind: 'Group', name: 'foobar' },
    ],
    user: { name: 'zimzam', groups: ['foobar'] },
    namespace: 'namespace1',
    index: 1,
    testCase: 'multiple subjects, one that match group, should ignore namespace',
  },
  {
    subjects: [
      { kind: 'User', name: 'barfoo' },
      { kind: 'Group', name: 'foobar' },
      { kind: 'ServiceAccount', namespace: 'kube-system', name: 'default' },
    ],
    user: { name: 'system:serviceaccount:kube-system:default', groups: [] },
    namespace: 'default',
    index: 2,
    testCase: 'multiple subjects with a service account that matches',
  },
  {
    subjects: [{ kind: 'User', name: '*' }],
    user: { name: 'foobar', groups: [] },
    namespace: 'default',
    index: -1,
    testCase: "* user subject name doesn't match all users",
  },
  {
    subjects: [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
    ],
    user: { name: 'foobar', groups: ['system:authenticated'] },
    namespace: 'default',
    index: 0,
    testCase: 'binding to all authenticated and unauthenticated subjects matches authenticated user',
  },
  {
    subjects: [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
    ],
    user: { name: 'system:anonymous', groups: ['system:unauthenticated'] },
    namespace: 'default',
    index: 1,
    testCase: 'binding to all authenticated and unauthenticated subjects matches anonymous user',
  },
  {
    subjects: [{ kind: 'ServiceAccount', name: 'default' }],
    user: { name: 'system:serviceaccount:ns1:default', groups: [] },
    namespace: 'ns1',
    index: 0,
    testCase: 'service account without namespace defaults to the binding namespace',
  },
  {
    subjects: [{ kind: 'ServiceAccount', name: 'default' }],
    user: { name: 'system:serviceaccount::default', groups: [] },
    index: -1,
    testCase: 'service account without any namespace never matches',
  },
];

for (const tc of appliesToCases) {
  test(`TestAppliesTo: ${tc.testCase}`, () => {
    assert.equal(appliesTo(tc.user, tc.subjects, tc.namespace ?? ''), tc.index);
  });
}

const ruleReadPods: PolicyRule = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] };
const ruleReadServices: PolicyRule = { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['services'] };
const ruleWriteNodes: PolicyRule = {
  verbs: ['PUT', 'CREATE', 'UPDATE'],
  apiGroups: ['v1'],
  resources: ['nodes'],
};
const ruleAdmin: PolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'] };
const staticRoles1: RbacObject[] = [
  {
    kind: 'Role',
    metadata: { namespace: 'namespace1', name: 'readthings' },
    rules: [ruleReadPods, ruleReadServices],
  },
  { kind: 'ClusterRole', metadata: { name: 'cluster-admin' }, rules: [ruleAdmin] },
  { kind: 'ClusterRole', metadata: { name: 'write-nodes' }, rules: [ruleWriteNodes] },
  newRoleBinding('namespace1', 'readthings', 'Role', 'User:foobar', 'Group:group1'),
  newClusterRoleBinding('cluster-admin', 'User:admin', 'Group:admin'),
];
const resolverCases: Array<{ user: RbacUser; namespace: string; effectiveRules: PolicyRule[] }> = [
  {
    user: { name: 'foobar', groups: [] },
    namespace: 'namespace1',
    effectiveRules: [ruleReadPods, ruleReadServices],
  },
  { user: { name: 'foobar', groups: [] }, namespace: 'namespace2', effectiveRules: [] },
  // Same as above but without a namespace. Only cluster rules should apply.
  { user: { name: 'foobar', groups: ['admin'] }, namespace: '', effectiveRules: [ruleAdmin] },
  { user: { name: '', groups: [] }, namespace: '', effectiveRules: [] },
];
resolverCases.forEach((tc, i) => {
  test(`TestDefaultRuleResolver case ${i}`, () => {
    const lin = linearRulesFor(new PolicyObjects(staticRoles1), tc.user, tc.namespace);
    const idx = policyRulesFor(new RbacStore(staticRoles1), tc.user, tc.namespace);
    assert.deepEqual(lin, { rules: tc.effectiveRules, errors: [] });
    assert.deepEqual(idx, { rules: tc.effectiveRules, errors: [] });
  });
});

test('rulesFor: SelfSubjectRulesReview shape', () => {
  const store = new RbacStore([
    ...staticRoles1,
    {
      kind: 'ClusterRole',
      metadata: { name: 'urls' },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    },
    {
      kind: 'ClusterRole',
      metadata: { name: 'named' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['cm'], resourceNames: ['x'] }],
    },
    newClusterRoleBinding('urls', 'Group:system:authenticated'),
    newRoleBinding('namespace1', 'named', 'ClusterRole', 'User:foobar'),
    newRoleBinding('namespace1', 'missing', 'Role', 'User:foobar'),
  ]);
  const got = rulesFor(store, { name: 'foobar', groups: ['system:authenticated'] }, 'namespace1');
  assert.deepEqual(got, {
    resourceRules: [
      { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] },
      { verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['services'] },
      { verbs: ['get'], apiGroups: [''], resources: ['cm'], resourceNames: ['x'] },
    ],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    incomplete: true,
    evaluationError: 'role.rbac.authorization.k8s.io "missing" not found',
  });
});

test('policyRulesFor == linearRulesFor as multisets on random policies', () => {
  const r = rng(9);
  const key = (x: PolicyRule) => JSON.stringify(x);
  for (let p = 0; p < 200; p++) {
    const objects = randomPolicy(r);
    const lister = new PolicyObjects(objects);
    const store = new RbacStore(objects);
    for (const name of VOCAB.users) {
      const user = { name, groups: VOCAB.groupNames.filter(() => r() < 0.5) };
      for (const ns of ['', ...VOCAB.namespaces]) {
        const a = linearRulesFor(lister, user, ns);
        const b = policyRulesFor(store, user, ns);
        assert.deepEqual(b.rules.map(key).sort(), a.rules.map(key).sort());
        assert.deepEqual([...b.errors].sort(), [...a.errors].sort());
      }
    }
  }
});
