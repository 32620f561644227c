/**
 * Field sets and their FieldsV1 wire encoding, after sigs.k8s.io/structured-merge-diff
 * fieldpath (set.go, serialize.go, serialize-pe.go, path.go).
 *
 * A set is a tree of path elements. Each element is kept in its FieldsV1 spelling:
 * `f:<field>`, `k:<json of the key fields, sorted>`, `v:<json value>`, `i:<index>`. A node is a
 * member (`self`) when the path itself is in the set; FieldsV1 writes a member with children
 * as `".": {}` beside them and a member without children as `{}`.
 */
import { badRequest } from '../errors.js';
import type { JsonValue } from '../types.js';

export interface FieldSet {
  self: boolean;
  children: Map<string, FieldSet>;
}

export type Path = string[];

export function newSet(): FieldSet {
  return { self: false, children: new Map() };
}

export function insert(s: FieldSet, path: Path): void {
  let cur = s;
  for (const pe of path) {
    let next = cur.children.get(pe);
    if (!next) {
      next = newSet();
      cur.children.set(pe, next);
    }
    cur = next;
  }
  if (path.length > 0) cur.self = true;
}

export function child(s: FieldSet | undefined, pe: string): FieldSet | undefined {
  return s?.children.get(pe);
}

export function isEmpty(s: FieldSet | undefined): boolean {
  if (!s) return true;
  if (s.self) return false;
  for (const c of s.children.values()) if (!isEmpty(c)) return false;
  return true;
}

export function copySet(s: FieldSet): FieldSet {
  return { self: s.self, children: new Map([...s.children].map(([k, v]) => [k, copySet(v)])) };
}

function prune(s: FieldSet): FieldSet {
  for (const [k, c] of s.children) if (isEmpty(c)) s.children.delete(k);
  return s;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { self: a.self || b.self, children: new Map() };
  for (const [k, c] of a.children)
    out.children.set(k, b.children.has(k) ? union(c, b.children.get(k)!) : copySet(c));
  for (const [k, c] of b.children) if (!a.children.has(k)) out.children.set(k, copySet(c));
  return out;
}

/** Members of `a` that are not members of `b` (Set.Difference: not recursive on membership). */
export function difference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  if (!b) return copySet(a);
  const out: FieldSet = { self: a.self && !b.self, children: new Map() };
  for (const [k, c] of a.children) out.children.set(k, difference(c, b.children.get(k)));
  return prune(out);
}

/** `a` without every path at or below a member of `b` (Set.RecursiveDifference). */
export function recursiveDifference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  if (!b) return copySet(a);
  const out: FieldSet = { self: a.self && !b.self, children: new Map() };
  for (const [k, c] of a.children) {
    const bc = b.children.get(k);
    if (bc?.self) continue;
    out.children.set(k, recursiveDifference(c, bc));
  }
  return prune(out);
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { self: a.self && b.self, children: new Map() };
  for (const [k, c] of a.children) {
    const bc = b.children.get(k);
    if (bc) out.children.set(k, intersection(c, bc));
  }
  return prune(out);
}

function rank(pe: string): number {
  return { f: 0, k: 1, v: 2, i: 3 }[pe[0]] ?? 4;
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** PathElement.Compare: fields < keys < values < indices, then by content. */
export function comparePE(a: string, b: string): number {
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  const x = a.slice(2);
  const y = b.slice(2);
  if (a[0] === 'i') return Number(x) - Number(y);
  if (a[0] === 'k') {
    const xa = Object.entries(JSON.parse(x) as Record<string, unknown>);
    const ya = Object.entries(JSON.parse(y) as Record<string, unknown>);
    for (let i = 0; i < Math.min(xa.length, ya.length); i++) {
      if (xa[i][0] !== ya[i][0]) return xa[i][0] < ya[i][0] ? -1 : 1;
      const c = compareValues(xa[i][1], ya[i][1]);
      if (c !== 0) return c;
    }
    return xa.length - ya.length;
  }
  if (a[0] === 'v') return compareValues(JSON.parse(x), JSON.parse(y));
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortedChildren(s: FieldSet): [string, FieldSet][] {
  return [...s.children].sort((p, q) => comparePE(p[0], q[0]));
}

/** Every member path: members of a node before its children's, each level in element order. */
export function members(s: FieldSet, prefix: Path = []): Path[] {
  const out: Path[] = [];
  const kids = sortedChildren(s);
  for (const [pe, c] of kids) if (c.self) out.push([...prefix, pe]);
  for (const [pe, c] of kids) if (c.children.size > 0) out.push(...members(c, [...prefix, pe]));
  return out;
}

/** The FieldsV1 JSON object of a set. */
export function toFieldsV1(s: FieldSet): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (s.self && s.children.size > 0) out['.'] = {};
  for (const [pe, c] of sortedChildren(s)) if (!isEmpty(c)) out[pe] = toFieldsV1(c);
  return out;
}

/** Parses FieldsV1; 400 BadRequest on malformed input. */
export function fromFieldsV1(v: unknown, depth = 0): FieldSet {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || depth > 1000) {
    throw badRequest('metadata.managedFields: invalid fieldsV1: expected an object');
  }
  const s = newSet();
  for (const [k, c] of Object.entries(v)) {
    if (k === '.') {
      s.self = true;
      continue;
    }
    if (!/^[fkvi]:/.test(k))
      throw badRequest(`metadata.managedFields: invalid fieldsV1 path element ${JSON.stringify(k)}`);
    const n = fromFieldsV1(c, depth + 1);
    if (n.children.size === 0) n.self = true;
    s.children.set(k, n);
  }
  return s;
}

/** Go %q-like rendering used by value.ToString. */
function toGoString(v: JsonValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(toGoString).join(',')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${toGoString(x)}`)
      .join(',')}}`;
  return String(v);
}

/** fieldpath.Path.String(): `.spec.containers[name="c"].image`, `[="x"]`, `[0]`. */
export function pathString(path: Path): string {
  return path
    .map((pe) => {
      const body = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${body}`;
        case 'k': {
          const key = JSON.parse(body) as Record<string, JsonValue>;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${toGoString(v)}`)
            .join(',')}]`;
        }
        case 'v':
          return `[=${toGoString(JSON.parse(body) as JsonValue)}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

/** The set holding exactly the given paths (each a list of field names). */
export function setOfFields(paths: string[][]): FieldSet {
  const s = newSet();
  for (const p of paths)
    insert(
      s,
      p.map((f) => `f:${f}`),
    );
  return s;
}
