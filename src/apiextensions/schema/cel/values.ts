/**
 * @module apiextensions/schema/cel/values
 *
 * JSON → CEL values by schema, as upstream's UnstructuredToVal (k8s.io/apiserver/pkg/cel/common/
 * values.go): `integer` → int, `number` → double, int-or-string → int or string, objects (with
 * properties or additionalProperties) → maps, arrays → lists; values not described by the schema
 * (x-kubernetes-preserve-unknown-fields, embedded resources) map integral numbers to int.
 * Strings with `format: date-time` or `date` are timestamps, `duration` durations and `byte`
 * bytes (SchemaDeclType in k8s.io/apiserver/pkg/cel/common/schemas.go); a value that does not
 * parse stays a string.
 * Declared properties appear under their escaped names (escaping.ts), e.g. `__namespace__`.
 */
import { celEnv, CelScalar, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { additionalSchema, isObject, type Structural } from '../structural.js';
import { escapeName } from './escaping.js';

export function toCel(v: unknown, s: Structural | undefined): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') {
    if (s?.type === 'number') return v;
    if (Number.isInteger(v)) return BigInt(v);
    return v;
  }
  if (typeof v === 'string') return s?.type === 'string' && s.format ? formatted(v, s.format) : v;
  if (typeof v === 'boolean') return v;
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

const ENV = celEnv({ variables: { x: CelScalar.STRING } });
const TIMESTAMP = plan(ENV, parse('timestamp(x)'));
const DURATION = plan(ENV, parse('duration(x)'));

function formatted(v: string, format: string): CelInput {
  let r: unknown = v;
  if (format === 'date-time') r = TIMESTAMP({ x: v });
  else if (format === 'date') r = /^\d{4}-\d{2}-\d{2}$/.test(v) ? TIMESTAMP({ x: `${v}T00:00:00Z` }) : v;
  else if (format === 'duration') r = DURATION({ x: v });
  else if (format === 'byte') {
    const b = Buffer.from(v, 'base64');
    return b.toString('base64').replace(/=+$/, '') === v.replace(/=+$/, '') ? new Uint8Array(b) : v;
  }
  return isCelError(r) ? v : (r as CelInput);
}
