/**
 * @module apiextensions/schema/cel/values
 *
 * JSON → CEL values by schema, as upstream's UnstructuredToVal (k8s.io/apiserver/pkg/cel/common/
 * values.go): `integer` → int, `number` → double, int-or-string → int or string, objects (with
 * properties or additionalProperties) → maps, arrays → lists; values not described by the schema
 * (x-kubernetes-preserve-unknown-fields, embedded resources) map integral numbers to int.
 * The CEL type name of a schema (for `Invalid value: "object"`) is its `type`.
 */
import type { CelInput } from '@bufbuild/cel';
import { additionalSchema, isObject, type Structural } from '../structural.js';

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
    for (const [k, x] of Object.entries(v)) out[k] = toCel(x, s?.properties?.get(k) ?? add);
    return out;
  }
  return null;
}
