/** Tests after reconcile_role_test.go / reconcile_rolebindings_test.go (component-helpers). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileBinding, reconcileRole } from './reconcile.js';
import { clusterBinding, clusterRole, group, role, user } from './objects.js';
import { rule } from './rule.js';
import { AUTOUPDATE_ANNOTATION, type ClusterRole, type ClusterRoleBinding } from './types.js';

const getPods = rule('get').groups('').resources('pods');
const listPods = rule('list').groups('').resources('pods');
const podsAll = rule('get', 'list').groups('').resources('pods');

function stored<T extends { metadata: object }>(o: T, extra: Record<string, unknown> = {}): T {
  return { ...o, metadata: { ...o.metadata, uid: 'u1', resourceVersion: '7', ...extra } };
}

test('role: absent → create the expected role', () => {
  const want = clusterRole('r', [getPods]);
  const r = reconcileRole(undefined, want);
  assert.equal(r.action, 'create');
  assert.deepEqual(r.object, want);
  assert.notEqual(r.object, want);
  assert.deepEqual(r.missingRules, want.rules);
});

test('role: equal → none', () => {
  const want = clusterRole('r', [getPods]);
  const r = reconcileRole(stored(want), want);
  assert.equal(r.action, 'none');
  assert.deepEqual(r.missingRules, []);
});

test('role: rules covered by a broader existing rule → none, extra reported', () => {
  const want = clusterRole('r', [getPods]);
  const r = reconcileRole(stored(clusterRole('r', [podsAll])), want);
  assert.equal(r.action, 'none');
  assert.deepEqual(r.extraRules, [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
});

test('role: missing rules appended (broken down), extra rules kept, metadata kept', () => {
  const want = clusterRole('r', [podsAll]);
  const existing = stored(clusterRole('r', [getPods, rule('get').groups('').resources('secrets')]));
  const r = reconcileRole(existing, want);
  assert.equal(r.action, 'update');
  assert.deepEqual(r.object.rules, [
    ...existing.rules!,
    { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
  ]);
  assert.equal(r.object.metadata.resourceVersion, '7');
  assert.equal(existing.rules!.length, 2, 'input not mutated');
});

test('role: removeExtraPermissions stomps the rules', () => {
  const want = clusterRole('r', [getPods]);
  const r = reconcileRole(stored(clusterRole('r', [listPods])), want, { removeExtraPermissions: true });
  assert.equal(r.action, 'update');
  assert.deepEqual(r.object.rules, want.rules);
});

test('role: autoupdate "false" protects the existing role', () => {
  const want = clusterRole('r', [podsAll]);
  const existing = stored(clusterRole('r', [getPods]));
  existing.metadata.annotations = { [AUTOUPDATE_ANNOTATION]: 'false' };
  const r = reconcileRole(existing, want);
  assert.equal(r.action, 'none');
  assert.equal(r.protected, true);
  assert.equal(r.object, existing);
  assert.deepEqual(r.missingRules, [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }]);
});

test('role: labels and annotations merged, existing values win', () => {
  const want = clusterRole('r', [getPods]);
  const existing = stored(want);
  existing.metadata = {
    ...existing.metadata,
    labels: { mine: 'x', 'kubernetes.io/bootstrapping': 'custom' },
  };
  existing.metadata.annotations = { note: 'n' };
  const r = reconcileRole(existing, want);
  assert.equal(r.action, 'update');
  assert.deepEqual(r.object.metadata.labels, { mine: 'x', 'kubernetes.io/bootstrapping': 'custom' });
  assert.deepEqual(r.object.metadata.annotations, { note: 'n', [AUTOUPDATE_ANNOTATION]: 'true' });
});

test('role: aggrLabelPrefixes drops existing aggregation labels', () => {
  const want = clusterRole('r', [getPods]);
  const existing = stored(want);
  existing.metadata = { ...existing.metadata, labels: { ...want.metadata.labels, 'agg/x': 'true' } };
  const r = reconcileRole(existing, want, { aggrLabelPrefixes: ['agg/'] });
  assert.equal(r.action, 'update');
  assert.deepEqual(r.object.metadata.labels, want.metadata.labels);
});

const sel = (k: string) => ({ matchLabels: { [k]: 'true' } });

test('aggregated role: selectors unioned, controller-filled rules are not extra', () => {
  const want = clusterRole('admin', [], { aggregate: [sel('a'), sel('b')] });
  const existing: ClusterRole = {
    ...stored(want),
    aggregationRule: { clusterRoleSelectors: [sel('b'), sel('c')] },
  };
  existing.rules = [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }];
  const r = reconcileRole(existing, want);
  assert.equal(r.action, 'update');
  assert.deepEqual(r.extraRules, []);
  assert.deepEqual(r.object.aggregationRule, { clusterRoleSelectors: [sel('b'), sel('c'), sel('a')] });
  assert.deepEqual(r.missingAggregationRuleSelectors, [sel('a')]);
  assert.deepEqual(r.extraAggregationRuleSelectors, [sel('c')]);
  assert.deepEqual(r.object.rules, existing.rules);
});

test('aggregated role: semantically equal selectors (empty vs missing fields) → none', () => {
  const want = clusterRole('admin', [], { aggregate: [sel('a')] });
  const existing: ClusterRole = {
    ...stored(want),
    aggregationRule: { clusterRoleSelectors: [{ ...sel('a'), matchExpressions: [] }] },
  };
  assert.equal(reconcileRole(existing, want).action, 'none');
});

test('role: unexpected aggregationRule is removed', () => {
  const want = clusterRole('r', [getPods]);
  const existing: ClusterRole = { ...stored(want), aggregationRule: { clusterRoleSelectors: [sel('a')] } };
  const r = reconcileRole(existing, want);
  assert.equal(r.action, 'update');
  assert.equal('aggregationRule' in r.object, false);
});

test('namespaced role reconciles the same way', () => {
  const want = role('kube-system', 'r', [podsAll]);
  const r = reconcileRole(stored(role('kube-system', 'r', [getPods])), want);
  assert.equal(r.action, 'update');
  assert.equal(r.object.metadata.namespace, 'kube-system');
});

const binding = (...subjects: ReturnType<typeof user>[]): ClusterRoleBinding => clusterBinding('b', subjects);

test('binding: absent → create', () => {
  const r = reconcileBinding(undefined, binding(user('a')));
  assert.equal(r.action, 'create');
  assert.deepEqual(r.missingSubjects, [user('a')]);
});

test('binding: missing subjects appended, extra kept', () => {
  const r = reconcileBinding(stored(binding(user('x'), user('a'))), binding(user('a'), group('g')));
  assert.equal(r.action, 'update');
  assert.deepEqual(r.object.subjects, [user('x'), user('a'), group('g')]);
  assert.deepEqual(r.missingSubjects, [group('g')]);
  assert.deepEqual(r.extraSubjects, [user('x')]);
});

test('binding: removeExtraSubjects stomps the subjects', () => {
  const r = reconcileBinding(stored(binding(user('x'))), binding(user('a')), { removeExtraSubjects: true });
  assert.deepEqual(r.object.subjects, [user('a')]);
});

test('binding: equal (subject apiGroup "" vs missing) → none', () => {
  const want = clusterBinding('b', [{ kind: 'ServiceAccount', name: 's', namespace: 'n' }]);
  const existing = stored(
    clusterBinding('b', [{ kind: 'ServiceAccount', apiGroup: '', name: 's', namespace: 'n' }]),
  );
  assert.equal(reconcileBinding(existing, want).action, 'none');
});

test('binding: different roleRef → recreate with the expected binding', () => {
  const existing = stored(binding(user('a')));
  existing.roleRef = { ...existing.roleRef, name: 'other' };
  const r = reconcileBinding(existing, binding(user('a')));
  assert.equal(r.action, 'recreate');
  assert.deepEqual(r.object, binding(user('a')));
});

test('binding: autoupdate "false" protects it, even from recreation', () => {
  const existing = stored(binding(user('x')), { annotations: { [AUTOUPDATE_ANNOTATION]: 'false' } });
  const r = reconcileBinding(existing, binding(user('a')));
  assert.equal(r.action, 'none');
  assert.equal(r.protected, true);
  assert.equal(r.object, existing);
  existing.roleRef = { ...existing.roleRef, name: 'other' };
  assert.equal(reconcileBinding(existing, binding(user('a'))).action, 'none');
});
