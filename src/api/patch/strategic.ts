/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), as the apiserver applies it
 * for built-in kinds: `kubectl patch` (default type) and client-side `kubectl apply`.
 *
 * Mirrors k8s.io/apimachinery/pkg/util/strategicpatch/patch.go `StrategicMergeMapPatch`
 * (mergeMap, mergeSlice, mergeSliceWithSpecialElements, mergePatchIntoOriginal,
 * normalizeElementOrder, applyRetainKeysDirective) with MergeParallelList and
 * IgnoreUnmatchedNulls set, and the error mapping of handlers/patch.go
 * `interpretStrategicMergePatchError`. Supported: maps merge, `null` deletes, lists merge by
 * `patchMergeKey` or replace, primitive merge lists (set union), `$patch: replace|delete` on maps
 * and list items, `$setElementOrder/<list>`, `$retainKeys`, `$deleteFromPrimitiveList/<list>`.
 *
 * Deliberate differences from upstream:
 * - values added where the original has nothing are themselves merged against an empty value,
 *   so directives inside them are applied rather than stored verbatim;
 * - malformed patches that upstream turns into 500s (missing merge key, unknown `$patch`,
 *   mismatched types) are 400 BadRequest with upstream's message text.
 */
import { badRequest } from '../errors.js';
import type { JsonValue } from '../types.js';
import {
  errBadJSONDoc,
  errBadPatchFormatForPrimitiveList,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errNoListOfLists,
} from './errors.js';
import { checkDepth, clone, deepEqual, goFormat, isObject, kindOf, type JsonObject } from './json.js';
import { fieldSchema, type Schema } from './schema.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList';

/**
 * Applies a strategic merge patch to `doc` using `schema` (see strategicSchemaFor) and returns
 * the result. Inputs are not mutated.
 * @throws ApiError 400 for malformed patches (upstream's mergepatch sentinel texts), 422 for
 * lists of lists, 400 when nesting exceeds 1000.
 */
export function applyStrategicMergePatch(doc: JsonValue, patch: unknown, schema: Schema): JsonValue {
  if (patch === null) return clone(doc);
  if (!isObject(patch)) throw errBadJSONDoc();
  checkDepth(doc, 'object');
  checkDepth(patch, 'patch');
  const original = isObject(doc) ? clone(doc) : {};
  return mergeMap(original, clone(patch), schema);
}

function goType(v: unknown): string {
  const k = kindOf(v);
  return k === 'map'
    ? 'map[string]interface {}'
    : k === 'list'
      ? '[]interface {}'
      : k === 'number'
        ? 'float64'
        : k === 'boolean'
          ? 'bool'
          : k === 'null'
            ? '%!s(<nil>)'
            : k;
}

function errBadArgType(expected: string, actual: unknown): Error {
  return badRequest(`expected a ${expected}, but received a ${goType(actual)}`);
}

function errNoMergeKey(m: unknown, key: string): Error {
  return badRequest(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}

function extractKey(s: string, prefix: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) {
    throw prefix === DELETE_PRIMITIVE
      ? errBadPatchFormatForPrimitiveList()
      : errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(i + 1);
}

/** A patch value for a key the original lacks: merged against nothing, so directives and nulls go. */
function fresh(v: JsonValue, s: Schema | undefined): JsonValue {
  if (isObject(v)) return mergeMap({}, v, s);
  if (Array.isArray(v)) {
    if (s?.patchStrategy === 'merge') return mergeSlice([], v, s, false);
    return v.map((e) => (isObject(e) ? mergeMap({}, e, s?.elem) : e));
  }
  return v;
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: Schema | undefined): JsonObject {
  if (Object.prototype.hasOwnProperty.call(patch, DIRECTIVE)) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return mergeMap({}, patch, schema);
    }
    if (directive === 'delete') return {};
    throw badRequest(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
  }
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema);

  for (const k of Object.keys(patch)) {
    const patchV = patch[k];
    let key = k;
    let isDeleteList = false;
    if (k.startsWith(DELETE_PRIMITIVE)) {
      key = extractKey(k, DELETE_PRIMITIVE);
      isDeleteList = true;
    }
    if (patchV === null) {
      delete original[key];
      continue;
    }
    const fs = fieldSchema(schema, key);
    if (!Object.prototype.hasOwnProperty.call(original, key)) {
      if (!isDeleteList) original[key] = fresh(patchV, fs);
      continue;
    }
    const orig = original[key];
    if (kindOf(orig) !== kindOf(patchV)) {
      if (!isDeleteList) original[key] = fresh(patchV, fs);
      continue;
    }
    if (isObject(orig) && isObject(patchV)) {
      original[key] = fs?.patchStrategy === 'replace' ? fresh(patchV, undefined) : mergeMap(orig, patchV, fs);
    } else if (Array.isArray(orig) && Array.isArray(patchV)) {
      if (isDeleteList) original[key] = deleteFromSlice(orig, patchV);
      else if (fs?.patchStrategy === 'merge') original[key] = mergeSlice(orig, patchV, fs, false);
      else original[key] = fresh(patchV, fs);
    } else {
      original[key] = patchV;
    }
  }
  return original;
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject): void {
  if (!Object.prototype.hasOwnProperty.call(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVE) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

/** Processes `$setElementOrder/<list>` and the list it orders (removed from the patch after). */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, schema: Schema | undefined): void {
  for (const k of Object.keys(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const order = patch[k];
    delete patch[k];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const key = extractKey(k, SET_ORDER);
    const origList = original[key] ?? undefined;
    const patchList = patch[key] ?? undefined;
    if (origList !== undefined && !Array.isArray(origList)) throw errBadArgType('[]interface {}', origList);
    if (patchList !== undefined && !Array.isArray(patchList))
      throw errBadArgType('[]interface {}', patchList);
    const fs = fieldSchema(schema, key);
    const mergeKey = fs?.patchMergeKey ?? '';
    validatePatchWithSetOrderList(patchList ?? [], order, mergeKey);

    let merged: JsonValue[];
    if (origList === undefined && patchList === undefined) continue;
    if (patchList === undefined) merged = origList!;
    else if (fs?.patchStrategy === 'merge') merged = mergeSlice(origList ?? [], patchList, fs, false);
    else merged = fresh(patchList, fs) as JsonValue[];

    const [patchItems, serverOnly] = partition(merged, order, mergeKey);
    original[key] = normalizeElementOrder(patchItems, serverOnly, order, origList ?? [], mergeKey);
    delete patch[key];
  }
}

function keyOf(item: JsonValue, mergeKey: string): JsonValue | undefined {
  return mergeKey ? (isObject(item) ? item[mergeKey] : undefined) : item;
}

function sameItem(a: JsonValue, b: JsonValue, mergeKey: string): boolean {
  const x = keyOf(a, mergeKey);
  const y = keyOf(b, mergeKey);
  if (x === undefined || y === undefined) return false;
  return typeof x === 'object' && x !== null ? deepEqual(x, y) : x === y;
}

function indexIn(list: JsonValue[], item: JsonValue, mergeKey: string): number {
  return list.findIndex((v) => sameItem(item, v, mergeKey));
}

function isDeleteItem(v: JsonValue): boolean {
  return isObject(v) && v[DIRECTIVE] === 'delete';
}

function validatePatchWithSetOrderList(patchList: JsonValue[], order: JsonValue[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? patchList.filter((v) => !isDeleteItem(v)) : patchList;
  let p = 0;
  let o = 0;
  while (p < nonDelete.length && o < order.length) {
    if (isObject(nonDelete[p]) && Object.prototype.hasOwnProperty.call(nonDelete[p], DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKey) {
      for (const v of [nonDelete[p], order[o]]) {
        if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
        if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      }
    }
    if (sameItem(nonDelete[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < nonDelete.length && o >= order.length) {
    throw badRequest(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

/** Items of `list` present in `by` (by merge key), and the rest. */
function partition(list: JsonValue[], by: JsonValue[], mergeKey: string): [JsonValue[], JsonValue[]] {
  const inPatch: JsonValue[] = [];
  const serverOnly: JsonValue[] = [];
  for (const v of list) {
    if (mergeKey) {
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    }
    (indexIn(by, v, mergeKey) >= 0 ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

function normalizeSliceOrder(toSort: JsonValue[], order: JsonValue[], mergeKey: string): JsonValue[] {
  let toDelete: JsonValue[] = [];
  if (mergeKey) {
    for (const v of [...toSort, ...order]) {
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    }
    toDelete = toSort.filter(isDeleteItem);
    toSort = toSort.filter((v) => !isDeleteItem(v));
  }
  const rank = (v: JsonValue): number => {
    const i = indexIn(order, v, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const sorted = toSort
    .map((v, i) => ({ v, i, r: rank(v) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((e) => e.v);
  return [...sorted, ...toDelete];
}

/**
 * Sorts patch items by the patch order and server-only items by the live order, then
 * interleaves them, placing a server-only item before a patch item when it came first live.
 */
function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: JsonValue[],
  serverOrder: JsonValue[],
  mergeKey: string,
): JsonValue[] {
  const right = normalizeSliceOrder(patchItems, patchOrder, mergeKey);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function elementKind(lists: JsonValue[][]): string {
  let prev = '';
  for (const l of lists) {
    for (const v of l) {
      if (v === null) continue;
      const k = kindOf(v);
      if (!prev) {
        if (k === 'list') throw errNoListOfLists();
        prev = k;
      } else if (k !== prev) {
        throw badRequest(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return prev;
}

function deleteFromSlice(current: JsonValue[], toDelete: JsonValue[]): JsonValue[] {
  return current.filter((v) => !toDelete.some((d) => d === v || deepEqual(d, v)));
}

function mergeSlice(
  original: JsonValue[],
  patch: JsonValue[],
  s: Schema | undefined,
  isDeleteList: boolean,
): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind([original, patch]);
  const mergeKey = s?.patchMergeKey ?? '';
  let merged: JsonValue[];
  if (kind !== 'map') {
    if (isDeleteList) return deleteFromSlice(original, patch);
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => deepEqual(m, v))) merged.push(v);
    const [patchItems, serverOnly] = partition(merged, patch, '');
    return normalizeElementOrder(patchItems, serverOnly, patch, original, '');
  }
  if (!mergeKey) throw badRequest('cannot merge lists without merge key for type struct');

  // mergeSliceWithSpecialElements: `$patch` items delete by key or replace the whole list.
  let replace = false;
  const plain: JsonObject[] = [];
  for (const v of patch) {
    if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
    if (!Object.prototype.hasOwnProperty.call(v, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    const d = v[DIRECTIVE];
    if (d === 'delete') {
      if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
      original = original.filter((o) => !(isObject(o) && sameItem(o, v, mergeKey)));
    } else if (d === 'replace') {
      replace = true;
    } else if (d === 'merge') {
      throw badRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw badRequest(`unknown patch type: ${goFormat(d)} in map: ${goFormat(v)}`);
    }
  }
  if (replace) return plain.map((v) => mergeMap({}, v, s?.elem));

  // mergeSliceWithoutSpecialElements
  merged = [...original];
  for (const v of plain) {
    if (!Object.prototype.hasOwnProperty.call(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const i = merged.findIndex((o) => {
      if (!isObject(o)) throw badRequest(`value for key ${merged.indexOf(o)} is not a map.`);
      return sameItem(o, v, mergeKey);
    });
    if (i >= 0) merged[i] = mergeMap(merged[i] as JsonObject, v, s?.elem);
    else merged.push(mergeMap({}, v, s?.elem));
  }
  const [patchItems, serverOnly] = partition(merged, plain, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, plain, original, mergeKey);
}
