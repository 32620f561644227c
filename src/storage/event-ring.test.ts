/**
 * EventRing and the key-range helpers: eviction order, `since` lookups, prefix ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventRing } from './event-ring.js';
import { lowerBound, prefixEnd, rangeStart } from './keys.js';

test('EventRing keeps the newest events and finds those after a revision', () => {
  const ring = new EventRing<{ revision: number }>(3);
  const evicted = [2, 4, 6, 8, 10].map((revision) => ring.push({ revision })?.revision);
  assert.deepEqual(evicted, [undefined, undefined, undefined, 2, 4]);
  assert.equal(ring.size, 3);
  const since = (r: number) => ring.since(r).map((e) => e.revision);
  for (const [after, want] of [
    [0, [6, 8, 10]],
    [6, [8, 10]],
    [7, [8, 10]],
    [10, []],
    [99, []],
  ] as const) {
    assert.deepEqual(since(after), want, `since(${after})`);
  }
  ring.clear();
  assert.deepEqual(since(0), []);
  assert.throws(() => new EventRing(0), RangeError);
});

test('prefixEnd, rangeStart and lowerBound', () => {
  for (const [prefix, want] of [
    ['/registry/pods/', '/registry/pods0'],
    ['a', 'b'],
    ['', '\u{10ffff}'],
    ['a\uffff', 'b'],
  ] as const) {
    assert.equal(prefixEnd(prefix), want, `prefixEnd(${JSON.stringify(prefix)})`);
  }
  assert.equal(rangeStart('/p/', undefined), '/p/');
  assert.equal(rangeStart('/p/', '/p/x'), '/p/x\0');
  assert.equal(rangeStart('/p/', '/a'), '/p/', 'a startAfter before the prefix is ignored');
  const items = ['a', 'c', 'e'].map((key) => ({ key }));
  assert.deepEqual(
    ['', 'a', 'b', 'e', 'f'].map((k) => lowerBound(items, k)),
    [0, 0, 1, 2, 3],
  );
});
