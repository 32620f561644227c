/** CachedTokenAuthenticator, after cached_token_authenticator_test.go (TestCachedTokenAuthenticator, audiences, singleflight). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachedTokenAuthenticator, MEMO_MAX_TOKEN } from './token-cache.js';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

const user = (name: string): AuthResult => ({
  ok: true,
  response: { user: { name, uid: '', groups: [], extra: {} } },
});

function counting(
  answer: (token: string, auds: string[]) => AuthResult,
): TokenAuthenticator & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    authenticateToken(token, auds) {
      calls.push(token);
      return answer(token, auds);
    },
  };
}

test('TestCachedTokenAuthenticator: successes are cached for the TTL, failures are not (failure TTL 0)', async () => {
  let t = 0;
  const inner = counting((tok) => (tok === 'good' ? user('alice') : { ok: false }));
  const c = new CachedTokenAuthenticator(inner, { successTtlMs: 10_000, failureTtlMs: 0, now: () => t });
  assert.deepEqual(await c.authenticateToken('good', []), user('alice'));
  assert.deepEqual(await c.authenticateToken('good', []), user('alice'));
  assert.deepEqual(await c.authenticateToken('bad', []), { ok: false });
  assert.deepEqual(await c.authenticateToken('bad', []), { ok: false });
  assert.deepEqual(inner.calls, ['good', 'bad', 'bad']);
  t = 10_001;
  await c.authenticateToken('good', []);
  assert.deepEqual(inner.calls, ['good', 'bad', 'bad', 'good']);
});

test('failures are cached when a failure TTL is set; errors too', async () => {
  let t = 0;
  const inner = counting(() => ({ ok: false, error: new Error('token has expired') }));
  const c = new CachedTokenAuthenticator(inner, { successTtlMs: 10_000, failureTtlMs: 1000, now: () => t });
  const r1 = await c.authenticateToken('x', []);
  const r2 = await c.authenticateToken('x', []);
  assert.equal(r1.ok, false);
  assert.equal(!r2.ok && r2.error?.message, 'token has expired');
  assert.equal(inner.calls.length, 1);
  t = 1001;
  await c.authenticateToken('x', []);
  assert.equal(inner.calls.length, 2);
});

test('TestCachedAuditAnnotations-like: the audiences are part of the key', async () => {
  const inner = counting((_t, auds) => (auds.includes('api') ? user('alice') : { ok: false }));
  const c = new CachedTokenAuthenticator(inner, { successTtlMs: 10_000, failureTtlMs: 10_000 });
  assert.equal((await c.authenticateToken('t', ['api'])).ok, true);
  assert.equal((await c.authenticateToken('t', ['other'])).ok, false);
  assert.equal((await c.authenticateToken('t', ['api'])).ok, true);
  assert.equal(inner.calls.length, 2);
  // Audience lists that concatenate alike still get distinct keys.
  assert.notEqual(c.key('t', ['ab', 'c']), c.key('t', ['a', 'bc']));
  assert.notEqual(c.key('t', ['a']), c.key('t', []));
});

test('audience-set ids are never reused, even after the id table is cleared', async () => {
  const inner = counting((_t, auds) => (auds[0] === 'api' ? user('alice') : { ok: false }));
  const c = new CachedTokenAuthenticator(inner, { successTtlMs: 10_000, failureTtlMs: 10_000 });
  assert.equal((await c.authenticateToken('t', ['api'])).ok, true);
  // 5,000 other sets (more than the id table keeps) all answered false and cached.
  for (let i = 0; i < 5000; i++) assert.equal((await c.authenticateToken('t', [`aud-${i}`])).ok, false);
  const keys = new Set<string>();
  for (let i = 0; i < 5000; i++) keys.add(c.key('t', [`again-${i}`]));
  keys.add(c.key('t', ['api']));
  assert.equal(keys.size, 5001, 'every set gets a key of its own');
  // After the clear, ['api'] has a new id: a miss and a fresh call, never another set's answer.
  const before = inner.calls.length;
  assert.equal((await c.authenticateToken('t', ['api'])).ok, true);
  assert.equal(inner.calls.length, before + 1);
});

test('a connection remembers its last answer only while the cache entry lives', async () => {
  let now = 1_000;
  const inner = counting((t) => (t.startsWith('good') ? user(t) : { ok: false }));
  const c = new CachedTokenAuthenticator(inner, {
    successTtlMs: 10_000,
    failureTtlMs: 0,
    maxEntries: 4,
    now: () => now,
  });
  const auds: string[] = [];
  const conn = {};
  assert.equal((await c.authenticateToken('good-1', auds, conn)).ok, true);
  const first = await c.authenticateToken('good-1', auds, conn);
  assert.equal(await c.authenticateToken('good-1', auds, conn), first, 'the cached answer, by memo');
  assert.equal(inner.calls.length, 1);
  // Another token on the same connection is looked up on its own, never answered by the memo.
  assert.equal((await c.authenticateToken('bad-1', auds, conn)).ok, false);
  assert.equal((await c.authenticateToken('good-10', auds, conn)).ok, true);
  assert.equal(
    ((await c.authenticateToken('good-10', auds, conn)) as { response: { user: { name: string } } }).response
      .user.name,
    'good-10',
  );
  // Same token, other audiences: not the memo's answer.
  const other = ['other'];
  await c.authenticateToken('good-10', other, conn);
  assert.equal(inner.calls.at(-1), 'good-10');
  const calls = inner.calls.length;
  // Expiry: past the TTL the memo does not answer; the token is looked up again.
  now += 10_001;
  await c.authenticateToken('good-10', auds, conn);
  assert.equal(inner.calls.length, calls + 1);
  // Eviction: once the entry left the cache, the memo does not answer either.
  await c.authenticateToken('good-10', auds, conn); // memo set again
  for (let i = 0; i < 5; i++) await c.authenticateToken(`good-x${i}`, auds);
  assert.equal(c.size, 4);
  const before = inner.calls.length;
  await c.authenticateToken('good-10', auds, conn);
  assert.equal(inner.calls.length, before + 1, 'evicted: looked up again');
  // The memo key is private to the cache: nothing enumerable is added to the connection.
  assert.deepEqual(Object.keys(conn), []);
  // A long token (a JWT) is not remembered: the connection keeps no copy of it.
  const long = `good-${'x'.repeat(MEMO_MAX_TOKEN)}`;
  const conn2 = {};
  await c.authenticateToken(long, auds, conn2);
  await c.authenticateToken(long, auds, conn2);
  assert.deepEqual(Object.getOwnPropertySymbols(conn2), []);
  await c.authenticateToken('good-1', auds, conn2);
  await c.authenticateToken('good-1', auds, conn2);
  assert.equal(Object.getOwnPropertySymbols(conn2).length, 1);
});

test('concurrent look-ups of one token share one call (singleflight)', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const c = new CachedTokenAuthenticator(
    {
      async authenticateToken() {
        calls++;
        await gate;
        return user('bob');
      },
    },
    { successTtlMs: 10_000, failureTtlMs: 0 },
  );
  const all = Promise.all([1, 2, 3, 4].map(() => c.authenticateToken('t', [])));
  release();
  const rs = await all;
  assert.equal(calls, 1);
  assert.ok(rs.every((r) => r.ok && r.response.user.name === 'bob'));
});

test('bounded: the least recently used entry goes first', async () => {
  const inner = counting((tok) => user(tok));
  const c = new CachedTokenAuthenticator(inner, { successTtlMs: 10_000, failureTtlMs: 0, maxEntries: 2 });
  await c.authenticateToken('a', []);
  await c.authenticateToken('b', []);
  await c.authenticateToken('a', []); // a is now the most recent
  await c.authenticateToken('c', []); // evicts b
  assert.equal(c.size, 2);
  inner.calls.length = 0;
  await c.authenticateToken('a', []);
  await c.authenticateToken('b', []);
  assert.deepEqual(inner.calls, ['b']);
});

test('the cache keeps no raw token', async () => {
  const secret = 'very-secret-token-value-123456';
  const c = new CachedTokenAuthenticator(
    { authenticateToken: () => user('u') },
    { successTtlMs: 10_000, failureTtlMs: 0 },
  );
  await c.authenticateToken(secret, ['api']);
  const keys = [...(c as unknown as { entries: Map<string, unknown> }).entries.keys()];
  assert.equal(keys.length, 1);
  assert.ok(!keys[0].includes(secret));
  assert.equal(Buffer.from(keys[0], 'latin1').length, 32); // the SHA-256 digest itself
});

test('cacheErrors false (the webhook cache): failures are cached, errors are not', async () => {
  let calls = 0;
  const c = new CachedTokenAuthenticator(
    {
      authenticateToken(tok) {
        calls++;
        return tok === 'down' ? { ok: false, error: new Error('webhook down') } : { ok: false };
      },
    },
    { successTtlMs: 120_000, failureTtlMs: 120_000, cacheErrors: false },
  );
  await c.authenticateToken('down', []);
  await c.authenticateToken('down', []);
  await c.authenticateToken('unknown', []);
  await c.authenticateToken('unknown', []);
  assert.equal(calls, 3);
});

test('approximate LRU: a token used at least once every max/2 insertions is never evicted', async () => {
  const inner = counting((tok) => user(tok));
  const c = new CachedTokenAuthenticator(inner, { successTtlMs: 10_000, failureTtlMs: 0, maxEntries: 100 });
  await c.authenticateToken('hot', []);
  for (let i = 0; i < 1000; i++) {
    await c.authenticateToken(`cold-${i}`, []);
    if (i % 50 === 49) await c.authenticateToken('hot', []);
    assert.ok(c.size <= 100);
  }
  assert.equal(inner.calls.filter((t) => t === 'hot').length, 1);
  // A token unused for a full cache's worth of insertions is gone.
  inner.calls.length = 0;
  await c.authenticateToken('cold-0', []);
  assert.deepEqual(inner.calls, ['cold-0']);
});

test('stale-if-error (delegating servers): an expired entry answers only for unreachable errors, within the window', async () => {
  let t = 0;
  let answer: AuthResult = user('alice');
  const down = Object.assign(new Error('connection refused'), { unreachable: true });
  const inner = counting(() => answer);
  const stale: number[] = [];
  const c = new CachedTokenAuthenticator(inner, {
    successTtlMs: 1000,
    failureTtlMs: 1000,
    cacheErrors: false,
    now: () => t,
    staleIfErrorMs: 5000,
    isUnreachable: (e) => (e as { unreachable?: boolean }).unreachable === true,
    onStale: (age) => stale.push(age),
  });
  assert.deepEqual(await c.authenticateToken('tok', []), user('alice'));
  t = 2000;
  answer = { ok: false, error: down };
  assert.deepEqual(await c.authenticateToken('tok', []), user('alice'), 'the stale entry answers');
  assert.deepEqual(stale, [1000]);
  answer = { ok: false, error: new Error('token has been revoked') };
  const revoked = await c.authenticateToken('tok', []);
  assert.equal(
    !revoked.ok && revoked.error?.message,
    'token has been revoked',
    "the server's own answer wins",
  );
  answer = { ok: false, error: down };
  assert.equal((await c.authenticateToken('other', [])).ok, false, 'never cached: refused');
  t = 6001;
  assert.equal((await c.authenticateToken('tok', [])).ok, false, 'past TTL + window: refused');
});
