/**
 * Request bodies decoded for an endpoint's kind get upstream's wording when their version/kind
 * cannot be read (handlers/rest.go transformDecodeError, runtime/serializer/json/meta.go
 * Interpret): bad JSON, a non-object, a non-string kind, bad YAML; `null` is an empty object.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { decodeObject } from './body.js';

const PREFIX =
  "the object provided is unrecognized (must be of type Namespace): couldn't get version/kind; json parse error: ";

function fails(body: string, contentType: string | undefined, message: string): void {
  assert.throws(
    () => decodeObject(Buffer.from(body), contentType, undefined, 'Namespace'),
    (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === message,
  );
}

test('bad JSON: Go syntax error and the body summary', () => {
  fails('{"kind": "Namespace",', undefined, `${PREFIX}unexpected end of JSON input ({"kind": "Namespace",)`);
  fails(
    'nope',
    'application/json',
    `${PREFIX}invalid character 'o' in literal null (expecting 'u') (6e6f7065)`,
  );
  fails('', undefined, `${PREFIX}unexpected end of JSON input (<empty>)`);
});

test('a body that is not an object, or whose kind is not a string', () => {
  fails(
    '"x"',
    undefined,
    `${PREFIX}json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (227822)`,
  );
  fails(
    '{"apiVersion":1}',
    undefined,
    `${PREFIX}json: cannot unmarshal number into Go struct field .apiVersion of type string ({"apiVersion":1})`,
  );
  fails(
    'kind: [a]\n',
    'application/yaml',
    `${PREFIX}json: cannot unmarshal array into Go struct field .kind of type string (6b696e643a205b615d0a)`,
  );
});

test('bad YAML keeps the converter text under the same prefix', () => {
  assert.throws(
    () => decodeObject(Buffer.from('a: [b\n'), 'application/yaml', undefined, 'Namespace'),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 400 &&
      e.message.startsWith(
        'the object provided is unrecognized (must be of type Namespace): error converting YAML to JSON: ',
      ) &&
      e.message.endsWith(' (613a205b620a)'),
  );
});

test('null is an empty object; without a kind the old texts stay', () => {
  assert.deepEqual(decodeObject(Buffer.from('null'), undefined, undefined, 'Namespace'), {});
  assert.deepEqual(decodeObject(Buffer.from('{"kind":"Namespace"}'), undefined, undefined, 'Namespace'), {
    kind: 'Namespace',
  });
  assert.throws(
    () => decodeObject(Buffer.from('[1]'), undefined),
    /the body of the request must be a JSON object/,
  );
});
