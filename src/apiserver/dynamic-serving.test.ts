/**
 * Unit tests for DynamicCertKeyPair (upstream dynamic_serving_content.go loadCertKeyPair): a new
 * matching pair is taken and announced once; an empty file, a certificate that does not parse and
 * a key that does not match keep the previous pair and are logged; a bad pair at start throws.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createSelfSignedCa, issueCertAndKey, type CertAndKey } from '../pki/cert.js';
import { generateKeyPairFor } from '../pki/keys.js';
import { DynamicCertKeyPair } from './dynamic-serving.js';

async function pairs(n: number): Promise<CertAndKey[]> {
  const ca = await createSelfSignedCa({ commonName: 'ca', keyPair: await generateKeyPairFor('ECDSA-P256') });
  return Promise.all(
    Array.from({ length: n }, async (_, i) =>
      issueCertAndKey(ca, await generateKeyPairFor('ECDSA-P256'), {
        subject: { commonName: `serving-${i}` },
        usages: ['digital signature', 'server auth'],
      }),
    ),
  );
}

test('DynamicCertKeyPair: takes a new matching pair, keeps the old one on broken or mismatched files', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynpair-'));
  const certFile = path.join(dir, 'tls.crt');
  const keyFile = path.join(dir, 'tls.key');
  const [a, b, c] = await pairs(3);
  writeFileSync(certFile, a.certPem);
  writeFileSync(keyFile, a.keyPem);
  const logs: string[] = [];
  const dyn = new DynamicCertKeyPair(certFile, keyFile, { log: (m) => logs.push(m) });
  const seen: string[] = [];
  dyn.onChange((p) => seen.push(p.cert));
  assert.equal(dyn.name, `serving-cert::${certFile}::${keyFile}`);
  assert.equal(dyn.check(), false, 'unchanged');

  // Only the key replaced so far: a mismatch, not taken.
  writeFileSync(keyFile, b.keyPem);
  assert.equal(dyn.check(), false);
  assert.match(logs.at(-1)!, /Failed to load cert\/key pair.*tls: private key does not match public key/);
  writeFileSync(certFile, b.certPem);
  assert.equal(dyn.check(), true);
  assert.deepEqual(dyn.current(), { cert: b.certPem, key: b.keyPem });
  assert.match(logs.at(-1)!, /^I "Loaded a new cert\/key pair" name="serving-cert::/);

  writeFileSync(certFile, '');
  assert.equal(dyn.check(), false);
  assert.match(logs.at(-1)!, /missing content for serving cert/);
  writeFileSync(certFile, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  assert.equal(dyn.check(), false);
  writeFileSync(certFile, c.certPem);
  writeFileSync(keyFile, 'garbage');
  assert.equal(dyn.check(), false);
  assert.match(logs.at(-1)!, /tls: failed to find any PEM data in key input/);
  assert.deepEqual(dyn.current(), { cert: b.certPem, key: b.keyPem });
  assert.deepEqual(seen, [b.certPem], 'listeners ran once, for the one pair taken');
});

test('DynamicCertKeyPair: a mismatched pair at start throws (the flag is refused)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynpair-'));
  const [a, b] = await pairs(2);
  writeFileSync(path.join(dir, 'c'), a.certPem);
  writeFileSync(path.join(dir, 'k'), b.keyPem);
  assert.throws(
    () => new DynamicCertKeyPair(path.join(dir, 'c'), path.join(dir, 'k'), { purpose: 'sni-serving-cert' }),
    /tls: private key does not match public key/,
  );
});
