/** Unit tests for pki/layout: ensurePki files, modes, identities, idempotence and consistency checks. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, unlink, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, keyMatches, keyPool, type KeyGenerator } from './keys.js';
import { inspectCertificate, isSignedBy } from './cert.js';
import { CA_SPECS, LEAF_SPECS } from './certlist.js';
import { ensurePki, pkiPaths } from './layout.js';
import { currentCredentials, parseKubeconfig } from './kubeconfig.js';

let pool: KeyGenerator;
const opts = () => ({ generateKey: pool, advertiseAddress: '192.0.2.2', nodeName: 'CP-1', now: new Date() });

before(async () => {
  pool = keyPool(await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]));
});

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kubeauth-pki-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('creates the kubeadm tree with modes, CNs, issuers and admin.conf', () =>
  withDir(async (dir) => {
    const pki = await ensurePki(dir, opts());
    const paths = pkiPaths(dir);
    assert.equal(pki.created.length, 24); // 10 pairs + sa.key + sa.pub + admin.conf + super-admin.conf
    assert.equal((await stat(paths.pkiDir)).mode & 0o777, 0o700);
    assert.equal((await stat(join(paths.pkiDir, 'etcd'))).mode & 0o777, 0o700);
    for (const s of CA_SPECS) {
      const e = pki.cas[s.name];
      assert.equal((await stat(e.keyPath)).mode & 0o777, 0o600, e.keyPath);
      assert.equal((await stat(e.certPath)).mode & 0o777, 0o644, e.certPath);
      const info = inspectCertificate(e.certPem);
      assert.equal(info.commonName, s.commonName);
      assert.ok(info.isCA);
    }
    for (const s of LEAF_SPECS) {
      const e = pki.leaves[s.name];
      assert.equal((await stat(e.keyPath)).mode & 0o777, 0o600, e.keyPath);
      assert.ok(isSignedBy(e.certPem, pki.cas[s.caName].certPem), s.name);
      assert.ok(keyMatches(e.keyPem, e.certPem));
      assert.deepEqual(inspectCertificate(e.certPem).organizations, s.organizations);
    }
    assert.equal(inspectCertificate(pki.leaves['etcd-server'].certPem).commonName, 'cp-1');
    assert.equal(pki.leaves.apiserver.certPath, join(dir, 'pki', 'apiserver.crt'));
    assert.equal(pki.leaves['etcd-peer'].certPath, join(dir, 'pki', 'etcd', 'peer.crt'));
    const apiAlt = inspectCertificate(pki.leaves.apiserver.certPem).altNames;
    assert.ok(apiAlt.ips.includes('10.96.0.1') && apiAlt.ips.includes('192.0.2.2'));
    assert.equal((await stat(pki.serviceAccount.keyPath)).mode & 0o777, 0o600);
    assert.match(await readFile(pki.serviceAccount.pubPath, 'utf8'), /^-----BEGIN PUBLIC KEY-----/);
    assert.ok(keyMatches(pki.serviceAccount.privateKeyPem, pki.serviceAccount.publicKeyPem));
    assert.equal((await stat(pki.admin.path)).mode & 0o777, 0o600);
    const cred = currentCredentials(parseKubeconfig(pki.admin.yaml));
    assert.equal(cred.contextName, 'kubernetes-admin@kubernetes');
    assert.equal(cred.server, 'https://127.0.0.1:6443');
    assert.equal(cred.caCertPem, pki.cas.ca.certPem);
    const admin = inspectCertificate(cred.clientCertPem!);
    assert.equal(admin.commonName, 'kubernetes-admin');
    assert.deepEqual(admin.organizations, ['kubeadm:cluster-admins']);
    const superCred = currentCredentials(parseKubeconfig(pki.superAdmin.yaml));
    const superAdmin = inspectCertificate(superCred.clientCertPem!);
    assert.equal(superAdmin.commonName, 'kubernetes-super-admin');
    assert.deepEqual(superAdmin.organizations, ['system:masters']);
  }));

test('second run reuses everything: no writes, same material, same mtimes', () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir, opts());
    const mtimes = await Promise.all(first.created.map(async (p) => (await stat(p)).mtimeMs));
    const second = await ensurePki(dir, { ...opts(), extraSans: ['changed.example'] });
    assert.deepEqual(second.created, []);
    assert.equal(second.cas.ca.certPem, first.cas.ca.certPem);
    assert.equal(second.leaves.apiserver.certPem, first.leaves.apiserver.certPem);
    assert.equal(second.admin.yaml, first.admin.yaml);
    assert.deepEqual(await Promise.all(first.created.map(async (p) => (await stat(p)).mtimeMs)), mtimes);
  }));

test('fills in only what is missing (a deleted leaf, sa.pub) and keeps the rest', () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir, opts());
    await unlink(first.leaves['front-proxy-client'].certPath);
    await unlink(first.leaves['front-proxy-client'].keyPath);
    await unlink(first.serviceAccount.pubPath);
    const second = await ensurePki(dir, opts());
    assert.deepEqual(
      second.created.sort(),
      [
        first.leaves['front-proxy-client'].certPath,
        first.leaves['front-proxy-client'].keyPath,
        first.serviceAccount.pubPath,
      ].sort(),
    );
    assert.ok(isSignedBy(second.leaves['front-proxy-client'].certPem, first.cas['front-proxy-ca'].certPem));
    assert.equal(second.serviceAccount.publicKeyPem, first.serviceAccount.publicKeyPem);
  }));

test('refuses inconsistent trees: lone cert, mismatched key, leaf from another CA', () =>
  withDir(async (dir) => {
    const first = await ensurePki(dir, opts());
    const ap = first.leaves.apiserver;
    await unlink(ap.keyPath);
    await assert.rejects(
      ensurePki(dir, opts()),
      /apiserver: found .*apiserver\.crt but .*apiserver\.key is missing/,
    );
    await writeFile(ap.keyPath, (await generateRsaKeyPair()).privateKeyPem, { mode: 0o600 });
    await assert.rejects(ensurePki(dir, opts()), /does not match/);
    await writeFile(ap.keyPath, ap.keyPem, { mode: 0o600 });
    // Replace the cluster CA: existing leaves are no longer signed by it.
    const ca = first.cas.ca;
    await unlink(ca.certPath);
    await unlink(ca.keyPath);
    await unlink(first.admin.path);
    const fresh = { ...opts(), generateKey: () => generateRsaKeyPair() }; // the pool could hand back the old CA key
    await assert.rejects(
      ensurePki(dir, fresh),
      /certificate apiserver is not signed by corresponding CA \(ca\)/,
    );
  }));
