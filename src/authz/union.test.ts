// Union semantics of k8s.io/apiserver/pkg/authorization/union (FACTS.md §4.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unionAuthorizer } from './union.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from './always.js';
import type { Attributes, Authorizer } from './interfaces.js';

const attrs = (groups: string[]): Attributes => ({
  user: { name: 'bob', uid: '', groups, extra: {} },
  verb: 'list',
  isResourceRequest: true,
  path: '/api/v1/nodes',
  namespace: '',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'nodes',
  subresource: '',
  name: '',
});
const abstain = (name: string, reason: string): Authorizer => ({
  name,
  authorize: () => ({ decision: 'NoOpinion', reason }),
});

test('first Allow wins', async () => {
  const u = unionAuthorizer([abstain('A', 'no'), alwaysAllow, alwaysDeny]);
  assert.equal((await u.authorize(attrs([]))).decision, 'Allow');
});

test('first Deny wins and stops the chain', async () => {
  const u = unionAuthorizer([alwaysDeny, alwaysAllow]);
  assert.deepEqual(await u.authorize(attrs([])), { decision: 'Deny', reason: 'Everything is forbidden.' });
});

test('all abstain: NoOpinion with the non-empty reasons joined by newline', async () => {
  const u = unionAuthorizer([abstain('Node', ''), abstain('RBAC', 'no binding'), abstain('Webhook', 'nope')]);
  assert.deepEqual(await u.authorize(attrs([])), {
    decision: 'NoOpinion',
    reason: 'no binding\nnope',
  });
});

test('async authorizers are awaited in order', async () => {
  const later: Authorizer = {
    name: 'W',
    authorize: async () => ({ decision: 'Allow', reason: 'webhook said yes' }),
  };
  const u = unionAuthorizer([abstain('RBAC', ''), later, alwaysDeny]);
  assert.deepEqual(await u.authorize(attrs([])), { decision: 'Allow', reason: 'webhook said yes' });
});

test('system:masters is always allowed; anyone else is not by that authorizer', async () => {
  const p = privilegedGroups();
  assert.equal((await p.authorize(attrs(['system:masters']))).decision, 'Allow');
  assert.equal((await p.authorize(attrs(['system:authenticated']))).decision, 'NoOpinion');
});
