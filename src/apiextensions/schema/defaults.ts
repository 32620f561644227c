/**
 * @module apiextensions/schema/defaults
 *
 * Structural defaulting, as upstream's pkg/apiserver/schema/defaulting/algorithm.go (Default) and
 * prunenulls.go (PruneNonNullableNullsWithoutDefaults), run after pruning:
 * - a missing property with a `default` gets a deep copy of it;
 * - a `null` where the schema is not nullable gets the default when there is one, and is dropped
 *   (object fields) when there is none;
 * - map values (additionalProperties) and list items that are non-nullable nulls get the value
 *   schema's default.
 */
import { additionalSchema, deepCopy, isObject, type Structural } from './structural.js';

const nonNullableNull = (x: unknown, s: Structural | undefined): boolean =>
  x === null && s !== undefined && !s.nullable;

/** Applies defaults in place below `x` (any JSON value). */
export function applyDefaults(x: unknown, s: Structural | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const it = s.items;
    for (let i = 0; i < x.length; i++) {
      if (it?.hasDefault && nonNullableNull(x[i], it)) x[i] = deepCopy(it.defaultValue);
      applyDefaults(x[i], it);
    }
    return;
  }
  if (!isObject(x)) return;
  if (s.properties) {
    for (const [k, prop] of s.properties) {
      if (!prop.hasDefault || prop.defaultValue === null) continue;
      if (!(k in x) || nonNullableNull(x[k], prop)) x[k] = deepCopy(prop.defaultValue);
    }
  }
  const add = additionalSchema(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.get(k);
    if (prop) applyDefaults(x[k], prop);
    else if (add) {
      if (add.hasDefault && nonNullableNull(x[k], add)) x[k] = deepCopy(add.defaultValue);
      applyDefaults(x[k], add);
    }
  }
}

/**
 * PruneNonNullableNullsWithoutDefaults: drops object fields that are `null` where the schema is
 * not nullable and has no default (upstream runs it before defaulting).
 */
export function pruneNonNullableNulls(x: unknown, s: Structural | undefined): void {
  if (!s) return;
  if (Array.isArray(x)) {
    for (const v of x) pruneNonNullableNulls(v, s.items);
    return;
  }
  if (!isObject(x)) return;
  const add = additionalSchema(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties?.get(k) ?? add;
    if (!prop) continue;
    if (x[k] === null && !prop.nullable && !prop.hasDefault) delete x[k];
    else pruneNonNullableNulls(x[k], prop);
  }
}
