import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createSelfSignedCa } from '../pki/cert.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import { DynamicCaBundle } from './dynamic-ca.js';

test('DynamicCaBundle: takes a changed valid bundle, keeps the old one on a broken file, logs', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynca-'));
  const file = path.join(dir, 'ca.crt');
  const [k1, k2] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const a = (await createSelfSignedCa({ commonName: 'a', keyPair: k1 })).certPem;
  const b = (await createSelfSignedCa({ commonName: 'b', keyPair: k2 })).certPem;
  writeFileSync(file, a);
  const logs: string[] = [];
  const bundle = new DynamicCaBundle(file, (m) => logs.push(m));
  const seen: string[] = [];
  bundle.onChange((pem) => seen.push(pem));
  assert.equal(bundle.check(), false, 'unchanged file: no reload');
  writeFileSync(file, a + b);
  assert.equal(bundle.check(), true);
  assert.equal(bundle.current(), a + b);
  assert.deepEqual(seen, [a + b]);
  writeFileSync(file, 'garbage');
  assert.equal(bundle.check(), false);
  assert.equal(bundle.current(), a + b);
  assert.match(
    logs.at(-1)!,
    /Failed to load CA bundle.*does not contain any valid RSA or ECDSA certificates/,
  );
  writeFileSync(file, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  assert.equal(bundle.check(), false);
  assert.equal(bundle.current(), a + b);
  assert.equal(seen.length, 1);
});

test('DynamicCaBundle: a bad initial file throws (the flag is refused)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dynca-'));
  const file = path.join(dir, 'ca.crt');
  writeFileSync(file, 'nope');
  assert.throws(() => new DynamicCaBundle(file), /does not contain any valid/);
});
