/**
 * RFC 6902 JSON Patch, as the apiserver applies `application/json-patch+json` bodies.
 *
 * Mirrors k8s.io/apiserver/pkg/endpoints/handlers/patch.go `jsonPatcher.applyJSPatch` and the
 * library it calls, gopkg.in/evanphx/json-patch.v4 (`DecodePatch`, `Patch.Apply`):
 * - the body must decode as an array of objects, else 400 BadRequest with Go's decode error;
 * - more than 10000 operations is 413 RequestEntityTooLarge;
 * - any failure while applying (missing path, bad index, failed `test`, unknown op) is the
 *   generic 422 Invalid "the server rejected our request due to an error in our request";
 * - negative array indices count from the end (v4's SupportNegativeIndices default);
 * - `test` against a missing or null target passes when the value is null or absent;
 * - the whole-document path "" is only accepted by `test`.
 * Beyond upstream: `copy` is bounded (accumulated copied size, like json-patch v5's
 * AccumulatedCopySizeLimit) so a short patch cannot blow up memory, and nesting is bounded.
 */
import { badRequest } from '../errors.js';
import type { JsonValue } from '../types.js';
import { checkDepth, clone, deepEqual, isObject, kindOf, type JsonObject } from './json.js';
import { tooManyOperations, unprocessable } from './errors.js';

/** handlers/patch.go maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** Bound on the total size (JSON bytes) that `copy` operations may add. */
export const MAX_COPY_BYTES = 3 * 1024 * 1024;

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
}

type Container = JsonObject | JsonValue[];

function goTypeName(v: unknown): string {
  return { map: 'object', list: 'array', string: 'string', number: 'number', boolean: 'bool', null: 'null' }[
    kindOf(v)
  ];
}

/** Validates the decoded body the way DecodePatch does (array of objects) and returns it typed. */
export function decodeJsonPatch(ops: unknown): JsonPatchOperation[] {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goTypeName(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (op !== null && !isObject(op)) {
      throw badRequest(`json: cannot unmarshal ${goTypeName(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return ops as JsonPatchOperation[];
}

/** RFC 6901: "/a~1b/~0c" -> ["a/b", "~c"]; undefined when the pointer is not "" or "/..." */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function fail(msg: string): never {
  throw unprocessable(msg);
}

function arrayIndex(key: string, len: number, forInsert: boolean, path: string): number {
  if (!/^[+-]?\d+$/.test(key)) fail(`invalid array index ${JSON.stringify(key)} in ${path}`);
  let idx = Number(key);
  if (idx < -len || idx > (forInsert ? len : len - 1)) fail(`Unable to access invalid index: ${idx}`);
  if (idx < 0) idx += len;
  return idx;
}

function getChild(c: Container, key: string): JsonValue | undefined {
  if (Array.isArray(c)) {
    if (!/^[+-]?\d+$/.test(key)) return undefined;
    const idx = Number(key);
    if (idx >= c.length || idx < -c.length) return undefined;
    return c[idx < 0 ? idx + c.length : idx];
  }
  return Object.prototype.hasOwnProperty.call(c, key) ? c[key] : undefined;
}

/** findObject: the container holding the last segment, and that segment. */
function findParent(doc: JsonValue, pointer: string | undefined, op: string): [Container, string] {
  if (pointer === undefined) fail(`${op} operation missing path`);
  const parts = parsePointer(pointer);
  if (parts === undefined || parts.length === 0) {
    fail(`${op} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}`);
  }
  let cur: JsonValue | undefined = doc;
  for (const part of parts.slice(0, -1)) {
    cur = typeof cur === 'object' && cur !== null ? getChild(cur, part) : undefined;
    if (cur === undefined) {
      fail(`${op} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}`);
    }
  }
  if (typeof cur !== 'object' || cur === null) {
    fail(`${op} operation does not apply: doc is missing path: ${JSON.stringify(pointer)}`);
  }
  return [cur, parts[parts.length - 1]];
}

function addAt(c: Container, key: string, value: JsonValue, path: string): void {
  if (Array.isArray(c)) {
    const idx = key === '-' ? c.length : arrayIndex(key, c.length, true, path);
    c.splice(idx, 0, value);
  } else {
    c[key] = value;
  }
}

function removeAt(c: Container, key: string, path: string, op: string): JsonValue {
  if (Array.isArray(c)) {
    const idx = arrayIndex(key, c.length, false, path);
    return c.splice(idx, 1)[0];
  }
  if (!Object.prototype.hasOwnProperty.call(c, key)) {
    fail(`${op} operation does not apply: doc is missing key: ${JSON.stringify(path)}`);
  }
  const v = c[key];
  delete c[key];
  return v;
}

function valueOf(op: JsonPatchOperation): JsonValue {
  return op.value === undefined ? null : clone(op.value);
}

/**
 * Applies RFC 6902 operations to `doc` and returns the patched document. Inputs are not mutated.
 * @throws ApiError 400 (undecodable patch or too deep), 413 (too many ops), 422 (op failed)
 */
export function applyJsonPatch(doc: JsonValue, ops: unknown): JsonValue {
  const patch = decodeJsonPatch(ops);
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooManyOperations(MAX_JSON_PATCH_OPERATIONS, patch.length);
  }
  checkDepth(doc, 'object');
  checkDepth(patch, 'patch');
  let copied = 0;
  const root: { doc: JsonValue } = { doc: clone(doc) };
  for (const raw of patch) {
    const op: JsonPatchOperation = raw ?? ({} as JsonPatchOperation);
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    const path = typeof op.path === 'string' ? op.path : undefined;
    switch (kind) {
      case 'add': {
        const [c, key] = findParent(root.doc, path, 'add');
        addAt(c, key, valueOf(op), path!);
        break;
      }
      case 'remove': {
        const [c, key] = findParent(root.doc, path, 'remove');
        removeAt(c, key, path!, 'remove');
        break;
      }
      case 'replace': {
        const [c, key] = findParent(root.doc, path, 'replace');
        if (getChild(c, key) === undefined) {
          fail(`replace operation does not apply: doc is missing key: ${path}`);
        }
        if (Array.isArray(c)) c[arrayIndex(key, c.length, false, path!)] = valueOf(op);
        else c[key] = valueOf(op);
        break;
      }
      case 'move':
      case 'copy': {
        const from = typeof op.from === 'string' ? op.from : undefined;
        if (from === undefined) fail(`${kind} operation missing from`);
        if (kind === 'move' && path !== undefined && path !== from && path.startsWith(from + '/')) {
          fail(`move operation does not apply: cannot move ${from} into its own child ${path}`);
        }
        const [fc, fkey] = findParent(root.doc, from, kind);
        const v = getChild(fc, fkey);
        if (v === undefined) fail(`${kind} operation does not apply: doc is missing from path: ${from}`);
        let moved: JsonValue;
        if (kind === 'move') {
          moved = removeAt(fc, fkey, from, 'move');
        } else {
          copied += JSON.stringify(v).length;
          if (copied > MAX_COPY_BYTES) {
            fail(`Unable to complete the copy, the accumulated size increase of copy is ${copied}`);
          }
          moved = clone(v);
        }
        const [c, key] = findParent(root.doc, path, kind);
        addAt(c, key, moved, path!);
        break;
      }
      case 'test': {
        if (path === undefined) fail('test operation missing path');
        let target: JsonValue | undefined;
        if (path === '') {
          target = root.doc;
        } else {
          const [c, key] = findParent(root.doc, path, 'test');
          target = getChild(c, key);
        }
        const want = op.value === undefined ? null : op.value;
        if (target === undefined || target === null) {
          if (want !== null) fail(`testing value ${path} failed: test failed`);
        } else if (!deepEqual(target, want)) {
          fail(`testing value ${path} failed: test failed`);
        }
        break;
      }
      default:
        fail(`Unexpected kind: ${kind}`);
    }
  }
  return root.doc;
}
