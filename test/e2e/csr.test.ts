/**
 * CertificateSigningRequests as upstream (FACTS.md §10): the requester's identity is recorded in
 * the spec, kube-apiserver-client requests for system:masters are refused, approving needs
 * `approve` on the signer, the built-in signer issues approved requests and fails the ones its
 * rules reject.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mainJs, run, startServer, type TestServer } from './harness.js';

describe('certificate signing requests', () => {
  let srv: TestServer;
  const k = (...args: string[]) => srv.kubectl('1.33', args);
  const csrManifest = async (name: string, subj: string, signer: string, usages: string[]) => {
    const key = path.join(srv.dir, `${name}.key`);
    const csr = path.join(srv.dir, `${name}.csr`);
    await run('openssl', [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      subj,
    ]);
    return JSON.stringify({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: {
        request: readFileSync(csr).toString('base64'),
        signerName: signer,
        usages,
        username: 'someone-else',
        groups: ['system:masters'],
      },
    });
  };
  const waitFor = async (name: string, jsonpath: string) => {
    for (let i = 0; i < 50; i++) {
      const r = await k('get', 'csr', name, '-o', `jsonpath=${jsonpath}`);
      if (r.stdout) return r.stdout;
      await new Promise((res) => setTimeout(res, 100));
    }
    return '';
  };

  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('the spec records the requester, not what the body claims', async () => {
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: await csrManifest('alice', '/CN=alice', 'kubernetes.io/kube-apiserver-client', ['client auth']),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      (await k('get', 'csr', 'alice', '-o', 'jsonpath={.spec.username} {.spec.groups}')).stdout,
      'kubernetes-admin ["kubeadm:cluster-admins","system:authenticated"]',
    );
    const t = await k('get', 'csr', 'alice');
    assert.match(
      t.stdout,
      /^alice\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+kubernetes-admin\s+<none>\s+Pending$/m,
    );
  });

  test('approval needs approve on the signer; the signer then issues the certificate', async () => {
    const bob = path.join(srv.dir, 'bob.conf');
    await run(process.execPath, [
      mainJs,
      'kubeconfig',
      '--sign-with-ca-key',
      '--data-dir',
      srv.dir,
      '--user',
      'bob',
      '--out',
      bob,
      '--server',
      `https://127.0.0.1:${srv.port}`,
    ]);
    assert.equal(
      (
        await k(
          'create',
          'clusterrole',
          'csr-approval',
          '--verb=get,list,update',
          '--resource=certificatesigningrequests,certificatesigningrequests/approval',
        )
      ).code,
      0,
    );
    assert.equal(
      (await k('create', 'clusterrolebinding', 'bob-csr', '--clusterrole=csr-approval', '--user=bob')).code,
      0,
    );
    let r = await srv.kubectl('1.33', ['certificate', 'approve', 'alice'], { kubeconfig: bob });
    assert.match(
      r.stderr,
      /certificatesigningrequests\.certificates\.k8s\.io "alice" is forbidden: user not permitted to approve requests with signerName "kubernetes\.io\/kube-apiserver-client"/,
    );
    r = await k('certificate', 'approve', 'alice');
    assert.equal(r.code, 0, r.stderr);
    const cert = await waitFor('alice', '{.status.certificate}');
    assert.ok(cert);
    const pem = Buffer.from(cert, 'base64').toString();
    const crt = path.join(srv.dir, 'alice.crt');
    writeFileSync(crt, pem);
    const subj = await run('openssl', ['x509', '-in', crt, '-noout', '-subject', '-nameopt', 'RFC2253']);
    assert.equal(subj.stdout.trim(), 'subject=CN=alice');
    assert.equal(
      (
        await run('openssl', [
          'verify',
          '-CAfile',
          path.join(srv.dir, 'pki/ca.crt'),
          '-purpose',
          'sslclient',
          crt,
        ])
      ).code,
      0,
    );
  });

  test('CertificateSubjectRestriction: no system:masters through kube-apiserver-client', async () => {
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: await csrManifest(
        'mallory',
        '/CN=mallory/O=system:masters',
        'kubernetes.io/kube-apiserver-client',
        ['client auth'],
      ),
    });
    assert.match(
      r.stderr,
      /certificatesigningrequests\.certificates\.k8s\.io "mallory" is forbidden: use of kubernetes\.io\/kube-apiserver-client signer with system:masters group is not allowed/,
    );
  });

  test('the signer fails requests its rules reject (kubelet client without system:nodes)', async () => {
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], {
      input: await csrManifest(
        'bad-node',
        '/CN=system:node:n1',
        'kubernetes.io/kube-apiserver-client-kubelet',
        ['digital signature', 'client auth'],
      ),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await k('certificate', 'approve', 'bad-node')).code, 0);
    assert.equal(
      await waitFor('bad-node', '{.status.conditions[?(@.type=="Failed")].reason}'),
      'SignerValidationFailure',
    );
    assert.equal((await k('get', 'csr', 'bad-node', '-o', 'jsonpath={.status.certificate}')).stdout, '');
  });
});
