// buildHandlerChain runs the filters in upstream's order (DefaultBuildHandlerChain, FACTS.md §1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHandlerChain, CHAIN_ORDER } from './chain.js';
import type { RequestContext } from './context.js';

test('request info is resolved before authentication, authorization runs last, as the authenticated user', async () => {
  const seen: string[] = [];
  const handler = buildHandlerChain({
    authenticator: {
      authenticate: () => {
        seen.push('authentication');
        return { ok: true, response: { user: { name: 'u', uid: '', groups: [], extra: {} } } };
      },
    },
    afterAuthentication: [
      (next) => async (ctx) => (seen.push(`impersonation(${ctx.user?.name})`), next(ctx)),
    ],
    authorizer: {
      name: 't',
      authorize: (a) => {
        seen.push(`authorization(${a.user.name},${a.verb},${a.resource})`);
        return { decision: 'Allow', reason: '' };
      },
    },
    api: async (ctx) => {
      seen.push(`api(${ctx.info.verb})`);
    },
  });
  const ctx = {
    req: { headers: {}, rawHeaders: [], method: 'GET', url: '/api/v1/pods' },
    res: {},
    method: 'GET',
    path: '/api/v1/pods',
    query: new URLSearchParams(),
    warnings: [],
  } as unknown as RequestContext;
  await handler(ctx);
  assert.equal(ctx.info.verb, 'list');
  assert.deepEqual(seen, ['authentication', 'impersonation(u)', 'authorization(u,list,pods)', 'api(list)']);
  assert.deepEqual(
    [...CHAIN_ORDER],
    [
      'panicRecovery',
      'requestInfo',
      'requestTimeout',
      'authentication',
      '...afterAuthentication',
      'authorization',
      'api',
    ],
  );
});
