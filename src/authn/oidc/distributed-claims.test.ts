/**
 * Distributed groups claims against a real local HTTPS issuer (test CA, discovery, JWKS and a
 * claims endpoint on one node:https server), rows after oidc_test.go (TestToken's "groups-
 * distributed*" cases): resolved for the legacy --oidc-groups-claim and for claimMappings.groups
 * of the structured config; the access token is sent as bearer; a normal claim wins without a
 * fetch; the errors of claimResolver (missing source, non-2xx, an answer without the claim, an
 * answer from another issuer, one signed by an unknown key, expired, wrong audience) are 401s
 * with upstream's texts; an aggregated claim (JWT source) is left alone.
 *
 * @module
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createSelfSignedCa, issueCertAndKey } from '../../pki/cert.js';
import { generateRsaKeyPair } from '../../pki/keys.js';
import { legacyOidcToJwt, parseAuthenticationConfiguration } from './config.js';
import { JwtAuthenticator } from './jwt.js';

const key = await generateKeyPair('RS256');
const stranger = await generateKeyPair('RS256');
let server: Server;
let caPem: string;
let iss: string;
const seen: { path: string; auth?: string }[] = [];
/** path → [status, body] of the claims endpoints. */
const answers = new Map<string, () => Promise<[number, string]>>();

before(async () => {
  const [caKey, leafKey] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const ca = await createSelfSignedCa({ commonName: 'distributed-claims-ca', keyPair: caKey });
  const leaf = await issueCertAndKey(ca, leafKey, {
    subject: { commonName: 'issuer' },
    usages: ['digital signature', 'key encipherment', 'server auth'],
    altNames: { ips: ['127.0.0.1'] },
  });
  caPem = ca.certPem;
  const jwks = { keys: [{ ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  server = createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    const send = (code: number, body: string) => res.writeHead(code).end(body);
    if (req.url === '/.well-known/openid-configuration')
      return send(200, JSON.stringify({ issuer: iss, jwks_uri: `${iss}/keys` }));
    if (req.url === '/keys') return send(200, JSON.stringify(jwks));
    const a = answers.get(req.url ?? '');
    if (!a) return send(404, 'not found');
    void a().then(([code, body]) => send(code, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  iss = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

const exp = () => Math.floor(Date.now() / 1000) + 600;
const sign = (claims: Record<string, unknown>, k = key.privateKey, kid = 'k1') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(k);
const distributed = (path: string, accessToken?: string) => ({
  _claim_names: { groups: 'src1' },
  _claim_sources: {
    src1: { endpoint: `${iss}${path}`, ...(accessToken ? { access_token: accessToken } : {}) },
  },
});

function legacyAuthenticator(): JwtAuthenticator {
  return new JwtAuthenticator({
    jwt: legacyOidcToJwt({
      issuerURL: iss,
      clientID: 'my-client',
      caPem,
      usernameClaim: 'sub',
      usernamePrefix: '-',
      groupsClaim: 'groups',
      groupsPrefix: 'oidc:',
      requiredClaims: {},
    }),
    initRetryMs: 0,
  });
}

test('legacy flags: the groups claim is fetched with the access token and verified', async () => {
  answers.set('/groups/jane', async () => [
    200,
    await sign({ iss, aud: 'my-client', exp: exp(), groups: ['team-a', 'team-b'] }),
  ]);
  const a = legacyAuthenticator();
  await a.ready();
  const token = await sign({
    iss,
    aud: 'my-client',
    sub: 'jane',
    exp: exp(),
    ...distributed('/groups/jane', 'f005ba11'),
  });
  const r = await a.authenticateToken(token, []);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.response.user.groups, ['oidc:team-a', 'oidc:team-b']);
  assert.deepEqual(seen.at(-1), { path: '/groups/jane', auth: 'Bearer f005ba11' });

  // A normal claim wins: nothing is fetched.
  const before = seen.length;
  const plain = await sign({
    iss,
    aud: 'my-client',
    sub: 'jane',
    exp: exp(),
    groups: 'x',
    ...distributed('/groups/jane'),
  });
  const r2 = await a.authenticateToken(plain, []);
  assert.ok(r2.ok);
  assert.deepEqual(r2.response.user.groups, ['oidc:x']);
  assert.equal(seen.length, before);
  a.close();
});

test('structured config: claimMappings.groups.claim resolves too; CEL sees the resolved claim', async () => {
  answers.set('/groups/ops', async () => [200, await sign({ iss, aud: 'k8s', exp: exp(), groups: 'ops' })]);
  const cfg = parseAuthenticationConfiguration(`apiVersion: apiserver.config.k8s.io/v1
kind: AuthenticationConfiguration
jwt:
- issuer: {url: "${iss}", audiences: [k8s]}
  claimMappings:
    username: {claim: sub, prefix: ""}
    groups: {claim: groups, prefix: ""}
  claimValidationRules:
  - expression: "claims.groups == 'ops'"
    message: must be ops
`);
  cfg.jwt[0].issuer.certificateAuthority = caPem;
  const a = new JwtAuthenticator({ jwt: cfg.jwt[0], initRetryMs: 0 });
  await a.ready();
  const r = await a.authenticateToken(
    await sign({ iss, aud: 'k8s', sub: 'bob', exp: exp(), ...distributed('/groups/ops') }),
    [],
  );
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.response.user.groups, ['ops']);
  assert.equal(seen.at(-1)?.auth, undefined, 'no access token: no Authorization header');
  a.close();
});

test('errors are 401s with claimResolver texts', async () => {
  answers.set('/status/403', async () => [403, 'no']);
  answers.set('/no-claim', async () => [200, await sign({ iss, aud: 'my-client', exp: exp() })]);
  answers.set('/other-issuer', async () => [
    200,
    await sign({ iss: 'https://evil.example', aud: 'my-client', exp: exp(), groups: ['admin'] }),
  ]);
  answers.set('/stranger-key', async () => [
    200,
    await sign({ iss, aud: 'my-client', exp: exp(), groups: ['admin'] }, stranger.privateKey),
  ]);
  answers.set('/expired', async () => [200, await sign({ iss, aud: 'my-client', exp: 1000, groups: ['a'] })]);
  answers.set('/wrong-aud', async () => [200, await sign({ iss, aud: 'other', exp: exp(), groups: ['a'] })]);
  answers.set('/not-a-jwt', async () => [200, '{"groups":["admin"]}']);
  const a = legacyAuthenticator();
  await a.ready();
  const prefix = 'oidc: could not expand distributed claims: ';
  const rows: [string, Record<string, unknown>, string | RegExp][] = [
    [
      'source missing',
      { _claim_names: { groups: 'src9' }, _claim_sources: {} },
      `${prefix}id token _claim_names contained a source src9 missing in _claims_sources`,
    ],
    ['no sources', { _claim_names: { groups: 'src1' } }, `${prefix}oidc: no claim sources`],
    [
      'names not a map',
      { _claim_names: ['groups'], _claim_sources: {} },
      /error parsing distributed claim names: json: cannot unmarshal array/,
    ],
    [
      '403',
      distributed('/status/403'),
      `${prefix}while getting distributed claim "groups": error while getting distributed claim JWT: 403 Forbidden`,
    ],
    [
      'http endpoint',
      { _claim_names: { groups: 's' }, _claim_sources: { s: { endpoint: 'http://127.0.0.1:1/x' } } },
      /only https is supported/,
    ],
    [
      'answer lacks the claim',
      distributed('/no-claim'),
      `${prefix}jwt returned by distributed claim endpoint "${iss}/no-claim" did not contain claim: groups`,
    ],
    [
      'answer from another issuer',
      distributed('/other-issuer'),
      /verifying untrusted issuer https:\/\/evil\.example failed/,
    ],
    [
      'answer signed by an unknown key',
      distributed('/stranger-key'),
      /verify distributed claim token: failed to verify signature/,
    ],
    ['answer expired', distributed('/expired'), /verify distributed claim token: oidc: token is expired/],
    [
      'answer for another audience',
      distributed('/wrong-aud'),
      /verify distributed claim token: oidc: expected audience "my-client" got \["other"\]/,
    ],
    [
      'answer not a compact JWT',
      distributed('/not-a-jwt'),
      /getting untrusted issuer from endpoint .* failed for claim "groups": token is not compact JWT/,
    ],
  ];
  for (const [name, extra, want] of rows) {
    const r = await a.authenticateToken(
      await sign({ iss, aud: 'my-client', sub: 'jane', exp: exp(), ...extra }),
      [],
    );
    assert.ok(!r.ok && r.error, `${name}: refused with an error`);
    if (typeof want === 'string') assert.equal(r.error.message, want, name);
    else assert.match(r.error.message, want, name);
  }
  // Aggregated claims (a JWT source, no endpoint) are not resolved: no groups, no error.
  const agg = await a.authenticateToken(
    await sign({
      iss,
      aud: 'my-client',
      sub: 'jane',
      exp: exp(),
      _claim_names: { groups: 's' },
      _claim_sources: { s: { JWT: 'a.b.c' } },
    }),
    [],
  );
  assert.ok(agg.ok);
  assert.deepEqual(agg.response.user.groups, []);
  a.close();
});
