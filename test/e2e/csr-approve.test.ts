/**
 * Auto-approval of node client certificates, as kube-controller-manager's csrapproving controller
 * (pkg/controller/certificates/approver/sarapprove.go) with kubeadm's bindings
 * (kubeadm:node-autoapprove-bootstrap, kubeadm:node-autoapprove-certificate-rotation): a bootstrap
 * token's kubelet-client CSR is approved (`nodeclient`) and issued; a node renewing its own
 * certificate is approved (`selfnodeclient`); a node asking for another node's name, a CSR that
 * fails the kubelet-client checks and a non-node CSR are never auto-approved. All through the real
 * kubectl and openssl.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';

const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';

describe('csrapproving: kubelet client certificates', () => {
  let srv: TestServer;
  let bootstrapConf: string;
  let bootstrapUser: string;
  const admin = (...args: string[]) => srv.kubectl('1.33', args);

  /** A key + CSR made by openssl; returns the CSR manifest (and the key's path). */
  const csr = async (name: string, subj: string, signer: string, usages: string[]) => {
    const key = path.join(srv.dir, `${name}.key`);
    const req = path.join(srv.dir, `${name}.csr`);
    const r = await run('openssl', [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      req,
      '-subj',
      subj,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const manifest = JSON.stringify({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: { request: readFileSync(req).toString('base64'), signerName: signer, usages },
    });
    return { manifest, key };
  };
  const createAs = async (kubeconfig: string, manifest: string) => {
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], { input: manifest, kubeconfig });
    assert.equal(r.code, 0, r.stderr);
  };
  const jsonpath = async (name: string, jp: string) =>
    (await admin('get', 'csr', name, '-o', `jsonpath=${jp}`)).stdout;
  const waitFor = async (name: string, jp: string) => {
    for (let i = 0; i < 100; i++) {
      const v = await jsonpath(name, jp);
      if (v) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    return '';
  };
  /** A kubeconfig for the node with the certificate issued for `name` and its key. */
  const nodeKubeconfig = async (name: string, key: string) => {
    const cert = Buffer.from(await waitFor(name, '{.status.certificate}'), 'base64').toString();
    assert.ok(cert.includes('BEGIN CERTIFICATE'));
    const ca = readFileSync(path.join(srv.dir, 'pki/ca.crt')).toString('base64');
    const file = path.join(srv.dir, `${name}.conf`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: { server: `https://127.0.0.1:${srv.port}`, 'certificate-authority-data': ca },
          },
        ],
        users: [
          {
            name: 'node',
            user: {
              'client-certificate-data': Buffer.from(cert).toString('base64'),
              'client-key-data': readFileSync(key).toString('base64'),
            },
          },
        ],
        contexts: [{ name: 'node', context: { cluster: 'c', user: 'node' } }],
        'current-context': 'node',
      }),
    );
    return file;
  };
  /** The approver had its chance: give it a moment and check nothing was decided. */
  const staysPending = async (name: string) => {
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await jsonpath(name, '{.status.conditions}'), '');
    assert.match((await admin('get', 'csr', name)).stdout, /\sPending\n?$/m);
  };

  before(async () => {
    srv = await startServer({ args: ['--enable-bootstrap-token-auth'] });
    const t = await run(process.execPath, [mainJs, 'token', '--kubeconfig', srv.kubeconfig, 'create']);
    assert.equal(t.code, 0, t.stderr);
    const token = t.stdout.trim();
    bootstrapUser = `system:bootstrap:${token.slice(0, 6)}`;
    bootstrapConf = path.join(srv.dir, 'bootstrap.conf');
    const ca = readFileSync(path.join(srv.dir, 'pki/ca.crt')).toString('base64');
    writeFileSync(
      bootstrapConf,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: { server: `https://127.0.0.1:${srv.port}`, 'certificate-authority-data': ca },
          },
        ],
        users: [{ name: 'tls-bootstrap-token-user', user: { token } }],
        contexts: [{ name: 'b', context: { cluster: 'c', user: 'tls-bootstrap-token-user' } }],
        'current-context': 'b',
      }),
    );
  });
  after(async () => {
    await srv?.stop();
  });

  let n1Conf = '';

  test('a bootstrap token identity with nodeclient gets its node CSR AutoApproved and issued', async () => {
    const { manifest, key } = await csr('node-csr-n1', '/O=system:nodes/CN=system:node:n1', KUBELET_CLIENT, [
      'digital signature',
      'client auth',
    ]);
    await createAs(bootstrapConf, manifest);
    assert.equal(await jsonpath('node-csr-n1', '{.spec.username}'), bootstrapUser);
    assert.equal(
      await waitFor('node-csr-n1', '{.status.conditions[?(@.type=="Approved")].reason}'),
      'AutoApproved',
    );
    assert.equal(
      await jsonpath('node-csr-n1', '{.status.conditions[?(@.type=="Approved")].message}'),
      'Auto approving kubelet client certificate after SubjectAccessReview.',
    );
    n1Conf = await nodeKubeconfig('node-csr-n1', key);
    const who = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'json'], { kubeconfig: n1Conf });
    assert.equal(who.code, 0, who.stderr);
    const info = JSON.parse(who.stdout).status.userInfo;
    assert.equal(info.username, 'system:node:n1');
    assert.deepEqual(info.groups, ['system:nodes', 'system:authenticated']);
  });

  test('a node renewing its own client certificate is AutoApproved through selfnodeclient', async () => {
    const { manifest, key } = await csr(
      'node-csr-n1-renew',
      '/O=system:nodes/CN=system:node:n1',
      KUBELET_CLIENT,
      ['digital signature', 'key encipherment', 'client auth'],
    );
    await createAs(n1Conf, manifest);
    assert.equal(
      await waitFor('node-csr-n1-renew', '{.status.conditions[?(@.type=="Approved")].message}'),
      'Auto approving self kubelet client certificate after SubjectAccessReview.',
    );
    assert.ok(await nodeKubeconfig('node-csr-n1-renew', key));
  });

  test("a node name that is not the requester's: refused for a node, never auto-approved", async () => {
    // A node asking for another node's name is refused at create by NodeRestriction.
    const { manifest } = await csr('node-csr-n2-by-n1', '/O=system:nodes/CN=system:node:n2', KUBELET_CLIENT, [
      'digital signature',
      'client auth',
    ]);
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], { input: manifest, kubeconfig: n1Conf });
    assert.match(
      r.stderr,
      /certificatesigningrequests\.certificates\.k8s\.io "node-csr-n2-by-n1" is forbidden: can only create a node CSR with CN=system:node:n1/,
    );
    // Anyone else who may create CSRs but lacks nodeclient: recognized as nodeclient, the
    // SubjectAccessReview says no, the CSR stays pending (selfnodeclient does not apply: CN != user).
    assert.equal(
      (
        await admin(
          'create',
          'clusterrolebinding',
          'bob-csr',
          '--clusterrole=system:node-bootstrapper',
          '--user=bob',
        )
      ).code,
      0,
    );
    const other = await csr('node-csr-n2-by-bob', '/O=system:nodes/CN=system:node:n2', KUBELET_CLIENT, [
      'digital signature',
      'client auth',
    ]);
    const c = await srv.kubectl('1.33', ['create', '-f', '-', '--as=bob'], { input: other.manifest });
    assert.equal(c.code, 0, c.stderr);
    assert.equal(await jsonpath('node-csr-n2-by-bob', '{.spec.username}'), 'bob');
    await staysPending('node-csr-n2-by-bob');
    assert.match(
      srv.output(),
      /recognized csr "node-csr-n2-by-bob" as \[nodeclient\] but subject access review was not approved/,
    );
  });

  test('CSRs that are not node client certificates are never auto-approved', async () => {
    // not the kubelet-client signer
    const client = await csr('user-csr', '/CN=alice', 'kubernetes.io/kube-apiserver-client', ['client auth']);
    await createAs(bootstrapConf, client.manifest);
    // the kubelet-client signer, but fails IsKubeletClientCSR (O is not system:nodes)
    const wrongOrg = await csr('bad-org-csr', '/O=devs/CN=system:node:n3', KUBELET_CLIENT, [
      'digital signature',
      'client auth',
    ]);
    await createAs(bootstrapConf, wrongOrg.manifest);
    // the kubelet-client signer, but a usage the kubelet-client checks refuse
    const serverAuth = await csr('server-usage-csr', '/O=system:nodes/CN=system:node:n4', KUBELET_CLIENT, [
      'digital signature',
      'server auth',
    ]);
    await createAs(bootstrapConf, serverAuth.manifest);
    await staysPending('user-csr');
    await staysPending('bad-org-csr');
    await staysPending('server-usage-csr');
  });

  test('without the kubeadm binding the bootstrap token is not auto-approved', async () => {
    assert.equal((await admin('delete', 'clusterrolebinding', 'kubeadm:node-autoapprove-bootstrap')).code, 0);
    const { manifest } = await csr('node-csr-n5', '/O=system:nodes/CN=system:node:n5', KUBELET_CLIENT, [
      'digital signature',
      'client auth',
    ]);
    await createAs(bootstrapConf, manifest);
    await staysPending('node-csr-n5');
  });
});
