/**
 * Converting a patched object into the kind's Go struct as
 * runtime.DefaultUnstructuredConverter.FromUnstructured does it (k8s.io/apimachinery
 * pkg/runtime/converter.go; strategic merge patch results, patch.go applyPatchToObject): fields in
 * Go struct order, the first error stops the walk, and the texts carry no path:
 * `cannot restore map from string`, `cannot restore slice from map`, `cannot restore struct from:
 * string`, `cannot convert int64 to string`, `cannot convert float64 to int32` (a fraction; a whole
 * float converts), `unrecognized type: int32` (a string or bool given to a number, and so on).
 * Types with their own JSON form go through their UnmarshalJSON
 * (`json: cannot unmarshal number into Go value of type string` for a Time).
 *
 * Normalises in place: `null` as Go's zero value, int32 values wrapped as Go's conversion does,
 * integer Quantities as strings.
 *
 * @module
 */
import type { FieldDef } from '../protobuf/index.js';
import { decodeCustom } from './custom.js';
import { goElemType, goFieldType, goMapValueType } from './gotypes.js';
import { base64Error, fieldsOf, isCustom, isExtraValue, isObject, setNull, zeroElement } from './schema.js';

class Stop {
  constructor(readonly message: string) {}
}

/** reflect.Kind of a value decoded from JSON by the apiserver (integers are int64). */
function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}

/** A scalar of protobuf type `type`, whose Go type is `goType` (a named type prints by name). */
function scalar(type: string, v: unknown, goType = type): unknown {
  const k = kindOf(v);
  if (type === 'string') {
    if (k === 'string') return v;
    throw new Stop(k === 'int64' ? `cannot convert int64 to ${goType}` : 'unrecognized type: string');
  }
  if (type === 'bool') {
    if (k === 'bool') return v;
    throw new Stop('unrecognized type: bool');
  }
  if (type === 'bytes') {
    if (k !== 'string') throw new Stop(`cannot restore slice from ${k}`);
    const bad = base64Error(v as string);
    if (bad !== undefined) throw new Stop(`error decoding from json: ${bad}`);
    return v;
  }
  if (k === 'float64') throw new Stop(`cannot convert float64 to ${type}`);
  if (k !== 'int64') throw new Stop(`unrecognized type: ${type}`);
  return type === 'int32' ? (v as number) | 0 : v;
}

function element(f: FieldDef, v: unknown, goType: string): unknown {
  if (v === null) return v;
  if (f.type === 'message' || (f.type === 'map' && f.mapValue === 'message')) {
    const ref = f.ref!;
    if (isCustom(ref)) {
      const r = decodeCustom(ref, v);
      if (r.ok) return r.value;
      throw new Stop(
        'message' in r ? r.message : `json: cannot unmarshal ${r.value} into Go value of type ${r.goType}`,
      );
    }
    if (isExtraValue(ref)) {
      if (!Array.isArray(v)) throw new Stop(`cannot restore slice from ${kindOf(v)}`);
      return v.map((e) => (e === null ? '' : scalar('string', e)));
    }
    if (!isObject(v)) throw new Stop(`cannot restore struct from: ${kindOf(v)}`);
    message(ref, v);
    return v;
  }
  return scalar(f.type === 'map' ? f.mapValue! : f.type, v, goType);
}

function field(owner: string, f: FieldDef, obj: Record<string, unknown>, k: string): void {
  const v = obj[k];
  if (v === null) return setNull(obj, k, f);
  if (f.repeated && !isExtraValue(f.ref)) {
    if (!Array.isArray(v)) throw new Stop(`cannot restore slice from ${kindOf(v)}`);
    const t = goElemType(owner, f);
    for (let i = 0; i < v.length; i++) v[i] = v[i] === null ? zeroElement(f) : element(f, v[i], t);
    return;
  }
  if (f.type === 'map') {
    if (!isObject(v)) throw new Stop(`cannot restore map from ${kindOf(v)}`);
    const t = goMapValueType(f);
    for (const mk of Object.keys(v).sort()) v[mk] = v[mk] === null ? zeroElement(f) : element(f, v[mk], t);
    return;
  }
  const out = element(f, v, goFieldType(owner, f));
  if (out === null) setNull(obj, k, f);
  else obj[k] = out;
}

function message(key: string, obj: Record<string, unknown>): void {
  for (const [k, f] of fieldsOf(key)) if (Object.prototype.hasOwnProperty.call(obj, k)) field(key, f, obj, k);
}

/**
 * Converts `obj` into the message `key` (FromUnstructured) and normalises it in place.
 * @returns the converter's error text, or undefined. Unknown fields are ignored here.
 */
export function decodeUnstructuredTyped(key: string, obj: Record<string, unknown>): string | undefined {
  try {
    message(key, obj);
  } catch (e) {
    if (e instanceof Stop) return e.message;
    throw e;
  }
  return undefined;
}
