/**
 * Unit tests for pki/keys and the ECDSA paths through cert, csr, layout and renew: kubeadm's
 * EncryptionAlgorithmType values (types.go), SEC1 `EC PRIVATE KEY` PEM, ECDSA-with-SHA256/384
 * signatures (Go's x509 choice for P-256/P-384 issuers), sa.key following the algorithm
 * (certs.go CreateServiceAccountKeyAndPublicKeyFiles), renewal following ca.key's algorithm.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCa, isSignedBy, issueCertAndKey } from './cert.js';
import { createCsr, parseCsr, signCsr } from './csr.js';
import {
  ENCRYPTION_ALGORITHMS,
  encryptionAlgorithmOf,
  generateKeyPairFor,
  keyMatches,
  parseEncryptionAlgorithm,
} from './keys.js';
import { ensurePki, pkiPaths } from './layout.js';
import { renewCertificates } from './renew.js';

test('parseEncryptionAlgorithm: kubeadm names, kubeadm error text', () => {
  for (const a of ENCRYPTION_ALGORITHMS) assert.equal(parseEncryptionAlgorithm(a), a);
  assert.throws(() => parseEncryptionAlgorithm('ECDSA-P521'), {
    message:
      'Invalid encryption algorithm "ECDSA-P521". Must be one of [ECDSA-P256 ECDSA-P384 RSA-2048 RSA-3072 RSA-4096]',
  });
  assert.throws(() => parseEncryptionAlgorithm('rsa-2048'), /Invalid encryption algorithm "rsa-2048"/);
});

test('generateKeyPairFor: SEC1 EC keys on the named curve, PKCS#1 RSA of the named size', async () => {
  const rows: [Parameters<typeof generateKeyPairFor>[0], RegExp][] = [
    ['ECDSA-P256', /^-----BEGIN EC PRIVATE KEY-----/],
    ['ECDSA-P384', /^-----BEGIN EC PRIVATE KEY-----/],
    ['RSA-3072', /^-----BEGIN RSA PRIVATE KEY-----/],
  ];
  for (const [algorithm, header] of rows) {
    const k = await generateKeyPairFor(algorithm);
    assert.match(k.privateKeyPem, header, algorithm);
    assert.match(k.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
    assert.ok(keyMatches(k.privateKeyPem, k.publicKeyPem));
    assert.equal(encryptionAlgorithmOf(k.privateKeyPem), algorithm);
    assert.equal(encryptionAlgorithmOf(k.publicKeyPem), algorithm);
  }
  // kubeadm's DetectEncryptionAlgorithm: other curves and sizes are not an algorithm it names.
  const p521 = generateKeyPairSync('ec', { namedCurve: 'secp521r1' }).privateKey;
  assert.equal(encryptionAlgorithmOf(p521.export({ type: 'sec1', format: 'pem' }).toString()), undefined);
});

test('an ECDSA CA signs with ecdsa-with-SHA256 (P-256) and ecdsa-with-SHA384 (P-384); leaves verify', async () => {
  const rows: [Parameters<typeof generateKeyPairFor>[0], string][] = [
    ['ECDSA-P256', '1.2.840.10045.4.3.2'],
    ['ECDSA-P384', '1.2.840.10045.4.3.3'],
  ];
  for (const [algorithm, sigOid] of rows) {
    const ca = await createSelfSignedCa({
      commonName: 'ec-ca',
      keyPair: await generateKeyPairFor(algorithm),
    });
    const leaf = await issueCertAndKey(ca, await generateKeyPairFor('RSA-2048'), {
      subject: { commonName: 'leaf' },
      usages: ['digital signature', 'key encipherment', 'server auth'],
      altNames: { dnsNames: ['leaf.example'] },
    });
    assert.ok(isSignedBy(leaf.certPem, ca.certPem), algorithm);
    assert.ok(new X509Certificate(ca.certPem).verify(new X509Certificate(ca.certPem).publicKey));
    const der = new X509Certificate(leaf.certPem).raw;
    assert.ok(der.includes(Buffer.from(oidDer(sigOid))), `${algorithm}: signature OID ${sigOid}`);
  }
});

/** DER body of an OBJECT IDENTIFIER (enough for the short arcs used here). */
function oidDer(oid: string): number[] {
  const [a, b, ...rest] = oid.split('.').map(Number);
  const out = [a * 40 + b];
  for (const n of rest) {
    const bytes = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return [0x06, out.length, ...out];
}

test('an ECDSA requester makes a CSR that verifies; an ECDSA CA signs it', async () => {
  const [caKey, key] = await Promise.all([
    generateKeyPairFor('ECDSA-P256'),
    generateKeyPairFor('ECDSA-P256'),
  ]);
  const ca = await createSelfSignedCa({ commonName: 'ec-ca', keyPair: caKey });
  const csrPem = await createCsr({
    commonName: 'system:node:n1',
    organizations: ['system:nodes'],
    privateKeyPem: key.privateKeyPem,
  });
  const info = await parseCsr(csrPem);
  assert.equal(info.publicKeyAlgorithm, 'EC');
  const cert = await signCsr(csrPem, ca, { usages: ['digital signature', 'client auth'] });
  assert.ok(isSignedBy(cert, ca.certPem));
  assert.ok(keyMatches(key.privateKeyPem, cert));
});

test('ensurePki with ECDSA-P256: every key EC (sa.key too), renewal keeps ECDSA unless told otherwise', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubeauth-ecpki-'));
  try {
    const pki = await ensurePki(dir, { encryptionAlgorithm: 'ECDSA-P256', advertiseAddress: '192.0.2.2' });
    for (const e of [...Object.values(pki.cas), ...Object.values(pki.leaves)]) {
      assert.match(e.keyPem, /^-----BEGIN EC PRIVATE KEY-----/, e.keyPath);
      assert.equal(encryptionAlgorithmOf(e.certPem), 'ECDSA-P256');
    }
    assert.match(pki.serviceAccount.privateKeyPem, /^-----BEGIN EC PRIVATE KEY-----/);
    const paths = pkiPaths(dir);
    const before = await readFile(paths.leaves.apiserver.keyPath, 'utf8');
    await renewCertificates(dir, ['apiserver']);
    const after = await readFile(paths.leaves.apiserver.keyPath, 'utf8');
    assert.notEqual(after, before);
    assert.equal(encryptionAlgorithmOf(after), 'ECDSA-P256', 'follows ca.key');
    await renewCertificates(dir, ['apiserver'], { encryptionAlgorithm: 'RSA-2048' });
    const rsa = await readFile(paths.leaves.apiserver.keyPath, 'utf8');
    assert.equal(encryptionAlgorithmOf(rsa), 'RSA-2048', 'follows the flag');
    assert.ok(isSignedBy(await readFile(paths.leaves.apiserver.certPath, 'utf8'), pki.cas.ca.certPem));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
