/** Unit tests for pki/csr: CSR creation, parsing, proof-of-possession, signing; openssl interop. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, keyMatches, type KeyPair } from './keys.js';
import { createSelfSignedCa, inspectCertificate, isSignedBy, type CertAndKey } from './cert.js';
import { createCsr, CsrError, parseCsr, signCsr } from './csr.js';
import { EKU_OID } from './usages.js';

const now = new Date('2031-06-01T12:00:00Z');
let keys: KeyPair[];
let ca: CertAndKey;

before(async () => {
  keys = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: keys[0], now });
});

test('createCsr + parseCsr round trip: CN, O, SANs, key', async () => {
  const csr = await createCsr({
    commonName: 'system:node:worker-1',
    organizations: ['system:nodes'],
    altNames: { dnsNames: ['worker-1'], ips: ['192.0.2.10'] },
    privateKeyPem: keys[1].privateKeyPem,
  });
  assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----/);
  const info = await parseCsr(csr);
  assert.equal(info.commonName, 'system:node:worker-1');
  assert.deepEqual(info.organizations, ['system:nodes']);
  assert.deepEqual(info.altNames.dnsNames, ['worker-1']);
  assert.deepEqual(info.altNames.ips, ['192.0.2.10']);
  assert.equal(info.publicKeyAlgorithm, 'RSA');
  assert.ok(
    keyMatches(
      keys[1].privateKeyPem,
      `-----BEGIN PUBLIC KEY-----\n${info.publicKeySpki.toString('base64')}\n-----END PUBLIC KEY-----\n`,
    ),
  );
});

test('signCsr keeps the subject and SANs, applies the requested usages and duration', async () => {
  const csr = await createCsr({
    commonName: 'system:node:worker-1',
    organizations: ['system:nodes'],
    altNames: { dnsNames: ['worker-1'], ips: ['192.0.2.10'] },
    privateKeyPem: keys[1].privateKeyPem,
  });
  const pem = await signCsr(csr, ca, {
    usages: ['digital signature', 'key encipherment', 'server auth'],
    durationSeconds: 3600,
    now,
  });
  const info = inspectCertificate(pem);
  assert.equal(info.subject, 'O=system:nodes, CN=system:node:worker-1');
  assert.deepEqual(info.altNames.dnsNames, ['worker-1']);
  assert.deepEqual(info.altNames.ips, ['192.0.2.10']);
  assert.deepEqual(info.extKeyUsages, [EKU_OID['server auth']]);
  assert.equal(info.notAfter.getTime(), now.getTime() + 3600 * 1000);
  assert.ok(isSignedBy(pem, ca.certPem));
  assert.ok(keyMatches(keys[1].privateKeyPem, pem));
});

test('a tampered CSR (bad self-signature) and garbage are rejected', async () => {
  const csr = await createCsr({ commonName: 'alice', privateKeyPem: keys[1].privateKeyPem });
  const der = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  der[der.length - 5] ^= 0xff; // flip a byte of the signature
  const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  await assert.rejects(parseCsr(bad), CsrError);
  await assert.rejects(signCsr(bad, ca, { usages: ['client auth'] }), CsrError);
  await assert.rejects(parseCsr('not a csr'), CsrError);
});

test('CSRs made by openssl (RSA and EC P-256) are parsed and signed; openssl verifies the result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeauth-csr-'));
  const ca = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: keys[0] }); // real clock for openssl
  try {
    const caFile = join(dir, 'ca.crt');
    execFileSync('sh', ['-c', `cat > ${caFile}`], { input: ca.certPem });
    for (const [alg, args] of [
      ['RSA', ['-newkey', 'rsa:2048']],
      ['EC', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ] as const) {
      const keyFile = join(dir, `${alg}.key`);
      const csrPem = execFileSync(
        'openssl',
        [
          'req',
          '-new',
          ...args,
          '-nodes',
          '-keyout',
          keyFile,
          '-subj',
          '/O=dev/O=ops/CN=bob',
          '-addext',
          'subjectAltName=DNS:bob.example,IP:10.1.2.3',
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const info = await parseCsr(csrPem);
      assert.equal(info.publicKeyAlgorithm, alg);
      assert.equal(info.commonName, 'bob');
      assert.deepEqual(info.organizations, ['dev', 'ops']);
      const certPem = await signCsr(csrPem, ca, { usages: ['digital signature', 'client auth'] });
      const certFile = join(dir, `${alg}.crt`);
      execFileSync('sh', ['-c', `cat > ${certFile}`], { input: certPem });
      const out = execFileSync('openssl', ['verify', '-CAfile', caFile, '-purpose', 'sslclient', certFile], {
        encoding: 'utf8',
      });
      assert.match(out, /: OK/);
      const text = execFileSync(
        'openssl',
        ['x509', '-in', certFile, '-noout', '-subject', '-ext', 'subjectAltName'],
        {
          encoding: 'utf8',
        },
      );
      assert.match(text, /O = dev, O = ops, CN = bob/);
      assert.match(text, /DNS:bob\.example, IP Address:10\.1\.2\.3/);
      assert.ok(keyMatches(readFileSync(keyFile, 'utf8'), certPem));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('createCsr with an EC P-256 key: ECDSA-SHA256, openssl verifies it, P-384 with ECDSA-SHA384', async () => {
  const { generateKeyPairSync } = await import('node:crypto');
  const dir = mkdtempSync(join(tmpdir(), 'kubeauth-csr-ec-'));
  try {
    for (const format of ['pkcs8', 'sec1'] as const) {
      const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: format, format: 'pem' })
        .toString();
      const csr = await createCsr({
        commonName: 'users:ziwon',
        organizations: ['cloud-native'],
        privateKeyPem: pem,
      });
      const info = await parseCsr(csr);
      assert.equal(info.publicKeyAlgorithm, 'EC');
      assert.equal(info.subject, 'O=cloud-native, CN=users:ziwon');
      const f = join(dir, `${format}.csr`);
      writeFileSync(f, csr);
      const text = execFileSync('openssl', ['req', '-in', f, '-noout', '-verify', '-text'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
      assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    }
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    // P-384 (kubeadm's ECDSA-P384) is signed with ECDSA-SHA384, as Go's x509 does.
    const f384 = join(dir, 'p384.csr');
    writeFileSync(f384, await createCsr({ commonName: 'x', privateKeyPem: p384 }));
    assert.match(
      execFileSync('openssl', ['req', '-in', f384, '-noout', '-verify', '-text'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString(),
      /Signature Algorithm: ecdsa-with-SHA384/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
