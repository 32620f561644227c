/**
 * @module registry/util
 *
 * Small, total accessors for reading untyped JSON objects (`KubeObject` fields are `unknown`).
 * Each returns a neutral value (`{}`, `[]`, `''`, `0`) for a missing or mistyped field, the way
 * Go's zero values behave after decoding, so printers and validators stay short. None of them
 * copies or mutates its input.
 */

export type Obj = Record<string, unknown>;

/** The value as a plain object, or `{}` when it is not one. */
export function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** The value as an array, or `[]`. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The value as an array of plain objects (non-objects become `{}`). */
export function objs(v: unknown): Obj[] {
  return arr(v).map(obj);
}

/** The value as a string, or `''`. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The value as a number, or `0`. */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** Whether a value is present (not undefined and not null), as for Go pointers. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** A string map (labels, selectors, data), keeping only string values. */
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Walks `keys` from `v`; undefined as soon as a step is not an object. */
export function at(v: unknown, ...keys: string[]): unknown {
  let cur: unknown = v;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

/**
 * The object at `key` of `parent`, created (as `{}`) when missing or not an object. For
 * defaulting only, on caller-owned objects.
 */
export function child(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Obj;
  const created: Obj = {};
  parent[key] = created;
  return created;
}

/**
 * Sets `parent[key] = value` only when the field is absent: undefined, null or `''` (Go's nil
 * pointer or empty string, which is what upstream's SetDefaults_* test).
 */
export function setDefault(parent: Obj, key: string, value: unknown): void {
  const cur = parent[key];
  if (cur === undefined || cur === null || cur === '') parent[key] = value;
}
