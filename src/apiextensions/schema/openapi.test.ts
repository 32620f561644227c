/**
 * OpenAPI v3 value validation texts, as kube-openapi's validator reports them and upstream's
 * kubeOpenAPIResultToFieldErrors (pkg/apiserver/validation/validation.go) converts them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, type FieldError } from '../../api/errors.js';
import { validateValue } from './openapi.js';
import type { JSONSchemaProps } from './index.js';

const check = (v: unknown, s: JSONSchemaProps): string[] => {
  const errs: FieldError[] = [];
  validateValue(v, s, '', errs);
  return errs.map(fieldErrorString);
};
const spec = (props: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties: props, ...extra } },
});

const rows: [string, unknown, JSONSchemaProps, string[]][] = [
  [
    'type mismatch',
    { spec: { replicas: 'string' } },
    spec({ replicas: { type: 'integer' } }),
    ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'],
  ],
  [
    'float for integer',
    { spec: { replicas: 1.5 } },
    spec({ replicas: { type: 'integer' } }),
    ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'],
  ],
  ['integer for number is fine', { spec: { r: 2 } }, spec({ r: { type: 'number' } }), []],
  [
    'null for non-nullable',
    { spec: { s: null } },
    spec({ s: { type: 'string' } }),
    ['spec.s: Invalid value: "null": spec.s in body must be of type string: "null"'],
  ],
  ['null for nullable', { spec: { s: null } }, spec({ s: { type: 'string', nullable: true } }), []],
  [
    'required',
    { spec: {} },
    spec({ a: { type: 'string' } }, { required: ['a'] }),
    ['spec.a: Required value'],
  ],
  [
    'enum',
    { spec: { mode: 'x' } },
    spec({ mode: { type: 'string', enum: ['a', 'b'] } }),
    ['spec.mode: Unsupported value: "x": supported values: "a", "b"'],
  ],
  [
    'enum of numbers',
    { spec: { n: 3 } },
    spec({ n: { type: 'integer', enum: [1, 2] } }),
    ['spec.n: Unsupported value: 3: supported values: "1", "2"'],
  ],
  [
    'maxLength',
    { spec: { s: 'abcd' } },
    spec({ s: { type: 'string', maxLength: 3 } }),
    ['spec.s: Too long: may not be more than 3 bytes'],
  ],
  [
    'minLength',
    { spec: { s: 'a' } },
    spec({ s: { type: 'string', minLength: 2 } }),
    ['spec.s: Invalid value: "a": spec.s in body should be at least 2 chars long'],
  ],
  [
    'pattern',
    { spec: { s: 'ABC' } },
    spec({ s: { type: 'string', pattern: '^[a-z]+$' } }),
    [`spec.s: Invalid value: "ABC": spec.s in body should match '^[a-z]+$'`],
  ],
  [
    'minimum',
    { spec: { replicas: 0 } },
    spec({ replicas: { type: 'integer', minimum: 1 } }),
    ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'],
  ],
  [
    'exclusiveMaximum',
    { spec: { r: 10 } },
    spec({ r: { type: 'integer', maximum: 10, exclusiveMaximum: true } }),
    ['spec.r: Invalid value: 10: spec.r in body should be less than 10'],
  ],
  [
    'multipleOf',
    { spec: { r: 7 } },
    spec({ r: { type: 'integer', multipleOf: 5 } }),
    ['spec.r: Invalid value: 7: spec.r in body should be a multiple of 5'],
  ],
  [
    'maxItems',
    { spec: { l: [1, 2, 3] } },
    spec({ l: { type: 'array', maxItems: 2, items: { type: 'integer' } } }),
    ['spec.l: Too many: 3: must have at most 2 items'],
  ],
  [
    'minItems',
    { spec: { l: [] } },
    spec({ l: { type: 'array', minItems: 1, items: { type: 'integer' } } }),
    ['spec.l: Invalid value: []: spec.l in body should have at least 1 items'],
  ],
  [
    'list items use [i]',
    { spec: { l: [{ name: 1 }] } },
    spec({ l: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } } }),
    ['spec.l[0].name: Invalid value: "integer": spec.l[0].name in body must be of type string: "integer"'],
  ],
  [
    'maxProperties',
    { spec: { m: { a: 'x', b: 'y' } } },
    spec({ m: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } } }),
    ['spec.m: Too many: 2: must have at most 1 item'],
  ],
  [
    'additionalProperties values',
    { spec: { m: { a: 1 } } },
    spec({ m: { type: 'object', additionalProperties: { type: 'string' } } }),
    ['spec.m.a: Invalid value: "integer": spec.m.a in body must be of type string: "integer"'],
  ],
  [
    'int-or-string accepts both',
    { spec: { p: 'http' } },
    spec({ p: { 'x-kubernetes-int-or-string': true } }),
    [],
  ],
  [
    'int-or-string rejects bool',
    { spec: { p: true } },
    spec({ p: { 'x-kubernetes-int-or-string': true } }),
    ['spec.p: Invalid value: "boolean": spec.p in body must be of type integer,string: "boolean"'],
  ],
  [
    'format date-time',
    { spec: { t: 'yesterday' } },
    spec({ t: { type: 'string', format: 'date-time' } }),
    ['spec.t: Invalid value: "yesterday": spec.t in body must be of type date-time: "yesterday"'],
  ],
  [
    'unsupported format is not validated',
    { spec: { t: 'x' } },
    spec({ t: { type: 'string', format: 'int32' } }),
    [],
  ],
  [
    'anyOf',
    { spec: { a: 'x' } },
    spec({ a: { type: 'string', anyOf: [{ enum: ['a'] }, { maxLength: 0 }] } }),
    [
      'spec.a: Invalid value: "x": spec.a in body must validate at least one schema (anyOf)',
      'spec.a: Unsupported value: "x": supported values: "a"',
    ],
  ],
  [
    'oneOf with two matches',
    { spec: { a: 'x' } },
    spec({ a: { type: 'string', oneOf: [{ maxLength: 3 }, { minLength: 1 }] } }),
    [
      'spec.a: Invalid value: "x": spec.a in body must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ],
  ],
  [
    'not',
    { spec: { a: 'x' } },
    spec({ a: { type: 'string', not: { enum: ['x'] } } }),
    ['spec.a: Invalid value: "x": spec.a in body must not validate the schema (not)'],
  ],
  [
    'root-level value (a default) has no name',
    'abc',
    { type: 'string', format: 'email' },
    [': Invalid value: "abc": in body must be of type email: "abc"'],
  ],
];

for (const [name, value, schema, want] of rows) {
  test(`openapi: ${name}`, () => assert.deepEqual(check(value, schema), want));
}

test('openapi: a type error does not stop the enum check (every validator runs)', () => {
  assert.deepEqual(check({ spec: { n: 'abc' } }, spec({ n: { type: 'integer', enum: [1, 2] } })), [
    'spec.n: Invalid value: "string": spec.n in body must be of type integer: "string"',
    'spec.n: Unsupported value: "abc": supported values: "1", "2"',
  ]);
});
