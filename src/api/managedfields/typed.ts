/**
 * Schema-aware walks over JSON objects for server-side apply and managed fields, after
 * sigs.k8s.io/structured-merge-diff typed (tofieldset.go, compare.go, merge.go, remove.go) and
 * fieldpath (pathelementmap.go). Lists are atomic unless the schema gives them `+listType=map`
 * (items keyed `k:{...}`) or `+listType=set` (items keyed `v:...`); objects are granular unless
 * marked atomic. The schema is the one strategic merge patch uses (../patch/schema.ts).
 */
import { badRequest } from '../errors.js';
import { deepEqual, isObject, type JsonObject } from '../patch/json.js';
import { fieldSchema, type Schema } from '../patch/schema.js';
import type { JsonValue } from '../types.js';
import { child, insert, newSet, type FieldSet, type Path } from './fieldpath.js';

function granularList(s: Schema | undefined): boolean {
  return s?.listType === 'map' || s?.listType === 'set';
}

/** The path element of a list item: `k:{...}` for associative lists, `v:...` for sets. */
export function itemElement(item: JsonValue, s: Schema, path: Path): string {
  if (s.listType === 'set') return `v:${JSON.stringify(item)}`;
  if (!isObject(item)) throw badRequest(`${path.join('.')}: expected an object in an associative list`);
  const key: Record<string, JsonValue> = {};
  for (const k of [...(s.listMapKeys ?? [])].sort()) {
    const v = Object.prototype.hasOwnProperty.call(item, k) ? item[k] : s.keyDefaults?.[k];
    if (v === undefined || v === null) {
      throw badRequest(
        `associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
      );
    }
    key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

function itemsByElement(list: JsonValue[], s: Schema, path: Path): Map<string, JsonValue> {
  const m = new Map<string, JsonValue>();
  for (const item of list) {
    const pe = itemElement(item, s, path);
    if (!m.has(pe)) m.set(pe, item);
  }
  return m;
}

/** The fields an applied configuration sets (typed.ToFieldSet). */
export function toFieldSet(obj: JsonObject, schema: Schema): FieldSet {
  const set = newSet();
  const walk = (v: JsonValue, s: Schema | undefined, path: Path): void => {
    if (Array.isArray(v)) {
      if (!granularList(s)) return insert(set, path);
      for (const [pe, item] of itemsByElement(v, s!, path)) {
        insert(set, [...path, pe]);
        if (s!.listType === 'map' && isObject(item)) walk(item, s!.elem, [...path, pe]);
      }
    } else if (isObject(v)) {
      if (s?.atomic) return insert(set, path);
      for (const [k, c] of Object.entries(v)) {
        const p = [...path, `f:${k}`];
        walk(c, fieldSchema(s, k), p);
        if (isObject(c) && Object.keys(c).length === 0 && !s?.atomic) insert(set, p);
      }
    } else {
      insert(set, path);
    }
  };
  walk(obj, schema, []);
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** typed.Compare: paths added, modified and removed going from `lhs` to `rhs`. */
export function compare(lhs: JsonObject, rhs: JsonObject, schema: Schema): Comparison {
  const out: Comparison = { added: newSet(), modified: newSet(), removed: newSet() };
  const walk = (
    l: JsonValue | undefined,
    r: JsonValue | undefined,
    s: Schema | undefined,
    path: Path,
  ): void => {
    const absent = (x: JsonValue | undefined): boolean => x === undefined || x === null;
    const listOrAbsent = (x: JsonValue | undefined): boolean => absent(x) || Array.isArray(x);
    const mapOrAbsent = (x: JsonValue | undefined): boolean => absent(x) || isObject(x);
    if (granularList(s) && listOrAbsent(l) && listOrAbsent(r) && (Array.isArray(l) || Array.isArray(r))) {
      const lm = itemsByElement(Array.isArray(l) ? l : [], s!, path);
      const rm = itemsByElement(Array.isArray(r) ? r : [], s!, path);
      for (const pe of new Set([...lm.keys(), ...rm.keys()])) {
        walk(lm.get(pe), rm.get(pe), s!.listType === 'map' ? s!.elem : undefined, [...path, pe]);
      }
    } else if (!s?.atomic && mapOrAbsent(l) && mapOrAbsent(r) && (isObject(l) || isObject(r))) {
      const lo = isObject(l) ? l : {};
      const ro = isObject(r) ? r : {};
      for (const k of new Set([...Object.keys(lo), ...Object.keys(ro)])) {
        walk(lo[k], ro[k], fieldSchema(s, k), [...path, `f:${k}`]);
      }
    } else {
      if (l === undefined && r !== undefined) insert(out.added, path);
      else if (r === undefined && l !== undefined) insert(out.removed, path);
      else if (!deepEqual(l, r)) insert(out.modified, path);
      return;
    }
    if (path.length === 0) return;
    if (l === undefined && r !== undefined) insert(out.added, path);
    else if (r === undefined && l !== undefined) insert(out.removed, path);
  };
  walk(lhs, rhs, schema, []);
  return out;
}

/** typed.Merge: `rhs` (the applied configuration) over `lhs` (live); `null` in rhs removes. */
export function merge(
  lhs: JsonValue | undefined,
  rhs: JsonValue | undefined,
  s: Schema | undefined,
  path: Path = [],
): JsonValue | undefined {
  if (rhs === undefined) return lhs;
  if (lhs === undefined || lhs === null) return rhs;
  if (Array.isArray(lhs) && Array.isArray(rhs) && granularList(s)) return mergeList(lhs, rhs, s!, path);
  if (isObject(lhs) && isObject(rhs) && !s?.atomic) {
    const out: JsonObject = { ...lhs };
    for (const [k, v] of Object.entries(rhs)) {
      if (v === null) delete out[k];
      else out[k] = merge(lhs[k], v, fieldSchema(s, k), [...path, `f:${k}`])!;
    }
    return out;
  }
  return rhs;
}

/** Live items not in the config keep their place; config items follow config order. */
function mergeList(lhs: JsonValue[], rhs: JsonValue[], s: Schema, path: Path): JsonValue[] {
  const lpe = lhs.map((v) => itemElement(v, s, path));
  const rpe = rhs.map((v) => itemElement(v, s, path));
  const lm = new Map<string, JsonValue>();
  lpe.forEach((pe, i) => lm.has(pe) || lm.set(pe, lhs[i]));
  const rset = new Set(rpe);
  const out: JsonValue[] = [];
  const seen = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < lhs.length || j < rhs.length) {
    if (i < lhs.length && (seen.has(lpe[i]) || !rset.has(lpe[i]))) {
      if (!seen.has(lpe[i])) out.push(lhs[i]);
      seen.add(lpe[i++]);
    } else if (j < rhs.length) {
      const pe = rpe[j];
      if (!seen.has(pe)) {
        const elem = s.listType === 'map' ? s.elem : undefined;
        out.push(merge(lm.get(pe), rhs[j], elem, [...path, pe])!);
        seen.add(pe);
      }
      j++;
    } else {
      i++;
    }
  }
  return out;
}

/**
 * Removes from `v` (in place) what `last` owned and `keep` no longer owns (Updater.prune: the
 * applier's previous set minus everything still owned by anyone, then addBackOwnedItems). A
 * struct field or map entry stays while anyone owns it or something below it
 * (EnsureNamedFieldsAreMembers); a list item stays only while someone owns the item itself, so
 * an item an applier drops goes even if another manager changed a field inside it. Key fields of
 * surviving associative-list items stay. A list or map that pruning empties is dropped unless it
 * is owned itself, as Go's `omitempty` encoding of the typed object drops it upstream.
 */
export function removeDisowned(
  v: JsonValue,
  s: Schema | undefined,
  last: FieldSet,
  keep: FieldSet | undefined,
  path: Path = [],
): void {
  const owned = (n: FieldSet | undefined): boolean => !!n && (n.self || n.children.size > 0);
  if (isObject(v)) {
    for (const [pe, lc] of last.children) {
      if (!pe.startsWith('f:')) continue;
      const k = pe.slice(2);
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const kc = child(keep, pe);
      if (lc.self && !owned(kc)) delete v[k];
      else if (lc.children.size > 0) {
        const before = v[k];
        const wasEmpty = isEmptyContainer(before);
        removeDisowned(before, fieldSchema(s, k), lc, kc, [...path, pe]);
        if (!wasEmpty && isEmptyContainer(before) && !kc?.self) delete v[k];
      }
    }
  } else if (Array.isArray(v) && granularList(s)) {
    const drop = new Set<number>();
    v.forEach((item, i) => {
      const pe = itemElement(item, s!, path);
      const lc = last.children.get(pe);
      if (!lc) return;
      const kc = child(keep, pe);
      if (lc.self && !kc?.self) drop.add(i);
      else if (lc.children.size > 0 && isObject(item) && s!.listType === 'map') {
        const keys = new Set((s!.listMapKeys ?? []).map((k) => `f:${k}`));
        const sub = { self: lc.self, children: new Map([...lc.children].filter(([p]) => !keys.has(p))) };
        removeDisowned(item, s!.elem, sub, kc, [...path, pe]);
      }
    });
    for (const i of [...drop].sort((a, b) => b - a)) v.splice(i, 1);
  }
}

function isEmptyContainer(v: JsonValue | undefined): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

/**
 * Adds the fields Go always serializes (`always` in the schema) where missing, so that compare
 * sees what upstream sees when it converts typed objects: a non-omitempty struct is never
 * "added", a nil slice is present as null.
 */
export function withSkeleton(v: JsonValue, s: Schema | undefined): JsonValue {
  if (!isObject(v) || !s?.fields) {
    if (Array.isArray(v) && s?.listType === 'map' && s.elem) return v.map((e) => withSkeleton(e, s.elem));
    return v;
  }
  const out: JsonObject = { ...v };
  for (const [k, fs] of Object.entries(s.fields)) {
    if (out[k] === undefined && fs.always) out[k] = fs.always === 'object' ? {} : null;
    if (out[k] !== undefined) out[k] = withSkeleton(out[k], fs);
  }
  return out;
}
