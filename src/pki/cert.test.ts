/** Unit tests for pki/cert: CA and leaf issuing, extensions, validity, serials, inspection. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { generateRsaKeyPair, keyMatches, type KeyPair } from './keys.js';
import {
  CA_VALIDITY_SECONDS,
  BACKDATE_SECONDS,
  createSelfSignedCa,
  inspectCertificate,
  isSignedBy,
  issueCertAndKey,
  randomSerial,
  reissueCertificate,
  signCertificate,
  type CertAndKey,
} from './cert.js';
import { EKU_OID } from './usages.js';

const now = new Date('2030-01-01T00:00:00Z');
let keys: KeyPair[];
let ca: CertAndKey;

before(async () => {
  keys = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: keys[0], now });
});

test('self-signed CA: CN, CA:TRUE, 10-year validity from the injected clock, SKI, self-verifying', () => {
  const info = inspectCertificate(ca.certPem);
  assert.equal(info.commonName, 'kubernetes');
  assert.equal(info.issuerCommonName, 'kubernetes');
  assert.equal(info.isCA, true);
  assert.equal(info.notBefore.getTime(), now.getTime() - BACKDATE_SECONDS * 1000);
  assert.equal(info.notAfter.getTime(), now.getTime() + CA_VALIDITY_SECONDS * 1000);
  assert.match(info.subjectKeyId ?? '', /^[0-9a-f]{40}$/);
  assert.ok(isSignedBy(ca.certPem, ca.certPem));
  assert.ok(new X509Certificate(ca.certPem).ca);
  assert.ok(keyMatches(ca.keyPem, ca.certPem));
});

test('leaf: subject CN/O, SANs, usages, AKI = CA SKI, one-year validity, verifies against the CA', async () => {
  const leaf = await issueCertAndKey(ca, keys[1], {
    subject: { commonName: 'kube-apiserver', organizations: ['org-a', 'org-b'] },
    usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
    altNames: { dnsNames: ['kubernetes', 'localhost'], ips: ['10.96.0.1', '127.0.0.1', '::1'] },
    now,
  });
  const info = inspectCertificate(leaf.certPem);
  assert.equal(info.commonName, 'kube-apiserver');
  assert.deepEqual(info.organizations, ['org-a', 'org-b']);
  assert.equal(info.issuerCommonName, 'kubernetes');
  assert.equal(info.isCA, false);
  assert.deepEqual(info.altNames.dnsNames, ['kubernetes', 'localhost']);
  assert.deepEqual(info.altNames.ips, ['10.96.0.1', '127.0.0.1', '::1']);
  assert.deepEqual(info.extKeyUsages, [EKU_OID['server auth'], EKU_OID['client auth']]);
  assert.equal(info.keyUsage, 1 | 4); // digitalSignature | keyEncipherment
  assert.equal(info.authorityKeyId, inspectCertificate(ca.certPem).subjectKeyId);
  assert.notEqual(info.subjectKeyId, info.authorityKeyId);
  assert.equal(info.notAfter.getTime(), now.getTime() + 365 * 86400 * 1000);
  assert.ok(isSignedBy(leaf.certPem, ca.certPem));
  assert.ok(keyMatches(leaf.keyPem, leaf.certPem));
  // node's own parser agrees on the SANs
  const san = new X509Certificate(leaf.certPem).subjectAltName ?? '';
  assert.match(san, /DNS:kubernetes/);
  assert.match(san, /IP Address:10\.96\.0\.1/);
});

test('leaf validity is capped at the CA expiry', async () => {
  const shortCa = await createSelfSignedCa({
    commonName: 'short',
    keyPair: keys[0],
    now,
    validitySeconds: 3600,
  });
  const pem = await signCertificate(shortCa, {
    subject: { commonName: 'x' },
    publicKey: keys[1].publicKeyPem,
    usages: ['client auth'],
    now,
  });
  assert.equal(
    inspectCertificate(pem).notAfter.getTime(),
    inspectCertificate(shortCa.certPem).notAfter.getTime(),
  );
});

test('a leaf signed by another CA does not verify', async () => {
  const other = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: keys[2], now });
  const pem = await signCertificate(other, {
    subject: { commonName: 'x' },
    publicKey: keys[1].publicKeyPem,
    usages: ['client auth'],
    now,
  });
  assert.equal(isSignedBy(pem, ca.certPem), false);
  assert.equal(isSignedBy(pem, other.certPem), true);
});

test('serials are positive, 16 bytes, and come from the injected randomness', async () => {
  for (let i = 0; i < 50; i++) {
    const s = randomSerial();
    assert.equal(s.length, 32);
    assert.ok(parseInt(s.slice(0, 2), 16) >= 0x40 && parseInt(s.slice(0, 2), 16) < 0x80);
  }
  const zeros = () => Buffer.alloc(16, 0xff);
  const pem = await signCertificate(ca, {
    subject: { commonName: 'x' },
    publicKey: keys[1].publicKeyPem,
    usages: ['client auth'],
    now,
    randomBytes: zeros,
  });
  assert.equal(inspectCertificate(pem).serialNumber, '7f' + 'ff'.repeat(15));
  assert.equal(new X509Certificate(pem).serialNumber, ('7F' + 'FF'.repeat(15)).toUpperCase());
});

test('unknown usage strings are rejected', async () => {
  await assert.rejects(
    signCertificate(ca, {
      subject: { commonName: 'x' },
      publicKey: keys[1].publicKeyPem,
      usages: ['flying'],
      now,
    }),
    /unknown key usage "flying"/,
  );
});

test('reissueCertificate keeps subject, SANs and usages with a new key and serial', async () => {
  const old = await signCertificate(ca, {
    subject: { commonName: 'etcd', organizations: ['system:masters'] },
    publicKey: keys[1].publicKeyPem,
    usages: ['digital signature', 'key encipherment', 'server auth', 'client auth'],
    altNames: { dnsNames: ['localhost'], ips: ['127.0.0.1'] },
    now,
  });
  const later = new Date(now.getTime() + 100 * 86400 * 1000);
  const fresh = await reissueCertificate(old, ca, keys[2].publicKeyPem, { now: later });
  const a = inspectCertificate(old);
  const b = inspectCertificate(fresh);
  assert.equal(b.subject, a.subject);
  assert.deepEqual(b.altNames, a.altNames);
  assert.deepEqual(b.extKeyUsages, a.extKeyUsages);
  assert.equal(b.keyUsage, a.keyUsage);
  assert.notEqual(b.serialNumber, a.serialNumber);
  assert.ok(b.notAfter > a.notAfter);
  assert.ok(keyMatches(keys[2].privateKeyPem, fresh));
  assert.ok(isSignedBy(fresh, ca.certPem));
});
