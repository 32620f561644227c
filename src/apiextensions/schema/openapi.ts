/**
 * @module apiextensions/schema/openapi
 *
 * OpenAPI v3 value validation of a custom resource against its raw CRD schema, as kube-openapi's
 * validate.SchemaValidator reports it, converted to field errors as upstream's
 * kubeOpenAPIResultToFieldErrors (pkg/apiserver/validation/validation.go) does:
 * - type:      `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`
 * - required:  `spec.foo: Required value`
 * - enum:      `spec.x: Unsupported value: "c": supported values: "a", "b"`
 * - maxLength: `spec.x: Too long: may not be more than 3 bytes`
 * - maxItems / maxProperties: `spec.x: Too many: 3: must have at most 2 items`
 * - others:    `spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1`
 *
 * Paths join property names with `.` and list indexes as `[i]`; a message's name is the path
 * (empty at the value's root, which gives `in body ...`).
 */
import type { FieldError } from '../../api/errors.js';
import { matchesFormat } from './formats.js';
import { isObject } from './structural.js';
import type { JSONSchemaProps } from './index.js';

type Raw = JSONSchemaProps;

/** The JSON type name kube-openapi reports for a value. */
export function jsonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  return 'object';
}

const inBody = (name: string): string => (name ? `${name} in body` : 'in body');
const child = (name: string, key: string): string => (name ? `${name}.${key}` : key);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** %v of a Go float64 / int64. */
function goNum(n: number): string {
  return String(n);
}

/** reflect.DeepEqual on JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with object keys sorted: equal for jsonEqual values. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const regexCache = new Map<string, RegExp | null>();
/** A Go RE2 pattern as a JS RegExp (null when JS cannot compile it). */
export function compilePattern(p: string): RegExp | null {
  let re = regexCache.get(p);
  if (re === undefined) {
    try {
      re = new RegExp(p, 'u');
    } catch {
      try {
        re = new RegExp(p);
      } catch {
        re = null;
      }
    }
    regexCache.set(p, re);
  }
  return re;
}

function typeOk(types: string[], v: unknown): boolean {
  const t = jsonTypeName(v);
  return types.some((want) => want === t || (want === 'number' && t === 'integer'));
}

/** The correlated old value of a node on update (`undefined`: none, e.g. a new list item). */
export type Old = { v: unknown } | undefined;

/**
 * Validates `v` against `s`; appends to `errs`. `name` is the kube-openapi path of `v`. With
 * `old` (updates), a node whose value equals its correlated old value reports nothing
 * (CRDValidationRatcheting, pkg/apiserver/validation/ratcheting.go): properties and map values
 * correlate by key, `x-kubernetes-list-type: map` items by their keys, set items by value.
 */
export function validateValue(v: unknown, s: Raw, name: string, errs: FieldError[], old?: Old): void {
  if (old && jsonEqual(old.v, v)) return;
  const field = name;
  const types =
    s['x-kubernetes-int-or-string'] === true
      ? ['integer', 'string']
      : typeof s.type === 'string' && s.type
        ? [s.type]
        : [];
  // typeValidator
  if (v === null || v === undefined) {
    if (types.length > 0 && s.nullable !== true) {
      errs.push(typeErr(field, `${inBody(name)} must be of type ${types.join(',')}: "null"`, 'null'));
    }
    return;
  }
  if (types.length > 0 && !typeOk(types, v)) {
    const t = jsonTypeName(v);
    errs.push(typeErr(field, `${inBody(name)} must be of type ${types.join(',')}: "${t}"`, t));
    // kube-openapi runs the other validators too (each applies to the value's own kind)
  }
  // schemaPropsValidator
  composite(v, s, name, errs);
  if (typeof v === 'string') stringChecks(v, s, name, errs);
  if (typeof v === 'number') numberChecks(v, s, name, errs);
  if (Array.isArray(v)) arrayChecks(v, s, name, errs, old);
  // commonValidator: enum
  if (Array.isArray(s.enum) && !s.enum.some((e) => jsonEqual(e, v))) {
    errs.push({
      type: 'FieldValueNotSupported',
      field,
      value: v,
      detail: `supported values: ${s.enum.map((e) => JSON.stringify(typeof e === 'string' ? e : JSON.stringify(e))).join(', ')}`,
    });
  }
  if (isObject(v)) objectChecks(v, s, name, errs, old);
}

function typeErr(field: string, detail: string, value: unknown): FieldError {
  return { type: 'FieldValueTypeInvalid', field, value, detail };
}
const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
const tooMany = (field: string, actual: number, max: number): FieldError => ({
  type: 'FieldValueTooMany',
  field,
  detail: `${actual}: must have at most ${max} item${max === 1 ? '' : 's'}`,
});

function sub(v: unknown, s: unknown, name: string): FieldError[] {
  const out: FieldError[] = [];
  if (isObject(s)) validateValue(v, s, name, out);
  return out;
}

function composite(v: unknown, s: Raw, name: string, errs: FieldError[]): void {
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    let failed = false;
    for (const a of s.allOf) {
      const r = sub(v, a, name);
      if (r.length) failed = true;
      errs.push(...r);
    }
    if (failed) errs.push(invalid(name, v, `${inBody(name)} must validate all the schemas (allOf)`));
  }
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0) {
    const results = s.anyOf.map((a) => sub(v, a, name));
    if (!results.some((r) => r.length === 0)) {
      errs.push(invalid(name, v, `${inBody(name)} must validate at least one schema (anyOf)`));
      errs.push(...best(results));
    }
  }
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0) {
    const results = s.oneOf.map((a) => sub(v, a, name));
    const valid = results.filter((r) => r.length === 0).length;
    if (valid === 0) {
      errs.push(invalid(name, v, `${inBody(name)} must validate one and only one schema (oneOf)`));
      errs.push(...best(results));
    } else if (valid > 1) {
      errs.push(
        invalid(
          name,
          v,
          `${inBody(name)} must validate one and only one schema (oneOf). Found ${valid} valid alternatives`,
        ),
      );
    }
  }
  if (isObject(s.not) && sub(v, s.not, name).length === 0) {
    errs.push(invalid(name, v, `${inBody(name)} must not validate the schema (not)`));
  }
}

/** The failing alternative with the fewest errors (kube-openapi merges its best failure). */
function best(results: FieldError[][]): FieldError[] {
  return results.reduce((a, b) => (b.length < a.length ? b : a));
}

function stringChecks(v: string, s: Raw, name: string, errs: FieldError[]): void {
  const len = [...v].length;
  const max = num(s.maxLength);
  if (max !== undefined && len > max) {
    errs.push({
      type: 'FieldValueTooLong',
      field: name,
      detail: `may not be more than ${max} byte${max === 1 ? '' : 's'}`,
    });
  }
  const min = num(s.minLength);
  if (min !== undefined && len < min) {
    errs.push(invalid(name, v, `${inBody(name)} should be at least ${min} chars long`));
  }
  if (typeof s.pattern === 'string') {
    const re = compilePattern(s.pattern);
    if (re && !re.test(v)) errs.push(invalid(name, v, `${inBody(name)} should match '${s.pattern}'`));
  }
  if (typeof s.format === 'string' && s.format && !matchesFormat(s.format, v)) {
    errs.push(typeErr(name, `${inBody(name)} must be of type ${s.format}: ${JSON.stringify(v)}`, v));
  }
}

function numberChecks(v: number, s: Raw, name: string, errs: FieldError[]): void {
  const mult = num(s.multipleOf);
  if (mult !== undefined && mult > 0) {
    const q = v / mult;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      errs.push(invalid(name, v, `${inBody(name)} should be a multiple of ${goNum(mult)}`));
    }
  }
  const max = num(s.maximum);
  if (max !== undefined) {
    if (s.exclusiveMaximum === true ? v >= max : v > max) {
      const op = s.exclusiveMaximum === true ? 'less than' : 'less than or equal to';
      errs.push(invalid(name, v, `${inBody(name)} should be ${op} ${goNum(max)}`));
    }
  }
  const min = num(s.minimum);
  if (min !== undefined) {
    if (s.exclusiveMinimum === true ? v <= min : v < min) {
      const op = s.exclusiveMinimum === true ? 'greater than' : 'greater than or equal to';
      errs.push(invalid(name, v, `${inBody(name)} should be ${op} ${goNum(min)}`));
    }
  }
}

function arrayChecks(v: unknown[], s: Raw, name: string, errs: FieldError[], old: Old): void {
  const max = num(s.maxItems);
  if (max !== undefined && v.length > max) errs.push(tooMany(name, v.length, max));
  const min = num(s.minItems);
  if (min !== undefined && v.length < min) {
    errs.push(invalid(name, v, `${inBody(name)} should have at least ${min} items`));
  }
  if (s.uniqueItems === true && v.some((a, i) => v.slice(i + 1).some((b) => jsonEqual(a, b)))) {
    errs.push(invalid(name, v, `${inBody(name)} shouldn't contain duplicates`));
  }
  if (isObject(s.items)) {
    const items = s.items;
    const corr = correlateItems(s, old);
    v.forEach((item, i) => validateValue(item, items, `${name}[${i}]`, errs, corr(item)));
  }
}

function objectChecks(v: Record<string, unknown>, s: Raw, name: string, errs: FieldError[], old: Old): void {
  const o = old && isObject(old.v) ? old.v : undefined;
  const at = (k: string): Old => (o && k in o ? { v: o[k] } : undefined);
  const n = Object.keys(v).length;
  const max = num(s.maxProperties);
  if (max !== undefined && n > max) {
    errs.push({
      type: 'FieldValueTooMany',
      field: name,
      detail: `${n}: must have at most ${max} item${max === 1 ? '' : 's'}`,
    });
  }
  const min = num(s.minProperties);
  if (min !== undefined && n < min) {
    errs.push(invalid(name, v, `${inBody(name)} should have at least ${min} properties`));
  }
  if (Array.isArray(s.required)) {
    for (const r of s.required) {
      if (typeof r === 'string' && !(r in v))
        errs.push({ type: 'FieldValueRequired', field: child(name, r), detail: '' });
    }
  }
  const props = isObject(s.properties) ? s.properties : {};
  for (const [k, ps] of Object.entries(props)) {
    if (k in v && isObject(ps)) validateValue(v[k], ps, child(name, k), errs, at(k));
  }
  if (isObject(s.additionalProperties)) {
    const add = s.additionalProperties;
    for (const k of Object.keys(v)) if (!(k in props)) validateValue(v[k], add, child(name, k), errs, at(k));
  } else if (s.additionalProperties === false) {
    for (const k of Object.keys(v)) {
      if (!(k in props))
        errs.push(invalid(child(name, k), k, `${child(name, k)} in body is a forbidden property`));
    }
  }
}

/** The old item an array item correlates with (list-type map: same keys; set: same value). */
function correlateItems(s: Raw, old: Old): (item: unknown) => Old {
  const none = (): Old => undefined;
  if (!old || !Array.isArray(old.v)) return none;
  const olds = old.v;
  const type = s['x-kubernetes-list-type'];
  if (type === 'set') return (item) => (olds.some((o) => jsonEqual(o, item)) ? { v: item } : undefined);
  const keys = s['x-kubernetes-list-map-keys'];
  if (type !== 'map' || !Array.isArray(keys)) return none;
  const id = (x: unknown): string | undefined =>
    isObject(x) ? canonicalJson(keys.map((k) => (typeof k === 'string' ? (x[k] ?? null) : null))) : undefined;
  const byId = new Map<string, unknown>();
  for (const o of olds) {
    const k = id(o);
    if (k !== undefined) byId.set(k, o);
  }
  return (item) => {
    const k = id(item);
    return k !== undefined && byId.has(k) ? { v: byId.get(k) } : undefined;
  };
}
