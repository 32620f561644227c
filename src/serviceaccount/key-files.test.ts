/**
 * ServiceAccountKeyFiles: the key files re-read by content; a broken file keeps its previous
 * keys and is logged once; listeners hear which side changed; a bad initial file throws.
 *
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { keyId } from './jwt.js';
import { ServiceAccountKeyFiles, type KeyFilesChange } from './key-files.js';

const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }).toString();
const [a, b, c] = [0, 1, 2].map(() => generateKeyPairSync('ec', { namedCurve: 'P-256' }));

test('verification and signing files are reloaded; broken content keeps the previous keys', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sa-keys-'));
  const [pub1, pub2, signing] = ['a.pub', 'b.pub', 'sa.key'].map((f) => path.join(dir, f));
  writeFileSync(pub1, pem(a.publicKey, 'spki'));
  writeFileSync(pub2, pem(b.publicKey, 'spki'));
  writeFileSync(signing, pem(a.privateKey, 'pkcs8'));
  const logs: string[] = [];
  const files = new ServiceAccountKeyFiles([pub1, pub2], signing, (m) => logs.push(m));
  const changes: KeyFilesChange[] = [];
  files.onChange((ch) => changes.push(ch));
  const kids = () => files.verificationKeys().map((k) => k.kid);
  assert.deepEqual(kids(), [keyId(a.publicKey), keyId(b.publicKey)]);
  assert.equal(files.check(), undefined, 'unchanged files: nothing to do');

  writeFileSync(signing, pem(c.privateKey, 'pkcs8'));
  writeFileSync(pub2, pem(b.publicKey, 'spki') + pem(c.publicKey, 'spki'));
  assert.deepEqual(files.check(), { verification: true, signing: true });
  assert.equal(files.signingKeyPem(), pem(c.privateKey, 'pkcs8'));
  assert.deepEqual(kids(), [keyId(a.publicKey), keyId(b.publicKey), keyId(c.publicKey)]);

  writeFileSync(pub1, 'garbage');
  writeFileSync(signing, pem(generateKeyPairSync('ed25519').privateKey, 'pkcs8'));
  assert.equal(files.check(), undefined);
  assert.deepEqual(kids(), [keyId(a.publicKey), keyId(b.publicKey), keyId(c.publicKey)]);
  assert.equal(files.signingKeyPem(), pem(c.privateKey, 'pkcs8'));
  assert.equal(logs.filter((l) => l.startsWith('E ')).length, 2);
  assert.match(
    logs.join('\n'),
    /keeping the previous keys" file=".*a\.pub" err=".*does not contain any valid/,
  );
  assert.match(
    logs.join('\n'),
    /signing key file, keeping the previous keys.*unknown private key type ed25519/,
  );
  files.check();
  assert.equal(logs.filter((l) => l.startsWith('E ')).length, 2, 'the same bad content is logged once');

  writeFileSync(pub1, pem(b.publicKey, 'spki'));
  assert.deepEqual(files.check(), { verification: true, signing: false });
  assert.deepEqual(kids(), [keyId(b.publicKey), keyId(b.publicKey), keyId(c.publicKey)]);
  assert.equal(changes.length, 2);
});

test('a bad initial file throws (the flag is refused at start-up)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sa-keys-'));
  const bad = path.join(dir, 'bad.pub');
  writeFileSync(bad, 'nope');
  assert.throws(
    () => new ServiceAccountKeyFiles([bad], undefined),
    /does not contain any valid RSA or ECDSA/,
  );
  assert.throws(() => new ServiceAccountKeyFiles([path.join(dir, 'missing')], undefined), /ENOENT/);
  const key = path.join(dir, 'sa.key');
  writeFileSync(key, pem(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, 'pkcs8'));
  writeFileSync(bad, pem(a.publicKey, 'spki'));
  assert.throws(() => new ServiceAccountKeyFiles([bad], key), /sa\.key: unknown private key curve/);
});
