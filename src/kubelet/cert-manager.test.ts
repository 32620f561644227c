/**
 * Unit tests of the kubelet's certificate store and rotation (client-go certificate_store.go,
 * certificate_manager.go `nextRotationDeadline`, csr.go `digestedName`) with an injected clock,
 * timers and a fake CSR callback that signs with a test CA.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readlinkSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSelfSignedCa, signCertificate, type CertAndKey } from '../pki/cert.js';
import { generateKeyPairFor, publicKeyPemFromPrivate } from '../pki/keys.js';
import { digestedCsrName, nodeUsages } from './bootstrap.js';
import { CertManager, rotationDeadline } from './cert-manager.js';
import { CertStore, pairTimestamp, parsePair } from './cert-store.js';

const H = 3600_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

async function ca(): Promise<CertAndKey> {
  return createSelfSignedCa({
    commonName: 'test-ca',
    keyPair: await generateKeyPairFor('ECDSA-P256'),
    now: new Date(T0 - 24 * H),
  });
}

async function issue(c: CertAndKey, keyPem: string, now: number, seconds: number): Promise<string> {
  return signCertificate(c, {
    subject: { commonName: 'system:node:n1', organizations: ['system:nodes'] },
    publicKey: publicKeyPemFromPrivate(keyPem),
    usages: ['digital signature', 'client auth'],
    durationSeconds: seconds,
    validity: 'csr-signer',
    now: new Date(now),
  });
}

test('nextRotationDeadline: NotBefore + 70%..90% of the lifetime (wait.Jitter(0.7·total, 0.2))', () => {
  const nb = new Date(T0);
  const na = new Date(T0 + 100 * H);
  assert.equal(rotationDeadline(nb, na, () => 0).getTime(), T0 + 70 * H);
  assert.equal(rotationDeadline(nb, na, () => 0.5).getTime(), T0 + 80 * H);
  assert.equal(rotationDeadline(nb, na, () => 1).getTime(), T0 + 90 * H);
  for (let i = 0; i < 100; i++) {
    const d = rotationDeadline(nb, na).getTime();
    assert.ok(d >= T0 + 70 * H && d <= T0 + 90 * H);
  }
});

test('cert store: dated 0600 pair file, kubelet-client-current.pem a symlink to it, switched on update', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-store-'));
  let now = new Date(2026, 0, 2, 3, 4, 5);
  const store = new CertStore(dir, 'kubelet-client', () => now);
  assert.equal(await store.current(), undefined);
  assert.equal(pairTimestamp(now), '2026-01-02-03-04-05');
  const c = await ca();
  const k1 = (await generateKeyPairFor('ECDSA-P256')).privateKeyPem;
  await store.update(await issue(c, k1, T0, 3600), k1);
  const first = path.join(dir, 'kubelet-client-2026-01-02-03-04-05.pem');
  assert.ok(lstatSync(store.currentPath).isSymbolicLink());
  assert.equal(readlinkSync(store.currentPath), first);
  assert.equal(statSync(first).mode & 0o777, 0o600);
  assert.equal((await store.current())?.keyPem.trim(), k1.trim());
  now = new Date(2026, 0, 2, 4, 0, 0);
  const k2 = (await generateKeyPairFor('ECDSA-P256')).privateKeyPem;
  await store.update(await issue(c, k2, T0, 3600), k2);
  assert.equal(readlinkSync(store.currentPath), path.join(dir, 'kubelet-client-2026-01-02-04-00-00.pem'));
  assert.deepEqual(readdirSync(dir).sort(), [
    'kubelet-client-2026-01-02-03-04-05.pem',
    'kubelet-client-2026-01-02-04-00-00.pem',
    'kubelet-client-current.pem',
  ]);
  await assert.rejects(store.update(await issue(c, k1, T0, 3600), k2), /does not match/);
  assert.throws(() => parsePair('garbage'), /no certificate/);
});

test('cert manager: schedules at the jittered deadline, rotates there with a new key, tells onRotate; no pair = now', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-mgr-'));
  const c = await ca();
  let now = T0;
  const timers: { fn: () => void; ms: number }[] = [];
  const rotated: string[] = [];
  const keys: string[] = [];
  const store = new CertStore(dir, 'kubelet-client', () => new Date(now));
  const mgr = new CertManager({
    store,
    rotate: true,
    now: () => now,
    random: () => 0.5,
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return {};
    },
    clearTimer: () => undefined,
    request: async (keyPem) => {
      keys.push(keyPem);
      return issue(c, keyPem, now, 10 * 3600);
    },
    onRotate: (p) => rotated.push(p.notAfter.toISOString()),
  });
  await mgr.start();
  assert.equal(mgr.current(), undefined);
  assert.equal(mgr.deadline().getTime(), now, 'no certificate: the deadline is now');
  assert.equal(timers.length, 1);
  assert.equal(timers[0]!.ms, 0);
  await mgr.rotateNow();
  // 10 h is at least 8 h: the csr-signer policy backdates NotBefore by 5 minutes.
  const p = mgr.current()!;
  assert.equal(p.notBefore.getTime(), T0 - 5 * 60_000);
  assert.equal(timers.length, 2);
  const expected = p.notBefore.getTime() + 0.8 * (p.notAfter.getTime() - p.notBefore.getTime());
  assert.equal(timers[1]!.ms, expected - now);
  now = expected;
  await mgr.rotateNow();
  assert.equal(rotated.length, 2);
  assert.equal(keys.length, 2);
  assert.notEqual(keys[0], keys[1], 'every rotation makes a new key');
  assert.equal((await store.current())?.keyPem.trim(), keys[1]!.trim());
});

test('cert manager: a failed request is retried with exponential backoff; rotate=false keeps a valid pair', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelet-mgr2-'));
  const timers: number[] = [];
  const logs: string[] = [];
  const mgr = new CertManager({
    store: new CertStore(dir, 'kubelet-server'),
    rotate: true,
    setTimer: (_fn, ms) => (timers.push(ms), {}),
    clearTimer: () => undefined,
    request: () => Promise.reject(new Error('boom')),
    log: (l) => logs.push(l),
  });
  await mgr.start();
  await mgr.rotateNow();
  await mgr.rotateNow();
  assert.deepEqual(timers, [0, 2000, 4000]);
  assert.match(
    logs.join('\n'),
    /Failed while requesting a signed certificate from the control plane kubelet-server: boom/,
  );
  const c = await ca();
  const k = (await generateKeyPairFor('ECDSA-P256')).privateKeyPem;
  const fallback = parsePair((await issue(c, k, Date.now(), 3600)) + k);
  const still: number[] = [];
  const fixed = new CertManager({
    store: new CertStore(mkdtempSync(path.join(tmpdir(), 'kubelet-mgr3-')), 'kubelet-client'),
    rotate: false,
    fallback,
    setTimer: (_fn, ms) => (still.push(ms), {}),
    request: () => Promise.reject(new Error('not called')),
  });
  await fixed.start();
  assert.equal(fixed.current(), fallback);
  assert.deepEqual(still, [], 'no rotation without --rotate-certificates');
});

test('digestedName: node-csr-<base64url sha512/256>, stable for the same key/subject/usages', async () => {
  const k = (await generateKeyPairFor('ECDSA-P256')).privateKeyPem;
  const u = nodeUsages(k, 'client auth');
  assert.deepEqual(u, ['digital signature', 'client auth']);
  const a = digestedCsrName(k, 'system:node:n1', ['system:nodes'], u);
  assert.match(a, /^node-csr-[A-Za-z0-9_-]{43}$/);
  assert.equal(a, digestedCsrName(k, 'system:node:n1', ['system:nodes'], u));
  assert.notEqual(a, digestedCsrName(k, 'system:node:n2', ['system:nodes'], u));
  const rsa = (await generateKeyPairFor('RSA-2048')).privateKeyPem;
  assert.deepEqual(nodeUsages(rsa, 'server auth'), ['key encipherment', 'digital signature', 'server auth']);
});
