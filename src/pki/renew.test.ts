/** Unit tests for pki/renew: ShortHumanDuration, the expiration table, and renewal. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, keyMatches, keyPool, type KeyGenerator } from './keys.js';
import { inspectCertificate, isSignedBy } from './cert.js';
import { ensurePki } from './layout.js';
import { currentCredentials, parseKubeconfig } from './kubeconfig.js';
import {
  checkExpiration,
  formatExpirationTable,
  formatExpiry,
  renewCertificates,
  shortHumanDuration,
} from './renew.js';

let pool: KeyGenerator;
before(async () => {
  pool = keyPool(await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]));
});

test('shortHumanDuration matches apimachinery', () => {
  const rows: [number, string][] = [
    [-5, '<invalid>'],
    [-0.5, '0s'],
    [0, '0s'],
    [59, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h'],
    [86399, '23h'],
    [86400, '1d'],
    [364 * 86400, '364d'],
    [365 * 86400, '1y'],
    [10 * 365 * 86400 - 1, '9y'],
  ];
  for (const [s, want] of rows) assert.equal(shortHumanDuration(s), want, String(s));
  assert.equal(formatExpiry(new Date('2027-03-04T05:06:07Z')), 'Mar 04, 2027 05:06 UTC');
});

test('check-expiration lists leaves + admin.conf, then CAs, with residual time from the injected clock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubeauth-renew-'));
  try {
    const now = new Date('2030-01-01T00:00:00Z');
    await ensurePki(dir, { generateKey: pool, now, advertiseAddress: '192.0.2.2' });
    const report = await checkExpiration(dir, new Date('2030-07-01T00:00:00Z'));
    assert.deepEqual(
      report.certificates.map((r) => [r.name, r.caName]),
      [
        ['admin.conf', 'ca'],
        ['apiserver', 'ca'],
        ['apiserver-etcd-client', 'etcd-ca'],
        ['apiserver-kubelet-client', 'ca'],
        ['etcd-healthcheck-client', 'etcd-ca'],
        ['etcd-peer', 'etcd-ca'],
        ['etcd-server', 'etcd-ca'],
        ['front-proxy-client', 'front-proxy-ca'],
      ],
    );
    assert.deepEqual(
      report.authorities.map((r) => r.name),
      ['ca', 'etcd-ca', 'front-proxy-ca'],
    );
    const table = formatExpirationTable(report);
    const lines = table.split('\n');
    assert.match(
      lines[0],
      /^CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME\s+CERTIFICATE AUTHORITY\s+EXTERNALLY MANAGED$/,
    );
    assert.match(lines[1], /^admin\.conf\s+Jan 01, 2031 00:00 UTC\s+184d\s+ca\s+no$/);
    assert.match(table, /\nca\s+Dec 30, 2039 00:00 UTC\s+9y\s+no\n/);
    const expired = await checkExpiration(dir, new Date('2032-01-01T00:00:00Z'));
    assert.match(formatExpirationTable(expired), /apiserver\s+Jan 01, 2031 00:00 UTC\s+<invalid>\s+ca/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('renew re-issues leaves and admin.conf with new keys, same identity; CAs untouched', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubeauth-renew-'));
  try {
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000); // certificates carry whole seconds
    const pki = await ensurePki(dir, { generateKey: pool, now: t0, advertiseAddress: '192.0.2.2' });
    const caBefore = await readFile(pki.cas.ca.certPath, 'utf8');
    const t1 = new Date(t0.getTime() + 200 * 86400 * 1000);
    const renewed = await renewCertificates(dir, ['all'], { now: t1, generateKey: pool });
    assert.equal(renewed.length, 8);
    assert.equal(await readFile(pki.cas.ca.certPath, 'utf8'), caBefore);
    const apiOld = inspectCertificate(pki.leaves.apiserver.certPem);
    const apiNewPem = await readFile(pki.leaves.apiserver.certPath, 'utf8');
    const apiNew = inspectCertificate(apiNewPem);
    assert.equal(apiNew.subject, apiOld.subject);
    assert.deepEqual(apiNew.altNames, apiOld.altNames);
    assert.deepEqual(apiNew.extKeyUsages, apiOld.extKeyUsages);
    assert.notEqual(apiNew.serialNumber, apiOld.serialNumber);
    assert.equal(apiNew.notAfter.getTime(), t1.getTime() + 365 * 86400 * 1000);
    assert.ok(isSignedBy(apiNewPem, caBefore));
    assert.ok(keyMatches(await readFile(pki.leaves.apiserver.keyPath, 'utf8'), apiNewPem));
    assert.equal((await stat(pki.leaves.apiserver.keyPath)).mode & 0o777, 0o600);
    const admin = currentCredentials(parseKubeconfig(await readFile(pki.admin.path, 'utf8')));
    assert.equal(inspectCertificate(admin.clientCertPem!).commonName, 'kubernetes-admin');
    assert.equal(
      inspectCertificate(admin.clientCertPem!).notAfter.getTime(),
      t1.getTime() + 365 * 86400 * 1000,
    );
    assert.ok(keyMatches(admin.clientKeyPem!, admin.clientCertPem!));
    assert.equal((await stat(pki.admin.path)).mode & 0o777, 0o600);
    await assert.rejects(renewCertificates(dir, ['ca']), /unknown certificate "ca"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
