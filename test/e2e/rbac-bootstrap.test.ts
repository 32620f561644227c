/**
 * The default RBAC policy as a user sees it: the seed's `kubectl get clusterrole system:basic-user
 * -o yaml` and the aggregated `admin` role, reconciliation at every start (a default role whose
 * rule was removed gets it back; one annotated autoupdate "false" keeps the user's edit), and the
 * authorizer chain from an --authorization-config file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startServer } from './harness.js';

test('system:basic-user and the aggregated admin role read as in the seed', async () => {
  const srv = await startServer();
  try {
    let r = await srv.kubectl('1.33', ['get', 'clusterrole', 'system:basic-user', '-o', 'yaml']);
    const basic = parse(r.stdout);
    assert.equal(basic.metadata.annotations['rbac.authorization.kubernetes.io/autoupdate'], 'true');
    assert.equal(basic.metadata.labels['kubernetes.io/bootstrapping'], 'rbac-defaults');
    assert.deepEqual(basic.rules, [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ]);
    r = await srv.kubectl('1.33', ['get', 'clusterrole', 'admin', '-o', 'yaml']);
    const admin = parse(r.stdout);
    assert.deepEqual(admin.aggregationRule, {
      clusterRoleSelectors: [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }],
    });
    const has = (group: string, resource: string, verb: string) =>
      admin.rules.some(
        (x: { apiGroups: string[]; resources: string[]; verbs: string[] }) =>
          x.apiGroups.includes(group) && x.resources.includes(resource) && x.verbs.includes(verb),
      );
    // A sample of the seed's admin rules (FACTS §6: edit and view are aggregated into admin).
    for (const [g, res, v] of [
      ['', 'pods', 'create'],
      ['', 'pods/log', 'get'],
      ['apps', 'deployments', 'patch'],
      ['batch', 'cronjobs', 'delete'],
      ['rbac.authorization.k8s.io', 'rolebindings', 'create'],
      ['authorization.k8s.io', 'localsubjectaccessreviews', 'create'],
      ['', 'namespaces', 'get'],
      ['networking.k8s.io', 'networkpolicies', 'update'],
    ]) {
      assert.ok(has(g, res, v), `admin allows ${v} ${res}.${g}`);
    }
  } finally {
    await srv.stop();
  }
});

test('reconciliation at start: default rules come back, autoupdate "false" keeps the edit', async () => {
  let srv = await startServer();
  const { dir, port } = srv;
  try {
    const strip = JSON.stringify([
      {
        op: 'replace',
        path: '/rules',
        value: [
          { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] },
        ],
      },
    ]);
    let r = await srv.kubectl('1.33', [
      'patch',
      'clusterrole',
      'system:basic-user',
      '--type=json',
      '-p',
      strip,
    ]);
    assert.equal(r.code, 0, r.stderr);
    r = await srv.kubectl('1.33', [
      'patch',
      'clusterrole',
      'system:public-info-viewer',
      '--type=json',
      '-p',
      JSON.stringify([
        { op: 'replace', path: '/rules', value: [{ nonResourceURLs: ['/version'], verbs: ['get'] }] },
      ]),
    ]);
    assert.equal(r.code, 0, r.stderr);
    r = await srv.kubectl('1.33', [
      'annotate',
      '--overwrite',
      'clusterrole',
      'system:public-info-viewer',
      'rbac.authorization.kubernetes.io/autoupdate=false',
    ]);
    assert.equal(r.code, 0, r.stderr);
    await srv.stop();
    srv = await startServer({ dir, port });
    r = await srv.kubectl('1.33', [
      'get',
      'clusterrole',
      'system:basic-user',
      '-o',
      'jsonpath={.rules[*].resources}',
    ]);
    assert.match(r.stdout, /selfsubjectrulesreviews/, 'the removed default rule is back');
    r = await srv.kubectl('1.33', [
      'get',
      'clusterrole',
      'system:public-info-viewer',
      '-o',
      'jsonpath={.rules[0].nonResourceURLs}',
    ]);
    assert.equal(r.stdout, '["/version"]', 'autoupdate=false keeps the edit');
  } finally {
    await srv.stop();
  }
});

test('--authorization-config: the chain from an AuthorizationConfiguration file', async () => {
  const base = await startServer();
  const { dir, port } = base;
  await base.stop();
  const cfg = path.join(dir, 'authz.yaml');
  writeFileSync(
    cfg,
    'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers:\n- type: Node\n  name: node\n- type: AlwaysDeny\n  name: deny\n',
  );
  const srv = await startServer({ dir, port, args: [`--authorization-config=${cfg}`] });
  try {
    // kubernetes-admin is in kubeadm:cluster-admins, which only RBAC would allow: AlwaysDeny answers.
    const r = await srv.kubectl('1.33', ['get', '--raw', '/api/v1/namespaces']);
    assert.match(
      r.stderr,
      /namespaces is forbidden: User "kubernetes-admin" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden\./,
    );
    const s = await srv.kubectl('1.33', ['get', 'ns', '-o', 'name'], {
      kubeconfig: path.join(dir, 'super-admin.conf'),
    });
    assert.equal(s.code, 0, s.stderr);
  } finally {
    await srv.stop();
  }
});
