/**
 * JSON as upstream's serializer writes it (runtime/serializer/json/json.go doEncode: json.Encoder,
 * or json.MarshalIndent(obj, "", "  ") when pretty) and upstream's isPrettyPrint
 * (endpoints/handlers/negotiation/negotiate.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeGoJson, goJson, goJsonIndent, isPrettyPrint } from './json-encode.js';

test('goJson escapes <, >, &, U+2028 and U+2029 as Go does', () => {
  assert.equal(goJson({ m: 'a <b> & c\u2028\u2029' }), '{"m":"a \\u003cb\\u003e \\u0026 c\\u2028\\u2029"}');
  assert.equal(goJson({ a: [1, 'x'] }), '{"a":[1,"x"]}');
  const plain = '{"a":"b"}';
  assert.equal(escapeGoJson(plain), plain);
});

test('goJsonIndent is MarshalIndent with two spaces, empty containers inline', () => {
  assert.equal(
    goJsonIndent({ kind: 'Status', metadata: {}, items: [], code: 401, details: { causes: [{ a: '<' }] } }),
    [
      '{',
      '  "kind": "Status",',
      '  "metadata": {},',
      '  "items": [],',
      '  "code": 401,',
      '  "details": {',
      '    "causes": [',
      '      {',
      '        "a": "\\u003c"',
      '      }',
      '    ]',
      '  }',
      '}',
    ].join('\n'),
  );
});

test('isPrettyPrint: the pretty query decides (strconv.ParseBool), else the User-Agent', () => {
  assert.equal(isPrettyPrint('true', undefined), true);
  assert.equal(isPrettyPrint('1', 'kubectl/v1.33.0'), true);
  assert.equal(isPrettyPrint('T', undefined), true);
  assert.equal(isPrettyPrint('false', 'curl/8.5.0'), false);
  assert.equal(isPrettyPrint('yes', 'curl/8.5.0'), false);
  assert.equal(isPrettyPrint('', 'curl/8.5.0'), true);
  assert.equal(isPrettyPrint(null, 'curl/8.5.0'), true);
  assert.equal(isPrettyPrint(null, 'Wget/1.21'), true);
  assert.equal(isPrettyPrint(null, 'Mozilla/5.0 (X11; Linux x86_64)'), true);
  assert.equal(isPrettyPrint(null, 'Mozilla/4.0'), false);
  assert.equal(isPrettyPrint(null, 'kubectl/v1.33.0 (linux/amd64) kubernetes/abc'), false);
  assert.equal(isPrettyPrint(null, undefined), false);
});
