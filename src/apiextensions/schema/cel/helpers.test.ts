/**
 * The CEL helpers: property-name escaping (k8s.io/apiserver/pkg/cel/escaping_test.go cases),
 * rule fieldPath resolution, quantity parsing, IP/CIDR parsing and canonical forms, and the
 * string formats a schema's `format` checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesFormat } from '../formats.js';
import { toStructural } from '../structural.js';
import { escapeName, unescapeName } from './escaping.js';
import { resolveFieldPath } from './field-path.js';
import { cidrString, containsIP, ipString, masked, parseCIDR, parseIP } from './ip.js';
import { parseQuantity } from './quantity.js';

test('escaping: TestEscaping cases', () => {
  const rows: [string, string | undefined][] = [
    ['abc', 'abc'],
    ['a.b', 'a__dot__b'],
    ['a-b', 'a__dash__b'],
    ['a/b', 'a__slash__b'],
    ['a__b', 'a__underscores__b'],
    ['namespace', '__namespace__'],
    ['if', '__if__'],
    ['has space', undefined],
    ['9abc', undefined],
  ];
  for (const [name, want] of rows) {
    assert.equal(escapeName(name), want, name);
    if (want !== undefined) assert.equal(unescapeName(want), name, want);
  }
});

test('field-path: properties as .name, map keys as [key], unknown fields refused', () => {
  const s = toStructural({
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { 'a.b': { type: 'string' } } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  });
  assert.equal(resolveFieldPath('.spec', s), '.spec');
  assert.equal(resolveFieldPath(".spec['a.b']", s), '.spec.a.b');
  assert.equal(resolveFieldPath('.labels.team', s), '.labels[team]');
  assert.equal(resolveFieldPath(".labels['x/y']", s), '.labels[x/y]');
  assert.equal(resolveFieldPath('.nope', s), undefined);
  assert.equal(resolveFieldPath('spec', s), undefined);
  assert.equal(resolveFieldPath('.spec.', s), undefined);
});

test('quantity: suffixes and exact values', () => {
  const v = (s: string): string | undefined => {
    const q = parseQuantity(s);
    return q ? `${q.value.num}/${q.value.den}` : undefined;
  };
  assert.equal(v('1'), '1/1');
  assert.equal(v('1.5Gi'), `${1.5 * 2 ** 30}/1`);
  assert.equal(v('500m'), '1/2');
  assert.equal(v('1k'), '1000/1');
  assert.equal(v('1e3'), '1000/1');
  assert.equal(v('-2Ki'), '-2048/1');
  assert.equal(v('.5'), '1/2');
  assert.equal(v('1.5.5'), undefined);
  assert.equal(v('1Gb'), undefined);
  assert.equal(v(''), undefined);
});

test('ip: strict parsing and canonical strings (Go netip)', () => {
  const canon = (s: string): string | undefined => {
    const ip = parseIP(s);
    return ip ? ipString(ip) : undefined;
  };
  assert.equal(canon('192.168.0.1'), '192.168.0.1');
  assert.equal(canon('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canon('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canon('::ffff:1.2.3.4'), '::ffff:1.2.3.4');
  assert.equal(canon('::'), '::');
  assert.equal(canon('01.2.3.4'), undefined);
  assert.equal(canon('1.2.3'), undefined);
  assert.equal(canon('fe80::1%eth0'), undefined);
  const c = parseCIDR('10.1.2.3/8');
  assert.ok(c);
  assert.equal(cidrString(masked(c)), '10.0.0.0/8');
  assert.ok(containsIP(c, parseIP('10.200.0.1')!));
  assert.ok(!containsIP(c, parseIP('11.0.0.1')!));
  assert.equal(parseCIDR('10.0.0.0/33'), undefined);
});

test('formats: the ones upstream validates', () => {
  const rows: [string, string, boolean][] = [
    ['date-time', '2024-01-02T03:04:05Z', true],
    ['date-time', '2024-01-02T03:04:05.123+01:00', true],
    ['date-time', '2024-13-02T03:04:05Z', false],
    ['date', '2024-01-02', true],
    ['date', '2024-1-2', false],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000', true],
    ['uuid', 'nope', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '10.0.0.256', false],
    ['ipv6', '::1', true],
    ['cidr', '10.0.0.0/8', true],
    ['cidr', '10.0.0.0', false],
    ['email', 'a@b.c', true],
    ['email', 'abc', false],
    ['hostname', 'example.com', true],
    ['byte', 'YWJj', true],
    ['byte', 'a', false],
    ['duration', '1h30m', true],
    ['mac', '00:1a:2b:3c:4d:5e', true],
    ['int32', 'anything', true],
  ];
  for (const [format, value, ok] of rows)
    assert.equal(matchesFormat(format, value), ok, `${format} ${value}`);
});
