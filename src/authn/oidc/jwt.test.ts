/**
 * JwtAuthenticator, rows ported from staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/
 * oidc/oidc_test.go (TestToken): valid tokens, username/groups claims and prefixes, email_verified,
 * required claims, wrong issuer / audience, expired, nbf, unknown kid → refetch, bad signature,
 * alg none / HS256, CEL claim mappings and validation rules. Keys and discovery are served by a
 * fake fetcher (no network); the e2e test uses a real provider.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { JwtAuthenticator, type JwtAuthenticatorOptions } from './jwt.js';
import { legacyOidcToJwt } from './config.js';
import type { JWTAuthenticator } from './types.js';

const ISS = 'https://auth.example.com';
const NOW = 1_800_000_000;
const now = () => new Date(NOW * 1000);

const k1 = await generateKeyPair('RS256');
const k2 = await generateKeyPair('RS256');
const ec = await generateKeyPair('ES256');
const jwk = async (
  k: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'],
  kid: string,
  alg: string,
): Promise<JWK> => ({
  ...(await exportJWK(k)),
  kid,
  alg,
  use: 'sig',
});
const jwks1 = { keys: [await jwk(k1.publicKey, 'k1', 'RS256'), await jwk(ec.publicKey, 'ec', 'ES256')] };
const jwks12 = { keys: [...jwks1.keys, await jwk(k2.publicKey, 'k2', 'RS256')] };

function fetcher(sets: { keys: JWK[] }[]) {
  const calls: string[] = [];
  let i = 0;
  const fetchJson = (url: string): Promise<unknown> => {
    calls.push(url);
    if (url === `${ISS}/.well-known/openid-configuration`)
      return Promise.resolve({ issuer: ISS, jwks_uri: `${ISS}/keys` });
    if (url === `${ISS}/keys`) return Promise.resolve(sets[Math.min(i++, sets.length - 1)]);
    return Promise.reject(new Error(`404 ${url}`));
  };
  return { calls, fetchJson };
}

type Claims = Record<string, unknown>;
const base = (extra: Claims = {}): Claims => ({
  iss: ISS,
  aud: 'my-client',
  sub: 'jane',
  exp: NOW + 600,
  ...extra,
});
async function sign(claims: Claims, key = k1.privateKey, kid = 'k1', alg = 'RS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, kid }).sign(key);
}

const legacy = (o: Partial<Parameters<typeof legacyOidcToJwt>[0]> = {}): JWTAuthenticator =>
  legacyOidcToJwt({
    issuerURL: ISS,
    clientID: 'my-client',
    usernameClaim: 'sub',
    usernamePrefix: '',
    groupsClaim: '',
    groupsPrefix: '',
    requiredClaims: {},
    ...o,
  });

async function make(jwt: JWTAuthenticator, o: Partial<JwtAuthenticatorOptions> = {}, sets = [jwks1]) {
  const f = fetcher(sets);
  const a = new JwtAuthenticator({ jwt, now, fetchJson: f.fetchJson, initRetryMs: 0, ...o });
  await a.ready();
  return { a, calls: f.calls };
}

async function expectUser(a: JwtAuthenticator, token: string, name: string, groups: string[] = [], uid = '') {
  const r = await a.authenticateToken(token, []);
  assert.ok(r.ok, `expected success, got ${!r.ok && r.error ? r.error.message : 'not mine'}`);
  if (r.ok) {
    assert.equal(r.response.user.name, name);
    assert.deepEqual(r.response.user.groups, groups);
    assert.equal(r.response.user.uid, uid);
  }
  return r;
}

async function expectErr(a: JwtAuthenticator, token: string, message: string | RegExp) {
  const r = await a.authenticateToken(token, []);
  assert.ok(!r.ok && r.error, 'expected an error');
  if (!r.ok && r.error) {
    if (typeof message === 'string') assert.equal(r.error.message, message);
    else assert.match(r.error.message, message);
  }
}

test('valid token: default username claim sub with the issuer# prefix (legacy default)', async () => {
  const { a, calls } = await make(legacy());
  await expectUser(a, await sign(base()), `${ISS}#jane`);
  assert.deepEqual(calls, [`${ISS}/.well-known/openid-configuration`, `${ISS}/keys`]);
});

test('username prefix "-" means none; an explicit prefix is used', async () => {
  await expectUser((await make(legacy({ usernamePrefix: '-' }))).a, await sign(base()), 'jane');
  await expectUser((await make(legacy({ usernamePrefix: 'oidc:' }))).a, await sign(base()), 'oidc:jane');
});

test('email claim: no default prefix; email_verified true or absent ok, false / non-bool refused', async () => {
  const { a } = await make(legacy({ usernameClaim: 'email' }));
  await expectUser(
    a,
    await sign(base({ email: 'jane@example.com', email_verified: true })),
    'jane@example.com',
  );
  await expectUser(a, await sign(base({ email: 'jane@example.com' })), 'jane@example.com');
  await expectErr(
    a,
    await sign(base({ email: 'jane@example.com', email_verified: false })),
    'oidc: email not verified',
  );
  await expectErr(
    a,
    await sign(base({ email: 'jane@example.com', email_verified: 'true' })),
    "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
  );
  await expectErr(a, await sign(base()), 'oidc: parse username claims "email": claim not present');
});

test('groups claim: array or single string, with prefix; absent = no groups', async () => {
  const { a } = await make(legacy({ usernamePrefix: '-', groupsClaim: 'groups', groupsPrefix: 'oidc:' }));
  await expectUser(a, await sign(base({ groups: ['team-a', 'team-b'] })), 'jane', [
    'oidc:team-a',
    'oidc:team-b',
  ]);
  await expectUser(a, await sign(base({ groups: 'team-a' })), 'jane', ['oidc:team-a']);
  await expectUser(a, await sign(base()), 'jane', []);
  await expectErr(a, await sign(base({ groups: 42 })), /^oidc: parse groups claim "groups"/);
});

test('required claims: present with the value ok; missing or different refused', async () => {
  const { a } = await make(legacy({ usernamePrefix: '-', requiredClaims: { hd: 'example.com' } }));
  await expectUser(a, await sign(base({ hd: 'example.com' })), 'jane');
  await expectErr(a, await sign(base()), 'oidc: required claim hd not present in ID token');
  await expectErr(
    a,
    await sign(base({ hd: 'other.com' })),
    'oidc: required claim hd value does not match. Got = other.com, want = example.com',
  );
});

test('another issuer is "not mine"; so is a non-JWT', async () => {
  const { a } = await make(legacy());
  const r = await a.authenticateToken(await sign(base({ iss: 'https://other.example.com' })), []);
  assert.deepEqual(r, { ok: false });
  assert.deepEqual(await a.authenticateToken('abc.def', []), { ok: false });
});

test('wrong audience, expired, nbf in the future (5 min leeway)', async () => {
  const { a } = await make(legacy({ usernamePrefix: '-' }));
  await expectErr(
    a,
    await sign(base({ aud: 'other' })),
    'oidc: verify token: oidc: expected audience "my-client" got ["other"]',
  );
  await expectErr(a, await sign(base({ exp: NOW - 1 })), /^oidc: verify token: oidc: token is expired/);
  await expectUser(a, await sign(base({ nbf: NOW + 60 })), 'jane');
  await expectErr(a, await sign(base({ nbf: NOW + 3600 })), /before the nbf \(not before\) time/);
});

test('unknown kid refetches the JWKS (once within 10 s)', async () => {
  let t = NOW * 1000;
  const { a, calls } = await make(legacy({ usernamePrefix: '-' }), { now: () => new Date(t) }, [
    jwks1,
    jwks12,
  ]);
  t += 11_000;
  await expectUser(a, await sign(base({ exp: NOW + 6000 }), k2.privateKey, 'k2'), 'jane');
  assert.equal(calls.filter((c) => c.endsWith('/keys')).length, 2);
  // a kid unknown even after the refetch: refused, and no fetch again within 10 s
  await expectErr(
    a,
    await sign(base({ exp: NOW + 6000 }), k2.privateKey, 'k3'),
    /failed to verify signature/,
  );
  assert.equal(calls.filter((c) => c.endsWith('/keys')).length, 2);
});

test('bad signature and disallowed algorithms (none, HS256, ES256 when only RS256)', async () => {
  const { a } = await make(legacy());
  const good = await sign(base());
  const [h, p] = good.split('.');
  const forged = await sign(base({ sub: 'root' }));
  await expectErr(
    a,
    `${h}.${forged.split('.')[1]}.${good.split('.')[2]}`,
    /^oidc: verify token: failed to verify signature/,
  );
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  await expectErr(
    a,
    `${b64({ alg: 'none' })}.${p}.`,
    'oidc: verify token: oidc: id token signed with unsupported algorithm, expected ["RS256"] got "none"',
  );
  const hs = `${b64({ alg: 'HS256', kid: 'k1' })}.${p}`;
  const mac = createHmac('sha256', 'secret').update(hs).digest('base64url');
  await expectErr(a, `${hs}.${mac}`, /unsupported algorithm, expected \["RS256"\] got "HS256"/);
  await expectErr(a, await sign(base(), ec.privateKey, 'ec', 'ES256'), /got "ES256"/);
  const { a: both } = await make(legacy({ usernamePrefix: '-' }), {
    signingAlgs: ['RS256', 'ES256', 'HS256'],
  });
  await expectUser(both, await sign(base(), ec.privateKey, 'ec', 'ES256'), 'jane');
  await expectErr(both, `${hs}.${mac}`, /got "HS256"/);
});

test('until the JWKS is fetched: authenticator not initialized (an error, not anonymous)', async () => {
  const a = new JwtAuthenticator({
    jwt: legacy(),
    now,
    initRetryMs: 0,
    fetchJson: () => Promise.reject(new Error('connection refused')),
  });
  await a.ready();
  await expectErr(a, await sign(base()), 'oidc: authenticator not initialized');
});

test('discovery issuer mismatch leaves it uninitialized', async () => {
  const a = new JwtAuthenticator({
    jwt: legacy(),
    now,
    initRetryMs: 0,
    fetchJson: (u) =>
      Promise.resolve(
        u.endsWith('configuration') ? { issuer: 'https://evil', jwks_uri: `${ISS}/keys` } : jwks1,
      ),
  });
  await a.ready();
  await expectErr(a, await sign(base()), 'oidc: authenticator not initialized');
});

const structured = (j: Partial<JWTAuthenticator>): JWTAuthenticator => ({
  issuer: { url: ISS, audiences: ['my-client', 'other'], audienceMatchPolicy: 'MatchAny' },
  claimMappings: { username: { claim: 'sub', prefix: '' } },
  ...j,
});

test('MatchAny over several audiences; request audiences not ours are "not mine"', async () => {
  const { a } = await make(structured({}));
  await expectUser(a, await sign(base({ aud: ['x', 'other'] })), 'jane');
  await expectErr(
    a,
    await sign(base({ aud: 'x' })),
    'oidc: verify token: oidc: expected one of ["my-client" "other"] in audience, got ["x"]',
  );
  assert.deepEqual(await a.authenticateToken(await sign(base()), ['api']), { ok: false });
  const r = await a.authenticateToken(await sign(base()), ['my-client']);
  assert.ok(r.ok && r.response.audiences?.[0] === 'my-client');
});

test('CEL claim mappings: username, groups, uid, extra', async () => {
  const { a } = await make(
    structured({
      claimMappings: {
        username: { expression: "'user:' + claims.sub" },
        groups: { expression: "claims.roles.map(r, 'role:' + r)" },
        uid: { expression: 'claims.sub + "-uid"' },
        extra: [{ key: 'example.com/tenant', valueExpression: 'claims.tenant' }],
      },
    }),
  );
  const r = await expectUser(
    a,
    await sign(base({ roles: ['admin', 'dev'], tenant: 't1' })),
    'user:jane',
    ['role:admin', 'role:dev'],
    'jane-uid',
  );
  assert.ok(r.ok);
  if (r.ok) assert.deepEqual(r.response.user.extra, { 'example.com/tenant': ['t1'] });
  await expectErr(a, await sign(base({ tenant: 't1' })), /^oidc: error evaluating group claim expression/);
});

test('claim validation rules: claim/requiredValue and CEL with message', async () => {
  const { a } = await make(
    structured({
      claimValidationRules: [
        { claim: 'tier', requiredValue: 'gold' },
        { expression: "claims.sub.startsWith('j')", message: 'only j users' },
      ],
    }),
  );
  await expectUser(a, await sign(base({ tier: 'gold' })), 'jane');
  await expectErr(
    a,
    await sign(base({ tier: 'gold', sub: 'bob' })),
    "oidc: error evaluating claim validation expression: validation expression 'claims.sub.startsWith('j')' failed: only j users",
  );
  await expectErr(a, await sign(base()), 'oidc: required claim tier not present in ID token');
});

test('user validation rules (CEL on user)', async () => {
  const { a } = await make(
    structured({
      claimMappings: { username: { claim: 'sub', prefix: 'oidc:' } },
      userValidationRules: [
        { expression: "!user.username.startsWith('oidc:system')", message: 'no system users' },
      ],
    }),
  );
  await expectUser(a, await sign(base()), 'oidc:jane');
  await expectErr(
    a,
    await sign(base({ sub: 'system:admin' })),
    "oidc: error evaluating user info validation rule: validation expression '!user.username.startsWith('oidc:system')' failed: no system users",
  );
});
