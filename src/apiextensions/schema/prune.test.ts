/**
 * Pruning, ported from upstream pkg/apiserver/schema/pruning/algorithm_test.go (TestPrune), plus
 * the contract's pruneObject (root/embedded metadata coercion, leading-dot paths) and a
 * fast-check property: pruning is idempotent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { prune, pruneObject } from './prune.js';
import { toStructural } from './structural.js';
import type { JSONSchemaProps } from './index.js';

interface Row {
  name: string;
  json: unknown;
  root?: boolean;
  schema?: JSONSchemaProps;
  want: unknown;
  pruned?: string[];
}

const obj = (type: string, extra: JSONSchemaProps = {}): JSONSchemaProps => ({ type, ...extra });

const embeddedInput = () => ({
  apiVersion: 'foo/v1',
  kind: 'Foo',
  metadata: { name: 'instance', unspecified: 'bar' },
  unspecified: 'bar',
  pruned: {
    apiVersion: 'foo/v1',
    kind: 'Foo',
    unspecified: 'bar',
    metadata: { name: 'instance', unspecified: 'bar' },
    spec: { unspecified: 'bar' },
  },
  preserving: {
    apiVersion: 'foo/v1',
    kind: 'Foo',
    unspecified: 'bar',
    metadata: { name: 'instance', unspecified: 'bar' },
    spec: { unspecified: 'bar' },
  },
  nested: {
    apiVersion: 'foo/v1',
    kind: 'Foo',
    unspecified: 'bar',
    metadata: { name: 'instance', unspecified: 'bar' },
    spec: {
      unspecified: 'bar',
      embedded: {
        apiVersion: 'foo/v1',
        kind: 'Foo',
        unspecified: 'bar',
        metadata: { name: 'instance', unspecified: 'bar' },
        spec: { unspecified: 'bar' },
      },
    },
  },
});
const embeddedSchema: JSONSchemaProps = obj('object', {
  properties: {
    pruned: obj('object', { 'x-kubernetes-embedded-resource': true, properties: { spec: obj('object') } }),
    preserving: obj('object', {
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
    }),
    nested: obj('object', {
      'x-kubernetes-embedded-resource': true,
      properties: {
        spec: obj('object', {
          properties: {
            embedded: obj('object', {
              'x-kubernetes-embedded-resource': true,
              properties: { spec: obj('object') },
            }),
          },
        }),
      },
    }),
  },
});
const embeddedWant = (root: boolean) => ({
  ...(root ? { apiVersion: 'foo/v1', kind: 'Foo', metadata: { name: 'instance', unspecified: 'bar' } } : {}),
  pruned: { apiVersion: 'foo/v1', kind: 'Foo', metadata: { name: 'instance', unspecified: 'bar' }, spec: {} },
  preserving: embeddedInput().preserving,
  nested: {
    apiVersion: 'foo/v1',
    kind: 'Foo',
    metadata: { name: 'instance', unspecified: 'bar' },
    spec: {
      embedded: {
        apiVersion: 'foo/v1',
        kind: 'Foo',
        metadata: { name: 'instance', unspecified: 'bar' },
        spec: {},
      },
    },
  },
});
const embeddedPruned = [
  'nested.spec.embedded.spec.unspecified',
  'nested.spec.embedded.unspecified',
  'nested.spec.unspecified',
  'nested.unspecified',
  'pruned.spec.unspecified',
  'pruned.unspecified',
  'unspecified',
];

const rows: Row[] = [
  { name: 'empty', json: null, want: null },
  { name: 'scalar', json: 4, schema: {}, want: 4 },
  { name: 'scalar array', json: [1, 2], schema: { items: {} }, want: [1, 2] },
  {
    name: 'object array',
    json: [{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }],
    schema: { items: { properties: { a: {}, c: {} } } },
    want: [{ a: 1 }, {}, { a: 1, c: 3 }],
    pruned: ['[1].b', '[2].b'],
  },
  {
    name: 'object array with nil schema',
    json: [{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }],
    want: [{}, {}, {}],
    pruned: ['[0].a', '[1].b', '[2].a', '[2].b', '[2].c'],
  },
  {
    name: 'object array object',
    json: {
      array: [{ a: 1 }, { b: 1 }, { a: 1, b: 2, c: 3 }],
      unspecified: { a: 1 },
      specified: { a: 1, b: 2, c: 3 },
    },
    schema: {
      properties: {
        array: { items: { properties: { a: {}, c: {} } } },
        specified: { properties: { a: {}, c: {} } },
      },
    },
    want: { array: [{ a: 1 }, {}, { a: 1, c: 3 }], specified: { a: 1, c: 3 } },
    pruned: ['array[1].b', 'array[2].b', 'specified.b', 'unspecified'],
  },
  {
    name: 'nested x-kubernetes-preserve-unknown-fields',
    json: {
      unspecified: 'bar',
      alpha: 'abc',
      beta: 42.0,
      unspecifiedObject: { unspecified: 'bar' },
      pruning: {
        unspecified: 'bar',
        unspecifiedObject: { unspecified: 'bar' },
        pruning: { unspecified: 'bar' },
        apiVersion: 'unknown',
        preserving: { unspecified: 'bar' },
      },
      preserving: {
        unspecified: 'bar',
        unspecifiedObject: { unspecified: 'bar' },
        pruning: { unspecified: 'bar' },
        preserving: { unspecified: 'bar' },
      },
      preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields: {
        foo: { specified: { unspecified: 'bar' }, unspecified: 'bar' },
      },
      preservingAdditionalPropertiesKeyPruneValues: {
        foo: { specified: { unspecified: 'bar' }, unspecified: 'bar' },
      },
    },
    schema: obj('object', {
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        alpha: obj('string'),
        beta: obj('number'),
        pruning: obj('object', {
          properties: {
            preserving: obj('object', { 'x-kubernetes-preserve-unknown-fields': true }),
            pruning: obj('object'),
          },
        }),
        preserving: obj('object', {
          'x-kubernetes-preserve-unknown-fields': true,
          properties: {
            preserving: obj('object', { 'x-kubernetes-preserve-unknown-fields': true }),
            pruning: obj('object'),
          },
        }),
        preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields: obj('object', {
          'x-kubernetes-preserve-unknown-fields': true,
          additionalProperties: obj('object', { properties: { specified: obj('object') } }),
        }),
        preservingAdditionalPropertiesKeyPruneValues: obj('object', {
          additionalProperties: obj('object', { properties: { specified: obj('object') } }),
        }),
      },
    }),
    want: {
      unspecified: 'bar',
      alpha: 'abc',
      beta: 42.0,
      unspecifiedObject: { unspecified: 'bar' },
      pruning: { pruning: {}, preserving: { unspecified: 'bar' } },
      preserving: {
        unspecified: 'bar',
        unspecifiedObject: { unspecified: 'bar' },
        pruning: {},
        preserving: { unspecified: 'bar' },
      },
      preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields: { foo: { specified: {} } },
      preservingAdditionalPropertiesKeyPruneValues: { foo: { specified: {} } },
    },
    pruned: [
      'preserving.pruning.unspecified',
      'preservingAdditionalPropertiesKeyPruneValues.foo.specified.unspecified',
      'preservingAdditionalPropertiesKeyPruneValues.foo.unspecified',
      'preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields.foo.specified.unspecified',
      'preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields.foo.unspecified',
      'pruning.apiVersion',
      'pruning.pruning.unspecified',
      'pruning.unspecified',
      'pruning.unspecifiedObject',
    ],
  },
  {
    name: 'additionalProperties with schema',
    json: { a: 1, b: 1, c: { a: 1, b: 2, c: { a: 1 } } },
    schema: { properties: { a: {}, c: { additionalProperties: obj('integer') } } },
    want: { a: 1, c: { a: 1, b: 2, c: {} } },
    pruned: ['b', 'c.c.a'],
  },
  {
    name: 'additionalProperties with bool',
    json: { a: 1, b: 1, c: { a: 1, b: 2, c: { a: 1, apiVersion: 'unknown' } } },
    schema: { properties: { a: {}, c: { additionalProperties: true } } },
    want: { a: 1, c: { a: 1, b: 2, c: {} } },
    pruned: ['b', 'c.c.a', 'c.c.apiVersion'],
  },
  {
    name: 'x-kubernetes-embedded-resource',
    json: embeddedInput(),
    schema: embeddedSchema,
    want: embeddedWant(false),
    pruned: embeddedPruned,
  },
  {
    name: 'x-kubernetes-embedded-resource, with root=true',
    json: embeddedInput(),
    root: true,
    schema: embeddedSchema,
    want: embeddedWant(true),
    pruned: embeddedPruned,
  },
];

for (const row of rows) {
  test(`pruning: TestPrune/"${row.name}"`, () => {
    const x = structuredClone(row.json);
    const got = prune(x, row.schema ? toStructural(row.schema) : undefined, row.root ?? false);
    assert.deepEqual(x, row.want);
    assert.deepEqual(got, row.pruned ?? []);
  });
}

test('pruneObject: metadata keeps only ObjectMeta fields at the root and in embedded resources', () => {
  const o = embeddedInput() as Record<string, unknown>;
  const got = pruneObject(o, toStructural(embeddedSchema));
  assert.deepEqual(o.metadata as object, { name: 'instance' });
  assert.deepEqual((o.pruned as { metadata: object }).metadata, { name: 'instance' });
  assert.deepEqual((o.nested as { spec: { embedded: { metadata: object } } }).spec.embedded.metadata, {
    name: 'instance',
  });
  // preserving keeps unknown fields, but its metadata is still ObjectMeta
  assert.deepEqual((o.preserving as { metadata: object }).metadata, { name: 'instance' });
  assert.equal((o.preserving as { unspecified: string }).unspecified, 'bar');
  assert.deepEqual(got, [
    '.metadata.unspecified',
    ...embeddedPruned.map((p) => `.${p}`),
    '.pruned.metadata.unspecified',
    '.preserving.metadata.unspecified',
    '.nested.metadata.unspecified',
    '.nested.spec.embedded.metadata.unspecified',
  ]);
});

test('pruneObject: apiVersion, kind and metadata survive an empty schema; labels and annotations are kept', () => {
  const o: Record<string, unknown> = {
    apiVersion: 'a/v1',
    kind: 'K',
    metadata: {
      name: 'x',
      namespace: 'n',
      labels: { a: 'b' },
      annotations: { c: 'd' },
      generateName: 'g',
      finalizers: ['f'],
    },
    spec: { a: 1 },
  };
  assert.deepEqual(pruneObject(o, toStructural({ type: 'object' })), ['.spec']);
  assert.deepEqual(o, {
    apiVersion: 'a/v1',
    kind: 'K',
    metadata: {
      name: 'x',
      namespace: 'n',
      labels: { a: 'b' },
      annotations: { c: 'd' },
      generateName: 'g',
      finalizers: ['f'],
    },
  });
});

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'spec', 'metadata', 'x'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

test('pruning: property: prune is idempotent and a second prune reports nothing', () => {
  const schema = toStructural({
    type: 'object',
    properties: {
      a: { type: 'object', properties: { b: { type: 'integer' } } },
      spec: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { c: { type: 'object' } },
      },
      x: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
    },
  });
  fc.assert(
    fc.property(
      fc.dictionary(fc.constantFrom('a', 'b', 'spec', 'x', 'metadata'), json, { maxKeys: 5 }),
      (o) => {
        const first = structuredClone(o);
        pruneObject(first, schema);
        const second = structuredClone(first);
        assert.deepEqual(pruneObject(second, schema), []);
        assert.deepEqual(second, first);
      },
    ),
  );
});
