/**
 * The delegated auth filter, after pkg/kubelet/server/server_test.go (TestAuthFilters: 401 on
 * authentication failure, 500 on an authorization error, 403 when not allowed) and kube-rbac-proxy's
 * pkg/filters/auth_test.go; and the delegating authenticator's assembly (authenticatorfactory/delegating.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult, RequestAuthenticator } from '../authn/interfaces.js';
import { resourceAttributes, type Authorizer, type AuthzResult } from '../authz/interfaces.js';
import { buildDelegatingAuthenticator } from './authenticator.js';
import { withDelegatedAuth, type ErrorStyle } from './filter.js';

function fakeRes() {
  const out = { code: 0, headers: {} as Record<string, string>, body: '', headersSent: false };
  const res = {
    get headersSent() {
      return out.headersSent;
    },
    writeHead(code: number, headers: Record<string, string>) {
      out.code = code;
      out.headers = headers;
      out.headersSent = true;
    },
    end(b?: string) {
      out.body = b ?? '';
    },
    destroy() {},
  } as unknown as ServerResponse;
  return { res, out };
}

const req = { headersDistinct: {}, socket: {}, method: 'GET' } as unknown as IncomingMessage;
const alice = { name: 'alice', uid: '', groups: [], extra: {} };

async function run(authn: AuthResult, authz: AuthzResult[], style: ErrorStyle = 'restful', attrs = 1) {
  const authenticator: RequestAuthenticator = { authenticate: () => authn };
  let i = 0;
  const authorizer: Authorizer = { name: 'fake', authorize: () => authz[i++] };
  const logs: string[] = [];
  let reached = false;
  const h = withDelegatedAuth(
    (_q, res) => {
      reached = true;
      res.writeHead(200, {});
      res.end('ok');
    },
    {
      authenticator,
      authorizer,
      attributes: (u) =>
        Array.from({ length: attrs }, (_, n) =>
          resourceAttributes(u, {
            verb: 'get',
            resource: 'nodes',
            subresource: n ? 'metrics' : 'stats',
            name: 'node1',
          }),
        ),
      style,
      log: (l) => logs.push(l),
    },
  );
  const { res, out } = fakeRes();
  await h(req, res, '/stats/summary');
  return { ...out, reached, logs };
}

const ok: AuthResult = { ok: true, response: { user: alice } };
const allow: AuthzResult = { decision: 'Allow', reason: '' };

test('rows: authentication and authorization outcomes → status and upstream text', async () => {
  const rows: [string, AuthResult, AuthzResult[], number, string][] = [
    ['not authenticated', { ok: false }, [], 401, 'Unauthorized'],
    ['authentication error', { ok: false, error: new Error('bad cert') }, [], 401, 'Unauthorized'],
    ['allowed', ok, [allow], 200, 'ok'],
    [
      'denied',
      ok,
      [{ decision: 'Deny', reason: 'no' }],
      403,
      'Forbidden (user=alice, verb=get, resource=nodes, subresource=stats)',
    ],
    [
      'no opinion',
      ok,
      [{ decision: 'NoOpinion', reason: '' }],
      403,
      'Forbidden (user=alice, verb=get, resource=nodes, subresource=stats)',
    ],
    [
      'error (checked before the decision, as the kubelet does)',
      ok,
      [{ decision: 'Allow', reason: '', error: new Error('boom') }],
      500,
      'Authorization error (user=alice, verb=get, resource=nodes, subresource=stats)',
    ],
  ];
  for (const [name, authn, authz, code, body] of rows) {
    const r = await run(authn, authz);
    assert.equal(r.code, code, name);
    assert.equal(r.body, body, name);
    assert.equal(r.reached, code === 200, name);
  }
});

test('every attribute set must be allowed; none at all is a 400 (kube-rbac-proxy)', async () => {
  const r = await run(ok, [allow, { decision: 'NoOpinion', reason: '' }], 'http.Error', 2);
  assert.equal(r.code, 403);
  assert.equal(r.body, 'Forbidden (user=alice, verb=get, resource=nodes, subresource=metrics)\n');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  const none = await run(ok, [], 'http.Error', 0);
  assert.equal(none.code, 400);
  assert.equal(none.body, 'Bad Request. The request or configuration is malformed.\n');
});

test('authentication errors are logged, credentials never', async () => {
  const r = await run({ ok: false, error: new Error('invalid bearer token') }, []);
  assert.deepEqual(r.logs, ['E Unable to authenticate the request due to an error: invalid bearer token']);
});

test('delegating authenticator: anonymous only, nothing at all, anonymous behind fail-on-error', async () => {
  const anon = buildDelegatingAuthenticator({ anonymous: true }).authenticator;
  const r = await anon.authenticate({ headers: {}, path: '/' });
  assert.ok(r.ok && r.response.user.name === 'system:anonymous');
  assert.deepEqual(r.ok && r.response.user.groups, ['system:unauthenticated']);
  assert.throws(
    () => buildDelegatingAuthenticator({ anonymous: false }),
    /no authentication method configured/,
  );
  // A bearer token the TokenReview path cannot check is an error: never downgraded to anonymous.
  const withToken = buildDelegatingAuthenticator({
    anonymous: true,
    tokenReview: {
      connection: { server: 'http://127.0.0.1:1/apis/authentication.k8s.io/v1/tokenreviews' },
      cacheTtlMs: 1000,
      timeoutMs: 500,
      backoff: { duration: 1, factor: 1, jitter: 0, steps: 1 },
    },
  }).authenticator;
  const bad = await withToken.authenticate({ headers: { authorization: ['Bearer abc'] }, path: '/' });
  assert.equal(bad.ok, false);
  assert.match((!bad.ok && bad.error?.message) || '', /webhook authentication failed/);
  const none = await withToken.authenticate({ headers: {}, path: '/' });
  assert.ok(none.ok && none.response.user.name === 'system:anonymous');
});
