/**
 * Small helpers over plain JSON values shared by the patch and managed-fields modules: type
 * guards, deep equality, a bounded depth check, and Go `%v` rendering for upstream-compatible
 * error texts.
 *
 * Mirrors the value handling of k8s.io/apimachinery/pkg/util/strategicpatch (which works on
 * `map[string]interface{}` trees) and the depth guard the apiserver gets from its JSON decoder
 * (k8s.io/apimachinery/pkg/util/json, max depth 10000; we use a tighter 1000).
 */
import { badRequest } from '../errors.js';
import type { JsonValue } from '../types.js';

export type JsonObject = { [k: string]: JsonValue };

/** Maximum nesting accepted in documents and patches (hostile-input bound). */
export const MAX_DEPTH = 1000;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON kind of a value: 'map', 'list', 'string', 'number', 'boolean' or 'null'. */
export function kindOf(v: unknown): 'map' | 'list' | 'string' | 'number' | 'boolean' | 'null' {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'map';
  return typeof v as 'string' | 'number' | 'boolean';
}

/** Structural equality of two JSON values (object key order ignored). Iterative, so unbounded input is safe. */
export function deepEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ya = y as unknown[];
      if (x.length !== ya.length) return false;
      for (let i = 0; i < x.length; i++) stack.push([x[i], ya[i]]);
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const xk = Object.keys(xo);
    if (xk.length !== Object.keys(yo).length) return false;
    for (const k of xk) {
      if (!Object.prototype.hasOwnProperty.call(yo, k)) return false;
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}

/**
 * Throws 400 BadRequest if `v` nests deeper than `max`. Iterative, so it is itself safe on any
 * input; every recursive walk in these modules runs only after this check.
 */
export function checkDepth(v: unknown, what: string, max = MAX_DEPTH): void {
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d > max) throw badRequest(`${what} exceeds the maximum nesting depth of ${max}`);
    for (const c of Array.isArray(x) ? x : Object.values(x)) {
      if (typeof c === 'object' && c !== null) stack.push([c, d + 1]);
    }
  }
}

/** A deep copy of a JSON value (callers run checkDepth first). */
export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** Go's fmt `%v` for decoded JSON: `map[a:1 b:[x y]]`, `<nil>`; used in upstream error texts. */
export function goFormat(v: unknown, depth = 0): string {
  if (depth > 20) return '...';
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map((e) => goFormat(e, depth + 1)).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const parts = Object.keys(o)
      .sort()
      .map((k) => `${k}:${goFormat(o[k], depth + 1)}`);
    return `map[${parts.join(' ')}]`;
  }
  return String(v);
}
