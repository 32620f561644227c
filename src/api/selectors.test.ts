import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { ApiError } from './errors.js';

test('label selector: equality, set and existence forms (labels/selector_test.go)', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  assert.equal(matchLabels(parseLabelSelector('app=web'), labels), true);
  assert.equal(matchLabels(parseLabelSelector('app==web,tier=front'), labels), true);
  assert.equal(matchLabels(parseLabelSelector('app!=web'), labels), false);
  assert.equal(matchLabels(parseLabelSelector('app!=db'), labels), true);
  assert.equal(matchLabels(parseLabelSelector('env in (prod, staging)'), labels), true);
  assert.equal(matchLabels(parseLabelSelector('env notin (prod)'), labels), false);
  assert.equal(matchLabels(parseLabelSelector('tier'), labels), true);
  assert.equal(matchLabels(parseLabelSelector('!tier'), labels), false);
  assert.equal(matchLabels(parseLabelSelector('missing!=x'), labels), true);
  assert.equal(matchLabels(parseLabelSelector(''), undefined), true);
});

test('label selector: malformed input is a 400 BadRequest', () => {
  for (const bad of ['app=(', 'a b c', ',', 'app in (a', 'Bad Key=1', 'k=' + 'x'.repeat(64)]) {
    assert.throws(
      () => parseLabelSelector(bad),
      (e: unknown) => e instanceof ApiError && e.code === 400,
      bad,
    );
  }
});

test('field selector: =, ==, != and escapes', () => {
  const f = parseFieldSelector('metadata.name=a\\,b,status.phase!=Running');
  assert.deepEqual(f, [
    { field: 'metadata.name', op: '=', value: 'a,b' },
    { field: 'status.phase', op: '!=', value: 'Running' },
  ]);
  const obj: Record<string, string> = { 'metadata.name': 'a,b', 'status.phase': 'Pending' };
  assert.equal(
    matchFields(f, (k) => obj[k]),
    true,
  );
  assert.throws(
    () => parseFieldSelector('nonsense'),
    (e: unknown) => e instanceof ApiError && e.code === 400,
  );
});
