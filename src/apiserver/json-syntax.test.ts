/**
 * Go's encoding/json syntax error texts (scanner.go) for bodies JSON.parse refuses, and
 * upstream's summarizeData (endpoints/handlers/rest.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonSyntaxError, summarizeData } from './json-syntax.js';

const cases: [string, string | undefined][] = [
  ['{"a":1}', undefined],
  [' [1, 2.5e-3, true, false, null, "x\\u00e9"] ', undefined],
  ['', 'unexpected end of JSON input'],
  ['{"apiVersion": "v1", "kind": ', 'unexpected end of JSON input'],
  ['{"a"', 'unexpected end of JSON input'],
  ['x', "invalid character 'x' looking for beginning of value"],
  ['{x}', "invalid character 'x' looking for beginning of object key string"],
  ['{"a",', "invalid character ',' after object key"],
  ['{"a":1 "b":2}', "invalid character '\"' after object key:value pair"],
  ['[1 2]', "invalid character '2' after array element"],
  ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
  ['[1,]', "invalid character ']' looking for beginning of value"],
  ['{"a":1}}', "invalid character '}' after top-level value"],
  ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
  ['{"a":nul', 'unexpected end of JSON input'],
  ['{"a":fx}', "invalid character 'x' in literal false (expecting 'a')"],
  ['{"a":"\u0001"}', "invalid character '\\x01' in string literal"],
  ['{"a":"\n"}', "invalid character '\\n' in string literal"],
  ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
  ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
  ['{"a":-x}', "invalid character 'x' in numeric literal"],
  ['{"a":1.x}', "invalid character 'x' after decimal point in numeric literal"],
  ['{"a":1ex}', "invalid character 'x' in exponent of numeric literal"],
  ['{"a":01}', "invalid character '1' after object key:value pair"],
  ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
];

for (const [input, want] of cases) {
  test(`Go syntax error for ${JSON.stringify(input)}`, () => {
    assert.equal(goJsonSyntaxError(Buffer.from(input)), want);
  });
}

test('a non-ASCII byte prints as its Latin-1 rune, as Go quotes a byte', () => {
  assert.equal(goJsonSyntaxError(Buffer.from('é')), "invalid character 'Ã' looking for beginning of value");
});

test('summarizeData: objects as text cut at 30 bytes, anything else as hex', () => {
  assert.equal(summarizeData(Buffer.from('{"a":1}')), '{"a":1}');
  assert.equal(
    summarizeData(Buffer.from('{"apiVersion":"v1","kind":"ConfigMap"}')),
    '{"apiVersion":"v1","kind":"Con ...',
  );
  assert.equal(summarizeData(Buffer.from('[1,2,3]')), '5b312c322c335d');
  assert.equal(summarizeData(Buffer.alloc(0)), '<empty>');
});
