/**
 * Encryption at rest value transformers and EncryptionConfiguration parsing, after upstream's
 * value/encrypt/aes/aes_test.go, value/transformer_test.go (prefix transformers) and
 * encryptionconfig/config_test.go.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseEncryptionConfig, patternMatches } from './encryption-config.js';
import { aesCbc, aesGcm, identity, PrefixTransformers } from './value-transformers.js';

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const plain = Buffer.from('{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}');
const K = '/registry/secrets/default/s';

test('aesgcm round trip under k8s:enc:aesgcm:v1:<name>: with a random 12-byte nonce', () => {
  for (const size of [16, 24, 32]) {
    const t = new PrefixTransformers([aesGcm('key1', randomBytes(size))]);
    const a = t.toStorage(plain, K);
    const b = t.toStorage(plain, K);
    assert.ok(a.subarray(0, 23).equals(Buffer.from('k8s:enc:aesgcm:v1:key1:')));
    assert.equal(a.length, 23 + 12 + plain.length + 16);
    assert.ok(!a.equals(b), 'nonce is random');
    assert.ok(!a.includes(Buffer.from('aHVudGVyMg==')));
    assert.deepEqual(t.fromStorage(a, K), { data: plain, stale: false });
  }
});

test('aescbc round trip under k8s:enc:aescbc:v1:<name>: (16-byte IV, PKCS#7)', () => {
  const t = new PrefixTransformers([aesCbc('k', key1)]);
  const a = t.toStorage(plain, K);
  assert.ok(a.toString('latin1').startsWith('k8s:enc:aescbc:v1:k:'));
  assert.equal((a.length - 'k8s:enc:aescbc:v1:k:'.length - 16) % 16, 0);
  assert.deepEqual(t.fromStorage(a, K).data, plain);
});

test('a wrong key under the same name fails to decrypt', () => {
  const a = new PrefixTransformers([aesGcm('key1', key1)]).toStorage(plain, K);
  assert.throws(
    () => new PrefixTransformers([aesGcm('key1', key2)]).fromStorage(a, K),
    /authentication failed/,
  );
  const c = new PrefixTransformers([aesCbc('key1', key1)]).toStorage(plain, K);
  assert.throws(() => new PrefixTransformers([aesCbc('key1', key2)]).fromStorage(c, K));
});

test('aesgcm binds the storage key (authenticated data): a value copied to another key fails', () => {
  const t = new PrefixTransformers([aesGcm('key1', key1)]);
  const a = t.toStorage(plain, K);
  assert.throws(() => t.fromStorage(a, '/registry/secrets/default/other'), /authentication failed/);
});

test('rotation: data under key1 reads when key2 is first and key1 second, and is stale', () => {
  const old = new PrefixTransformers([aesGcm('key1', key1)]).toStorage(plain, K);
  const rotated = new PrefixTransformers([aesGcm('key2', key2), aesGcm('key1', key1)]);
  assert.deepEqual(rotated.fromStorage(old, K), { data: plain, stale: true });
  const fresh = rotated.toStorage(plain, K);
  assert.ok(fresh.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key2:'));
  assert.equal(rotated.fromStorage(fresh, K).stale, false);
});

test('no matching prefix found; unprefixed data reads only through a listed identity', () => {
  const gcm = new PrefixTransformers([aesGcm('key1', key1)]);
  assert.throws(() => gcm.fromStorage(plain, K), /no matching prefix found/);
  const withIdentity = new PrefixTransformers([aesGcm('key1', key1), identity]);
  assert.deepEqual(withIdentity.fromStorage(plain, K), { data: plain, stale: true });
  // identity first (migrating away from encryption): encrypted data still reads via the later key.
  const enc = gcm.toStorage(plain, K);
  const idFirst = new PrefixTransformers([identity, aesGcm('key1', key1)]);
  assert.deepEqual(idFirst.fromStorage(enc, K), { data: plain, stale: true });
  assert.ok(idFirst.toStorage(plain, K).equals(plain));
  assert.throws(() => new PrefixTransformers([identity]).fromStorage(enc, K), /no matching prefix found/);
});

const cfg = (providers: string, resources = '[secrets]') => `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ${resources}
    providers:
${providers}`;
const b64 = (n: number) => randomBytes(n).toString('base64');

test('EncryptionConfiguration: providers in order, resources matched by name, *.group and *.*', () => {
  const c = parseEncryptionConfig(
    cfg(
      `      - aesgcm:
          keys:
            - name: key1
              secret: ${b64(32)}
      - identity: {}`,
      '[secrets, "*.apps"]',
    ),
  );
  const t = c.forResource({ group: '', resource: 'secrets' });
  assert.ok(t);
  assert.ok(t.toStorage(plain, K).toString().startsWith('k8s:enc:aesgcm:v1:key1:'));
  assert.ok(c.forResource({ group: 'apps', resource: 'deployments' }));
  assert.equal(c.forResource({ group: '', resource: 'configmaps' }), undefined);
  assert.ok(patternMatches('*.*', { group: 'x.io', resource: 'y' }));
  assert.ok(patternMatches('*.', { group: '', resource: 'pods' }));
  assert.ok(!patternMatches('*.', { group: 'apps', resource: 'deployments' }));
  assert.ok(patternMatches('deployments.apps', { group: 'apps', resource: 'deployments' }));
});

test('EncryptionConfiguration validation texts (validation_encryption.go)', () => {
  const bad = (text: string, re: RegExp) => assert.throws(() => parseEncryptionConfig(text), re);
  bad(
    cfg(`      - aescbc:
          keys:
            - name: key1
              secret: ${Buffer.from('password').toString('base64')}`),
    /^Error: error while parsing file: resources\[0\]\.providers\[0\]\.aescbc\.keys\[0\]\.secret: Invalid value: "REDACTED": secret is not of the expected length, got 8, expected one of \[16 24 32\]$/,
  );
  bad(
    cfg(`      - aesgcm:
          keys:
            - name: key1
              secret: "not base64!"`),
    /secrets must be base64 encoded/,
  );
  bad(
    cfg(`      - aesgcm:
          keys:
            - secret: ${b64(16)}`),
    /name is a mandatory field for a key/,
  );
  bad(cfg(`      - aesgcm: {keys: []}`), /aesgcm\.keys: Required value: at least one keys is required/);
  bad(
    cfg(`      - identity: {}
        aesgcm: {keys: [{name: a, secret: ${b64(16)}}]}`),
    /more than one provider specified in a single element/,
  );
  bad(cfg(`      - secretbox: {keys: [{name: a, secret: ${b64(32)}}]}`), /secretbox.*not supported/);
  bad(cfg(`      - kms: {name: x, endpoint: unix:///k.sock}`), /KMS plugins are not supported/);
  bad(
    cfg('      []'),
    /resources\[0\]\.providers: Required value: at least one resources\[0\]\.providers is required/,
  );
  bad(
    cfg('      - {}'),
    /providers\[0\]: Invalid value: \{\}: provider does not contain any of the expected providers/,
  );
  bad('kind: Other\napiVersion: v1\n', /no kind "Other" is registered/);
  bad('{{{', /error while parsing file/);
});

test('the error text never includes the key material', () => {
  const secret = Buffer.from('short-secret').toString('base64');
  try {
    parseEncryptionConfig(cfg(`      - aesgcm: {keys: [{name: a, secret: ${secret}}]}`));
    assert.fail('accepted');
  } catch (e) {
    assert.ok(!(e as Error).message.includes(secret));
  }
});
