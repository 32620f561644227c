/**
 * kube-rbac-proxy's attributes (pkg/proxy/proxy_test.go cases), its config file, and the
 * --allow-paths/--ignore-paths patterns (Go path.Match).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { proxyAttributes } from './attributes.js';
import { parseProxyConfig } from './config.js';
import { pathMatcher } from './paths.js';

const user = { name: 'sa', uid: '', groups: [], extra: {} };
const req = (method: string, headers: Record<string, string> = {}) =>
  ({ method, headers }) as unknown as IncomingMessage;

test('no resourceAttributes: one non-resource request for the path, verb from the method', () => {
  const [a, ...rest] = proxyAttributes({}, user, req('GET'), '/metrics', new URLSearchParams());
  assert.equal(rest.length, 0);
  assert.equal(a.isResourceRequest, false);
  assert.equal(a.path, '/metrics');
  assert.equal(a.verb, 'get');
  assert.equal(proxyAttributes({}, user, req('DELETE'), '/x', new URLSearchParams())[0].verb, 'delete');
});

test('resourceAttributes without rewrites: the configured fields', () => {
  const cfg = parseProxyConfig(
    'authorization:\n  resourceAttributes:\n    namespace: default\n    apiVersion: v1\n    resource: services\n    subresource: proxy\n    name: app\n',
  );
  const [a] = proxyAttributes(cfg, user, req('POST'), '/x', new URLSearchParams());
  assert.deepEqual(
    [a.isResourceRequest, a.verb, a.namespace, a.apiVersion, a.resource, a.subresource, a.name],
    [true, 'create', 'default', 'v1', 'services', 'proxy', 'app'],
  );
});

test('rewrites: one request per query value then header value, {{ .Value }} filled; none = no attributes', () => {
  const cfg = parseProxyConfig(
    [
      'authorization:',
      '  rewrites:',
      '    byQueryParameter: {name: namespace}',
      '    byHTTPHeader: {name: X-Namespace}',
      '  resourceAttributes:',
      '    namespace: "{{ .Value }}"',
      '    resource: pods',
      '    name: "prefix-{{.Value}}"',
    ].join('\n'),
  );
  const got = proxyAttributes(
    cfg,
    user,
    req('GET', { 'x-namespace': 'c' }),
    '/',
    new URLSearchParams('namespace=a&namespace=b'),
  );
  assert.deepEqual(
    got.map((a) => [a.namespace, a.name]),
    [
      ['a', 'prefix-a'],
      ['b', 'prefix-b'],
      ['c', 'prefix-c'],
    ],
  );
  assert.deepEqual(proxyAttributes(cfg, user, req('GET'), '/', new URLSearchParams()), []);
});

test('config file errors', () => {
  const rows: [string, RegExp][] = [
    ['authorization:\n  static: []\n', /static authorizer is not implemented/],
    ['authorization:\n  resourceAttributes:\n    name: "{{ .Other }}"\n', /only \{\{ \.Value \}\}/],
    ['authorization:\n  bogus: 1\n', /unknown field "authorization.bogus"/],
    ['other: 1\n', /unknown field "other"/],
    ['authorization:\n  rewrites:\n    byQueryParameter: ns\n', /must be \{name: <string>\}/],
  ];
  for (const [text, want] of rows) assert.throws(() => parseProxyConfig(text), want, text);
  assert.deepEqual(parseProxyConfig(''), {});
});

test('path patterns: Go path.Match', () => {
  const m = pathMatcher(['/metrics', '/api/*/status', '/v?', '/[ab]x']);
  const rows: [string, boolean][] = [
    ['/metrics', true],
    ['/metrics/', false],
    ['/api/v1/status', true],
    ['/api/v1/x/status', false],
    ['/v1', true],
    ['/v12', false],
    ['/ax', true],
    ['/cx', false],
  ];
  for (const [p, want] of rows) assert.equal(m(p), want, p);
  assert.throws(() => pathMatcher(['/[abc']), /syntax error in pattern/);
});
