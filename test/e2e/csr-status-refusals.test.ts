/**
 * The refusals of the CertificateSigningRequest subresources, each with upstream's text:
 * CertificateApproval (no `approve` on the signer), CertificateSigning (status.certificate set
 * without `sign`), an Approved condition through /status, Approved and Denied together, removed
 * conditions, a replaced certificate; v1beta1's approval and status; the bootstrap
 * legacy-unknown-approver role scoped to its signer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type TestServer } from './harness.js';
import { csrKit } from './csr-kit.js';

describe('CSR approval and status refusals', () => {
  let srv: TestServer;
  const { k, request, manifest, create, userConf, client, signerRole, putApproval } = csrKit(() => srv);

  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('approval without approve on the signer (CertificateApproval)', async () => {
    assert.equal(
      (
        await create(
          manifest('needs-approver', {
            request: await request('/CN=carol'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    const bob = await userConf('bob');
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
    let r = await srv.kubectl('1.33', ['certificate', 'approve', 'needs-approver'], { kubeconfig: bob });
    assert.match(
      r.stderr,
      /certificatesigningrequests\.certificates\.k8s\.io "needs-approver" is forbidden: user not permitted to approve requests with signerName "example\.com\/team"/,
    );
    // `approve` on `<domain>/*` is enough (the second check of IsAuthorizedForSignerName).
    assert.equal((await signerRole('example-approver', 'approve', 'example.com/*')).code, 0);
    assert.equal(
      (
        await k(
          'create',
          'clusterrolebinding',
          'bob-approver',
          '--clusterrole=example-approver',
          '--user=bob',
        )
      ).code,
      0,
    );
    r = await srv.kubectl('1.33', ['certificate', 'approve', 'needs-approver'], { kubeconfig: bob });
    assert.equal(r.code, 0, r.stderr);
  });

  test('status.certificate set by a user without sign (CertificateSigning), then with it', async () => {
    assert.equal(
      (
        await create(
          manifest('external', {
            request: await request('/CN=gina'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    assert.equal((await k('certificate', 'approve', 'external')).code, 0);
    const signer = await userConf('signer-bot');
    assert.equal(
      (
        await k(
          'create',
          'clusterrole',
          'csr-status',
          '--verb=get,update,patch',
          '--resource=certificatesigningrequests,certificatesigningrequests/status',
        )
      ).code,
      0,
    );
    assert.equal(
      (await k('create', 'clusterrolebinding', 'signer-bot', '--clusterrole=csr-status', '--user=signer-bot'))
        .code,
      0,
    );
    const cert = readFileSync(path.join(srv.dir, 'pki/ca.crt')).toString('base64');
    const patch = JSON.stringify({ status: { certificate: cert } });
    let r = await srv.kubectl(
      '1.33',
      ['patch', 'csr', 'external', '--subresource=status', '--type=merge', '-p', patch],
      {
        kubeconfig: signer,
      },
    );
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): certificatesigningrequests.certificates.k8s.io "external" is forbidden: user not permitted to sign requests with signerName "example.com/team"',
    );
    assert.equal((await signerRole('team-signer', 'sign', 'example.com/team')).code, 0);
    assert.equal(
      (
        await k(
          'create',
          'clusterrolebinding',
          'signer-bot-sign',
          '--clusterrole=team-signer',
          '--user=signer-bot',
        )
      ).code,
      0,
    );
    r = await srv.kubectl(
      '1.33',
      ['patch', 'csr', 'external', '--subresource=status', '--type=merge', '-p', patch],
      {
        kubeconfig: signer,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match((await k('get', 'csr', 'external')).stdout, /^external\s.*Approved,Issued$/m);
    // Once set, never changed.
    r = await k(
      'patch',
      'csr',
      'external',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          certificate: Buffer.from(readFileSync(path.join(srv.dir, 'pki/front-proxy-ca.crt'))).toString(
            'base64',
          ),
        },
      }),
    );
    assert.match(
      r.stderr,
      /status\.certificate: Forbidden: updates may not modify existing certificate content/,
    );
  });

  test('an Approved condition written through /status', async () => {
    assert.equal(
      (
        await create(
          manifest('self-approve', {
            request: await request('/CN=hank'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    const patch = JSON.stringify({
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Sneaky' }] },
    });
    const r = await k('patch', 'csr', 'self-approve', '--subresource=status', '--type=merge', '-p', patch);
    assert.equal(
      r.stderr.trim(),
      'The CertificateSigningRequest "self-approve" is invalid: status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    );
    assert.match((await k('get', 'csr', 'self-approve')).stdout, /^self-approve\s.*Pending$/m);
  });

  test('both Approved and Denied; conditions are never removed', async () => {
    assert.equal(
      (
        await create(
          manifest('both', {
            request: await request('/CN=ivan'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    assert.equal((await k('certificate', 'approve', 'both')).code, 0);
    // kubectl refuses this itself ("is already Approved"); the server refuses it as well.
    assert.match(
      (await k('certificate', 'deny', 'both')).stderr,
      /certificate signing request "both" is already Approved/,
    );
    const cur = JSON.parse((await k('get', 'csr', 'both', '-o', 'json')).stdout);
    const deny = { type: 'Denied', status: 'True', reason: 'KubectlDeny', message: 'denied' };
    let st = await putApproval('both', { ...cur, status: { conditions: [...cur.status.conditions, deny] } });
    assert.equal(st.code, 422);
    assert.equal(
      st.message,
      'CertificateSigningRequest.certificates.k8s.io "both" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    );
    st = await putApproval('both', { ...cur, status: { conditions: [deny] } });
    assert.equal(st.code, 422);
    assert.equal(
      st.message,
      'CertificateSigningRequest.certificates.k8s.io "both" is invalid: status.conditions: Forbidden: updates may not remove a condition of type "Approved"',
    );
    assert.match((await k('get', 'csr', 'both')).stdout, /^both\s.*Approved$/m);
  });

  test('v1beta1 subresources: approval (condition status defaulted) and status, in v1beta1', async () => {
    const r = await create(
      manifest(
        'beta-sub',
        { request: await request('/CN=judy'), signerName: 'example.com/team' },
        'certificates.k8s.io/v1beta1',
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    const cur = JSON.parse(
      (await k('get', '--raw', '/apis/certificates.k8s.io/v1beta1/certificatesigningrequests/beta-sub'))
        .stdout,
    );
    assert.deepEqual(cur.spec.usages, ['digital signature', 'key encipherment']);
    const approved = await putApproval(
      'beta-sub',
      { ...cur, status: { conditions: [{ type: 'Approved', reason: 'ByHand' }] } },
      'v1beta1',
    );
    assert.equal(approved.apiVersion, 'certificates.k8s.io/v1beta1', JSON.stringify(approved));
    assert.equal(approved.status?.conditions?.[0]?.status, 'True');
    // Approved through /status in v1beta1 is refused too (Approved/Denied only through /approval).
    const conditions = [...(approved.status?.conditions ?? []), { type: 'Denied', status: 'True' }];
    const st = await putApproval('beta-sub', { ...approved, status: { conditions } }, 'v1beta1', 'status');
    assert.equal(st.code, 422, JSON.stringify(st));
    assert.match(st.message ?? '', /updates may not add a condition of type "Denied"/);
  });

  test('the bootstrap legacy-unknown-approver role approves v1beta1 legacy requests, not others', async () => {
    const carl = await userConf('carl');
    const bind = (role: string, name: string) =>
      k('create', 'clusterrolebinding', name, `--clusterrole=${role}`, '--user=carl');
    assert.equal((await bind('csr-approval', 'carl-csr')).code, 0); // made by the first test
    assert.equal((await bind('system:certificates.k8s.io:legacy-unknown-approver', 'carl-legacy')).code, 0);
    const legacy = await create(
      manifest('legacy-req', { request: await request('/CN=legacy') }, 'certificates.k8s.io/v1beta1'),
    );
    assert.equal(legacy.code, 0, legacy.stderr);
    let r = await k('--kubeconfig', carl, 'certificate', 'approve', 'legacy-req');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      (
        await create(
          manifest('client-req', {
            request: await request('/CN=c'),
            signerName: 'kubernetes.io/kube-apiserver-client',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    r = await k('--kubeconfig', carl, 'certificate', 'approve', 'client-req');
    assert.match(
      r.stderr,
      /"client-req" is forbidden: user not permitted to approve requests with signerName "kubernetes\.io\/kube-apiserver-client"/,
    );
  });
});
