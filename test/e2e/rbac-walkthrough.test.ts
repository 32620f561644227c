/**
 * The `users:ziwon` half of the TGIK 004 seed, end to end with the real kubectl and openssl:
 * a CSR approved by the admin, Forbidden on get node / get pod / run in foo, then a RoleBinding
 * to admin in foo and a ClusterRoleBinding to view, after which run, get pod -n foo and
 * get pod --all-namespaces work; `auth can-i` and `can-i --list`; an escalation attempt by the
 * namespace admin refused with the upstream text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';

for (const version of ['1.33', '1.27']) {
  describe(`users:ziwon walkthrough with kubectl.${version}`, () => {
    let srv: TestServer;
    let ziwon: string;
    const admin = (...args: string[]) => srv.kubectl(version, args);
    const user = (...args: string[]) => srv.kubectl(version, args, { kubeconfig: ziwon });

    before(async () => {
      srv = await startServer({ args: ['--v=1'] });
      const r = await admin('create', 'namespace', 'foo');
      assert.equal(r.code, 0, r.stderr);
      // A client certificate for users:ziwon, issued through the certificates API as in the seed.
      const key = path.join(srv.dir, 'ziwon.pem');
      const csr = path.join(srv.dir, 'ziwon.csr');
      await run('openssl', ['genrsa', '-out', key, '2048']);
      await run('openssl', [
        'req',
        '-new',
        '-key',
        key,
        '-out',
        csr,
        '-subj',
        '/CN=users:ziwon/O=cloud-native',
      ]);
      const manifest = `apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: user-request-ziwon\nspec:\n  groups: [system:authenticated]\n  request: ${readFileSync(csr).toString('base64')}\n  signerName: kubernetes.io/kube-apiserver-client\n  usages: [digital signature, key encipherment, client auth]\n`;
      assert.equal((await srv.kubectl(version, ['apply', '-f', '-'], { input: manifest })).code, 0);
      assert.equal((await admin('certificate', 'approve', 'user-request-ziwon')).code, 0);
      // The built-in signer issues the certificate once approved (seed: get csr -o jsonpath | base64 -d).
      let cert = '';
      for (let i = 0; i < 50 && !cert; i++) {
        cert = (await admin('get', 'csr', 'user-request-ziwon', '-o', 'jsonpath={.status.certificate}'))
          .stdout;
        if (!cert) await new Promise((res) => setTimeout(res, 100));
      }
      assert.ok(cert, 'the CSR was signed');
      const crt = path.join(srv.dir, 'ziwon.crt');
      writeFileSync(crt, Buffer.from(cert, 'base64'));
      assert.equal(
        (await run('openssl', ['verify', '-CAfile', path.join(srv.dir, 'pki/ca.crt'), crt])).code,
        0,
      );
      const kc = parse(readFileSync(srv.kubeconfig, 'utf8'));
      kc.users = [
        {
          name: 'users:ziwon',
          user: {
            'client-certificate-data': Buffer.from(cert, 'base64').toString('base64'),
            'client-key-data': readFileSync(key).toString('base64'),
          },
        },
      ];
      kc.contexts = [{ name: 'ziwon', context: { cluster: kc.clusters[0].name, user: 'users:ziwon' } }];
      kc['current-context'] = 'ziwon';
      const out = path.join(srv.dir, 'ziwon.conf');
      writeFileSync(out, stringify(kc));
      ziwon = out;
    });
    after(async () => {
      await srv?.stop();
    });

    test('before any binding: Forbidden on get node, get pod, run in foo (seed texts)', async () => {
      let r = await user('get', 'nodes');
      assert.match(
        r.stderr,
        /Error from server \(Forbidden\): nodes is forbidden: User "users:ziwon" cannot list resource "nodes" in API group "" at the cluster scope/,
      );
      r = await user('get', 'pods', '-n', 'foo');
      assert.match(
        r.stderr,
        /Error from server \(Forbidden\): pods is forbidden: User "users:ziwon" cannot list resource "pods" in API group "" in the namespace "foo"/,
      );
      r = await user(
        'run',
        '--restart=Never',
        '--image=gcr.io/kuar-demo/kuard-amd64:blue',
        'kuard',
        '-n',
        'foo',
      );
      assert.match(
        r.stderr,
        /Error from server \(Forbidden\): pods is forbidden: User "users:ziwon" cannot create resource "pods" in API group "" in the namespace "foo"/,
      );
      assert.match(
        srv.output(),
        /forbidden: user="users:ziwon" groups=\["cloud-native","system:authenticated"\] list nodes: no RBAC binding grants this user anything that comes close/,
      );
      r = await user('auth', 'can-i', 'create', 'pods', '-n', 'foo');
      // Beyond upstream: the reason says why (upstream's is empty on a deny).
      assert.equal(r.stdout.trim(), 'no - no RBAC binding grants this user anything that comes close');
      assert.equal(r.code, 1);
    });

    test('after the seed bindings: run, get pod -n foo, get pod --all-namespaces work', async () => {
      let r = await admin(
        'create',
        'rolebinding',
        'ziwon-role',
        '--clusterrole=admin',
        '--user=users:ziwon',
        '-n',
        'foo',
      );
      assert.equal(r.code, 0, r.stderr);
      r = await admin(
        'create',
        'clusterrolebinding',
        'ziwon-clusterrole',
        '--clusterrole=view',
        '--user=users:ziwon',
      );
      assert.equal(r.code, 0, r.stderr);
      r = await user(
        'run',
        '--restart=Never',
        '--image=gcr.io/kuar-demo/kuard-amd64:blue',
        'kuard',
        '-n',
        'foo',
      );
      assert.equal(r.stdout.trim(), 'pod/kuard created', r.stderr);
      r = await user('get', 'pod', '-n', 'foo');
      assert.match(r.stdout, /^kuard\s+0\/1\s+Pending/m);
      r = await user('get', 'pod', '--all-namespaces');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^foo\s+kuard\s/m);
      r = await user('get', 'nodes');
      assert.match(r.stderr, /nodes is forbidden/, 'view does not grant nodes, as upstream');
      r = await user('delete', 'pod', 'kuard', '-n', 'default', '--wait=false');
      assert.match(
        r.stderr,
        /pods "kuard" is forbidden: User "users:ziwon" cannot delete resource "pods" in API group "" in the namespace "default"/,
      );
    });

    test('auth can-i and can-i --list answer from RBAC', async () => {
      let r = await user('auth', 'can-i', 'create', 'deployments', '-n', 'foo');
      assert.equal(r.stdout.trim(), 'yes', r.stderr);
      r = await user('auth', 'can-i', 'create', 'deployments', '-n', 'default');
      assert.match(
        r.stdout.trim(),
        /^no - no RBAC rule allows it; closest: ClusterRoleBinding "ziwon-clusterrole" of ClusterRole "view", rule \d+ .*: verb "create" not in \["get" "list" "watch"\]$/,
      );
      r = await user('auth', 'can-i', '--list', '-n', 'foo');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/m);
      assert.match(
        r.stdout,
        /^rolebindings\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create delete deletecollection get list patch update watch\]/m,
      );
      assert.match(r.stdout, /selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]/);
      r = await admin('auth', 'can-i', 'get', 'pods', '--as=users:ziwon', '-n', 'foo');
      assert.equal(r.stdout.trim(), 'yes', r.stderr);
    });

    test('impersonation: allowed for cluster admins, refused with the upstream text otherwise', async () => {
      let r = await admin('get', 'pods', '-n', 'foo', '--as=users:ziwon', '-o', 'name');
      assert.equal(r.code, 0, r.stderr);
      r = await admin('get', 'nodes', '--as=nobody');
      assert.match(
        r.stderr,
        /nodes is forbidden: User "nobody" cannot list resource "nodes" in API group "" at the cluster scope/,
      );
      r = await user('get', '--raw', '/api/v1/namespaces/foo/pods', '--as=someone-else');
      assert.match(
        r.stderr,
        /users "someone-else" is forbidden: User "users:ziwon" cannot impersonate resource "users" in API group "" at the cluster scope/,
      );
      // admin (via edit) may impersonate service accounts of its namespace, not of others.
      r = await user('get', '--raw', '/api/v1/namespaces/foo/pods', '--as=system:serviceaccount:foo:default');
      assert.match(
        r.stderr,
        /pods is forbidden: User "system:serviceaccount:foo:default" cannot list resource "pods" in API group "" in the namespace "foo"/,
      );
      r = await user(
        'get',
        '--raw',
        '/api/v1/namespaces/default/pods',
        '--as=system:serviceaccount:default:default',
      );
      assert.match(
        r.stderr,
        /serviceaccounts "default" is forbidden: User "users:ziwon" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"/,
      );
    });

    test('the namespace admin cannot escalate: a Role with more than admin grants is refused', async () => {
      const file = path.join(srv.dir, `escalate-${version}.yaml`);
      writeFileSync(
        file,
        stringify({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'node-reader', namespace: 'foo' },
          rules: [
            { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
            { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
          ],
        }),
      );
      let r = await user('apply', '-f', file);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /roles\.rbac\.authorization\.k8s\.io "node-reader" is forbidden: user "users:ziwon" \(groups=\["cloud-native" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["nodes"\], Verbs:\["get"\]\}/,
      );
      r = await user(
        'create',
        'clusterrolebinding',
        'steal',
        '--clusterrole=cluster-admin',
        '--user=users:ziwon',
      );
      assert.match(r.stderr, /forbidden/);
      r = await user(
        'create',
        'rolebinding',
        'steal',
        '--clusterrole=cluster-admin',
        '--user=users:ziwon',
        '-n',
        'foo',
      );
      assert.match(r.stderr, /is attempting to grant RBAC permissions not currently held/);
      // Within what admin holds, binding is fine.
      r = await user(
        'create',
        'rolebinding',
        'viewers',
        '--clusterrole=view',
        '--group=cloud-native',
        '-n',
        'foo',
      );
      assert.equal(r.code, 0, r.stderr);
    });

    test('kubeauth explain and who-can name the binding, role and rule', async () => {
      let r = await run(process.execPath, [
        mainJs,
        'explain',
        '--kubeconfig',
        srv.kubeconfig,
        '--as',
        'users:ziwon',
        '--as-group',
        'cloud-native',
        '-n',
        'foo',
        'create',
        'pods',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /^User "users:ziwon" \(groups=\["cloud-native" "system:authenticated"\]\) can create resource "pods" in API group "" in the namespace "foo"\nallowed by RoleBinding "ziwon-role\/foo" of ClusterRole "admin", rule \d+ /,
      );
      r = await run(process.execPath, [
        mainJs,
        'explain',
        '--kubeconfig',
        srv.kubeconfig,
        '--as',
        'users:ziwon',
        '-n',
        'default',
        'delete',
        'pods',
      ]);
      assert.equal(r.code, 1);
      assert.match(
        r.stdout,
        /near miss: RoleBinding "ziwon-role\/foo" of ClusterRole "admin", .*would allow in namespace "foo", but the request is in namespace "default"/,
      );
      r = await run(process.execPath, [
        mainJs,
        'who-can',
        '--kubeconfig',
        srv.kubeconfig,
        '-n',
        'foo',
        'create',
        'pods',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^User users:ziwon\s+RoleBinding foo\/ziwon-role -> ClusterRole admin$/m);
      assert.match(
        r.stdout,
        /^Group kubeadm:cluster-admins\s+ClusterRoleBinding kubeadm:cluster-admins -> ClusterRole cluster-admin$/m,
      );
      assert.doesNotMatch(r.stdout, /ziwon-clusterrole/, 'view does not grant create');
    });

    test('kubeconfig with kubeadm:cluster-admins is admin through RBAC; super-admin.conf through system:masters', async () => {
      const kc = parse(readFileSync(srv.kubeconfig, 'utf8'));
      assert.equal(kc.users[0].name, 'kubernetes-admin');
      let r = await admin('auth', 'whoami');
      assert.match(r.stdout, /Groups\s+\[kubeadm:cluster-admins system:authenticated\]/);
      r = await srv.kubectl(version, ['auth', 'whoami'], {
        kubeconfig: path.join(srv.dir, 'super-admin.conf'),
      });
      assert.match(r.stdout, /Groups\s+\[system:masters system:authenticated\]/);
    });
  });
}
