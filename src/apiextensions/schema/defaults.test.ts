/**
 * Defaulting, ported from upstream pkg/apiserver/schema/defaulting/algorithm_test.go
 * (TestDefault), plus PruneNonNullableNullsWithoutDefaults and a fast-check property: after
 * pruning and defaulting, an object built from the schema's own fields validates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyDefaults, pruneNonNullableNulls } from './defaults.js';
import { toStructural } from './structural.js';
import { compileSchema, type JSONSchemaProps } from './index.js';

const d = (v: unknown, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ default: v, ...extra });

const rows: [string, unknown, JSONSchemaProps | undefined, unknown][] = [
  ['empty', null, undefined, null],
  ['scalar', 4, d('foo'), 4],
  ['scalar array', [1, 2], { items: d('foo') }, [1, 2]],
  [
    'object array',
    [{ a: 1 }, { b: 1 }, { c: 1 }],
    { items: { properties: { a: d('A'), b: d('B'), c: d('C') } } },
    [
      { a: 1, b: 'B', c: 'C' },
      { a: 'A', b: 1, c: 'C' },
      { a: 'A', b: 'B', c: 1 },
    ],
  ],
  [
    'object array object',
    { array: [{ a: 1 }, { b: 2 }], object: { a: 1 }, additionalProperties: { x: { a: 1 }, y: { b: 2 } } },
    {
      properties: {
        array: { items: { properties: { a: d('A'), b: d('B') } } },
        object: { properties: { a: d('N'), b: d('O') } },
        additionalProperties: { additionalProperties: { properties: { a: d('alpha'), b: d('beta') } } },
        foo: d('bar'),
      },
    },
    {
      array: [
        { a: 1, b: 'B' },
        { a: 'A', b: 2 },
      ],
      object: { a: 1, b: 'O' },
      additionalProperties: { x: { a: 1, b: 'beta' }, y: { a: 'alpha', b: 2 } },
      foo: 'bar',
    },
  ],
  [
    'empty and null',
    [{}, { a: 1 }, { a: 0 }, { a: 0.0 }, { a: '' }, { a: null }, { a: [] }, { a: {} }],
    { items: { properties: { a: d('A') } } },
    [{ a: 'A' }, { a: 1 }, { a: 0 }, { a: 0.0 }, { a: '' }, { a: 'A' }, { a: [] }, { a: {} }],
  ],
  ['null in nullable list', [null], { nullable: true, items: { properties: { a: d('A') } } }, [null]],
  ['null in non-nullable list', [null], { items: d('A') }, ['A']],
  ['null in nullable object', { a: null }, { properties: { a: d('A', { nullable: true }) } }, { a: null }],
  ['null in non-nullable object', { a: null }, { properties: { a: d('A') } }, { a: 'A' }],
  [
    'null in nullable object with additionalProperties',
    { a: null },
    { additionalProperties: d('A', { nullable: true }) },
    { a: null },
  ],
  [
    'null in non-nullable object with additionalProperties',
    { a: null },
    { additionalProperties: d('A') },
    { a: 'A' },
  ],
  ['null unknown field', { a: null }, { additionalProperties: true }, { a: null }],
];

for (const [name, input, schema, want] of rows) {
  test(`defaulting: TestDefault/"${name}"`, () => {
    const x = structuredClone(input);
    applyDefaults(x, schema ? toStructural(schema) : undefined);
    assert.deepEqual(x, want);
  });
}

test('defaulting: defaults are deep copies', () => {
  const s = toStructural({ properties: { a: d({ b: [1] }) } });
  const x: Record<string, { b: number[] }> = {};
  const y: Record<string, { b: number[] }> = {};
  applyDefaults(x, s);
  x.a.b.push(2);
  applyDefaults(y, s);
  assert.deepEqual(y, { a: { b: [1] } });
});

test('defaulting: PruneNonNullableNullsWithoutDefaults drops nulls without default, keeps nullable ones', () => {
  const s = toStructural({
    properties: {
      a: { type: 'string' },
      b: { type: 'string', nullable: true },
      c: { type: 'string', default: 'C' },
      m: { type: 'object', additionalProperties: { type: 'string' } },
    },
  });
  const x = { a: null, b: null, c: null, m: { k: null } };
  pruneNonNullableNulls(x, s);
  assert.deepEqual(x, { b: null, c: null, m: {} });
  applyDefaults(x, s);
  assert.deepEqual(x, { b: null, c: 'C', m: {} });
});

test('defaulting: property: a pruned and defaulted object validates', () => {
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          replicas: { type: 'integer', minimum: 1, default: 1 },
          mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
          tags: { type: 'array', items: { type: 'string' }, default: ['x'] },
          nested: { type: 'object', default: {}, properties: { on: { type: 'boolean', default: true } } },
        },
      },
    },
  };
  const c = compileSchema(schema);
  const arbSpec = fc.record(
    {
      replicas: fc.integer({ min: 1, max: 10 }),
      mode: fc.constantFrom('a', 'b'),
      tags: fc.array(fc.string(), { maxLength: 3 }),
      nested: fc.record({ on: fc.boolean() }, { requiredKeys: [] }),
      junk: fc.anything(),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.record({ spec: arbSpec }, { requiredKeys: [] }), (o) => {
      const x: Record<string, unknown> = {
        apiVersion: 'g/v1',
        kind: 'K',
        metadata: { name: 'n' },
        ...structuredClone(o),
      };
      c.prune(x);
      c.applyDefaults(x);
      assert.deepEqual(c.validate(x), []);
      const spec = x.spec as Record<string, unknown>;
      assert.equal(typeof spec.replicas, 'number');
      assert.ok(spec.mode === 'a' || spec.mode === 'b');
      assert.equal(typeof (spec.nested as Record<string, unknown>).on, 'boolean');
    }),
  );
});
