/**
 * The admin side of the TGIK 004 seed walkthrough, driven by the real kubectl (1.33 and 1.27)
 * against a real `kubeauth serve` with a fresh data directory.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kubectlPath, run, startServer, type TestServer } from './harness.js';

for (const version of ['1.33', '1.27']) {
  describe(`seed walkthrough with kubectl.${version}`, () => {
    let srv: TestServer;
    const k = (...args: string[]) => srv.kubectl(version, args);
    before(async () => {
      srv = await startServer();
    });
    after(async () => {
      await srv?.stop();
    });

    test('get nodes on an empty cluster prints "No resources found"', async () => {
      const r = await k('get', 'nodes');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /No resources found/);
    });

    test('get ns lists the system namespaces as Active', async () => {
      const r = await k('get', 'ns');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^NAME\s+STATUS\s+AGE/m);
      for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system'])
        assert.match(r.stdout, new RegExp(`^${ns}\\s+Active`, 'm'));
    });

    test('api-resources lists namespaced and cluster-scoped kinds with short names', async () => {
      const ns = await k('api-resources', '--namespaced=true');
      assert.equal(ns.code, 0, ns.stderr);
      assert.match(ns.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
      assert.match(ns.stdout, /^rolebindings\s+rbac\.authorization\.k8s\.io\/v1\s+true\s+RoleBinding$/m);
      assert.match(ns.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      const cl = await k('api-resources', '--namespaced=false');
      assert.match(cl.stdout, /^nodes\s+no\s+v1\s+false\s+Node$/m);
      assert.match(
        cl.stdout,
        /^certificatesigningrequests\s+csr\s+certificates\.k8s\.io\/v1\s+false\s+CertificateSigningRequest$/m,
      );
      assert.doesNotMatch(cl.stdout, /^pods\s/m);
    });

    test('create namespace foo, then AlreadyExists on the second try', async () => {
      let r = await k('create', 'namespace', 'foo');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'namespace/foo created');
      r = await k('create', 'namespace', 'foo');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Error from server \(AlreadyExists\): namespaces "foo" already exists/);
    });

    test('create rolebinding / clusterrolebinding for users:ziwon (seed)', async () => {
      let r = await k(
        'create',
        'rolebinding',
        'ziwon-role',
        '--clusterrole=admin',
        '--user=users:ziwon',
        '-n',
        'foo',
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'rolebinding.rbac.authorization.k8s.io/ziwon-role created');
      r = await k(
        'create',
        'clusterrolebinding',
        'ziwon-clusterrole',
        '--clusterrole=view',
        '--user=users:ziwon',
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'clusterrolebinding.rbac.authorization.k8s.io/ziwon-clusterrole created');
      r = await k('get', 'rolebinding', 'ziwon-role', '-n', 'foo', '-o', 'json');
      const rb = JSON.parse(r.stdout);
      assert.deepEqual(rb.roleRef, {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'admin',
      });
      assert.deepEqual(rb.subjects, [
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'users:ziwon' },
      ]);
    });

    test('tiller: service account, cluster-admin binding, deployment patched to use it (seed)', async () => {
      let r = await k('create', 'serviceaccount', '--namespace', 'kube-system', 'tiller');
      assert.equal(r.stdout.trim(), 'serviceaccount/tiller created', r.stderr);
      r = await k(
        'create',
        'clusterrolebinding',
        'tiller-cluster-rule',
        '--clusterrole=cluster-admin',
        '--serviceaccount=kube-system:tiller',
      );
      assert.equal(r.code, 0, r.stderr);
      r = await k(
        'get',
        'clusterrolebinding',
        'tiller-cluster-rule',
        '-o',
        'jsonpath={.subjects[0].kind}/{.subjects[0].namespace}/{.subjects[0].name}',
      );
      assert.equal(r.stdout, 'ServiceAccount/kube-system/tiller');
      r = await k(
        'create',
        'deployment',
        'tiller-deploy',
        '--namespace',
        'kube-system',
        '--image=ghcr.io/helm/tiller:v2.16.12',
      );
      assert.equal(r.stdout.trim(), 'deployment.apps/tiller-deploy created', r.stderr);
      r = await k(
        'patch',
        'deploy',
        '--namespace',
        'kube-system',
        'tiller-deploy',
        '-p',
        '{"spec":{"template":{"spec":{"serviceAccount":"tiller"}}}}',
      );
      assert.equal(r.stdout.trim(), 'deployment.apps/tiller-deploy patched', r.stderr);
      r = await k(
        'get',
        'deploy',
        '-n',
        'kube-system',
        'tiller-deploy',
        '-o',
        'jsonpath={.spec.template.spec.serviceAccount} {.spec.template.spec.containers[0].image} {.metadata.generation}',
      );
      assert.equal(r.stdout, 'tiller ghcr.io/helm/tiller:v2.16.12 2');
      r = await k('get', 'deploy', '-n', 'kube-system');
      assert.match(r.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/m);
      assert.match(r.stdout, /^tiller-deploy\s+0\/1\s+0\s+0\s+/m);
    });

    test('run kuard (seed) and see it with get pods -A / -o wide / -o yaml', async () => {
      let r = await k('run', '--restart=Never', '--image=gcr.io/kuar-demo/kuard-amd64:blue', 'kuard');
      assert.equal(r.stdout.trim(), 'pod/kuard created', r.stderr);
      r = await k('get', 'pods', '-A');
      assert.match(r.stdout, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/m);
      assert.match(r.stdout, /^default\s+kuard\s+0\/1\s+Pending\s+0\s+/m);
      r = await k('get', 'pod', 'kuard', '-o', 'wide');
      assert.match(
        r.stdout,
        /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/m,
      );
      r = await k('get', 'pod', 'kuard', '-o', 'yaml');
      assert.match(r.stdout, /restartPolicy: Never/);
      assert.match(r.stdout, /serviceAccountName: default/);
      assert.match(r.stdout, /uid: [0-9a-f-]{36}/);
    });

    test('get sa --all-namespaces shows a default service account per namespace', async () => {
      const r = await k('get', 'sa', '--all-namespaces');
      for (const ns of ['default', 'foo', 'kube-system', 'kube-public', 'kube-node-lease'])
        assert.match(r.stdout, new RegExp(`^${ns}\\s+default\\s`, 'm'));
      assert.match(r.stdout, /^kube-system\s+tiller\s/m);
    });

    test('apply -f: client-side create, configure, then --server-side', async () => {
      const file = path.join(srv.dir, 'role.yaml');
      const role = (verbs: string) =>
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: pod-reader\n  namespace: foo\nrules:\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: [${verbs}]\n`;
      writeFileSync(file, role('"get"'));
      let r = await k('apply', '-f', file);
      assert.equal(r.stdout.trim(), 'role.rbac.authorization.k8s.io/pod-reader created', r.stderr);
      writeFileSync(file, role('"get", "list"'));
      r = await k('apply', '-f', file);
      assert.equal(r.stdout.trim(), 'role.rbac.authorization.k8s.io/pod-reader configured', r.stderr);
      writeFileSync(file, role('"get", "list", "watch"'));
      r = await k('apply', '--server-side', '-f', file);
      assert.equal(r.stdout.trim(), 'role.rbac.authorization.k8s.io/pod-reader serverside-applied', r.stderr);
      r = await k('get', 'role', 'pod-reader', '-n', 'foo', '-o', 'jsonpath={.rules[0].verbs}');
      assert.equal(r.stdout, '["get","list","watch"]');
    });

    test('CSR: apply a v1 CertificateSigningRequest and approve it', async () => {
      const key = path.join(srv.dir, 'ziwon.pem');
      const csr = path.join(srv.dir, 'ziwon.csr');
      assert.equal((await run('openssl', ['genrsa', '-out', key, '2048'])).code, 0);
      assert.equal(
        (
          await run('openssl', [
            'req',
            '-new',
            '-key',
            key,
            '-out',
            csr,
            '-subj',
            '/CN=users:ziwon/O=cloud-native',
          ])
        ).code,
        0,
      );
      const req = readFileSync(csr).toString('base64');
      const manifest = `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: user-request-ziwon\nspec:\n  groups:\n  - system:authenticated\n  request: ${req}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages:\n  - digital signature\n  - key encipherment\n  - client auth\n`;
      let r = await srv.kubectl(version, ['apply', '-f', '-'], { input: manifest });
      assert.equal(
        r.stdout.trim(),
        'certificatesigningrequest.certificates.k8s.io/user-request-ziwon created',
        r.stderr,
      );
      r = await k('certificate', 'approve', 'user-request-ziwon');
      assert.equal(
        r.stdout.trim(),
        'certificatesigningrequest.certificates.k8s.io/user-request-ziwon approved',
        r.stderr,
      );
      r = await k(
        'get',
        'csr',
        'user-request-ziwon',
        '-o',
        'jsonpath={.status.conditions[0].type}:{.status.conditions[0].reason}',
      );
      assert.equal(r.stdout, 'Approved:KubectlApprove');
    });

    test('get -o json / jsonpath / yaml', async () => {
      let r = await k('get', 'ns', 'default', '-o', 'json');
      const ns = JSON.parse(r.stdout);
      assert.equal(ns.kind, 'Namespace');
      assert.equal(ns.status.phase, 'Active');
      r = await k('get', 'svc', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}');
      assert.equal(r.stdout, '10.96.0.1');
      r = await k('get', 'svc');
      assert.match(r.stdout, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m);
    });

    test('auth can-i and whoami as kubernetes-admin', async () => {
      let r = await k('auth', 'can-i', 'create', 'pods');
      assert.equal(r.stdout.trim(), 'yes', r.stderr);
      r = await k('auth', 'whoami');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Username\s+kubernetes-admin/);
      assert.match(r.stdout, /Groups\s+\[kubeadm:cluster-admins system:authenticated\]/);
    });

    test('create token default prints a JWT', async () => {
      const r = await k('create', 'token', 'default');
      assert.equal(r.code, 0, r.stderr);
      const [h, p] = r.stdout.split('.');
      assert.equal(JSON.parse(Buffer.from(h, 'base64url').toString()).alg, 'RS256');
      assert.equal(
        JSON.parse(Buffer.from(p, 'base64url').toString()).sub,
        'system:serviceaccount:default:default',
      );
    });

    test('get -w streams an ADDED event for a new namespace', async () => {
      const child = spawn(kubectlPath(version), ['get', 'ns', '-w'], {
        env: {
          ...process.env,
          KUBECONFIG: srv.kubeconfig,
          KUBECACHEDIR: path.join(srv.dir, `wcache-${version}`),
        },
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      await new Promise((r) => setTimeout(r, 1500));
      const r = await k('create', 'namespace', 'watched');
      assert.equal(r.code, 0, r.stderr);
      const deadline = Date.now() + 10_000;
      while (!/^watched\s+Active/m.test(out) && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 100));
      child.kill();
      assert.match(out, /^watched\s+Active/m);
    });

    test('delete namespace foo waits until its content and itself are gone', async () => {
      const r = await srv.kubectl(version, ['delete', 'namespace', 'foo'], { timeoutMs: 30_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'namespace "foo" deleted');
      const g = await k('get', 'namespace', 'foo');
      assert.match(g.stderr, /Error from server \(NotFound\): namespaces "foo" not found/);
      const rb = await k('get', 'rolebindings', '-n', 'foo');
      assert.match(rb.stderr, /No resources found in foo namespace/);
    });
  });
}
