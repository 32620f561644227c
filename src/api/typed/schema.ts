/**
 * The schema view the typed decoders walk: a message's JSON fields with inline (Go embedded
 * struct) fields flattened in, in Go struct order, and what Go makes of `null` in a field.
 *
 * @module
 */
import { messageDef, type FieldDef } from '../protobuf/index.js';
import { CUSTOM_TYPES } from './custom.js';

const cache = new Map<string, ReadonlyMap<string, FieldDef>>();

/** JSON name -> field of a message, inline fields flattened in, in Go struct field order. */
export function fieldsOf(key: string): ReadonlyMap<string, FieldDef> {
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Map<string, FieldDef>();
  for (const f of messageDef(key)?.fields ?? []) {
    if (f.inline && f.ref !== undefined) {
      for (const [n, g] of fieldsOf(f.ref)) if (!out.has(n)) out.set(n, g);
    } else if (!out.has(f.name)) out.set(f.name, f);
  }
  cache.set(key, out);
  return out;
}

/** authentication/authorization/certificates ExtraValue: a named []string in Go. */
export function isExtraValue(ref: string | undefined): boolean {
  return ref !== undefined && ref.endsWith('.ExtraValue');
}

export function isCustom(ref: string | undefined): boolean {
  return ref !== undefined && CUSTOM_TYPES.has(ref);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * What Go's decode-then-encode round trip writes for a field given `null`: `undefined` (the key is
 * dropped: pointers, omitempty fields, times), the zero value of a non-omitempty scalar, `{}` for a
 * non-pointer struct, or `null` for a non-omitempty list, map or bytes.
 */
export function nullValue(f: FieldDef): unknown {
  if (f.ptr || (f.omitempty && f.type !== 'message')) return undefined;
  if (f.repeated || f.type === 'map' || f.type === 'bytes') return f.omitempty ? undefined : null;
  if (f.type === 'message') return isCustom(f.ref) || isExtraValue(f.ref) ? undefined : {};
  if (f.type === 'string') return '';
  if (f.type === 'bool') return false;
  return 0;
}

/** Go's zero value of a list item or map value given `null` (the item stays, as its zero value). */
export function zeroElement(f: FieldDef): unknown {
  const t = f.type === 'map' ? f.mapValue : f.type;
  if (t === 'string') return '';
  if (t === 'bool') return false;
  if (t === 'int32' || t === 'int64') return 0;
  if (t === 'message' && !isCustom(f.ref) && !isExtraValue(f.ref)) return {};
  return null;
}

/** Applies {@link nullValue} to `obj[k]`. */
export function setNull(obj: Record<string, unknown>, k: string, f: FieldDef): void {
  const z = nullValue(f);
  if (z === undefined) delete obj[k];
  else obj[k] = z;
}

/** encoding/base64 StdEncoding's error for a string, or undefined (newlines are ignored). */
export function base64Error(s: string): string | undefined {
  let n = 0;
  let pad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\r' || c === '\n') continue;
    if (c === '=') {
      if (n % 4 < 2) return `illegal base64 data at input byte ${i}`;
      pad++;
      n++;
      continue;
    }
    if (pad > 0 || !/[A-Za-z0-9+/]/.test(c)) return `illegal base64 data at input byte ${i}`;
    n++;
  }
  if (n % 4 !== 0) return `illegal base64 data at input byte ${s.length}`;
  return undefined;
}
