/**
 * The dryRun option of every write (dry-run.ts): the query for create/update/patch, the
 * DeleteOptions body or the query for DELETE, the Eviction's deleteOptions merged with the query
 * as upstream's propagateDryRun (pkg/registry/core/pod/storage/eviction.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../api/errors.js';
import { deleteDryRun, evictionDryRun, isDryRun, parseDryRun } from './dry-run.js';
import type { RequestScope } from './scope.js';

const scope = (query: string) => ({ ctx: { query: new URLSearchParams(query) } }) as unknown as RequestScope;

const badRequest = (message: string) => (e: unknown) =>
  e instanceof ApiError && e.code === 400 && e.message === message;

test('parseDryRun: "All" or nothing; anything else is a 400 with upstream text', () => {
  assert.equal(parseDryRun([]), false);
  assert.equal(parseDryRun(['All']), true);
  assert.throws(
    () => parseDryRun(['Foo']),
    badRequest('dryRun: Unsupported value: "Foo": supported values: "All"'),
  );
});

test('isDryRun reads the query', () => {
  assert.equal(isDryRun(scope('')), false);
  assert.equal(isDryRun(scope('dryRun=All')), true);
  assert.throws(() => isDryRun(scope('dryRun=All&dryRun=x')), ApiError);
});

test('deleteDryRun: the DeleteOptions body or the query', () => {
  const rows: [string, unknown, boolean][] = [
    ['', {}, false],
    ['', { dryRun: ['All'] }, true],
    ['dryRun=All', {}, true],
    ['dryRun=All', { dryRun: ['All'] }, true],
    ['', { dryRun: null }, false],
  ];
  for (const [q, body, want] of rows)
    assert.equal(deleteDryRun(scope(q), body), want, `${q} ${JSON.stringify(body)}`);
  assert.throws(() => deleteDryRun(scope(''), { dryRun: ['Foo'] }), ApiError);
  assert.throws(() => deleteDryRun(scope(''), { dryRun: 'All' }), ApiError);
  assert.throws(() => deleteDryRun(scope('dryRun=Foo'), { dryRun: ['All'] }), ApiError);
});

test('evictionDryRun: deleteOptions.dryRun, else the query; different values are refused', () => {
  assert.equal(evictionDryRun(scope(''), undefined), false);
  assert.equal(evictionDryRun(scope(''), { dryRun: ['All'] }), true);
  assert.equal(evictionDryRun(scope('dryRun=All'), undefined), true);
  assert.equal(evictionDryRun(scope('dryRun=All'), { dryRun: ['All'] }), true);
  assert.throws(
    () => evictionDryRun(scope('dryRun=All'), { dryRun: ['Other'] }),
    badRequest('Non-matching dry-run options in request and content: [All] and [Other]'),
  );
});
