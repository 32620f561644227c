import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { JsonValue } from '../types.js';
import { applyMergePatch } from './merge-patch.js';

// RFC 7386 Appendix A (cases whose patch is an object; upstream rejects other top-level patches).
const cases: [JsonValue, JsonValue, JsonValue][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

cases.forEach(([doc, patch, want], i) => {
  test(`merge patch: RFC 7386 example ${i + 1}`, () => {
    const before = JSON.stringify(doc);
    assert.deepEqual(applyMergePatch(doc, patch), want);
    assert.equal(JSON.stringify(doc), before);
  });
});

test('merge patch: kubectl label', () => {
  const doc = { metadata: { name: 'x', labels: { a: '1', b: '2' } } };
  assert.deepEqual(applyMergePatch(doc, { metadata: { labels: { a: null, c: '3' } } }), {
    metadata: { name: 'x', labels: { b: '2', c: '3' } },
  });
});

test('merge patch: v4 prunes nulls inside inserted arrays of objects', () => {
  assert.deepEqual(applyMergePatch({}, { a: [{ b: null, c: 1 }, null] }), { a: [{ c: 1 }, null] });
});

test('merge patch: non-object patch is 400 Invalid JSON Patch', () => {
  for (const p of [null, [1], 'x', 3]) {
    assert.throws(
      () => applyMergePatch({ a: 1 }, p),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'Invalid JSON Patch',
    );
  }
});
