/**
 * TokenSigner on jose, after pkg/serviceaccount/jwt_test.go (TestTokenGenerateAndValidate) and
 * jwt.go's key handling: the protected header is exactly {alg, kid}; the algorithm follows the
 * key (RS256, ES256/384/512 by curve); kid = base64url(SHA-256(PKIX DER)); setKey swaps keys and
 * a key that cannot sign is refused with upstream's text, keeping the previous key.
 *
 * @module
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { TokenSigner, keyId } from './jwt.js';

const pkcs8 = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const claims = {
  issuer: 'https://kubernetes.default.svc.cluster.local',
  audiences: ['api'],
  namespace: 'default',
  serviceAccount: { name: 'builder', uid: 'sa-uid' },
  issuedAt: 1_800_000_000,
  expirationSeconds: 600,
};
const body = (t: string) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()) as object;

test('kid is base64url(SHA-256(PKIX DER)) without padding', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const want = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
  assert.equal(keyId(publicKey), want.toString('base64url'));
  assert.doesNotMatch(keyId(publicKey), /[=+/]/);
});

for (const [name, kp, alg] of [
  ['RSA-2048', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RS256'],
  ['P-256', generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ES256'],
  ['P-384', generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'ES384'],
  ['P-521', generateKeyPairSync('ec', { namedCurve: 'P-521' }), 'ES512'],
] as const)
  test(`${name}: ${alg}, header exactly {alg, kid}, the claims of claims.go, verifiable`, async () => {
    const signer = new TokenSigner(pkcs8(kp.privateKey));
    const { token, expiresAt } = await signer.sign({ ...claims, pod: { name: 'web', uid: 'pod-uid' } });
    assert.deepEqual(decodeProtectedHeader(token), { alg, kid: keyId(kp.publicKey) });
    assert.equal(expiresAt, claims.issuedAt + 600);
    const { payload } = await compactVerify(token, kp.publicKey, { algorithms: [alg] });
    const c = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(c), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(c['kubernetes.io'], {
      namespace: 'default',
      serviceaccount: { name: 'builder', uid: 'sa-uid' },
      pod: { name: 'web', uid: 'pod-uid' },
    });
    assert.equal(c.sub, 'system:serviceaccount:default:builder');
    const legacy = await signer.signLegacy('default', { name: 'builder', uid: 'sa-uid' }, 'builder-token');
    assert.deepEqual(body(legacy), {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'builder-token',
      'kubernetes.io/serviceaccount/service-account.name': 'builder',
      'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid',
      sub: 'system:serviceaccount:default:builder',
    });
  });

test('keys that cannot sign are refused with the reason; setKey keeps the old key then', async () => {
  const rows: [string, KeyObject, RegExp][] = [
    [
      'secp256k1',
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
      /: unknown private key curve, must be 256, 384, or 521$/,
    ],
    ['ed25519', generateKeyPairSync('ed25519').privateKey, /: unknown private key type ed25519/],
    ['RSA-1024', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, /at least 2048 bits/],
  ];
  const good = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = new TokenSigner(pkcs8(good.privateKey));
  for (const [name, key, want] of rows) {
    assert.throws(() => new TokenSigner(pkcs8(key)), want, name);
    assert.throws(() => signer.setKey(pkcs8(key)), want, name);
    assert.equal(signer.kid, keyId(good.publicKey), `${name}: previous key kept`);
  }
  assert.throws(() => signer.setKey('not a pem'));
  const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
  signer.setKey(pkcs8(next.privateKey));
  const { token } = await signer.sign(claims);
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'RS256', kid: keyId(next.publicKey) });
});
