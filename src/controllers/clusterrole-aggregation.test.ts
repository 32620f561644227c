/** Tests after clusterroleaggregation_controller_test.go, plus the default policy's admin role. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateAll, aggregateRules, dependents, selectorMatches } from './clusterrole-aggregation.js';
import { clusterRoles } from '../authz/rbac/bootstrap/policy.js';
import { covers } from '../authz/rbac/covers.js';
import type { ClusterRole, LabelSelector, PolicyRule } from '../authz/rbac/bootstrap/types.js';

const r = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
  verbs,
  apiGroups,
  resources,
});

function cr(
  name: string,
  labels: Record<string, string>,
  rules: PolicyRule[] | null,
  selectors?: LabelSelector[],
) {
  const role: ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels },
    rules,
  };
  if (selectors) role.aggregationRule = { clusterRoleSelectors: selectors };
  return role;
}

const getPods = r(['get'], [''], ['pods']);
const listPods = r(['list'], [''], ['pods']);
const getSecrets = r(['get'], [''], ['secrets']);

test('selectorMatches: matchLabels and every matchExpressions operator, AND-ed', () => {
  const labels = { a: '1', b: '2' };
  const rows: [LabelSelector, boolean][] = [
    [{}, true],
    [{ matchLabels: { a: '1' } }, true],
    [{ matchLabels: { a: '2' } }, false],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['0', '1'] }] }, true],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, false],
    [{ matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['1'] }] }, true],
    [{ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, true],
    [{ matchLabels: { a: '1' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] }, false],
  ];
  for (const [sel, want] of rows) assert.equal(selectorMatches(sel, labels), want, JSON.stringify(sel));
  assert.equal(selectorMatches(null, labels), false);
  assert.throws(() =>
    selectorMatches({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, labels),
  );
  assert.throws(() =>
    selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
  );
});

test('aggregateRules: no aggregationRule → undefined', () => {
  assert.equal(aggregateRules(cr('x', {}, [getPods]), []), undefined);
});

test('aggregateRules: matches sorted by name, duplicates dropped, self excluded', () => {
  const target = cr('agg', { pick: 'y' }, null, [{ matchLabels: { pick: 'y' } }]);
  const all = [
    target,
    cr('zz', { pick: 'y' }, [getSecrets, getPods]),
    cr('aa', { pick: 'y' }, [getPods, { ...listPods, resourceNames: [] }]),
    cr('mm', { pick: 'n' }, [r(['*'], ['*'], ['*'])]),
  ];
  assert.deepEqual(aggregateRules(target, all), [getPods, { ...listPods, resourceNames: [] }, getSecrets]);
});

test('aggregateRules: selectors are unioned in order', () => {
  const target = cr('agg', {}, null, [{ matchLabels: { b: 'true' } }, { matchLabels: { a: 'true' } }]);
  const all = [cr('a', { a: 'true' }, [getPods]), cr('b', { b: 'true' }, [getSecrets, getPods])];
  assert.deepEqual(aggregateRules(target, all), [getSecrets, getPods]);
});

test('aggregateRules: unchanged → undefined; user edits are overwritten; nothing matched clears', () => {
  const sel = [{ matchLabels: { a: 'true' } }];
  const all = [cr('a', { a: 'true' }, [getPods])];
  assert.equal(aggregateRules(cr('agg', {}, [getPods], sel), all), undefined);
  assert.deepEqual(aggregateRules(cr('agg', {}, [getPods, getSecrets], sel), all), [getPods]);
  assert.equal(aggregateRules(cr('agg', {}, null, sel), []), undefined, 'null rules equal the empty result');
  assert.deepEqual(aggregateRules(cr('agg', {}, [getPods], sel), []), []);
});

test('dependents: roles selecting the new or previous labels, and the role itself if aggregated', () => {
  const admin = cr('admin', {}, null, [{ matchLabels: { admin: 'true' } }]);
  const edit = cr('edit', { admin: 'true' }, null, [{ matchLabels: { edit: 'true' } }]);
  const other = cr('other', {}, null, [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }]);
  const all = [admin, edit, other];
  const names = (rs: ClusterRole[]) => rs.map((x) => x.metadata.name);
  assert.deepEqual(names(dependents(cr('p', { edit: 'true' }, []), all)), ['edit']);
  assert.deepEqual(names(dependents(edit, all)), ['admin', 'edit']);
  assert.deepEqual(names(dependents(cr('p', {}, []), all, cr('p', { x: '1' }, []))), ['other']);
  assert.deepEqual(names(dependents(cr('p', {}, []), all)), []);
});

test("aggregateAll: a cycle terminates (each role takes the other's rules; upstream flaps)", () => {
  const a = cr('a', { in: 'b' }, [getPods], [{ matchLabels: { in: 'a' } }]);
  const b = cr('b', { in: 'a' }, [getSecrets], [{ matchLabels: { in: 'b' } }]);
  const out = aggregateAll([a, b]);
  assert.equal(out.length, 2);
  assert.deepEqual(aggregateAll([a]), [{ ...a, rules: [] }]);
});

/** The aggregated admin role printed in the seed (kubeadm 1.13 cluster, TGIK 004), rule for rule. */
const seedAdmin: PolicyRule[] = [
  r(
    ['get', 'list', 'watch'],
    [''],
    ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
  ),
  r(['impersonate'], [''], ['serviceaccounts']),
  r(
    ['create', 'delete', 'deletecollection', 'patch', 'update'],
    [''],
    ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
  ),
  r(
    ['create', 'delete', 'deletecollection', 'patch', 'update'],
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
  ),
  r(
    ['create', 'delete', 'deletecollection', 'patch', 'update'],
    ['apps'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
  ),
  r(
    ['create', 'delete', 'deletecollection', 'patch', 'update'],
    ['autoscaling'],
    ['horizontalpodautoscalers'],
  ),
  r(['create', 'delete', 'deletecollection', 'patch', 'update'], ['batch'], ['cronjobs', 'jobs']),
  r(
    ['create', 'delete', 'deletecollection', 'patch', 'update'],
    ['extensions'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
  ),
  r(['create', 'delete', 'deletecollection', 'patch', 'update'], ['policy'], ['poddisruptionbudgets']),
  r(['create', 'delete', 'deletecollection', 'patch', 'update'], ['networking.k8s.io'], ['networkpolicies']),
  r(
    ['get', 'list', 'watch'],
    [''],
    [
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
    ],
  ),
  r(
    ['get', 'list', 'watch'],
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
  ),
  r(['get', 'list', 'watch'], [''], ['namespaces']),
  r(
    ['get', 'list', 'watch'],
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'deployments',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
  ),
  r(['get', 'list', 'watch'], ['autoscaling'], ['horizontalpodautoscalers']),
  r(['get', 'list', 'watch'], ['batch'], ['cronjobs', 'jobs']),
  r(
    ['get', 'list', 'watch'],
    ['extensions'],
    [
      'daemonsets',
      'deployments',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
  ),
  r(['get', 'list', 'watch'], ['policy'], ['poddisruptionbudgets']),
  r(['get', 'list', 'watch'], ['networking.k8s.io'], ['networkpolicies']),
  r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  r(
    ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    ['rbac.authorization.k8s.io'],
    ['rolebindings', 'roles'],
  ),
];

test('default policy: aggregated admin = edit (aggregate-to-edit + view) + aggregate-to-admin', () => {
  const roles = aggregateAll(clusterRoles());
  const get = (n: string) => roles.find((x) => x.metadata.name === n)!;
  const dedupe = (rs: PolicyRule[]) =>
    rs.filter((x, i) => rs.findIndex((y) => JSON.stringify(y) === JSON.stringify(x)) === i);
  const toView = get('system:aggregate-to-view').rules!;
  const toEdit = get('system:aggregate-to-edit').rules!;
  const toAdmin = get('system:aggregate-to-admin').rules!;
  assert.deepEqual(get('view').rules, toView);
  assert.deepEqual(get('edit').rules, dedupe([...toEdit, ...toView]));
  assert.deepEqual(get('admin').rules, dedupe([...toEdit, ...toView, ...toAdmin]));
  assert.equal(aggregateRules(get('admin'), roles), undefined, 'converged');
});

test("default policy: admin covers every rule of the seed's 1.13 admin role except endpoints writes", () => {
  const admin = aggregateAll(clusterRoles()).find((x) => x.metadata.name === 'admin')!;
  const uncovered = covers(admin.rules!, seedAdmin).uncovered;
  // Write access to endpoints left the default edit/admin roles in 1.22 (CVE-2021-25740).
  assert.deepEqual(
    uncovered,
    ['create', 'delete', 'deletecollection', 'patch', 'update'].map((v) => r([v], [''], ['endpoints'])),
  );
  // Most of the seed's rules are present verbatim (the rest were widened upstream since 1.13).
  const verbatim = seedAdmin.filter((s) => admin.rules!.some((x) => JSON.stringify(x) === JSON.stringify(s)));
  assert.ok(verbatim.length >= 10, `${verbatim.length} verbatim`);
});
