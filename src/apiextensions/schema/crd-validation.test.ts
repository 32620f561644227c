/**
 * validateCrdSchema: the allowed keys and x-kubernetes-* rules of upstream's
 * ValidateCustomResourceDefinitionOpenAPISchema, the structural rules of ValidateStructural
 * (pkg/apiserver/schema/validation.go), defaults that must validate (defaulting/validation.go)
 * and CEL rule compilation, with upstream's texts (validation_test.go cases).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../api/errors.js';
import { compileSchema, validateCrdSchema, type JSONSchemaProps } from './index.js';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const errs = (s: JSONSchemaProps): string[] => validateCrdSchema(s, P).map(fieldErrorString);
const root = (props: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  type: 'object',
  properties: props,
  ...extra,
});

const rows: [string, JSONSchemaProps, string[]][] = [
  ['a valid schema', root({ spec: { type: 'object', properties: { replicas: { type: 'integer' } } } }), []],
  [
    'type is required for fields',
    root({ a: { properties: { b: { type: 'string' } } } }),
    [`${P}.properties[a].type: Required value: must not be empty for specified object fields`],
  ],
  [
    'type is required for items',
    root({ a: { type: 'array', items: {} } }),
    [`${P}.properties[a].items.type: Required value: must not be empty for specified array items`],
  ],
  [
    'type is required at the root',
    { properties: { a: { type: 'string' } } },
    [`${P}.type: Required value: must not be empty at the root`],
  ],
  [
    'root must be object',
    { type: 'string' },
    [`${P}.type: Invalid value: "string": must be object at the root`],
  ],
  [
    'array needs items',
    root({ a: { type: 'array' } }),
    [`${P}.properties[a].items: Required value: must be specified`],
  ],
  [
    'unsupported type',
    root({ a: { type: 'foo' } }),
    [
      `${P}.properties[a].type: Unsupported value: "foo": supported values: "array", "boolean", "integer", "number", "object", "string"`,
    ],
  ],
  [
    'type null',
    root({ a: { type: 'null' } }),
    [
      `${P}.properties[a].type: Unsupported value: "null": supported values: "array", "boolean", "integer", "number", "object", "string"`,
      `${P}.properties[a].type: Forbidden: type cannot be set to null, use nullable as an alternative`,
    ],
  ],
  ['$ref', root({ a: { $ref: '#/x' } }), [`${P}.properties[a].$ref: Forbidden: $ref is not supported`]],
  [
    'uniqueItems',
    root({ a: { type: 'array', items: { type: 'string' }, uniqueItems: true } }),
    [
      `${P}.properties[a].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ],
  ],
  [
    'additionalProperties with properties',
    root({
      a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: { type: 'string' } },
    }),
    [
      `${P}.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ],
  ],
  [
    'additionalProperties at the root',
    { type: 'object', additionalProperties: { type: 'string' } },
    [`${P}.additionalProperties: Forbidden: must not be used at the root`],
  ],
  [
    'nullable at the root',
    { type: 'object', nullable: true },
    [`${P}.nullable: Forbidden: nullable cannot be true at the root`],
  ],
  [
    'preserve-unknown-fields false',
    root({ a: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false } }),
    [
      `${P}.properties[a].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`,
    ],
  ],
  [
    'type under allOf',
    root({ a: { type: 'string', allOf: [{ type: 'string' }] } }),
    [`${P}.properties[a].allOf[0].type: Forbidden: must be empty to be structural`],
  ],
  [
    'int-or-string anyOf pattern is allowed',
    root({ a: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } }),
    [],
  ],
  [
    'property only under allOf',
    root({ a: { type: 'object', allOf: [{ properties: { b: { minLength: 1 } } }] } }),
    [
      `${P}.properties[a].properties[b]: Required value: because it is defined in ${P}.properties[a].allOf[0].properties[b]`,
    ],
  ],
  [
    'metadata may only restrict name',
    root({ metadata: { type: 'object', properties: { labels: { type: 'object' } } } }),
    [
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ],
  ],
  [
    'metadata name restriction is fine',
    root({ metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } } }),
    [],
  ],
  [
    'embedded resource needs object type',
    root({ e: { 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } }),
    [`${P}.properties[e].type: Required value: must be object if x-kubernetes-embedded-resource is true`],
  ],
  [
    'list-type on a non-array',
    root({ a: { type: 'object', 'x-kubernetes-list-type': 'set' } }),
    [
      `${P}.properties[a].type: Invalid value: "object": must be array if x-kubernetes-list-type is specified`,
    ],
  ],
  [
    'list-type map needs keys',
    root({
      a: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        items: { type: 'object', properties: { k: { type: 'string' } } },
      },
    }),
    [
      `${P}.properties[a].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
    ],
  ],
  [
    'list-map-keys must be required or defaulted',
    root({
      a: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['k'],
        items: { type: 'object', properties: { k: { type: 'string' } } },
      },
    }),
    [
      `${P}.properties[a].items.properties[k].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property`,
    ],
  ],
  [
    'unknown list type',
    root({ a: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'bag' } }),
    [
      `${P}.properties[a].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "set", "map"`,
    ],
  ],
  [
    'default of the wrong type',
    root({ a: { type: 'integer', default: 'x' } }),
    [`${P}.properties[a].default: Invalid value: "string": in body must be of type integer: "string"`],
  ],
  [
    'default violating its format',
    root({ a: { type: 'string', format: 'email', default: 'abc' } }),
    [`${P}.properties[a].default: Invalid value: "abc": in body must be of type email: "abc"`],
  ],
  [
    'default with unknown fields',
    root({ a: { type: 'object', properties: { b: { type: 'string' } }, default: { b: 'x', c: 1 } } }),
    [`${P}.properties[a].default: Invalid value: {"b":"x","c":1}: must not have unknown fields`],
  ],
  [
    'default in top-level metadata',
    root({ metadata: { type: 'object', default: {} } }),
    [`${P}.properties[metadata].default: Forbidden: must not be set in top-level metadata`],
  ],
  [
    'rule is required',
    root({ a: { type: 'string', 'x-kubernetes-validations': [{ rule: ' ' }] } }),
    [`${P}.properties[a].x-kubernetes-validations[0].rule: Required value: rule is not specified`],
  ],
  [
    'unsupported reason',
    root({ a: { type: 'string', 'x-kubernetes-validations': [{ rule: 'true', reason: 'Nope' }] } }),
    [
      `${P}.properties[a].x-kubernetes-validations[0].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"`,
    ],
  ],
  [
    'rule with an undeclared reference',
    root({ a: { type: 'string', 'x-kubernetes-validations': [{ rule: 'foo == 1' }] } }),
    [
      `${P}.properties[a].x-kubernetes-validations[0].rule: Invalid value: {"rule":"foo == 1"}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')`,
    ],
  ],
  [
    'transition rule under a list',
    root({
      l: {
        type: 'array',
        maxItems: 10,
        items: { type: 'string', maxLength: 10, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
      },
    }),
    [
      `${P}.properties[l].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${P}.properties[l]`,
    ],
  ],
  [
    'fieldPath must resolve',
    root({
      s: {
        type: 'object',
        properties: { a: { type: 'string' } },
        'x-kubernetes-validations': [{ rule: 'true', fieldPath: '.b' }],
      },
    }),
    [
      `${P}.properties[s].x-kubernetes-validations[0].fieldPath: Invalid value: ".b": fieldPath must be a valid path`,
    ],
  ],
  [
    'a default failing a rule',
    root({
      w: {
        type: 'object',
        default: { min: 2, max: 1 },
        properties: { min: { type: 'integer' }, max: { type: 'integer' } },
        'x-kubernetes-validations': [{ rule: 'self.min <= self.max' }],
      },
    }),
    [`${P}.properties[w].default: Invalid value: "object": failed rule: self.min <= self.max`],
  ],
  [
    'a default missing a key a rule reads',
    root({
      w: {
        type: 'object',
        default: {},
        properties: { min: { type: 'integer' }, max: { type: 'integer' } },
        'x-kubernetes-validations': [{ rule: 'self.min <= self.max' }],
      },
    }),
    [
      `${P}.properties[w].default: Invalid value: "object": no such key: min evaluating rule: self.min <= self.max`,
    ],
  ],
  [
    'a rule selecting an undeclared property',
    root(
      { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
      {
        'x-kubernetes-validations': [{ rule: 'self.spec.replicas > 0 && self.spec.bogus == 1' }],
      },
    ),
    [
      `${P}.x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.spec.replicas > 0 && self.spec.bogus == 1"}: compilation failed: ERROR: <input>:1:36: undefined field 'bogus'`,
    ],
  ],
  [
    'the root metadata exposes only name and generateName',
    root(
      { spec: { type: 'object' } },
      { 'x-kubernetes-validations': [{ rule: 'size(self.metadata.labels) > 0' }] },
    ),
    [
      `${P}.x-kubernetes-validations[0].rule: Invalid value: {"rule":"size(self.metadata.labels) > 0"}: compilation failed: ERROR: <input>:1:19: undefined field 'labels'`,
    ],
  ],
  [
    'comprehension variables are typed by the list items',
    root({
      l: {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' } } },
        'x-kubernetes-validations': [{ rule: "self.all(i, i.name != '' && i.nope)" }],
      },
    }),
    [
      `${P}.properties[l].x-kubernetes-validations[0].rule: Invalid value: {"rule":"self.all(i, i.name != '' && i.nope)"}: compilation failed: ERROR: <input>:1:30: undefined field 'nope'`,
    ],
  ],
  [
    'preserve-unknown-fields objects accept any field',
    root({
      o: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        'x-kubernetes-validations': [{ rule: 'has(self.anything)' }],
      },
    }),
    [],
  ],
];

for (const [name, schema, want] of rows) {
  test(`crd validation: ${name}`, () => assert.deepEqual(errs(schema), want));
}

test('compileSchema throws on a schema validateCrdSchema rejects', () => {
  assert.throws(() => compileSchema({ type: 'string' }), /must be object at the root/);
});

const MSG =
  '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
test('crd validation: estimated rule cost over budget (nested comprehension over an unbounded list)', () => {
  const list = (extra: JSONSchemaProps): JSONSchemaProps =>
    root({
      l: {
        type: 'array',
        items: { type: 'string', ...extra },
        'x-kubernetes-validations': [{ rule: 'self.all(x, self.all(y, x == y))' }],
        ...(extra.maxLength ? { maxItems: 10 } : {}),
      },
    });
  assert.deepEqual(errs(list({})), [
    `${P}.properties[l].x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${MSG}`,
  ]);
  assert.deepEqual(errs(list({ maxLength: 10 })), []);
});

test('crd validation: estimated rule cost multiplies by cardinality (regex on unbounded strings in a list)', () => {
  const s = root({
    l: {
      type: 'array',
      items: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.matches('^[a-z]+$')" }] },
    },
  });
  assert.deepEqual(errs(s), [
    `${P}.properties[l].items.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${MSG}`,
  ]);
  const bounded = root({
    l: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'string',
        maxLength: 63,
        'x-kubernetes-validations': [{ rule: "self.matches('^[a-z]+$')" }],
      },
    },
  });
  assert.deepEqual(errs(bounded), []);
});
