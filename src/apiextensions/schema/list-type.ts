/**
 * @module apiextensions/schema/list-type
 *
 * Uniqueness of `x-kubernetes-list-type: set` and `map` lists, as upstream's
 * ValidateListSetsAndMaps (pkg/apiserver/schema/listtype/validation.go):
 * `spec.s[2]: Duplicate value: "a"` for sets and `spec.m[1]: Duplicate value: {"name":"a"}`
 * (the key fields) for maps.
 */
import type { FieldError } from '../../api/errors.js';
import { canonicalJson } from './openapi.js';
import { additionalSchema, isObject, type Structural } from './structural.js';

const child = (p: string, k: string): string => (p ? `${p}.${k}` : k);

export function validateListTypes(
  x: unknown,
  s: Structural | undefined,
  path: string,
  errs: FieldError[],
): void {
  if (!s || x === null || x === undefined) return;
  if (Array.isArray(x)) {
    if (s.listType === 'set') {
      const seen = new Set<string>();
      x.forEach((v, i) => {
        const k = canonicalJson(v);
        if (seen.has(k)) errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: v });
        seen.add(k);
      });
    } else if (s.listType === 'map' && s.listMapKeys?.length) {
      const keys = s.listMapKeys;
      const seen = new Set<string>();
      x.forEach((v, i) => {
        if (!isObject(v)) return;
        const kv: Record<string, unknown> = {};
        for (const k of keys) {
          const d = s.items?.properties?.get(k);
          const val = k in v ? v[k] : d?.hasDefault ? d.defaultValue : undefined;
          if (val !== undefined) kv[k] = val;
        }
        const id = canonicalJson(keys.map((k) => kv[k] ?? null));
        if (seen.has(id)) errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: kv });
        seen.add(id);
      });
    }
    x.forEach((v, i) => validateListTypes(v, s.items, `${path}[${i}]`, errs));
    return;
  }
  if (isObject(x)) {
    const add = additionalSchema(s);
    for (const [k, v] of Object.entries(x)) {
      const prop = s.properties?.get(k);
      if (prop) validateListTypes(v, prop, child(path, k), errs);
      else if (add) validateListTypes(v, add, `${path}[${k}]`, errs);
    }
  }
}
