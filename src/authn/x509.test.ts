// x509 client-certificate authentication (request/x509/x509.go, FACTS.md §3.2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { createSelfSignedCa, signCertificate } from '../pki/cert.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import { X509Authenticator } from './x509.js';

const der = (pem: string) => new X509Certificate(pem).raw;

async function setup() {
  const [caKey, otherKey, leafKey] = await Promise.all([
    generateRsaKeyPair(),
    generateRsaKeyPair(),
    generateRsaKeyPair(),
  ]);
  const ca = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: caKey });
  const other = await createSelfSignedCa({ commonName: 'other', keyPair: otherKey });
  const issue = (c: typeof ca, cn: string, orgs: string[], usages = ['client auth'], now?: Date) =>
    signCertificate(c, {
      subject: { commonName: cn, organizations: orgs },
      publicKey: leafKey.publicKeyPem,
      usages: ['digital signature', ...usages],
      now,
    });
  return { ca, other, issue };
}

const fixtures = setup();

test('CN is the user, O values the groups in order, credential id is the leaf SHA-256', async () => {
  const { ca, issue } = await fixtures;
  const leaf = await issue(ca, 'users:ziwon', ['cloud-native', 'devs']);
  const a = new X509Authenticator({ caPem: ca.certPem });
  const r = a.authenticate({
    headers: {},
    path: '/',
    peerCertificates: () => ({ connection: {}, chain: [der(leaf)] }),
  });
  assert.ok(r.ok);
  const id = createHash('sha256').update(der(leaf)).digest('hex');
  assert.deepEqual(r.response.user, {
    name: 'users:ziwon',
    uid: '',
    groups: ['cloud-native', 'devs'],
    extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${id}`] },
  });
});

test('no client certificate: not mine (no error)', () => {
  const a = new X509Authenticator({ caPem: '' });
  assert.deepEqual(a.authenticate({ headers: {}, path: '/' }), { ok: false });
});

test('a certificate from another CA is an error naming "x509: certificate signed by unknown authority"', async () => {
  const { ca, other, issue } = await fixtures;
  const leaf = await issue(other, 'mallory', ['system:masters']);
  const a = new X509Authenticator({ caPem: ca.certPem });
  const r = a.authenticate({
    headers: {},
    path: '/',
    peerCertificates: () => ({ connection: {}, chain: [der(leaf)] }),
  });
  assert.equal(r.ok, false);
  assert.match(
    (r as { error: Error }).error.message,
    /^verifying certificate SN=\d+, SKID=[0-9A-F:]+, AKID=[0-9A-F:]+ failed: x509: certificate signed by unknown authority$/,
  );
});

test('expiry is re-checked on every request of a cached connection', async () => {
  const { ca, issue } = await fixtures;
  const leaf = await issue(ca, 'alice', []);
  let now = Date.now();
  const a = new X509Authenticator({ caPem: ca.certPem, now: () => now });
  const conn = {};
  const req = { headers: {}, path: '/', peerCertificates: () => ({ connection: conn, chain: [der(leaf)] }) };
  assert.equal(a.authenticate(req).ok, true);
  now += 400 * 24 * 3600 * 1000;
  const r = a.authenticate(req);
  assert.equal(r.ok, false);
  assert.match(
    (r as { error: Error }).error.message,
    /x509: certificate has expired or is not yet valid: current time \S+Z is after \S+Z/,
  );
});

test('a server-auth-only certificate has an incompatible key usage', async () => {
  const { ca, issue } = await fixtures;
  const leaf = await signCertificate(ca, {
    subject: { commonName: 'srv' },
    publicKey: (await generateRsaKeyPair()).publicKeyPem,
    usages: ['digital signature', 'server auth'],
  });
  const r = new X509Authenticator({ caPem: ca.certPem }).authenticate({
    headers: {},
    path: '/',
    peerCertificates: () => ({ connection: {}, chain: [der(leaf)] }),
  });
  assert.equal(r.ok, false);
  assert.match((r as { error: Error }).error.message, /incompatible key usage/);
  void issue;
});
