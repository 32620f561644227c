/** bearerTokenAuthenticator, after bearertoken_test.go (TestAuthenticateRequest*), and audienceAgnostic. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audienceAgnostic } from './audiences.js';
import { EXTRA_SPACE_WARNING, bearerTokenAuthenticator, bearerTokenOf } from './bearer-token.js';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

const response = { user: { name: 'user', uid: '', groups: [], extra: {} } };
const user: AuthResult = { ok: true, response };
const only = (good: string): TokenAuthenticator => ({
  authenticateToken: (t) => (t === good ? user : { ok: false }),
});
const req = (authorization?: string) => ({
  headers: authorization === undefined ? {} : { authorization: [authorization] },
  path: '/',
});

test('TestAuthenticateRequest: a good token authenticates', async () => {
  assert.deepEqual(await bearerTokenAuthenticator(only('token'), []).authenticate(req('Bearer token')), user);
});

test('the scheme is case-insensitive; surrounding space is trimmed', async () => {
  for (const h of ['bearer token', 'BEARER token', '  Bearer token  '])
    assert.ok((await bearerTokenAuthenticator(only('token'), []).authenticate(req(h))).ok, h);
});

test('TestAuthenticateRequestTokenInvalid: an unknown token is an error, never "not mine"', async () => {
  const r = await bearerTokenAuthenticator(only('token'), []).authenticate(req('Bearer other'));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error?.message, 'invalid bearer token');
});

test('TestAuthenticateRequestTokenError: the authenticator error is kept', async () => {
  const r = await bearerTokenAuthenticator(
    { authenticateToken: () => ({ ok: false, error: new Error('error') }) },
    [],
  ).authenticate(req('Bearer token'));
  assert.equal(!r.ok && r.error?.message, 'error');
});

test('TestAuthenticateRequestBadValue: headers that carry no bearer token are not ours', async () => {
  const warnings: string[] = [];
  for (const h of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearertoken', 'Bearer  token'])
    assert.deepEqual(
      await bearerTokenAuthenticator(only('token'), [], (w) => warnings.push(w)).authenticate(req(h)),
      { ok: false },
      String(h),
    );
  assert.deepEqual(warnings, [EXTRA_SPACE_WARNING]);
  // "Bearer token extra" keeps the middle part as the token, as strings.SplitN(…, 3) does.
  assert.equal(bearerTokenOf('Bearer token extra'), 'token');
});

test('a response for other audiences than the API audiences is refused', async () => {
  const a = bearerTokenAuthenticator(
    { authenticateToken: () => ({ ok: true, response: { ...response, audiences: ['vault'] } }) },
    ['api'],
  );
  const r = await a.authenticate(req('Bearer t'));
  assert.equal(!r.ok && r.error?.message, 'Unable to match the audience');
});

test('WrapAudienceAgnosticToken: valid for the API audiences only', async () => {
  const a = audienceAgnostic(['api', 'k8s'], only('t'));
  assert.deepEqual(await a.authenticateToken('t', ['vault']), { ok: false });
  const r = await a.authenticateToken('t', ['vault', 'k8s']);
  assert.ok(r.ok);
  assert.deepEqual(r.response.audiences, ['k8s']);
  assert.deepEqual(await a.authenticateToken('t', []), user);
});
