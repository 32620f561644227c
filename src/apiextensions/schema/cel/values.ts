/**
 * @module apiextensions/schema/cel/values
 *
 * JSON → CEL values by schema, as upstream's UnstructuredToVal (k8s.io/apiserver/pkg/cel/common/
 * values.go): `integer` → int, `number` → double, int-or-string → int or string, objects (with
 * properties or additionalProperties) → maps, arrays → lists; values not described by the schema
 * (x-kubernetes-preserve-unknown-fields, embedded resources) map integral numbers to int.
 * Declared properties appear under their escaped names (escaping.ts), e.g. `__namespace__`.
 */
import type { CelInput } from '@bufbuild/cel';
import { additionalSchema, isObject, type Structural } from '../structural.js';
import { escapeName } from './escaping.js';

export function toCel(v: unknown, s: Structural | undefined): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (s?.type === 'number') return v;
    if (Number.isInteger(v)) return BigInt(v);
    return v;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items));
  if (isObject(v)) {
    const out: Record<string, CelInput> = {};
    const add = s ? additionalSchema(s) : undefined;
    for (const [k, x] of Object.entries(v)) {
      const prop = s?.properties?.get(k);
      if (prop) {
        // declared properties are fields, under their escaped names
        const name = escapeName(k);
        if (name !== undefined) out[name] = toCel(x, prop);
      } else out[k] = toCel(x, add);
    }
    return out;
  }
  return null;
}
