/**
 * Malformed input never crashes the library (fast-check): any JSON as a schema gives field
 * errors or a compiled schema; any JSON object as a custom resource gives field errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidSchemaError } from './compile.js';
import { compileSchema, validateCrdSchema, type JSONSchemaProps } from './index.js';

const KEYS = [
  'type',
  'properties',
  'items',
  'additionalProperties',
  'required',
  'enum',
  'default',
  'nullable',
  'format',
  'pattern',
  'maxLength',
  'minimum',
  'maxItems',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
  'metadata',
  'spec',
  'a',
];
const TYPES = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null', 'foo'];

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TYPES),
    fc.integer({ min: -3, max: 5 }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('self.a > 1', 'self == oldSelf', 'has(self.x)', 'bad(', "self.matches('^a')"),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.record(
      { rule: fc.constantFrom('self.a > 0', 'self.size() > 0', 'self == oldSelf', '1 +') },
      { requiredKeys: [] },
    ),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const schemaArb = fc
  .dictionary(fc.constantFrom(...KEYS), json, { maxKeys: 6 })
  .map((s) => ({ type: 'object', ...s }));

test('robustness: validateCrdSchema and compileSchema never crash on arbitrary schemas', () => {
  fc.assert(
    fc.property(schemaArb, fc.dictionary(fc.constantFrom(...KEYS), json, { maxKeys: 5 }), (schema, obj) => {
      const errs = validateCrdSchema(schema as JSONSchemaProps, 'p');
      assert.ok(Array.isArray(errs));
      let c;
      try {
        c = compileSchema(schema as JSONSchemaProps);
      } catch (e) {
        assert.ok(e instanceof InvalidSchemaError, String(e));
        assert.ok(errs.length > 0);
        return;
      }
      assert.equal(errs.length, 0);
      const o: Record<string, unknown> = { apiVersion: 'g/v1', kind: 'K', metadata: { name: 'n' }, ...obj };
      c.prune(o);
      c.applyDefaults(o);
      assert.ok(Array.isArray(c.validate(o)));
      assert.ok(Array.isArray(c.validate(o, structuredClone(o))));
    }),
    { numRuns: 1000 },
  );
});

const validSchema: fc.Arbitrary<JSONSchemaProps> = fc.letrec<{ node: JSONSchemaProps }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record(
      {
        type: fc.constant('string'),
        maxLength: fc.integer({ min: 0, max: 5 }),
        pattern: fc.constantFrom('^a', '[0-9]'),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record(
      { type: fc.constantFrom('integer', 'number'), minimum: fc.integer({ min: -2, max: 2 }) },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('boolean'), nullable: fc.boolean() }, { requiredKeys: ['type'] }),
    fc.record({ 'x-kubernetes-int-or-string': fc.constant(true) }),
    fc.record({
      type: fc.constant('object'),
      properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), { maxKeys: 3 }),
    }),
    fc.record({ type: fc.constant('object'), additionalProperties: tie('node') }),
    fc.record({ type: fc.constant('object'), 'x-kubernetes-preserve-unknown-fields': fc.constant(true) }),
    fc.record(
      { type: fc.constant('array'), items: tie('node'), maxItems: fc.integer({ min: 0, max: 3 }) },
      { requiredKeys: ['type', 'items'] },
    ),
  ),
})).node;

test('robustness: valid schemas compile; prune is idempotent and validate never crashes on any object', () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.constantFrom('spec', 'status'), validSchema, { maxKeys: 2 }),
      fc.dictionary(fc.constantFrom('spec', 'status', 'x'), fc.jsonValue(), { maxKeys: 3 }),
      (props, body) => {
        const c = compileSchema({ type: 'object', properties: props });
        const o: Record<string, unknown> = {
          apiVersion: 'g/v1',
          kind: 'K',
          metadata: { name: 'n' },
          ...structuredClone(body),
        };
        c.prune(o);
        const once = structuredClone(o);
        assert.deepEqual(c.prune(o), []);
        assert.deepEqual(o, once);
        c.applyDefaults(o);
        assert.ok(Array.isArray(c.validate(o)));
        assert.ok(Array.isArray(c.validate(o, once)));
      },
    ),
    { numRuns: 500 },
  );
});
