/** BootstrapTokenAuthenticator, after plugin/pkg/auth/authenticator/token/bootstrap/bootstrap_test.go (TestTokenAuthenticator). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { BootstrapTokenAuthenticator, hasExpired, parseBootstrapToken } from './bootstrap-token.js';

const ID = 'foobar';
const SECRET = 'circumnavigation';
const TOKEN = `${ID}.${SECRET}`;
const NOW = new Date('2026-12-03T12:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function secret(
  o: { name?: string; ns?: string; type?: string; data?: Record<string, string>; deleting?: boolean } = {},
): KubeObject {
  const data = o.data ?? { 'token-id': ID, 'token-secret': SECRET, 'usage-bootstrap-authentication': 'true' };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: o.name ?? `bootstrap-token-${ID}`,
      namespace: o.ns ?? 'kube-system',
      ...(o.deleting ? { deletionTimestamp: '2026-12-03T11:00:00Z' } : {}),
    },
    type: o.type ?? 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  } as KubeObject;
}
const base = { 'token-id': ID, 'token-secret': SECRET, 'usage-bootstrap-authentication': 'true' };

const cases: [string, KubeObject[], string, { name: string; groups: string[] } | undefined][] = [
  ['valid token', [secret()], TOKEN, { name: 'system:bootstrap:foobar', groups: ['system:bootstrappers'] }],
  [
    'valid token with extra group',
    [secret({ data: { ...base, 'auth-extra-groups': 'system:bootstrappers:foo' } })],
    TOKEN,
    { name: 'system:bootstrap:foobar', groups: ['system:bootstrappers', 'system:bootstrappers:foo'] },
  ],
  [
    'extra groups trimmed, sorted and de-duplicated',
    [
      secret({
        data: {
          ...base,
          'auth-extra-groups': ' system:bootstrappers:b ,system:bootstrappers:a,system:bootstrappers:b',
        },
      }),
    ],
    TOKEN,
    {
      name: 'system:bootstrap:foobar',
      groups: ['system:bootstrappers', 'system:bootstrappers:a', 'system:bootstrappers:b'],
    },
  ],
  [
    'invalid group (system:masters)',
    [secret({ data: { ...base, 'auth-extra-groups': 'system:masters' } })],
    TOKEN,
    undefined,
  ],
  ['invalid group (foo)', [secret({ data: { ...base, 'auth-extra-groups': 'foo' } })], TOKEN, undefined],
  ['invalid secret', [secret()], `${ID}.wrongsecretvalue`, undefined],
  ['no usage', [secret({ data: { 'token-id': ID, 'token-secret': SECRET } })], TOKEN, undefined],
  [
    'usage false',
    [secret({ data: { ...base, 'usage-bootstrap-authentication': 'false' } })],
    TOKEN,
    undefined,
  ],
  ['wrong token id in data', [secret({ data: { ...base, 'token-id': 'barfoo' } })], TOKEN, undefined],
  ['wrong secret type (Opaque)', [secret({ type: 'Opaque' })], TOKEN, undefined],
  ['outside kube-system', [secret({ ns: 'default' })], TOKEN, undefined],
  ['deleted secret', [secret({ deleting: true })], TOKEN, undefined],
  ['expired token', [secret({ data: { ...base, expiration: '2026-12-03T11:59:59Z' } })], TOKEN, undefined],
  [
    'not expired token',
    [secret({ data: { ...base, expiration: '2026-12-03T12:00:01Z' } })],
    TOKEN,
    { name: 'system:bootstrap:foobar', groups: ['system:bootstrappers'] },
  ],
  [
    'unparseable expiration counts as expired',
    [secret({ data: { ...base, expiration: 'tomorrow' } })],
    TOKEN,
    undefined,
  ],
  ['token too short', [secret()], `${ID}.circumnavigatio`, undefined],
  ['token with upper case', [secret()], `${ID}.CIRCUMNAVIGATION`, undefined],
  ['no secret', [], TOKEN, undefined],
];

for (const [name, secrets, token, want] of cases) {
  test(`TestTokenAuthenticator: ${name}`, () => {
    const byKey = new Map(secrets.map((s) => [`${s.metadata!.namespace}/${s.metadata!.name}`, s]));
    const logs: string[] = [];
    const a = new BootstrapTokenAuthenticator((ns, n) => byKey.get(`${ns}/${n}`), {
      now: () => NOW,
      log: (m) => logs.push(m),
    });
    const r = a.authenticateToken(token);
    if (!want) {
      assert.deepEqual(r, { ok: false });
      assert.ok(
        logs.every((l) => !l.includes(SECRET)),
        'the secret is never logged',
      );
      return;
    }
    assert.ok(r.ok);
    assert.deepEqual(r.response.user, { name: want.name, uid: '', groups: want.groups, extra: {} });
  });
}

test('parseBootstrapToken and hasExpired', () => {
  assert.deepEqual(parseBootstrapToken('abcdef.0123456789abcdef'), {
    id: 'abcdef',
    secret: '0123456789abcdef',
  });
  for (const bad of [
    'abcdef.0123456789abcde',
    'abcdef0123456789abcdef',
    'abcde.0123456789abcdefg',
    ' abcdef.0123456789abcdef',
  ])
    assert.equal(parseBootstrapToken(bad), undefined, bad);
  assert.equal(hasExpired(secret(), NOW), false);
  assert.equal(hasExpired(secret({ data: { expiration: '2026-12-03T13:00:00+02:00' } }), NOW), true);
});
