// The indexed authorizer: TestAuthorizer of plugin/pkg/auth/authorizer/rbac/rbac_test.go run
// against both the linear baseline and the index, upstream reason texts, live updates, the
// decision cache, and a randomized differential test (indexed == linear).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../interfaces.js';
import { rbacAuthorizer } from './authorizer.js';
import { attributesKey } from './cache.js';
import { linearAuthorize } from './linear.js';
import { PolicyObjects } from './source.js';
import { RbacStore } from './store.js';
import {
  newClusterRole,
  newClusterRoleBinding,
  newRole,
  newRoleBinding,
  newRule,
  randomAttrs,
  randomPolicy,
  resAttrs,
  rng,
  urlAttrs,
} from './testutil.js';
import { RBAC_GROUP, type RbacObject } from './types.js';

interface AuthorizerCase {
  objects: RbacObject[];
  shouldPass: Attributes[];
  shouldFail: Attributes[];
}

const u = (name: string, groups: string[] = []) => ({ name, groups });
const authorizerCases: AuthorizerCase[] = [
  {
    objects: [
      newClusterRole('admin', newRule('*', '*', '*', '*')),
      newRoleBinding('ns1', 'admin', 'ClusterRole', 'User:admin', 'Group:admins'),
    ],
    shouldPass: [
      resAttrs('admin', '', 'get', 'Pods', '', 'ns1', ''),
      resAttrs('admin', '', 'watch', 'Pods', '', 'ns1', ''),
      resAttrs('admin', 'group1', 'watch', 'Foobar', '', 'ns1', ''),
      resAttrs('joe', 'admins', 'watch', 'Foobar', '', 'ns1', ''),
      resAttrs('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1', ''),
    ],
    shouldFail: [
      resAttrs('admin', '', 'GET', 'Pods', '', 'ns2', ''),
      resAttrs('admin', '', 'GET', 'Nodes', '', '', ''),
      resAttrs('admin', 'admins', 'GET', 'Pods', '', 'ns2', ''),
      resAttrs('admin', 'admins', 'GET', 'Nodes', '', '', ''),
    ],
  },
  {
    // Non-resource-url tests
    objects: [
      newClusterRole('non-resource-url-getter', newRule('get', '', '', '/apis')),
      newClusterRole('non-resource-url', newRule('*', '', '', '/apis')),
      newClusterRole('non-resource-url-prefix', newRule('get', '', '', '/apis/*')),
      newClusterRoleBinding('non-resource-url-getter', 'User:foo', 'Group:bar'),
      newClusterRoleBinding('non-resource-url', 'User:admin', 'Group:admin'),
      newClusterRoleBinding('non-resource-url-prefix', 'User:prefixed', 'Group:prefixed'),
    ],
    shouldPass: [
      urlAttrs('foo', [], 'get', '/apis'),
      urlAttrs('', ['bar'], 'get', '/apis'),
      urlAttrs('admin', [], 'get', '/apis'),
      urlAttrs('', ['admin'], 'get', '/apis'),
      urlAttrs('admin', [], 'watch', '/apis'),
      urlAttrs('', ['admin'], 'watch', '/apis'),
      urlAttrs('prefixed', [], 'get', '/apis/v1'),
      urlAttrs('', ['prefixed'], 'get', '/apis/v1'),
      urlAttrs('prefixed', [], 'get', '/apis/v1/foobar'),
      urlAttrs('', ['prefixed'], 'get', '/apis/v1/foorbar'),
    ],
    shouldFail: [
      urlAttrs('foo', [], 'watch', '/apis'),
      urlAttrs('', ['bar'], 'watch', '/apis'),
      urlAttrs('foo', [], 'get', '/api/v1'),
      urlAttrs('', ['bar'], 'get', '/api/v1'),
      urlAttrs('admin', [], 'get', '/api/v1'),
      urlAttrs('', ['admin'], 'get', '/api/v1'),
      urlAttrs('prefixed', [], 'get', '/api/v1'),
      urlAttrs('', ['prefixed'], 'get', '/api/v1'),
    ],
  },
  {
    // test subresource resolution
    objects: [
      newClusterRole('admin', newRule('*', '*', 'pods', '*')),
      newRoleBinding('ns1', 'admin', 'ClusterRole', 'User:admin', 'Group:admins'),
    ],
    shouldPass: [resAttrs('admin', '', 'get', 'pods', '', 'ns1', '')],
    shouldFail: [resAttrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
  },
  {
    // test subresource resolution
    objects: [
      newClusterRole('admin', newRule('*', '*', 'pods/status', '*')),
      newRoleBinding('ns1', 'admin', 'ClusterRole', 'User:admin', 'Group:admins'),
    ],
    shouldPass: [resAttrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
    shouldFail: [resAttrs('admin', '', 'get', 'pods', '', 'ns1', '')],
  },
  {
    // service accounts: namespace defaulting in RoleBindings, required in ClusterRoleBindings
    objects: [
      newRole('reader', 'ns1', newRule('get', '', 'pods', '')),
      newClusterRole('lister', newRule('list', '', 'pods', '')),
      newRoleBinding('ns1', 'reader', 'Role', 'ServiceAccount:default'),
      newClusterRoleBinding('lister', 'ServiceAccount:nons', 'ServiceAccount:kube-system:ctrl'),
      newClusterRoleBinding('lister', 'Group:system:serviceaccounts:ns2'),
    ],
    shouldPass: [
      resAttrs('system:serviceaccount:ns1:default', '', 'get', 'pods', '', 'ns1', ''),
      resAttrs('system:serviceaccount:kube-system:ctrl', '', 'list', 'pods', '', '', ''),
      resAttrs(
        'system:serviceaccount:ns2:x',
        'system:serviceaccounts,system:serviceaccounts:ns2',
        'list',
        'pods',
        '',
        'ns9',
        '',
      ),
    ],
    shouldFail: [
      resAttrs('system:serviceaccount:ns2:default', '', 'get', 'pods', '', 'ns1', ''),
      resAttrs('system:serviceaccount:ns1:default', '', 'get', 'pods', '', 'ns2', ''),
      resAttrs('system:serviceaccount::nons', '', 'list', 'pods', '', '', ''),
      resAttrs('system:serviceaccount:ns3:x', 'system:serviceaccounts', 'list', 'pods', '', '', ''),
    ],
  },
];

authorizerCases.forEach((tc, i) => {
  test(`TestAuthorizer case ${i}: linear and indexed agree with upstream`, () => {
    const lister = new PolicyObjects(tc.objects);
    const indexed = rbacAuthorizer(new RbacStore(tc.objects));
    for (const a of tc.shouldPass) {
      assert.equal(linearAuthorize(lister, a).decision, 'Allow', `linear restricted ${JSON.stringify(a)}`);
      assert.equal(indexed.authorize(a).decision, 'Allow', `indexed restricted ${JSON.stringify(a)}`);
    }
    for (const a of tc.shouldFail) {
      assert.equal(linearAuthorize(lister, a).decision, 'NoOpinion', `linear passed ${JSON.stringify(a)}`);
      assert.equal(indexed.authorize(a).decision, 'NoOpinion', `indexed passed ${JSON.stringify(a)}`);
    }
  });
});

test('allow reasons use the upstream describers', () => {
  const objs: RbacObject[] = [
    newClusterRole('view', newRule('get', '', 'pods', '')),
    newRole('edit', 'dev', newRule('create', '', 'pods', '')),
    { ...newClusterRoleBinding('view', 'User:zed', 'Group:viewers'), metadata: { name: 'viewers' } },
    {
      ...newRoleBinding('dev', 'edit', 'Role', 'ServiceAccount:builder'),
      metadata: { name: 'ci', namespace: 'dev' },
    },
  ];
  const az = rbacAuthorizer(new RbacStore(objs));
  assert.equal(
    az.authorize(resAttrs('amy', 'viewers', 'get', 'pods', '', 'dev', '')).reason,
    'RBAC: allowed by ClusterRoleBinding "viewers" of ClusterRole "view" to Group "viewers"',
  );
  assert.equal(
    az.authorize(resAttrs('system:serviceaccount:dev:builder', '', 'create', 'pods', '', 'dev', '')).reason,
    'RBAC: allowed by RoleBinding "ci/dev" of Role "edit" to ServiceAccount "builder/dev"',
  );
  const lin = linearAuthorize(new PolicyObjects(objs), resAttrs('zed', '', 'get', 'pods', '', '', ''));
  assert.equal(
    lin.reason,
    'RBAC: allowed by ClusterRoleBinding "viewers" of ClusterRole "view" to User "zed"',
  );
  assert.deepEqual(az.authorize(resAttrs('amy', '', 'get', 'pods', '', 'dev', '')), {
    decision: 'NoOpinion',
    reason: '',
  });
});

test('missing roles: NoOpinion with the aggregate error; the binding starts working when the role appears', () => {
  const store = new RbacStore([
    newClusterRoleBinding('later', 'User:amy'),
    newRoleBinding('dev', 'gone', 'Role', 'User:amy'),
    {
      ...newRoleBinding('dev', 'x', 'Role', 'User:amy'),
      roleRef: { apiGroup: RBAC_GROUP, kind: 'Bogus', name: 'x' },
    },
  ]);
  const az = rbacAuthorizer(store);
  const a = resAttrs('amy', '', 'get', 'pods', '', 'dev', '');
  const want =
    'RBAC: [clusterrole.rbac.authorization.k8s.io "later" not found, role.rbac.authorization.k8s.io "gone" not found, unsupported role reference kind: "Bogus"]';
  assert.deepEqual(az.authorize(a), { decision: 'NoOpinion', reason: want });
  assert.deepEqual(linearAuthorize(store, a), { decision: 'NoOpinion', reason: want });
  assert.equal(
    az.authorize(resAttrs('amy', '', 'get', 'pods', '', '', '')).reason,
    'RBAC: clusterrole.rbac.authorization.k8s.io "later" not found',
  );
  store.upsert(newClusterRole('later', newRule('get', '', 'pods', '')));
  assert.equal(az.authorize(a).decision, 'Allow');
  store.remove('ClusterRole', '', 'later');
  assert.equal(az.authorize(a).decision, 'NoOpinion');
});

test('updates: binding subjects, role rules and deletions are visible to the next request', () => {
  const store = new RbacStore();
  const az = rbacAuthorizer(store, { cacheMinBindings: 0 });
  const a = resAttrs('amy', '', 'delete', 'secrets', '', 'dev', '');
  assert.equal(az.authorize(a).decision, 'NoOpinion');
  store.upsert(newRole('r', 'dev', newRule('get', '', 'secrets', '')));
  const rb = { ...newRoleBinding('dev', 'r', 'Role', 'User:bob'), metadata: { name: 'b', namespace: 'dev' } };
  store.upsert(rb);
  assert.equal(az.authorize(a).decision, 'NoOpinion');
  store.upsert({ ...rb, subjects: [{ kind: 'User', name: 'amy' }] });
  assert.equal(az.authorize(a).decision, 'NoOpinion');
  store.upsert(newRole('r', 'dev', newRule('get,delete', '', 'secrets', '')));
  assert.equal(az.authorize(a).decision, 'Allow');
  assert.equal(az.authorize(resAttrs('bob', '', 'delete', 'secrets', '', 'dev', '')).decision, 'NoOpinion');
  store.remove('RoleBinding', 'dev', 'b');
  assert.equal(az.authorize(a).decision, 'NoOpinion');
  assert.ok(az.cacheStats().hits === 0);
  az.authorize(a);
  assert.ok(az.cacheStats().hits === 1);
});

test('cache keys cannot collide across field boundaries', () => {
  const a = resAttrs('a', 'b', 'get', 'pods', '', 'ns', '');
  const b = resAttrs('a1:b', '', 'get', 'pods', '', 'ns', '');
  const c = resAttrs('a', 'b', 'get', 'pods', '', 'n', 's');
  assert.notEqual(attributesKey(a), attributesKey(b));
  assert.notEqual(attributesKey(a), attributesKey(c));
  assert.notEqual(
    attributesKey({ ...a, user: u('a', ['b', 'c']) } as Attributes),
    attributesKey({ ...a, user: u('a', ['b,c']) } as Attributes),
  );
});

test('cache is bounded', () => {
  const store = new RbacStore([
    newClusterRole('v', newRule('get', '', 'pods', '')),
    newClusterRoleBinding('v', 'Group:g'),
  ]);
  const az = rbacAuthorizer(store, { cacheSize: 10, cacheMinBindings: 0 });
  for (let i = 0; i < 100; i++) az.authorize(resAttrs(`u${i}`, 'g', 'get', 'pods', '', '', ''));
  assert.equal(az.cacheStats().size, 10);
});

test('differential: indexed == linear on random policies and requests', () => {
  const r = rng(42);
  let allows = 0;
  let total = 0;
  for (let p = 0; p < 400; p++) {
    const objects = randomPolicy(r);
    const lister = new PolicyObjects(objects);
    const store = new RbacStore(objects);
    const az = rbacAuthorizer(store, { cacheSize: p % 2 ? 0 : 100, cacheMinBindings: p % 4 });
    for (let i = 0; i < 60; i++) {
      const a = randomAttrs(r);
      const want = linearAuthorize(lister, a);
      const got = az.authorize(a);
      total++;
      assert.equal(got.decision, want.decision, JSON.stringify({ objects, a }));
      if (want.decision === 'Allow') {
        allows++;
        assert.match(got.reason, /^RBAC: allowed by (Cluster)?RoleBinding "/);
      } else {
        // Same error set; order may differ (lister order is unspecified upstream too).
        const norm = (s: string) =>
          s
            .replace(/^RBAC: \[?|\]$/g, '')
            .split(', ')
            .sort()
            .join(', ');
        assert.equal(norm(got.reason), norm(want.reason));
      }
    }
    // mutate: drop a random object from both and re-check a few requests
    const victim = objects[Math.floor(r() * objects.length)];
    lister.remove(victim.kind, victim.metadata.namespace ?? '', victim.metadata.name);
    store.remove(victim.kind, victim.metadata.namespace ?? '', victim.metadata.name);
    for (let i = 0; i < 20; i++) {
      const a = randomAttrs(r);
      assert.equal(az.authorize(a).decision, linearAuthorize(lister, a).decision);
    }
  }
  assert.ok(allows > total / 20 && allows < total * 0.9, `allows ${allows} of ${total}`);
});
