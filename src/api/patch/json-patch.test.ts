import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { JsonValue } from '../types.js';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';

// RFC 6902 Appendix A, plus v4 behaviours the apiserver inherits.
const ok: { name: string; doc: JsonValue; patch: JsonValue; want: JsonValue }[] = [
  {
    name: 'A.1 add object member',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz', value: 'qux' }],
    want: { baz: 'qux', foo: 'bar' },
  },
  {
    name: 'A.2 add array element',
    doc: { foo: ['bar', 'baz'] },
    patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
    want: { foo: ['bar', 'qux', 'baz'] },
  },
  {
    name: 'A.3 remove object member',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'remove', path: '/baz' }],
    want: { foo: 'bar' },
  },
  {
    name: 'A.4 remove array element',
    doc: { foo: ['bar', 'qux', 'baz'] },
    patch: [{ op: 'remove', path: '/foo/1' }],
    want: { foo: ['bar', 'baz'] },
  },
  {
    name: 'A.5 replace',
    doc: { baz: 'qux', foo: 'bar' },
    patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
    want: { baz: 'boo', foo: 'bar' },
  },
  {
    name: 'A.6 move value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  {
    name: 'A.7 move array element',
    doc: { foo: ['all', 'grass', 'cows', 'eat'] },
    patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
    want: { foo: ['all', 'cows', 'eat', 'grass'] },
  },
  {
    name: 'A.8 test success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [
      { op: 'test', path: '/baz', value: 'qux' },
      { op: 'test', path: '/foo/1', value: 2 },
    ],
    want: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  {
    name: 'A.10 add nested object',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
    want: { foo: 'bar', child: { grandchild: {} } },
  },
  {
    name: 'A.14 ~ escape ordering',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: 10 }],
    want: { '/': 9, '~1': 10 },
  },
  {
    name: 'A.16 add array value',
    doc: { foo: ['bar'] },
    patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }],
    want: { foo: ['bar', ['abc', 'def']] },
  },
  {
    name: 'escaped slash',
    doc: { metadata: { labels: { 'a/b': 'x' } } },
    patch: [{ op: 'remove', path: '/metadata/labels/a~1b' }],
    want: { metadata: { labels: {} } },
  },
  {
    name: 'copy',
    doc: { a: { b: 1 } },
    patch: [{ op: 'copy', from: '/a', path: '/c' }],
    want: { a: { b: 1 }, c: { b: 1 } },
  },
  {
    name: 'negative index (v4)',
    doc: { a: [1, 2, 3] },
    patch: [{ op: 'remove', path: '/a/-1' }],
    want: { a: [1, 2] },
  },
  {
    name: 'test absent with null passes (v4)',
    doc: { a: 1 },
    patch: [{ op: 'test', path: '/b', value: null }],
    want: { a: 1 },
  },
  {
    name: 'test whole doc',
    doc: { a: 1 },
    patch: [{ op: 'test', path: '', value: { a: 1 } }],
    want: { a: 1 },
  },
];

for (const c of ok) {
  test(`json patch: ${c.name}`, () => {
    const before = JSON.stringify(c.doc);
    assert.deepEqual(applyJsonPatch(c.doc, c.patch), c.want);
    assert.equal(JSON.stringify(c.doc), before, 'input not mutated');
  });
}

const unprocessable: { name: string; doc: JsonValue; patch: JsonValue }[] = [
  {
    name: 'A.9 test failure',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [{ op: 'test', path: '/baz', value: 'bar' }],
  },
  {
    name: 'A.12 add to nonexistent target',
    doc: { foo: 'bar' },
    patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }],
  },
  {
    name: 'A.15 string not number',
    doc: { '/': 9, '~1': 10 },
    patch: [{ op: 'test', path: '/~01', value: '10' }],
  },
  { name: 'remove missing', doc: { a: 1 }, patch: [{ op: 'remove', path: '/spec/affinity' }] },
  { name: 'replace missing', doc: { a: 1 }, patch: [{ op: 'replace', path: '/b', value: 1 }] },
  { name: 'index out of range', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/5', value: 1 }] },
  { name: 'unknown op', doc: { a: 1 }, patch: [{ op: 'frob', path: '/a' }] },
  { name: 'missing path', doc: { a: 1 }, patch: [{ op: 'add', value: 1 }] },
  { name: 'move into own child', doc: { a: { b: 1 } }, patch: [{ op: 'move', from: '/a', path: '/a/b/c' }] },
];

for (const c of unprocessable) {
  test(`json patch 422: ${c.name}`, () => {
    assert.throws(
      () => applyJsonPatch(c.doc, c.patch),
      (e: unknown) =>
        e instanceof ApiError &&
        e.code === 422 &&
        e.reason === 'Invalid' &&
        e.message === 'the server rejected our request due to an error in our request',
    );
  });
}

test('json patch: non-array body is 400 with the Go decode error', () => {
  assert.throws(
    () => applyJsonPatch({}, { op: 'add' }),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 400 &&
      e.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
  );
});

test('json patch: more than 10000 operations is 413', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({
    op: 'test',
    path: '/a',
    value: 1,
  }));
  assert.throws(
    () => applyJsonPatch({ a: 1 }, ops),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 413 &&
      e.message ===
        'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  );
});

test('json patch: copy bomb is bounded', () => {
  const ops = Array.from({ length: 40 }, () => ({ op: 'copy', from: '/a', path: '/a/-' }));
  assert.throws(
    () => applyJsonPatch({ a: ['x'.repeat(1000)] }, ops),
    (e: unknown) => e instanceof ApiError && e.code === 422,
  );
});

test('json patch: deep patch value is 400', () => {
  let v: JsonValue = 1;
  for (let i = 0; i < 2000; i++) v = { a: v };
  assert.throws(
    () => applyJsonPatch({}, [{ op: 'add', path: '/x', value: v }]),
    (e: unknown) => e instanceof ApiError && e.code === 400,
  );
});
