/**
 * Type checks of a server-side apply configuration as sigs.k8s.io/structured-merge-diff's typed
 * conversion reports them (typed/validate.go, typed/helpers.go), before the field manager merges
 * it: every error, each as `<path>: <text>` with smd's path form (`.spec.containers[name="app"].image`,
 * `[="x"]` for sets, `[0]` for atomic lists) and texts `expected map, got &{foo}`,
 * `expected list, got &{...}`, `expected string, got &value.valueUnstructured{Value:1}`,
 * `expected numeric (int or float), got string`, `expected boolean, got &{1}`. Quantity and
 * IntOrString take any scalar (their OpenAPI schema is int-or-string), RawExtension anything.
 * `null` is valid everywhere. Unknown fields are not reported here (field-validation.ts does).
 *
 * @module
 */
import type { FieldDef } from '../protobuf/index.js';
import { fieldSchema, type Schema } from '../patch/schema.js';
import { goQuote } from './custom.js';
import { goSharpV, goT, goV } from './gofmt.js';
import { fieldsOf, isExtraValue, isObject } from './schema.js';

const ANY_SCALAR = new Set(['resource.Quantity', 'intstr.IntOrString']);
const ANYTHING = new Set(['runtime.RawExtension', 'meta.v1.FieldsV1']);
const STRINGS = new Set(['meta.v1.Time', 'meta.v1.MicroTime', 'meta.v1.Duration']);

/** value.ToString of a list-map key value. */
function keyString(v: unknown): string {
  return typeof v === 'string' ? goQuote(v) : goV(v);
}

function itemPath(item: unknown, i: number, s: Schema | undefined): string {
  if (s?.listType === 'set') return `[=${keyString(item)}]`;
  if (s?.listType === 'map' && isObject(item)) {
    const keys = [...(s.listMapKeys ?? [])].sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = Object.prototype.hasOwnProperty.call(item, k) ? item[k] : s.keyDefaults?.[k];
      if (v === undefined || v === null) return `[${i}]`;
      parts.push(`${k}=${keyString(v)}`);
    }
    return `[${parts.join(',')}]`;
  }
  return `[${i}]`;
}

function scalar(type: string, v: unknown): string | undefined {
  if (type === 'int32' || type === 'int64')
    return typeof v === 'number' ? undefined : `expected numeric (int or float), got ${goT(v)}`;
  if (type === 'bool') return typeof v === 'boolean' ? undefined : `expected boolean, got &{${goV(v)}}`;
  return typeof v === 'string'
    ? undefined
    : `expected string, got &value.valueUnstructured{Value:${goSharpV(v)}}`;
}

function element(out: string[], f: FieldDef, v: unknown, path: string, s: Schema | undefined): void {
  if (v === null) return;
  const ref = f.type === 'message' || (f.type === 'map' && f.mapValue === 'message') ? f.ref : undefined;
  let err: string | undefined;
  if (ref === undefined)
    err = scalar(f.type === 'map' ? f.mapValue! : f.type === 'bytes' ? 'string' : f.type, v);
  else if (ANYTHING.has(ref)) return;
  else if (ANY_SCALAR.has(ref)) {
    if (v !== null && typeof v === 'object') err = `expected any scalar, got &{${goV(v)}}`;
  } else if (STRINGS.has(ref)) err = scalar('string', v);
  else if (isExtraValue(ref)) {
    if (!Array.isArray(v)) err = `expected list, got &{${goV(v)}}`;
    else v.forEach((e, i) => e === null || pushErr(out, `${path}[${i}]`, scalar('string', e)));
  } else if (!isObject(v)) err = `expected map, got &{${goV(v)}}`;
  else message(out, ref, v, path, s);
  pushErr(out, path, err);
}

function pushErr(out: string[], path: string, err: string | undefined): void {
  if (err !== undefined) out.push(`${path}: ${err}`);
}

function message(
  out: string[],
  key: string,
  obj: Record<string, unknown>,
  path: string,
  s: Schema | undefined,
): void {
  const fields = fieldsOf(key);
  for (const k of Object.keys(obj).sort()) {
    const f = fields.get(k);
    const v = obj[k];
    if (f === undefined || v === null) continue;
    const p = `${path}.${k}`;
    const fs = fieldSchema(s, k);
    if (f.repeated && !isExtraValue(f.ref)) {
      if (!Array.isArray(v)) pushErr(out, p, `expected list, got &{${goV(v)}}`);
      else v.forEach((e, i) => element(out, f, e, `${p}${itemPath(e, i, fs)}`, fs?.elem));
    } else if (f.type === 'map') {
      if (!isObject(v)) pushErr(out, p, `expected map, got &{${goV(v)}}`);
      else for (const mk of Object.keys(v).sort()) element(out, f, v[mk], `${p}.${mk}`, fs?.elem);
    } else element(out, f, v, p, fs);
  }
}

/**
 * The typed-conversion errors of an apply configuration for message `key` (each `<path>: <text>`),
 * empty when it converts. `schema` is the kind's apply schema (list semantics for the paths).
 */
export function applyTypeErrors(key: string, obj: Record<string, unknown>, schema?: Schema): string[] {
  const out: string[] = [];
  message(out, key, obj, '', schema);
  return out;
}
