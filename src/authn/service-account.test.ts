/**
 * ServiceAccountTokenAuthenticator, after pkg/serviceaccount/jwt_test.go (TestTokenGenerateAndValidate)
 * and claims_test.go (TestValidatePrivateClaims): the accepted cases, and a negative table where
 * each row must be refused with an error (a 401), or be "not mine" for tokens of other issuers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createPublicKey, generateKeyPairSync, createSign, type KeyObject } from 'node:crypto';
import { CompactSign, exportJWK } from 'jose';
import { TokenSigner, keyId, type ServiceAccountClaims } from '../serviceaccount/jwt.js';
import type { KubeObject } from '../api/types.js';
import {
  LEGACY_ISSUER,
  ServiceAccountTokenAuthenticator,
  parsePublicKeysPem,
  splitServiceAccountUsername,
  type ServiceAccountGetter,
} from './service-account.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: KeyObject, type: 'pkcs8' | 'spki') => k.export({ type, format: 'pem' }).toString();

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const NOW = 1_800_000_000;
const now = () => new Date(NOW * 1000);

const objects = new Map<string, KubeObject>();
const put = (kind: string, ns: string, name: string, uid: string, extra: Partial<KubeObject> = {}) =>
  objects.set(`${kind}/${ns}/${name}`, { metadata: { name, namespace: ns, uid }, ...extra } as KubeObject);
const getter: ServiceAccountGetter = {
  serviceAccount: (ns, n) => objects.get(`sa/${ns}/${n}`),
  secret: (ns, n) => objects.get(`secret/${ns}/${n}`),
  pod: (ns, n) => objects.get(`pod/${ns}/${n}`),
  node: (n) => objects.get(`node//${n}`),
};
put('sa', 'default', 'builder', 'sa-uid');
put('pod', 'default', 'web', 'pod-uid');
put('node', '', 'node1', 'node-uid');
put('secret', 'default', 'bound-secret', 'secret-uid');

const keys = [
  ...parsePublicKeysPem(pem(rsa.publicKey, 'spki')),
  ...parsePublicKeysPem(pem(ec.privateKey, 'pkcs8')),
];
const bound = new ServiceAccountTokenAuthenticator({
  issuers: [ISSUER, 'https://old-issuer.example'],
  keys,
  implicitAudiences: ['https://kubernetes.default.svc.cluster.local', 'api'],
  getter,
  lookup: true,
  now,
});

const claims = (o: Partial<ServiceAccountClaims> = {}): ServiceAccountClaims => ({
  issuer: ISSUER,
  audiences: ['api'],
  namespace: 'default',
  serviceAccount: { name: 'builder', uid: 'sa-uid' },
  issuedAt: NOW - 10,
  expirationSeconds: 3600,
  ...o,
});
const rsaSigner = new TokenSigner(pem(rsa.privateKey, 'pkcs8'));
const ecSigner = new TokenSigner(pem(ec.privateKey, 'pkcs8'));
const otherSigner = new TokenSigner(pem(other.privateKey, 'pkcs8'));

/** A token with any header and payload, signed by hand (for the malformed rows). */
function rawJwt(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign(input)}`;
}
const payloadOf = (t: string) =>
  JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
const rs256 = (input: string) =>
  createSign('RSA-SHA256').update(input).sign(rsa.privateKey).toString('base64url');

test('RS256 and ES256 bound tokens authenticate as the service account', async () => {
  for (const signer of [rsaSigner, ecSigner]) {
    const { token } = await signer.sign(claims());
    const r = await bound.authenticateToken(token, []);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.response.user.name, 'system:serviceaccount:default:builder');
    assert.equal(r.response.user.uid, 'sa-uid');
    assert.deepEqual(r.response.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default']);
    assert.deepEqual(Object.keys(r.response.user.extra), ['authentication.kubernetes.io/credential-id']);
    assert.match(
      r.response.user.extra['authentication.kubernetes.io/credential-id'][0],
      /^JTI=[0-9a-f-]{36}$/,
    );
    assert.deepEqual(r.response.audiences, ['api']);
  }
});

test('a pod-bound token carries the pod in extra', async () => {
  const { token } = await rsaSigner.sign(claims({ pod: { name: 'web', uid: 'pod-uid' } }));
  const r = await bound.authenticateToken(token, []);
  assert.ok(r.ok);
  assert.deepEqual(r.response.user.extra['authentication.kubernetes.io/pod-name'], ['web']);
  assert.deepEqual(r.response.user.extra['authentication.kubernetes.io/pod-uid'], ['pod-uid']);
});

test('every accepted issuer is accepted; the requested audience must be in the token', async () => {
  const { token } = await rsaSigner.sign(
    claims({ issuer: 'https://old-issuer.example', audiences: ['vault', 'api'] }),
  );
  assert.ok((await bound.authenticateToken(token, [])).ok);
  const r = await bound.authenticateToken(token, ['vault']);
  assert.ok(r.ok);
  assert.deepEqual(r.response.audiences, ['vault']);
  const miss = await bound.authenticateToken(token, ['elsewhere']);
  assert.equal(miss.ok, false);
  assert.equal(
    !miss.ok && miss.error?.message,
    'token audiences "[vault api]" is invalid for the target audiences "[elsewhere]"',
  );
});

test('tokens of other issuers, and things that are not JWTs, are not ours (no error)', async () => {
  for (const t of [
    (await otherSigner.sign(claims({ issuer: 'https://accounts.example.com' }))).token,
    'abcdef.0123456789abcdef',
    'garbage',
    '{"iss":"x"}.a.b',
    'a.b.c',
    '',
  ])
    assert.deepEqual(await bound.authenticateToken(t, []), { ok: false }, t);
});

test('negative table: each row is refused with an error, never accepted', async () => {
  const good = (await rsaSigner.sign(claims())).token;
  const p = payloadOf(good);
  const hsKey = Buffer.from(pem(rsa.publicKey, 'spki'));
  const jwk = await exportJWK(other.publicKey);
  const rows: [string, () => Promise<string> | string, RegExp][] = [
    ['alg none', () => rawJwt({ alg: 'none', typ: 'JWT' }, p, () => ''), /^unexpected signature algorithm$/],
    [
      'HS256 keyed with the public key',
      () =>
        rawJwt({ alg: 'HS256', kid: keyId(rsa.publicKey) }, p, (i) =>
          createHmac('sha256', hsKey).update(i).digest('base64url'),
        ),
      /^unexpected signature algorithm$/,
    ],
    [
      'expired',
      async () => (await rsaSigner.sign(claims({ issuedAt: NOW - 4000, expirationSeconds: 600 }))).token,
      /^service account token has expired$/,
    ],
    [
      'nbf in the future',
      async () => (await rsaSigner.sign(claims({ issuedAt: NOW + 600 }))).token,
      /^service account token is not valid yet$/,
    ],
    [
      'signed by an unknown key',
      async () => (await otherSigner.sign(claims())).token,
      /cryptographic primitive/,
    ],
    [
      'unknown kid, bad signature',
      () => rawJwt({ alg: 'RS256', kid: 'nope' }, p, () => 'AAAA'),
      /cryptographic primitive/,
    ],
    ['bad signature', () => good.slice(0, -6) + (good.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'), /./],
    ['truncated', () => good.slice(0, good.lastIndexOf('.') + 5), /./],
    [
      'embedded jwk of an attacker key',
      async () =>
        new CompactSign(Buffer.from(JSON.stringify(p)))
          .setProtectedHeader({ alg: 'RS256', jwk })
          .sign(other.privateKey),
      /cryptographic primitive/,
    ],
    ...(['jku', 'x5u'] as const).map((h): [string, () => Promise<string>, RegExp] => [
      `${h} header naming an attacker's key set (never fetched)`,
      async () =>
        new CompactSign(Buffer.from(JSON.stringify(p)))
          .setProtectedHeader({ alg: 'RS256', [h]: 'https://attacker.example/keys' })
          .sign(other.privateKey),
      /cryptographic primitive/,
    ]),
    [
      'HS512 keyed with the public key',
      () => rawJwt({ alg: 'HS512' }, p, (i) => createHmac('sha512', hsKey).update(i).digest('base64url')),
      /^unexpected signature algorithm$/,
    ],
    [
      'wrong audience only',
      async () => (await rsaSigner.sign(claims({ audiences: ['vault'] }))).token,
      /token audiences "\[vault\]" is invalid/,
    ],
    [
      'account gone',
      async () => (await rsaSigner.sign(claims({ serviceAccount: { name: 'ghost', uid: 'x' } }))).token,
      /serviceaccounts "ghost" not found/,
    ],
    [
      'account re-created (new uid)',
      async () =>
        (await rsaSigner.sign(claims({ serviceAccount: { name: 'builder', uid: 'old-uid' } }))).token,
      /^service account UID \(sa-uid\) does not match claim \(old-uid\)$/,
    ],
    [
      'bound pod deleted',
      async () => (await rsaSigner.sign(claims({ pod: { name: 'gone', uid: 'u' } }))).token,
      /^service account token has been invalidated$/,
    ],
    [
      'bound pod re-created under the same name',
      async () => (await rsaSigner.sign(claims({ pod: { name: 'web', uid: 'old-pod-uid' } }))).token,
      /^pod UID \(pod-uid\) does not match service account pod ref claim \(old-pod-uid\)$/,
    ],
    [
      'bound secret deleted',
      async () => (await rsaSigner.sign(claims({ secret: { name: 'gone', uid: 'u' } }))).token,
      /has been invalidated/,
    ],
    [
      'bound secret re-created',
      async () => (await rsaSigner.sign(claims({ secret: { name: 'bound-secret', uid: 'old' } }))).token,
      /^secret UID \(secret-uid\) does not match service account secret ref claim \(old\)$/,
    ],
    [
      'bound node deleted',
      async () => (await rsaSigner.sign(claims({ node: { name: 'gone', uid: 'u' } }))).token,
      /has been invalidated/,
    ],
    [
      'issuer changed after signing (re-checked after verification)',
      () => rawJwt({ alg: 'RS256', kid: keyId(rsa.publicKey) }, { ...p, iss: ISSUER }, rs256),
      /^$/,
    ],
  ];
  for (const [name, make, want] of rows) {
    const token = await make();
    const r = await bound.authenticateToken(token, []);
    if (want.source === '^$') {
      // The control row: a correctly signed copy is accepted (proves rawJwt signs properly).
      assert.ok(r.ok, name);
      continue;
    }
    assert.equal(r.ok, false, name);
    assert.ok(!r.ok && r.error, `${name}: refused with an error, not "not mine"`);
    assert.match(r.error.message, want, name);
  }
});

test('legacy Secret tokens: accepted while the Secret holds them; refused once it is gone', async () => {
  const legacy = new ServiceAccountTokenAuthenticator({
    issuers: [LEGACY_ISSUER],
    keys,
    implicitAudiences: ['api'],
    getter,
    lookup: true,
    now,
  });
  const token = rawJwt(
    { alg: 'RS256', kid: keyId(rsa.publicKey) },
    {
      iss: LEGACY_ISSUER,
      sub: 'system:serviceaccount:default:builder',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'builder-token',
      'kubernetes.io/serviceaccount/service-account.name': 'builder',
      'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid',
    },
    rs256,
  );
  put('secret', 'default', 'builder-token', 's-uid', {
    data: { token: Buffer.from(token).toString('base64') },
  } as Partial<KubeObject>);
  const r = await legacy.authenticateToken(token, []);
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.response.user.name, 'system:serviceaccount:default:builder');
  // Bound-token authenticators do not take legacy tokens, and the other way round.
  assert.deepEqual(await bound.authenticateToken(token, []), { ok: false });
  assert.deepEqual(await legacy.authenticateToken((await rsaSigner.sign(claims())).token, []), { ok: false });
  put('secret', 'default', 'builder-token', 's-uid', {
    data: { token: Buffer.from('another').toString('base64') },
  } as Partial<KubeObject>);
  const changed = await legacy.authenticateToken(token, []);
  assert.equal(!changed.ok && changed.error?.message, "Token does not match server's copy");
  objects.delete('secret/default/builder-token');
  const gone = await legacy.authenticateToken(token, []);
  assert.equal(!gone.ok && gone.error?.message, 'Token has been invalidated');
  // A wrong audience request fails for legacy tokens (they mean the API audiences).
  const noLookup = new ServiceAccountTokenAuthenticator({
    issuers: [LEGACY_ISSUER],
    keys,
    implicitAudiences: ['api'],
    getter,
    lookup: false,
    now,
  });
  assert.ok((await noLookup.authenticateToken(token, [])).ok);
  assert.equal((await noLookup.authenticateToken(token, ['vault'])).ok, false);
});

test('parsePublicKeysPem: public, private and several keys per file; garbage is a start-up error', () => {
  assert.equal(parsePublicKeysPem(pem(rsa.publicKey, 'spki') + pem(ec.publicKey, 'spki')).length, 2);
  assert.equal(
    parsePublicKeysPem(pem(rsa.privateKey, 'pkcs8'))[0].kid,
    keyId(createPublicKey(rsa.privateKey)),
  );
  assert.throws(
    () => parsePublicKeysPem('nothing here', 'sa.pub'),
    /sa.pub: data does not contain any valid RSA or ECDSA public keys/,
  );
});

test('SplitUsername', () => {
  assert.deepEqual(splitServiceAccountUsername('system:serviceaccount:ns:name'), {
    namespace: 'ns',
    name: 'name',
  });
  for (const bad of [
    'system:serviceaccount:ns',
    'system:serviceaccount:ns:a:b',
    'system:serviceaccount:NS:x',
    'user:ns:x',
  ])
    assert.equal(splitServiceAccountUsername(bad), undefined, bad);
});
