/**
 * The refusals of the CertificateSigningRequest API at create time, each with upstream's text,
 * through the real kubectl and openssl: CertificateSubjectRestriction (O=system:masters),
 * NodeRestriction (another node's name), the client signer's usage rule, a tampered CSR
 * signature, expirationSeconds under 600, the signerName rules, spec immutability. The refusals
 * of approval and status are in ./csr-status-refusals.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.js';
import { csrKit } from './csr-kit.js';

describe('CSR refusals at create', () => {
  let srv: TestServer;
  const { k, request, manifest, create, userConf, waitFor, client } = csrKit(() => srv);

  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('O=system:masters through kube-apiserver-client (CertificateSubjectRestriction)', async () => {
    const r = await create(
      manifest('masters', {
        request: await request('/CN=mallory/O=system:masters'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: client,
      }),
    );
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "masters" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
    );
  });

  test('a node asking for another node name (NodeRestriction)', async () => {
    const node = await userConf('system:node:n1', ['system:nodes']);
    const spec = {
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
    };
    let r = await create(
      manifest('node-n2', { ...spec, request: await request('/O=system:nodes/CN=system:node:n2') }),
      node,
    );
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "node-n2" is forbidden: can only create a node CSR with CN=system:node:n1',
    );
    r = await create(
      manifest('node-n1', { ...spec, request: await request('/O=system:nodes/CN=system:node:n1') }),
      node,
    );
    assert.equal(r.code, 0, r.stderr);
  });

  test('server-auth usage on the client signer: the signer fails it', async () => {
    const r = await create(
      manifest('server-usage', {
        request: await request('/CN=web'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'key encipherment', 'server auth'],
      }),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await k('certificate', 'approve', 'server-usage')).code, 0);
    assert.equal(
      await waitFor('server-usage', '{.status.conditions[?(@.type=="Failed")].reason}'),
      'SignerValidationFailure',
    );
    assert.equal(
      (
        await k(
          'get',
          'csr',
          'server-usage',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Failed")].message}',
        )
      ).stdout,
      'invalid usage for client certificate: server auth',
    );
    assert.equal((await k('get', 'csr', 'server-usage', '-o', 'jsonpath={.status.certificate}')).stdout, '');
    const none = await create(
      manifest('no-client-auth', {
        request: await request('/CN=web2'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature'],
      }),
    );
    assert.equal(none.code, 0, none.stderr);
    assert.equal((await k('certificate', 'approve', 'no-client-auth')).code, 0);
    assert.equal(
      await waitFor('no-client-auth', '{.status.conditions[?(@.type=="Failed")].message}'),
      'missing required usage for client certificate: client auth',
    );
  });

  test('a tampered CSR signature: 422 Invalid with the signature error', async () => {
    const pem = Buffer.from(await request('/CN=users:eve/O=cloud-native'), 'base64').toString();
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('eve'));
    der[at] = 'a'.charCodeAt(0); // CN=users:ave: the self-signature no longer matches
    const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const r = await create(
      manifest('tampered', {
        request: Buffer.from(bad).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: client,
      }),
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^The CertificateSigningRequest "tampered" is invalid: spec\.request: Invalid value: \[\]byte\{0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x42, 0x45, 0x47, 0x49, 0x4e, [0-9a-fx, ]+\}: crypto\/rsa: verification error$/m,
    );
  });

  test('expirationSeconds under 600; signerName required in v1; legacy-unknown refused in v1', async () => {
    const req = await request('/CN=dave');
    let r = await create(
      manifest('short', {
        request: req,
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: client,
        expirationSeconds: 599,
      }),
    );
    assert.equal(
      r.stderr.trim(),
      'The CertificateSigningRequest "short" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
    );
    r = await create(manifest('no-signer', { request: req, usages: client }));
    assert.match(
      r.stderr,
      /The CertificateSigningRequest "no-signer" is invalid: spec\.signerName: Required value/,
    );
    r = await create(
      manifest('legacy-v1', { request: req, signerName: 'kubernetes.io/legacy-unknown', usages: client }),
    );
    assert.equal(
      r.stderr.trim(),
      'The CertificateSigningRequest "legacy-v1" is invalid: spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
    );
  });

  test('the spec is immutable after create', async () => {
    const req = await request('/CN=frank');
    assert.equal(
      (await create(manifest('immutable', { request: req, signerName: 'example.com/team', usages: client })))
        .code,
      0,
    );
    const r = await k(
      'patch',
      'csr',
      'immutable',
      '--type=merge',
      '-p',
      '{"spec":{"signerName":"example.com/other","usages":["any"]}}',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      (await k('get', 'csr', 'immutable', '-o', 'jsonpath={.spec.signerName} {.spec.usages}')).stdout,
      'example.com/team ["digital signature","key encipherment","client auth"]',
    );
  });
});
