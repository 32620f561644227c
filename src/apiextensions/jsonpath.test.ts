/**
 * The JSONPath subset of printer columns and selectable fields (client-go util/jsonpath
 * semantics: missing keys give no result), and CR Table rows from additionalPrinterColumns
 * (customresource/tableconvertor: Name first, typed cells, the default Age column).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalJsonPath, goText, parseJsonPath } from './jsonpath.js';
import { customTable } from './printer.js';

const obj = {
  metadata: {
    name: 'w1',
    creationTimestamp: '2026-01-02T03:04:05Z',
    labels: { 'app.kubernetes.io/name': 'x' },
  },
  spec: { size: 3, color: 'red', tags: ['a', 'b'], nested: { b: 1, a: true } },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'False' },
    ],
  },
};

test('fields, indexes, wildcards, quoted keys, escaped dots, filters', () => {
  const ev = (p: string) => evalJsonPath(parseJsonPath(p), obj);
  assert.deepEqual(ev('.spec.size'), [3]);
  assert.deepEqual(ev('.spec.tags[1]'), ['b']);
  assert.deepEqual(ev('.spec.tags[-1]'), ['b']);
  assert.deepEqual(ev('.spec.tags[*]'), ['a', 'b']);
  assert.deepEqual(ev(".metadata.labels['app.kubernetes.io/name']"), ['x']);
  assert.deepEqual(ev('.metadata.labels.app\\.kubernetes\\.io/name'), ['x']);
  assert.deepEqual(ev('.status.conditions[?(@.type=="Ready")].status'), ['True']);
  assert.deepEqual(ev('.status.conditions[?(@.type!="Ready")].type'), ['Synced']);
  assert.deepEqual(ev('.spec.missing.deeper'), []);
  assert.deepEqual(ev('{.spec.color}'), ['red']);
  assert.throws(() => parseJsonPath('.spec..x'));
  assert.throws(() => parseJsonPath('spec'));
});

test('goText prints as Go fmt %v does', () => {
  assert.equal(goText({ b: 1, a: true }), 'map[a:true b:1]');
  assert.equal(goText(['a', 2]), '[a 2]');
});

test('printer columns: Name first, typed cells, null for missing or mistyped values', () => {
  const t = customTable([
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1, description: 'the colour' },
    { name: 'Nested', type: 'string', jsonPath: '.spec.nested' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Bad', type: 'boolean', jsonPath: '.spec.size' },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nope' },
    { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ]);
  assert.deepEqual(
    t.columns.map((c) => [c.name, c.type, c.format, c.priority]),
    [
      ['Name', 'string', 'name', 0],
      ['Size', 'integer', '', 0],
      ['Color', 'string', '', 1],
      ['Nested', 'string', '', 0],
      ['Ready', 'string', '', 0],
      ['Bad', 'boolean', '', 0],
      ['Missing', 'string', '', 0],
      ['Age', 'date', '', 0],
    ],
  );
  assert.equal(
    t.columns[1]!.description,
    'Custom resource definition column (in JSONPath format): .spec.size',
  );
  assert.equal(t.columns[2]!.description, 'the colour');
  assert.deepEqual(t.rows(obj, new Date('2026-01-02T03:09:05Z'))[0]!.cells, [
    'w1',
    3,
    'red',
    'map[a:true b:1]',
    'True',
    null,
    null,
    '5m',
  ]);
});

test('no printer columns: Name and the default Age column', () => {
  const t = customTable([]);
  assert.deepEqual(
    t.columns.map((c) => c.name),
    ['Name', 'Age'],
  );
  assert.deepEqual(t.rows(obj, new Date('2026-01-04T03:04:05Z'))[0]!.cells, ['w1', '2d']);
});
