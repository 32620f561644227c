/**
 * x-kubernetes-validations evaluation, after upstream pkg/apiserver/schema/cel/validation_test.go:
 * `self`, transition rules with `oldSelf`, message / messageExpression / reason / fieldPath, map
 * and list-map correlation, runtime errors (`no such key`), and the Kubernetes library functions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../../api/errors.js';
import { compileSchema, type JSONSchemaProps } from '../index.js';

const rule = (r: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ rule: r, ...extra });
const withSpec = (spec: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', properties: { spec } });
const run = (schema: JSONSchemaProps, spec: unknown, oldSpec?: unknown): string[] => {
  const c = compileSchema(schema);
  const obj = { apiVersion: 'g/v1', kind: 'K', metadata: { name: 'n' }, spec };
  const old = oldSpec === undefined ? undefined : { ...obj, spec: oldSpec };
  return c.validate(obj, old).map(fieldErrorString);
};
const specRules = (rules: JSONSchemaProps[], props: JSONSchemaProps): JSONSchemaProps =>
  withSpec({ type: 'object', properties: props, 'x-kubernetes-validations': rules });

const ints = { min: { type: 'integer' }, max: { type: 'integer' } };

test('cel: a false rule without message reports `failed rule`', () => {
  assert.deepEqual(run(specRules([rule('self.min <= self.max')], ints), { min: 2, max: 1 }), [
    'spec: Invalid value: "object": failed rule: self.min <= self.max',
  ]);
  assert.deepEqual(run(specRules([rule('self.min <= self.max')], ints), { min: 1, max: 2 }), []);
});

test('cel: message, messageExpression and reason', () => {
  const s = specRules(
    [
      rule('self.min <= self.max', { message: 'min must not exceed max' }),
      rule('self.min > 0', { messageExpression: "'min is ' + string(self.min)" }),
      rule('self.max > 0', { reason: 'FieldValueForbidden', message: 'too small' }),
      rule('has(self.name)', { reason: 'FieldValueRequired', message: 'name is required' }),
    ],
    { ...ints, name: { type: 'string' } },
  );
  assert.deepEqual(run(s, { min: -5, max: -10 }), [
    'spec: Invalid value: "object": min must not exceed max',
    'spec: Invalid value: "object": min is -5',
    'spec: Forbidden: too small',
    'spec: Required value: name is required',
  ]);
});

test('cel: fieldPath moves the error to the named field', () => {
  const s = specRules([rule('self.min <= self.max', { fieldPath: '.max', message: 'max too small' })], ints);
  assert.deepEqual(run(s, { min: 2, max: 1 }), ['spec.max: Invalid value: "object": max too small']);
});

test('cel: a missing key is a runtime error `no such key`', () => {
  assert.deepEqual(run(specRules([rule('self.min <= self.max')], ints), { min: 1 }), [
    'spec: Invalid value: "object": no such key: max evaluating rule: self.min <= self.max',
  ]);
});

test('cel: root rules are reported at <nil>', () => {
  const s: JSONSchemaProps = {
    type: 'object',
    'x-kubernetes-validations': [rule("self.metadata.name.startsWith('my-')")],
    properties: { spec: { type: 'object' } },
  };
  assert.deepEqual(run(s, {}), [
    `<nil>: Invalid value: "object": failed rule: self.metadata.name.startsWith('my-')`,
  ]);
});

test('cel: scalar rules see typed values (int, string, double)', () => {
  const s = withSpec({
    type: 'object',
    properties: {
      replicas: {
        type: 'integer',
        'x-kubernetes-validations': [rule('self % 2 == 0', { message: 'must be even' })],
      },
      name: { type: 'string', 'x-kubernetes-validations': [rule('self.lowerAscii() == self')] },
      ratio: { type: 'number', 'x-kubernetes-validations': [rule('self <= 1.0')] },
    },
  });
  assert.deepEqual(run(s, { replicas: 3, name: 'Ab', ratio: 1 }), [
    'spec.replicas: Invalid value: "integer": must be even',
    'spec.name: Invalid value: "string": failed rule: self.lowerAscii() == self',
  ]);
});

test('cel: transition rules run only on update', () => {
  const s = withSpec({
    type: 'object',
    properties: {
      mode: {
        type: 'string',
        'x-kubernetes-validations': [rule('self == oldSelf', { message: 'mode is immutable' })],
      },
    },
  });
  assert.deepEqual(run(s, { mode: 'a' }), []);
  assert.deepEqual(run(s, { mode: 'a' }, { mode: 'a' }), []);
  assert.deepEqual(run(s, { mode: 'b' }, { mode: 'a' }), [
    'spec.mode: Invalid value: "string": mode is immutable',
  ]);
  // no old value for the field: not evaluated
  assert.deepEqual(run(s, { mode: 'b' }, {}), []);
});

test('cel: list-type map items correlate by key for oldSelf', () => {
  const s = withSpec({
    type: 'object',
    properties: {
      items: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, v: { type: 'integer' } },
          'x-kubernetes-validations': [rule('self.v >= oldSelf.v', { message: 'v may not decrease' })],
        },
      },
    },
  });
  const old = {
    items: [
      { name: 'a', v: 5 },
      { name: 'b', v: 1 },
    ],
  };
  assert.deepEqual(
    run(
      s,
      {
        items: [
          { name: 'b', v: 2 },
          { name: 'a', v: 4 },
          { name: 'c', v: 0 },
        ],
      },
      old,
    ),
    ['spec.items[1]: Invalid value: "object": v may not decrease'],
  );
});

test('cel: map values are validated under their key', () => {
  const s = withSpec({
    type: 'object',
    properties: {
      labels: {
        type: 'object',
        additionalProperties: { type: 'string', 'x-kubernetes-validations': [rule('size(self) < 4')] },
        'x-kubernetes-validations': [rule("self.all(k, k.startsWith('x'))")],
      },
    },
  });
  assert.deepEqual(run(s, { labels: { xa: 'long value', b: 'ok' } }), [
    'spec.labels: Invalid value: "object": failed rule: self.all(k, k.startsWith(\'x\'))',
    'spec.labels[xa]: Invalid value: "string": failed rule: size(self) < 4',
  ]);
});

const lib: [string, JSONSchemaProps, unknown, boolean][] = [
  ['isSorted', { type: 'array', items: { type: 'integer' } }, [1, 2, 2, 5], true],
  ['isSorted false', { type: 'array', items: { type: 'string' } }, ['b', 'a'], false],
  ['sum', { type: 'array', items: { type: 'integer' } }, [1, 2, 3], true],
  ['min/max', { type: 'array', items: { type: 'integer' } }, [3, 1, 2], true],
  ['indexOf/lastIndexOf', { type: 'array', items: { type: 'string' } }, ['a', 'b', 'a'], true],
  ['find/findAll', { type: 'string' }, 'abc 123 def 456', true],
  ['url', { type: 'string' }, 'https://example.com:8443/a/b?x=1', true],
  ['quantity', { type: 'string' }, '1.5Gi', true],
];
const libRule: Record<string, string> = {
  isSorted: 'self.isSorted()',
  'isSorted false': 'self.isSorted()',
  sum: 'self.sum() == 6',
  'min/max': 'self.min() == 1 && self.max() == 3',
  'indexOf/lastIndexOf': "self.indexOf('a') == 0 && self.lastIndexOf('a') == 2 && self.indexOf('z') == -1",
  'find/findAll':
    "self.find('[0-9]+') == '123' && self.findAll('[0-9]+') == ['123', '456'] && self.findAll('[a-z]+', 2) == ['abc', 'def']",
  url: "isURL(self) && url(self).getScheme() == 'https' && url(self).getHostname() == 'example.com' && url(self).getPort() == '8443' && url(self).getEscapedPath() == '/a/b' && url(self).getQuery() == 'x=1'",
  quantity:
    "isQuantity(self) && quantity(self).isGreaterThan(quantity('1Gi')) && quantity(self).compareTo(quantity('2Gi')) == -1 && quantity('500m').add(quantity('500m')).asInteger() == 1 && !isQuantity('1.5.5')",
};
for (const [name, schema, value, ok] of lib) {
  test(`cel library: ${name}`, () => {
    const r = libRule[name];
    const s = withSpec({
      type: 'object',
      properties: { v: { ...schema, 'x-kubernetes-validations': [rule(r)] } },
    });
    const got = run(s, { v: value });
    assert.deepEqual(got, ok ? [] : [`spec.v: Invalid value: "${schema.type}": failed rule: ${r}`]);
  });
}

const netRules: [string, string, boolean][] = [
  ['isIP', "isIP('1.2.3.4') && isIP('::1') && !isIP('01.2.3.4') && !isIP('1.2.3')", true],
  [
    'ip family and predicates',
    "ip('10.0.0.1').family() == 4 && ip('::1').isLoopback() && ip('fe80::1').isLinkLocalUnicast() && ip('8.8.8.8').isGlobalUnicast() && ip('0.0.0.0').isUnspecified()",
    true,
  ],
  ['ip.isCanonical', "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')", true],
  [
    'cidr',
    "isCIDR('10.0.0.0/8') && cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1')) && cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('::/0').prefixLength() == 0",
    true,
  ],
  [
    'optional',
    'optional.of(1).hasValue() && !optional.none().hasValue() && optional.none().orValue(2) == 2 && optional.of(3).value() == 3',
    true,
  ],
  [
    'semver',
    "isSemver('1.2.3') && !isSemver('1.2') && semver('1.2.3').minor() == 2 && semver('1.2.3').isGreaterThan(semver('1.2.3-rc.1')) && semver('2.0.0').compareTo(semver('10.0.0')) == -1",
    true,
  ],
  [
    'format',
    "!format.dns1123Label().validate('my-name').hasValue() && format.dns1123Label().validate('My_Name').hasValue() && format.named('uuid').hasValue()",
    true,
  ],
];
for (const [name, r, ok] of netRules) {
  test(`cel library: ${name}`, () => {
    const s = withSpec({
      type: 'object',
      properties: { v: { type: 'string', 'x-kubernetes-validations': [rule(r)] } },
    });
    assert.deepEqual(run(s, { v: 'x' }), ok ? [] : [`spec.v: Invalid value: "string": failed rule: ${r}`]);
  });
}

test('cel: property names are escaped (`__namespace__`, `__dash__`)', () => {
  const s = withSpec({
    type: 'object',
    properties: { namespace: { type: 'string' }, 'my-field': { type: 'string' } },
    'x-kubernetes-validations': [rule("self.__namespace__ == 'ns' && self.my__dash__field == 'x'")],
  });
  assert.deepEqual(run(s, { namespace: 'ns', 'my-field': 'x' }), []);
  assert.deepEqual(run(s, { namespace: 'other', 'my-field': 'x' }), [
    `spec: Invalid value: "object": failed rule: self.__namespace__ == 'ns' && self.my__dash__field == 'x'`,
  ]);
});

test('cel: date-time, duration and byte formats are timestamps, durations and bytes', () => {
  const s = withSpec({
    type: 'object',
    properties: {
      at: { type: 'string', format: 'date-time' },
      every: { type: 'string', format: 'duration' },
      data: { type: 'string', format: 'byte' },
    },
    'x-kubernetes-validations': [
      rule(
        "self.at > timestamp('2020-01-01T00:00:00Z') && self.every <= duration('1h') && size(self.data) == 3",
      ),
    ],
  });
  assert.deepEqual(run(s, { at: '2024-05-01T10:00:00Z', every: '30m', data: 'YWJj' }), []);
  assert.equal(run(s, { at: '2019-05-01T10:00:00Z', every: '30m', data: 'YWJj' }).length, 1);
});

test('cel: runtime errors use cel-go texts', () => {
  const s = specRules([rule("self.min + 'x' == 'y'"), rule('self.min / self.max > 0')], ints);
  assert.deepEqual(run(s, { min: 1, max: 0 }), [
    `spec: Invalid value: "object": no such overload evaluating rule: self.min + 'x' == 'y'`,
    'spec: Invalid value: "object": division by zero evaluating rule: self.min / self.max > 0',
  ]);
});

test('cel: an evaluation error names the message when the rule has one', () => {
  const s = specRules([rule('self.min <= self.max', { message: 'min must not exceed max' })], ints);
  assert.deepEqual(run(s, { min: 1 }), [
    'spec: Invalid value: "object": no such key: max evaluating rule: min must not exceed max',
  ]);
});

test('cel: cel.bind, sets and string reverse', () => {
  const s = specRules(
    [
      rule('cel.bind(total, self.min + self.max, total > 3 && total < 10)'),
      rule(
        'sets.contains([1, 2, 3], [self.min]) && sets.intersects([self.max], [5, 7]) && sets.equivalent([1, 2], [2, 1])',
      ),
      rule("'abc'.reverse() == 'cba'"),
    ],
    ints,
  );
  assert.deepEqual(run(s, { min: 1, max: 5 }), []);
  assert.deepEqual(run(s, { min: 1, max: 1 }), [
    'spec: Invalid value: "object": failed rule: cel.bind(total, self.min + self.max, total > 3 && total < 10)',
    'spec: Invalid value: "object": failed rule: sets.contains([1, 2, 3], [self.min]) && sets.intersects([self.max], [5, 7]) && sets.equivalent([1, 2], [2, 1])',
  ]);
});

test('cel: optionalOldSelf rules run on create with oldSelf = optional.none()', () => {
  const s = withSpec({
    type: 'object',
    properties: {
      mode: {
        type: 'string',
        'x-kubernetes-validations': [
          rule("!oldSelf.hasValue() ? self == 'a' : self == oldSelf.value()", {
            optionalOldSelf: true,
            message: 'bad mode',
          }),
        ],
      },
    },
  });
  assert.deepEqual(run(s, { mode: 'a' }), []);
  assert.deepEqual(run(s, { mode: 'b' }), ['spec.mode: Invalid value: "string": bad mode']);
  assert.deepEqual(run(s, { mode: 'b' }, { mode: 'b' }), []);
  assert.deepEqual(run(s, { mode: 'c' }, { mode: 'b' }), ['spec.mode: Invalid value: "string": bad mode']);
});

test('cel: optional field selection (`.?`) with orValue / hasValue', () => {
  const s = withSpec({
    type: 'object',
    properties: { a: { type: 'object', properties: { b: { type: 'string' } } }, note: { type: 'string' } },
    'x-kubernetes-validations': [
      rule("self.?a.?b.orValue('none') != 'bad'"),
      rule("!self.?note.hasValue() || self.note != '.?x'", { message: "note may not be '.?x'" }),
    ],
  });
  assert.deepEqual(run(s, {}), []);
  assert.deepEqual(run(s, { a: {} }), []);
  assert.deepEqual(run(s, { a: { b: 'bad' }, note: '.?x' }), [
    `spec: Invalid value: "object": failed rule: self.?a.?b.orValue('none') != 'bad'`,
    `spec: Invalid value: "object": note may not be '.?x'`,
  ]);
});

test('cel library: ext.Lists', () => {
  const r =
    '[3, 1, 2].sort() == [1, 2, 3] && [1, 2, 3, 4].slice(1, 3) == [2, 3] && [[1], [2, 3]].flatten() == [1, 2, 3] && [1, 1, 2].distinct() == [1, 2] && [1, 2].reverse() == [2, 1] && lists.range(3) == [0, 1, 2]';
  const s = withSpec({ type: 'object', 'x-kubernetes-validations': [rule(r)] });
  assert.deepEqual(run(s, {}), []);
});
