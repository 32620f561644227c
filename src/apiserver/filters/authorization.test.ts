// Forbidden texts of responsewriters/errors.go + NewForbidden (FACTS.md §4.4 examples).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenError } from './authorization.js';
import type { Attributes } from '../../authz/interfaces.js';

function a(p: Partial<Attributes>): Attributes {
  return {
    user: { name: 'bob', uid: '', groups: [], extra: {} },
    verb: 'get',
    isResourceRequest: true,
    path: '',
    namespace: '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: '',
    subresource: '',
    name: '',
    ...p,
  };
}

test('cluster scope list (seed: users:ziwon get nodes)', () => {
  const e = forbiddenError(
    a({ user: { name: 'users:ziwon', uid: '', groups: [], extra: {} }, verb: 'list', resource: 'nodes' }),
    '',
  );
  assert.equal(
    e.message,
    'nodes is forbidden: User "users:ziwon" cannot list resource "nodes" in API group "" at the cluster scope',
  );
  assert.deepEqual(e.toStatus(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: e.message,
    reason: 'Forbidden',
    details: { kind: 'nodes' },
    code: 403,
  });
});

test('namespaced create (seed: run kuard in foo)', () => {
  const e = forbiddenError(
    a({
      user: { name: 'users:ziwon', uid: '', groups: [], extra: {} },
      verb: 'create',
      resource: 'pods',
      namespace: 'foo',
    }),
    '',
  );
  assert.equal(
    e.message,
    'pods is forbidden: User "users:ziwon" cannot create resource "pods" in API group "" in the namespace "foo"',
  );
});

test('named resource with subresource: the name in the outer part, the subresource in the inner', () => {
  const e = forbiddenError(a({ resource: 'pods', subresource: 'log', name: 'nginx', namespace: 'dev' }), '');
  assert.equal(
    e.message,
    'pods "nginx" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the namespace "dev"',
  );
  assert.deepEqual(e.details, { name: 'nginx', kind: 'pods' });
});

test('grouped resource with name: details carry name, group and the plural', () => {
  const e = forbiddenError(
    a({ verb: 'delete', resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', name: 'admin' }),
    '',
  );
  assert.equal(
    e.message,
    'clusterroles.rbac.authorization.k8s.io "admin" is forbidden: User "bob" cannot delete resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
  );
  assert.deepEqual(e.details, { name: 'admin', group: 'rbac.authorization.k8s.io', kind: 'clusterroles' });
});

test('non-resource path, and the reason appended after a colon', () => {
  const e = forbiddenError(a({ isResourceRequest: false, path: '/metrics' }), 'RBAC: no rule');
  assert.equal(e.message, 'forbidden: User "bob" cannot get path "/metrics": RBAC: no rule');
  assert.deepEqual(e.details, {});
});

test('the inner message is HTML-sanitized, the reason is not', () => {
  const e = forbiddenError(
    a({ user: { name: '<b>&', uid: '', groups: [], extra: {} }, isResourceRequest: false, path: '/x' }),
    '<r>',
  );
  assert.equal(e.message, 'forbidden: User "&lt;b&gt;&amp;" cannot get path "/x": <r>');
});
