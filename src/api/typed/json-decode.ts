/**
 * Decoding a JSON object into a kind's Go struct as encoding/json does it (sigs.k8s.io/json
 * UnmarshalCaseSensitivePreserveInts, used by the apiserver's JSON serializer for create and
 * update bodies and for JSON and merge patch results): a type mismatch is an UnmarshalTypeError,
 * `json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type
 * map[string]string` (the innermost struct, then the path of JSON names without list indices or
 * map keys, then the Go type). The first mismatch in document order is kept while decoding goes on;
 * an error of a type's own UnmarshalJSON (Quantity, Time) stops decoding and wins.
 *
 * The object is normalised in place as the decode-and-encode round trip would: `null` becomes
 * what Go writes for the field's zero value, integer Quantities become strings.
 *
 * @module
 */
import type { FieldDef } from '../protobuf/index.js';
import { decodeCustom, intError, jsonWord } from './custom.js';
import { isRawNumber } from './raw-numbers.js';
import { goElemType, goFieldType, goMapValueType, goStructName } from './gotypes.js';
import { base64Error, fieldsOf, isCustom, isExtraValue, isObject, setNull, zeroElement } from './schema.js';

class Stop {
  constructor(readonly message: string) {}
}

interface Ctx {
  saved?: string;
  readonly sorted: boolean;
}

function typeError(value: string, struct: string, path: readonly string[], goType: string): string {
  return `json: cannot unmarshal ${value} into Go struct field ${struct}.${path.join('.')} of type ${goType}`;
}

function save(ctx: Ctx, message: string): void {
  ctx.saved ??= message;
}

/** A list item or map value: `null` is the element's zero value. */
function item(
  ctx: Ctx,
  f: FieldDef,
  v: unknown,
  struct: string,
  path: readonly string[],
  goType: string,
): unknown {
  return v === null ? zeroElement(f) : element(ctx, f, v, struct, path, goType);
}

/** One value of a field's element type (a list item, a map value, or the field itself). */
function element(
  ctx: Ctx,
  f: FieldDef,
  v: unknown,
  struct: string,
  path: readonly string[],
  goType: string,
): unknown {
  if (v === null) return v;
  if (f.type === 'message' || (f.type === 'map' && f.mapValue === 'message')) {
    const ref = f.ref!;
    if (isCustom(ref)) {
      const r = decodeCustom(ref, v);
      if (r.ok) return r.value;
      throw new Stop('message' in r ? r.message : typeError(r.value, struct, path, r.goType));
    }
    if (isExtraValue(ref)) {
      if (!Array.isArray(v)) save(ctx, typeError(jsonWord(v), struct, path, goType));
      else
        v.forEach(
          (e) =>
            e === null ||
            (typeof e === 'string' && !isRawNumber(e)) ||
            save(ctx, typeError(jsonWord(e), struct, path, 'string')),
        );
      return v;
    }
    if (!isObject(v)) {
      save(ctx, typeError(jsonWord(v), struct, path, goType));
      return v;
    }
    message(ctx, ref, v, path);
    return v;
  }
  const scalar = f.type === 'map' ? f.mapValue! : f.type;
  switch (scalar) {
    case 'string':
      if (typeof v !== 'string' || isRawNumber(v)) save(ctx, typeError(jsonWord(v), struct, path, goType));
      break;
    case 'bool':
      if (typeof v !== 'boolean') save(ctx, typeError(jsonWord(v), struct, path, goType));
      break;
    case 'bytes':
      if (typeof v !== 'string' || isRawNumber(v)) save(ctx, typeError(jsonWord(v), struct, path, goType));
      else {
        const bad = base64Error(v);
        if (bad !== undefined) save(ctx, bad);
      }
      break;
    default: {
      const bits = scalar === 'int32' ? 32 : 64;
      const bad = typeof v === 'number' || isRawNumber(v) ? intError(v, bits) : jsonWord(v);
      if (bad !== undefined) save(ctx, typeError(bad, struct, path, goType));
    }
  }
  return v;
}

function field(
  ctx: Ctx,
  owner: string,
  f: FieldDef,
  obj: Record<string, unknown>,
  k: string,
  path: string[],
): void {
  const v = obj[k];
  const struct = goStructName(owner);
  if (v === null) return setNull(obj, k, f);
  if (f.repeated && !isExtraValue(f.ref)) {
    if (!Array.isArray(v)) return save(ctx, typeError(jsonWord(v), struct, path, goFieldType(owner, f)));
    const t = goElemType(owner, f);
    for (let i = 0; i < v.length; i++) v[i] = item(ctx, f, v[i], struct, path, t);
    return;
  }
  if (f.type === 'map') {
    if (!isObject(v)) return save(ctx, typeError(jsonWord(v), struct, path, goFieldType(owner, f)));
    const t = goMapValueType(f);
    for (const mk of ctx.sorted ? Object.keys(v).sort() : Object.keys(v))
      v[mk] = item(ctx, f, v[mk], struct, path, t);
    return;
  }
  const out = element(ctx, f, v, struct, path, goFieldType(owner, f));
  if (out === null) setNull(obj, k, f);
  else obj[k] = out;
}

function message(ctx: Ctx, key: string, obj: Record<string, unknown>, path: readonly string[]): void {
  const fields = fieldsOf(key);
  for (const k of ctx.sorted ? Object.keys(obj).sort() : Object.keys(obj)) {
    const f = fields.get(k);
    if (f !== undefined) field(ctx, key, f, obj, k, [...path, k]);
  }
}

/**
 * Decodes `obj` (a JSON object) into the message `key` and normalises it in place.
 * @param sorted visit keys in sorted order (bodies that went through a Go map: YAML, patches).
 * @returns the error text of the first mismatch, or undefined. Unknown fields are ignored here.
 */
export function decodeJsonTyped(
  key: string,
  obj: Record<string, unknown>,
  sorted = false,
): string | undefined {
  const ctx: Ctx = { sorted };
  try {
    message(ctx, key, obj, []);
  } catch (e) {
    if (e instanceof Stop) return e.message;
    throw e;
  }
  return ctx.saved;
}
