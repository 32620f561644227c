/**
 * @module apiextensions/schema/crd-validation
 *
 * Static validation of a CRD version's openAPIV3Schema, as upstream's
 * ValidateCustomResourceDefinitionOpenAPISchema and the tail of
 * ValidateCustomResourceDefinitionValidation (pkg/apis/apiextensions/validation/validation.go),
 * for apiextensions.k8s.io/v1 (defaults allowed, property types checked, atomic set items, map
 * list keys required or defaulted):
 * 1. the allowed keys and x-kubernetes-* rules, recursively;
 * 2. when those pass: the CEL rules compile (cel/schema-rules.ts);
 * 3. when those pass: the structural-schema rules (structural-validation.ts), then defaults
 *    (defaults-validation.ts).
 * Not checked here: the status-subresource root restriction (needs the CRD's subresources).
 */
import type { FieldError } from '../../api/errors.js';
import { celRuleErrors } from './cel/schema-rules.js';
import { validateDefaults } from './defaults-validation.js';
import { childPath, forbidden, indexPath, invalid, keyPath, notSupported, required } from './paths.js';
import { validateStructural } from './structural-validation.js';
import { isObject, toStructural } from './structural.js';
import type { JSONSchemaProps } from './index.js';

type Raw = JSONSchemaProps;

const OPENAPI_V3_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const META_FIELDS = new Set(['metadata', 'kind', 'apiVersion']);
const SUPPORTED_REASONS = [
  'FieldValueDuplicate',
  'FieldValueForbidden',
  'FieldValueInvalid',
  'FieldValueRequired',
];

interface Ssv {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
}

export function validateCrdSchemaImpl(schema: Raw, path: string): FieldError[] {
  if (!isObject(schema)) return [required(path, '')];
  const errs: FieldError[] = [];
  if (schema.nullable === true)
    errs.push(forbidden(childPath(path, 'nullable'), 'nullable cannot be true at the root'));
  const ssv: Ssv = { allowDefaults: true, disallowDefaultsReason: '', insideResourceMeta: false };
  errs.push(...openAPISchema(schema, path, ssv, true));
  if (errs.length > 0) return errs;
  const cel = celRuleErrors(schema, path);
  if (cel.length > 0) return cel;
  const structural = validateStructural(schema, path);
  if (structural.length > 0) return structural;
  const defaults = validateDefaults(toStructural(schema), path);
  return defaults;
}

const hasNewlines = (s: string): boolean => /[\n\r]+/.test(s);

function standard(s: Raw, p: string, v: Ssv): FieldError[] {
  const errs: FieldError[] = [];
  const type = s.type;
  if (type !== undefined && typeof type !== 'string') {
    errs.push(invalid(childPath(p, 'type'), type, 'must be a string'));
  } else if (type && !OPENAPI_V3_TYPES.includes(type)) {
    errs.push(notSupported(childPath(p, 'type'), type, OPENAPI_V3_TYPES));
  }
  if (s.default !== undefined && !v.allowDefaults) {
    let detail = 'must not be set';
    if (v.disallowDefaultsReason) detail += ` ${v.disallowDefaultsReason}`;
    errs.push(forbidden(childPath(p, 'default'), detail));
  }
  if (typeof s.id === 'string' && s.id !== '')
    errs.push(forbidden(childPath(p, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined) {
    errs.push(forbidden(childPath(p, 'additionalItems'), 'additionalItems is not supported'));
  }
  if (isObject(s.patternProperties) && Object.keys(s.patternProperties).length > 0) {
    errs.push(forbidden(childPath(p, 'patternProperties'), 'patternProperties is not supported'));
  }
  if (isObject(s.definitions) && Object.keys(s.definitions).length > 0) {
    errs.push(forbidden(childPath(p, 'definitions'), 'definitions is not supported'));
  }
  if (s.dependencies !== undefined && s.dependencies !== null) {
    errs.push(forbidden(childPath(p, 'dependencies'), 'dependencies is not supported'));
  }
  if (s.$ref !== undefined) errs.push(forbidden(childPath(p, '$ref'), '$ref is not supported'));
  if (type === 'null') {
    errs.push(forbidden(childPath(p, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  }
  if (Array.isArray(s.items) && s.items.length > 0) {
    errs.push(forbidden(childPath(p, 'items'), 'items must be a schema object and not an array'));
  }
  if (v.insideResourceMeta && s['x-kubernetes-embedded-resource'] === true) {
    errs.push(
      forbidden(childPath(p, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'),
    );
  }
  return errs;
}

function openAPISchema(s: Raw, p: string, ssv: Ssv, isRoot: boolean): FieldError[] {
  const errs = standard(s, p, ssv);
  if (s.uniqueItems === true) {
    errs.push(
      forbidden(
        childPath(p, 'uniqueItems'),
        'uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
      ),
    );
  }
  const propEntries = isObject(s.properties) ? Object.entries(s.properties) : [];
  const ap = s.additionalProperties;
  if (ap !== undefined && ap !== null) {
    if (propEntries.length > 0 && (ap !== true || isObject(ap))) {
      errs.push(
        forbidden(
          childPath(p, 'additionalProperties'),
          'additionalProperties and properties are mutual exclusive',
        ),
      );
    }
    if (isObject(ap)) {
      const sub = ssv.insideResourceMeta
        ? {
            ...ssv,
            allowDefaults: false,
            disallowDefaultsReason: 'inside additionalProperties applying to object metadata',
          }
        : ssv;
      errs.push(...openAPISchema(ap, childPath(p, 'additionalProperties'), sub, false));
    }
  }
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  for (const [k, v] of propEntries) {
    if (!isObject(v)) continue;
    let sub = ssv;
    if ((isRoot || embedded) && META_FIELDS.has(k)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${k}` };
    }
    errs.push(...openAPISchema(v, keyPath(childPath(p, 'properties'), k), sub, false));
  }
  if (isObject(s.not)) errs.push(...openAPISchema(s.not, childPath(p, 'not'), ssv, false));
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    const l = s[key];
    if (Array.isArray(l)) {
      l.forEach((v, i) => {
        if (isObject(v)) errs.push(...openAPISchema(v, indexPath(childPath(p, key), i), ssv, false));
      });
    }
  }
  if (isObject(s.items)) errs.push(...openAPISchema(s.items, childPath(p, 'items'), ssv, false));
  errs.push(...extensions(s, p));
  return errs;
}

function extensions(s: Raw, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeof s.type === 'string' ? s.type : '';
  const pu = s['x-kubernetes-preserve-unknown-fields'];
  if (pu === false)
    errs.push(
      invalid(childPath(p, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'),
    );
  const mapType = s['x-kubernetes-map-type'];
  if (mapType !== undefined && mapType !== null) {
    if (type !== 'object') {
      const d = 'must be object if x-kubernetes-map-type is specified';
      errs.push(type ? invalid(childPath(p, 'type'), type, d) : required(childPath(p, 'type'), d));
    }
    if (mapType !== 'atomic' && mapType !== 'granular') {
      errs.push(notSupported(childPath(p, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
    }
  }
  const listType = s['x-kubernetes-list-type'];
  const items = isObject(s.items) ? s.items : undefined;
  if (listType !== undefined && listType !== null && type !== 'array') {
    const d = 'must be array if x-kubernetes-list-type is specified';
    errs.push(type ? invalid(childPath(p, 'type'), type, d) : required(childPath(p, 'type'), d));
  } else if (listType === 'set' && items) {
    if (
      items.type === 'array' &&
      items['x-kubernetes-list-type'] !== undefined &&
      items['x-kubernetes-list-type'] !== 'atomic'
    ) {
      errs.push(
        invalid(
          childPath(childPath(p, 'items'), 'x-kubernetes-list-type'),
          items['x-kubernetes-list-type'],
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(
        invalid(
          childPath(childPath(p, 'items'), 'x-kubernetes-map-type'),
          items['x-kubernetes-list-type'] ?? null,
          'must be atomic as item of a list with x-kubernetes-list-type=set',
        ),
      );
    }
  }
  if (
    listType !== undefined &&
    listType !== null &&
    !(typeof listType === 'string' && ['atomic', 'set', 'map'].includes(listType))
  ) {
    errs.push(notSupported(childPath(p, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  }
  const keys = Array.isArray(s['x-kubernetes-list-map-keys'])
    ? (s['x-kubernetes-list-map-keys'] as unknown[])
    : [];
  if (keys.length > 0) {
    const d = 'must be map if x-kubernetes-list-map-keys is non-empty';
    if (listType === undefined || listType === null)
      errs.push(required(childPath(p, 'x-kubernetes-list-type'), d));
    else if (listType !== 'map') errs.push(invalid(childPath(p, 'x-kubernetes-list-type'), listType, d));
  }
  if (listType === 'map') errs.push(...listMap(s, p, keys, items));
  errs.push(...mapListKeysMapSet(s, p, listType, keys, items));
  errs.push(...ruleShapes(s, p));
  return errs;
}

function listMap(s: Raw, p: string, keys: unknown[], items: Raw | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (keys.length === 0) {
    errs.push(
      required(
        childPath(p, 'x-kubernetes-list-map-keys'),
        'must not be empty if x-kubernetes-list-type is map',
      ),
    );
  }
  if (s.items === undefined || s.items === null) {
    errs.push(required(childPath(p, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
  } else if (!items) {
    errs.push(
      invalid(
        childPath(p, 'items'),
        s.items,
        'must only have a single schema if x-kubernetes-list-type is map',
      ),
    );
  }
  if (items && items.type !== 'object') {
    errs.push(
      invalid(
        childPath(childPath(p, 'items'), 'type'),
        items.type ?? '',
        "must be object if parent array's x-kubernetes-list-type is map",
      ),
    );
  }
  if (items && items.type === 'object') {
    const seen = new Set<unknown>();
    const ip = isObject(items.properties) ? items.properties : {};
    for (const k of keys) {
      const ks = typeof k === 'string' ? ip[k] : undefined;
      if (isObject(ks)) {
        if (ks.type === 'array' || ks.type === 'object') {
          errs.push(
            invalid(
              childPath(keyPath(childPath(childPath(p, 'items'), 'properties'), String(k)), 'type'),
              items.type,
              "must be a scalar type if parent array's x-kubernetes-list-type is map",
            ),
          );
        }
      } else {
        errs.push(
          invalid(
            childPath(p, 'x-kubernetes-list-map-keys'),
            keys,
            'entries must all be names of item properties',
          ),
        );
      }
      if (seen.has(k))
        errs.push(
          invalid(childPath(p, 'x-kubernetes-list-map-keys'), keys, 'must not contain duplicate entries'),
        );
      seen.add(k);
    }
  }
  return errs;
}

function mapListKeysMapSet(
  s: Raw,
  p: string,
  listType: unknown,
  keys: unknown[],
  items: Raw | undefined,
): FieldError[] {
  if (!items || (listType !== 'set' && listType !== 'map')) return [];
  const errs: FieldError[] = [];
  if (items.nullable === true) {
    errs.push(
      forbidden(
        childPath(childPath(p, 'items'), 'nullable'),
        `cannot be nullable when x-kubernetes-list-type is ${listType}`,
      ),
    );
  }
  if (listType === 'map') {
    const req = new Set(Array.isArray(items.required) ? items.required : []);
    const ip = isObject(items.properties) ? items.properties : {};
    for (const k of keys) {
      const ks = typeof k === 'string' ? ip[k] : undefined;
      if (!isObject(ks)) continue;
      const kp = keyPath(childPath(childPath(p, 'items'), 'properties'), String(k));
      if (!req.has(k) && ks.default === undefined) {
        errs.push(
          required(
            childPath(kp, 'default'),
            'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property',
          ),
        );
      }
      if (ks.nullable === true) {
        errs.push(
          forbidden(
            childPath(kp, 'nullable'),
            'this property is in x-kubernetes-list-map-keys, so it cannot be nullable',
          ),
        );
      }
    }
  }
  return errs;
}

/** The static shape of x-kubernetes-validations entries (compilation is in cel/schema-rules.ts). */
function ruleShapes(s: Raw, p: string): FieldError[] {
  const rules = s['x-kubernetes-validations'];
  if (!Array.isArray(rules)) return [];
  const errs: FieldError[] = [];
  rules.forEach((r, i) => {
    const rp = indexPath(childPath(p, 'x-kubernetes-validations'), i);
    const rule = isObject(r) ? r : {};
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const ruleText = str(rule.rule).trim();
    const msg = str(rule.message);
    const msgExpr = str(rule.messageExpression);
    if (!ruleText) errs.push(required(childPath(rp, 'rule'), 'rule is not specified'));
    else if (msg.length > 0 && msg.trim().length === 0) {
      errs.push(invalid(childPath(rp, 'message'), msg, 'message must be non-empty if specified'));
    } else if (hasNewlines(msg.trim())) {
      errs.push(invalid(childPath(rp, 'message'), msg, 'message must not contain line breaks'));
    } else if (hasNewlines(ruleText) && msg.trim().length === 0) {
      errs.push(required(childPath(rp, 'message'), 'message must be specified if rule contains line breaks'));
    }
    if (msgExpr.length > 0 && msgExpr.trim().length === 0) {
      errs.push(
        required(childPath(rp, 'messageExpression'), 'messageExpression must be non-empty if specified'),
      );
    }
    if (
      rule.reason !== undefined &&
      rule.reason !== null &&
      !(typeof rule.reason === 'string' && SUPPORTED_REASONS.includes(rule.reason))
    ) {
      errs.push(notSupported(childPath(rp, 'reason'), rule.reason, SUPPORTED_REASONS));
    }
    const fp = str(rule.fieldPath);
    if (fp.length > 0 && fp.trim().length === 0) {
      errs.push(invalid(childPath(rp, 'fieldPath'), fp, 'fieldPath must be non-empty if specified'));
    }
    if (hasNewlines(fp))
      errs.push(invalid(childPath(rp, 'fieldPath'), fp, 'fieldPath must not contain line breaks'));
  });
  return errs;
}
