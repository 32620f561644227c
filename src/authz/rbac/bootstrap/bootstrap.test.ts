/** bootstrapObjects() order and metadata, and the kubeadm objects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapObjects, bootstrapPolicy } from './index.js';
import { kubeadmObjects } from './kubeadm.js';
import { AUTOUPDATE_ANNOTATION, BOOTSTRAPPING_LABEL } from './types.js';

test('bootstrapObjects: cluster roles, cluster role bindings, roles, role bindings, in that order', () => {
  const kinds = bootstrapObjects().map((o) => o.kind);
  const order = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
  const ranks = kinds.map((k) => order.indexOf(k));
  assert.deepEqual(
    ranks,
    [...ranks].sort((a, b) => a - b),
  );
  const p = bootstrapPolicy();
  assert.deepEqual(
    [p.clusterRoles.length, p.clusterRoleBindings.length, p.roles.length, p.roleBindings.length],
    [31 + 39, 12 + 39, 7, 7],
  );
});

test('every default object carries the bootstrap label and autoupdate "true"', () => {
  for (const o of bootstrapObjects()) {
    assert.equal(o.metadata.labels?.[BOOTSTRAPPING_LABEL], 'rbac-defaults', o.metadata.name);
    assert.equal(o.metadata.annotations?.[AUTOUPDATE_ANNOTATION], 'true', o.metadata.name);
  }
});

test('every binding refers to a default role', () => {
  const p = bootstrapPolicy({ kubeadm: true });
  const clusterRoles = new Set(p.clusterRoles.map((r) => r.metadata.name));
  const roles = new Set(p.roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`));
  for (const b of p.clusterRoleBindings) assert.ok(clusterRoles.has(b.roleRef.name), b.metadata.name);
  for (const b of p.roleBindings)
    assert.ok(
      roles.has(`${b.metadata.namespace}/${b.roleRef.name}`),
      `${b.metadata.namespace}/${b.metadata.name}`,
    );
});

test('kubeadm objects: names as a kubeadm cluster lists them, no autoupdate', () => {
  const k = kubeadmObjects();
  assert.deepEqual(
    k.clusterRoles.map((r) => r.metadata.name),
    ['kubeadm:get-nodes', 'system:coredns'],
  );
  assert.deepEqual(
    k.clusterRoleBindings.map((r) => r.metadata.name),
    [
      'kubeadm:cluster-admins',
      'kubeadm:kubelet-bootstrap',
      'kubeadm:get-nodes',
      'kubeadm:node-autoapprove-bootstrap',
      'kubeadm:node-autoapprove-certificate-rotation',
      'kubeadm:node-proxier',
      'system:coredns',
    ],
  );
  assert.deepEqual(
    k.roles.map((r) => `${r.metadata.namespace}/${r.metadata.name}`),
    [
      'kube-system/kubeadm:nodes-kubeadm-config',
      'kube-system/kubeadm:kubelet-config',
      'kube-system/kube-proxy',
      'kube-public/kubeadm:bootstrap-signer-clusterinfo',
    ],
  );
  const admins = k.clusterRoleBindings[0];
  assert.deepEqual(admins.roleRef, {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'cluster-admin',
  });
  assert.deepEqual(admins.subjects, [
    { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeadm:cluster-admins' },
  ]);
  for (const o of [...k.clusterRoles, ...k.clusterRoleBindings, ...k.roles, ...k.roleBindings])
    assert.equal(o.metadata.annotations, undefined);
  assert.equal(kubeadmObjects({ coreDNS: false }).clusterRoles.length, 1);
});
