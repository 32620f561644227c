/**
 * @module apiextensions/schema/structural
 *
 * The structural view of a CRD schema (upstream pkg/apiserver/schema/structural.go): the
 * skeleton of `type`, `properties`, `items` and `additionalProperties` that pruning, defaulting
 * and CEL walk, with the x-kubernetes-* extensions read once. Value validations (allOf, anyOf,
 * oneOf, not, enum, pattern, ...) stay in `raw`, which the OpenAPI validator reads.
 *
 * {@link toStructural} is lenient: it builds a view of any JSON object; whether the schema is
 * structural is decided by crd-validation.ts.
 */
import type { JSONSchemaProps } from './index.js';

/** One x-kubernetes-validations rule. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface Structural {
  /** '' when unset. */
  type: string;
  format: string;
  /** Own properties only (never from under allOf etc.). */
  properties?: Map<string, Structural>;
  items?: Structural;
  /** A schema, or `true` (additionalProperties: true, any value). */
  additionalProperties?: Structural | true;
  nullable: boolean;
  /** True when `default` is present (the value is in `defaultValue`, possibly null). */
  hasDefault: boolean;
  defaultValue?: unknown;
  preserveUnknownFields: boolean;
  embeddedResource: boolean;
  intOrString: boolean;
  listType?: string;
  listMapKeys?: string[];
  mapType?: string;
  validations: ValidationRule[];
  raw: JSONSchemaProps;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function rules(v: unknown): ValidationRule[] {
  if (!Array.isArray(v)) return [];
  const out: ValidationRule[] = [];
  for (const r of v) {
    if (!isObject(r)) continue;
    const rule: ValidationRule = { rule: str(r.rule) };
    if (typeof r.message === 'string') rule.message = r.message;
    if (typeof r.messageExpression === 'string') rule.messageExpression = r.messageExpression;
    if (typeof r.reason === 'string') rule.reason = r.reason;
    if (typeof r.fieldPath === 'string') rule.fieldPath = r.fieldPath;
    if (typeof r.optionalOldSelf === 'boolean') rule.optionalOldSelf = r.optionalOldSelf;
    out.push(rule);
  }
  return out;
}

/** Builds the structural view of `raw` (any JSON object). */
export function toStructural(raw: JSONSchemaProps): Structural {
  const s: Structural = {
    type: str(raw.type),
    format: str(raw.format),
    nullable: raw.nullable === true,
    hasDefault: 'default' in raw && raw.default !== undefined,
    preserveUnknownFields: raw['x-kubernetes-preserve-unknown-fields'] === true,
    embeddedResource: raw['x-kubernetes-embedded-resource'] === true,
    intOrString: raw['x-kubernetes-int-or-string'] === true,
    validations: rules(raw['x-kubernetes-validations']),
    raw,
  };
  if (s.hasDefault) s.defaultValue = raw.default;
  if (isObject(raw.properties)) {
    s.properties = new Map();
    for (const [k, v] of Object.entries(raw.properties))
      if (isObject(v)) s.properties.set(k, toStructural(v));
  }
  if (isObject(raw.items)) s.items = toStructural(raw.items);
  if (isObject(raw.additionalProperties)) s.additionalProperties = toStructural(raw.additionalProperties);
  else if (raw.additionalProperties === true) s.additionalProperties = true;
  if (typeof raw['x-kubernetes-list-type'] === 'string') s.listType = raw['x-kubernetes-list-type'];
  const keys = raw['x-kubernetes-list-map-keys'];
  if (Array.isArray(keys)) s.listMapKeys = keys.filter((k): k is string => typeof k === 'string');
  if (typeof raw['x-kubernetes-map-type'] === 'string') s.mapType = raw['x-kubernetes-map-type'];
  return s;
}

/** The schema that applies to map values under `s` (undefined: none; an empty schema for `true`). */
export function additionalSchema(s: Structural): Structural | undefined {
  if (s.additionalProperties === undefined) return undefined;
  if (s.additionalProperties === true) return EMPTY;
  return s.additionalProperties;
}

/** The schema with nothing set (additionalProperties: true; unknown leaves). */
export const EMPTY: Structural = Object.freeze(toStructural({})) as Structural;

/** Deep copy of a JSON value. */
export function deepCopy<T>(v: T): T {
  return v === undefined ? v : (structuredClone(v) as T);
}
