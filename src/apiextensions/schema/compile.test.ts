/**
 * compileSchema end to end: prune → default → validate on create and update, with upstream's
 * texts; validation ratcheting on update (CRDValidationRatcheting: unchanged invalid values are
 * tolerated, changed ones are not; OpenAPI and CEL alike); root metadata restrictions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../api/errors.js';
import { compileSchema, type JSONSchemaProps } from './index.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 8 } } },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', minimum: 1, default: 1 },
        image: { type: 'string', pattern: '^[a-z]+$' },
        ports: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 1000 } },
          },
        },
        tier: {
          type: 'string',
          'x-kubernetes-validations': [{ rule: "self != 'gold'", message: 'no gold' }],
        },
      },
    },
  },
};
const c = compileSchema(schema);
const cr = (spec: unknown, name = 'a'): Record<string, unknown> => ({
  apiVersion: 'g/v1',
  kind: 'K',
  metadata: { name },
  spec,
});
const v = (obj: Record<string, unknown>, old?: Record<string, unknown>): string[] =>
  c.validate(obj, old).map(fieldErrorString);

test('compile: prune, default and validate a create', () => {
  const o = cr({ image: 'nginx', extra: true });
  assert.deepEqual(c.prune(o), ['.spec.extra']);
  c.applyDefaults(o);
  assert.deepEqual(o.spec, { image: 'nginx', replicas: 1 });
  assert.deepEqual(v(o), []);
});

test('compile: root metadata.name is checked against the schema, other metadata is not', () => {
  assert.deepEqual(v({ ...cr({}, 'much-too-long'), metadata: { name: 'much-too-long', labels: { a: 1 } } }), [
    'metadata.name: Too long: may not be more than 8 bytes',
    '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
});

test('compile: list-type map duplicates', () => {
  assert.deepEqual(
    v(
      cr({
        ports: [
          { name: 'a', port: 1 },
          { name: 'a', port: 2 },
        ],
      }),
    ),
    ['spec.ports[1]: Duplicate value: {"name":"a"}'],
  );
});

test('compile: ratcheting keeps unchanged invalid values, rejects changed ones', () => {
  const old = cr({ replicas: 0, image: 'BAD', ports: [{ name: 'a', port: 5000 }], tier: 'gold' });
  // nothing changed: no errors on update, all errors on create
  assert.deepEqual(v(structuredClone(old), old), []);
  assert.deepEqual(v(structuredClone(old)), [
    'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    `spec.image: Invalid value: "BAD": spec.image in body should match '^[a-z]+$'`,
    'spec.ports[0].port: Invalid value: 5000: spec.ports[0].port in body should be less than or equal to 1000',
    'spec.tier: Invalid value: "string": no gold',
  ]);
  // a new port item and a changed image are validated; the correlated unchanged port is not
  const next = cr({
    replicas: 0,
    image: 'ALSOBAD',
    ports: [
      { name: 'b', port: 2000 },
      { name: 'a', port: 5000 },
    ],
    tier: 'gold',
  });
  assert.deepEqual(v(next, old), [
    `spec.image: Invalid value: "ALSOBAD": spec.image in body should match '^[a-z]+$'`,
    'spec.ports[0].port: Invalid value: 2000: spec.ports[0].port in body should be less than or equal to 1000',
  ]);
});

test('compile: set duplicates ignore object key order', () => {
  const s = compileSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          s: {
            type: 'array',
            'x-kubernetes-list-type': 'set',
            items: {
              type: 'object',
              'x-kubernetes-map-type': 'atomic',
              properties: { a: { type: 'integer' }, b: { type: 'integer' } },
            },
          },
        },
      },
    },
  });
  const o = cr({
    s: [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
    ],
  });
  assert.deepEqual(s.validate(o).map(fieldErrorString), ['spec.s[1]: Duplicate value: {"b":2,"a":1}']);
});

test('compile: CEL rules are not run when a blocking OpenAPI error exists (hasBlockingErr)', () => {
  assert.deepEqual(v(cr({ replicas: 'x', tier: 'gold' })), [
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
  ]);
  // a non-blocking error (minimum) lets the rules run
  assert.deepEqual(v(cr({ replicas: 0, tier: 'gold' })), [
    'spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1',
    'spec.tier: Invalid value: "string": no gold',
  ]);
});
