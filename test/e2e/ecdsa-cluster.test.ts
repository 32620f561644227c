/**
 * A cluster cut with kubeadm's `encryptionAlgorithm: ECDSA-P256` (`kubeauth serve
 * --encryption-algorithm ECDSA-P256` on a fresh data dir): openssl shows id-ecPublicKey /
 * prime256v1 keys and ecdsa-with-SHA256 signatures, keys are SEC1 `EC PRIVATE KEY` (sa.key too, as
 * kubeadm's CreateServiceAccountKeyAndPublicKeyFiles follows the algorithm), kubectl works over
 * the ECDSA serving certificate, service-account tokens are ES256 and authenticate, the CSR signer
 * issues with the ECDSA CA, and `certs renew all` keeps ECDSA keys. An unknown value refuses
 * start-up with kubeadm's text.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';

describe('ECDSA-P256 cluster', () => {
  let srv: TestServer;
  let pki: string;
  before(async () => {
    srv = await startServer({ args: ['--encryption-algorithm', 'ECDSA-P256'] });
    pki = path.join(srv.dir, 'pki');
  });
  after(async () => {
    await srv?.stop();
  });

  test('openssl: EC keys on prime256v1 signed with ecdsa-with-SHA256; SEC1 key files', async () => {
    for (const f of ['ca.crt', 'apiserver.crt', 'front-proxy-client.crt', 'etcd/server.crt']) {
      const r = await run('openssl', ['x509', '-noout', '-text', '-in', path.join(pki, f)]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Public Key Algorithm: id-ecPublicKey/, f);
      assert.match(r.stdout, /ASN1 OID: prime256v1/, f);
      assert.match(r.stdout, /Signature Algorithm: ecdsa-with-SHA256/, f);
    }
    for (const f of ['ca.key', 'apiserver.key', 'sa.key'])
      assert.match(readFileSync(path.join(pki, f), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----\n/, f);
    const v = await run('openssl', [
      'verify',
      '-CAfile',
      path.join(pki, 'ca.crt'),
      path.join(pki, 'apiserver.crt'),
    ]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });

  test('kubectl works over the ECDSA serving certificate; ES256 service-account tokens authenticate', async () => {
    for (const version of ['1.33', '1.27']) {
      const r = await srv.kubectl(version, ['get', 'namespace', 'kube-system', '-o', 'name']);
      assert.equal(r.code, 0, `${version}: ${r.stderr}`);
      assert.equal(r.stdout.trim(), 'namespace/kube-system');
    }
    let token = '';
    for (let i = 0; i < 50 && !token; i++) {
      const t = await srv.kubectl('1.33', ['create', 'token', 'default', '-n', 'default']);
      if (t.code === 0) token = t.stdout.trim();
      else await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(token, 'a token for default/default');
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
    assert.equal(header.alg, 'ES256');
    // A kubeconfig with the token only (with admin.conf's client certificate, x509 would win).
    const admin = parse(readFileSync(srv.kubeconfig, 'utf8'));
    admin.users[0].user = { token };
    const tokenConf = path.join(srv.dir, 'token.conf');
    writeFileSync(tokenConf, stringify(admin));
    const who = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      kubeconfig: tokenConf,
    });
    assert.equal(who.code, 0, who.stderr);
    assert.equal(who.stdout, 'system:serviceaccount:default:default');
  });

  test('the CSR signer issues with the ECDSA CA', async () => {
    const key = path.join(srv.dir, 'dev.key');
    const csr = path.join(srv.dir, 'dev.csr');
    assert.equal(
      (await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key])).code,
      0,
    );
    assert.equal(
      (await run('openssl', ['req', '-new', '-key', key, '-subj', '/O=devs/CN=dev', '-out', csr])).code,
      0,
    );
    const obj = {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'dev' },
      spec: {
        request: readFileSync(csr).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
      },
    };
    const created = await srv.kubectl('1.33', ['create', '-f', '-'], { input: JSON.stringify(obj) });
    assert.equal(created.code, 0, created.stderr);
    const approved = await srv.kubectl('1.33', ['certificate', 'approve', 'dev']);
    assert.equal(approved.code, 0, approved.stderr);
    let cert = '';
    for (let i = 0; i < 50 && !cert; i++) {
      const g = await srv.kubectl('1.33', ['get', 'csr', 'dev', '-o', 'jsonpath={.status.certificate}']);
      cert = g.stdout.trim();
      if (!cert) await new Promise((r) => setTimeout(r, 200));
    }
    const file = path.join(srv.dir, 'dev.crt');
    writeFileSync(file, Buffer.from(cert, 'base64'));
    const v = await run('openssl', ['verify', '-CAfile', path.join(pki, 'ca.crt'), file]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });

  test('certs renew all keeps ECDSA keys and kubectl keeps working', async () => {
    const r = await run(process.execPath, [mainJs, 'certs', 'renew', 'all', '--data-dir', srv.dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(path.join(pki, 'apiserver.key'), 'utf8'), /^-----BEGIN EC PRIVATE KEY-----\n/);
    const k = await srv.kubectl('1.33', ['get', 'namespace', 'default', '-o', 'name']);
    assert.equal(k.code, 0, k.stderr);
  });

  test("an unknown --encryption-algorithm refuses start-up with kubeadm's text", async () => {
    const r = await run(process.execPath, [
      mainJs,
      'serve',
      '--data-dir',
      path.join(srv.dir, 'other'),
      '--encryption-algorithm',
      'DSA',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /--encryption-algorithm: Invalid encryption algorithm "DSA"\. Must be one of \[ECDSA-P256 ECDSA-P384 RSA-2048 RSA-3072 RSA-4096\]/,
    );
  });
});
