/** parseCsv against Go encoding/csv behaviour (reader_test.go cases relevant to FieldsPerRecord=-1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from './csv.js';

const ok: [string, string, string[][]][] = [
  ['Simple', 'a,b,c\n', [['a', 'b', 'c']]],
  [
    'CRLF',
    'a,b\r\nc,d\r\n',
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
  ],
  ['BareCR kept in field', 'a,b\rc,d\n', [['a', 'b\rc', 'd']]],
  ['NoEOLTest', 'a,b,c', [['a', 'b', 'c']]],
  ['Quoted comma', 'token,user,uid,"g1,g2"\n', [['token', 'user', 'uid', 'g1,g2']]],
  ['DoubleQuote', '"a""b",c\n', [['a"b', 'c']]],
  [
    'BlankLine',
    'a,b\n\n\nc,d\n',
    [
      ['a', 'b'],
      ['c', 'd'],
    ],
  ],
  ['LeadingSpace kept', ' a,  b\n', [[' a', '  b']]],
  ['TrailingComma', 'a,b,\n', [['a', 'b', '']]],
  ['QuotedTrailingComma', '"a",\n', [['a', '']]],
  ['MultiLine', '"two\nline",x\n', [['two\nline', 'x']]],
  [
    'VariableFields',
    'a,b\nc,d,e,f\n',
    [
      ['a', 'b'],
      ['c', 'd', 'e', 'f'],
    ],
  ],
  ['EmptyQuoted', '"",x\n', [['', 'x']]],
  ['Quote cut off by EOF (Go keeps the field)', '"abc\ndef\n', [['abc\ndef\n']]],
];
for (const [name, input, want] of ok)
  test(`csv: ${name}`, () =>
    assert.deepEqual(
      parseCsv(input).map((r) => r.fields),
      want,
    ));

test('csv: records remember their starting line', () => {
  assert.deepEqual(
    parseCsv('a\n\n"b\nc"\nd\n').map((r) => r.line),
    [1, 3, 5],
  );
});

const bad: [string, string, string][] = [
  ['BareQuote', 'a"b,c\n', 'parse error on line 1, column 2: bare " in non-quoted field'],
  ['BadQuote', '"a"b,c\n', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
  ['BareQuote on line 2', 'ok,1,2\nx,y"z,1\n', 'parse error on line 2, column 4: bare " in non-quoted field'],
  [
    'BadQuote on a later line of a record',
    '"abc\nd"ef\n',
    'record on line 1; parse error on line 2, column 3: extraneous or missing " in quoted-field',
  ],
];
for (const [name, input, msg] of bad)
  test(`csv error: ${name}`, () => assert.throws(() => parseCsv(input), { message: msg }));
