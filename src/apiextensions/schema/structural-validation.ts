/**
 * @module apiextensions/schema/structural-validation
 *
 * Whether a CRD schema is structural, as upstream's ValidateStructural
 * (pkg/apiserver/schema/validation.go) and ValidateStructuralCompleteness (completeness.go):
 * - `type` is set everywhere (`must not be empty for specified object fields`, `... array items`,
 *   `... at the root`), unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields;
 * - under allOf/anyOf/oneOf/not nothing structural is set (`must be empty to be structural`, ...),
 *   except the two int-or-string anyOf patterns;
 * - every property named under a value validation is specified outside of it
 *   (`Required value: because it is defined in ...`);
 * - metadata at the root restricts only name and generateName; embedded resources are objects.
 * Errors are sorted by their text, as upstream sorts them.
 */
import { fieldErrorString, type FieldError } from '../../api/errors.js';
import { childPath, forbidden, indexPath, invalid, keyPath, required } from './paths.js';
import { isObject } from './structural.js';
import type { JSONSchemaProps } from './index.js';

type Raw = JSONSchemaProps;
type Level = 'root' | 'item' | 'field';

const props = (s: Raw): [string, Raw][] =>
  isObject(s.properties)
    ? Object.entries(s.properties).filter((e): e is [string, Raw] => isObject(e[1]))
    : [];
const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.filter(isObject) : []);
const isIntOrStringAnyOf = (anyOf: unknown): boolean => {
  const l = list(anyOf);
  return (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    l.length === 2 &&
    Object.keys(l[0]).length === 1 &&
    l[0].type === 'integer' &&
    Object.keys(l[1]).length === 1 &&
    l[1].type === 'string'
  );
};

export function validateStructural(s: Raw, path: string): FieldError[] {
  const errs = [...invariants(s, 'root', path), ...completeness(s, s, path, path)];
  // upstream sorts by err.Error()
  const text = (e: FieldError): string => fieldErrorString(e);
  return errs.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}

function invariants(s: Raw, lvl: Level, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeof s.type === 'string' ? s.type : '';
  const items = isObject(s.items) ? s.items : undefined;
  if (type === 'array' && !items) errs.push(required(childPath(p, 'items'), 'must be specified'));
  if (items) errs.push(...invariants(items, 'item', childPath(p, 'items')));
  for (const [k, v] of props(s)) errs.push(...invariants(v, 'field', keyPath(childPath(p, 'properties'), k)));
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (lvl === 'root')
      errs.push(forbidden(childPath(p, 'additionalProperties'), 'must not be used at the root'));
    if (isObject(s.additionalProperties)) {
      errs.push(...invariants(s.additionalProperties, 'field', childPath(p, 'additionalProperties')));
    }
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) {
    errs.push(
      invalid(
        childPath(p, 'x-kubernetes-preserve-unknown-fields'),
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  if (intOrString && embedded) {
    errs.push(
      invalid(
        childPath(p, 'x-kubernetes-embedded-resource'),
        true,
        'must be false if x-kubernetes-int-or-string is true',
      ),
    );
  }
  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const allOf0 = list(s.allOf)[0];
  const skipFirstAllOfAnyOf = allOf0 !== undefined && isIntOrStringAnyOf(allOf0.anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, p));

  const checkMetadata = lvl === 'root' || embedded;
  if (embedded && type !== 'object') {
    if (!type)
      errs.push(required(childPath(p, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else
      errs.push(
        invalid(childPath(p, 'type'), type, 'must be object if x-kubernetes-embedded-resource is true'),
      );
  } else if (!type && !intOrString && !preserve) {
    const where = {
      root: 'at the root',
      item: 'for specified array items',
      field: 'for specified object fields',
    }[lvl];
    errs.push(required(childPath(p, 'type'), `must not be empty ${where}`));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(
      forbidden(
        childPath(p, 'additionalProperties'),
        'must not be used if x-kubernetes-embedded-resource is set',
      ),
    );
  }
  if (lvl === 'root' && type && type !== 'object')
    errs.push(invalid(childPath(p, 'type'), type, 'must be object at the root'));
  const pr = new Map(props(s));
  for (const k of ['kind', 'apiVersion']) {
    const ks = pr.get(k);
    if (ks && checkMetadata && ks.type !== 'string') {
      errs.push(
        invalid(childPath(keyPath(childPath(p, 'properties'), k), 'type'), ks.type ?? '', 'must be string'),
      );
    }
  }
  const meta = pr.get('metadata');
  if (meta)
    errs.push(
      ...metadataInvariants(meta, checkMetadata, lvl, keyPath(childPath(p, 'properties'), 'metadata')),
    );
  if (embedded && !preserve && pr.size === 0) {
    errs.push(
      required(
        childPath(p, 'properties'),
        'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
      ),
    );
  }
  return errs;
}

function metadataInvariants(s: Raw, checkMetadata: boolean, lvl: Level, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeof s.type === 'string' ? s.type : '';
  if (checkMetadata && type !== 'object') errs.push(invalid(childPath(p, 'type'), type, 'must be object'));
  if (lvl === 'root') {
    const rest = Object.keys(s).filter((k) => k !== 'type' && k !== 'default' && k !== 'properties');
    const pk = isObject(s.properties) ? Object.keys(s.properties) : [];
    const extraProps = pk.some((k) => k !== 'name' && k !== 'generateName');
    if (rest.length > 0 || extraProps) {
      errs.push(
        forbidden(
          p,
          'must not specify anything other than name and generateName, but metadata is implicitly specified',
        ),
      );
    }
  }
  return errs;
}

function valueValidation(
  s: Raw,
  skipAnyOf: boolean,
  skipFirstAllOfAnyOf: boolean,
  lvl: Level,
  p: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf)
    list(s.anyOf).forEach((v, i) => errs.push(...nested(v, false, lvl, indexPath(childPath(p, 'anyOf'), i))));
  list(s.allOf).forEach((v, i) =>
    errs.push(...nested(v, skipFirstAllOfAnyOf && i === 0, lvl, indexPath(childPath(p, 'allOf'), i))),
  );
  list(s.oneOf).forEach((v, i) => errs.push(...nested(v, false, lvl, indexPath(childPath(p, 'oneOf'), i))));
  if (isObject(s.not)) errs.push(...nested(s.not, false, lvl, childPath(p, 'not')));
  return errs;
}

const FORBIDDEN_NESTED: [string, (v: unknown) => boolean, string][] = [
  ['type', (v) => typeof v === 'string' && v !== '', 'must be empty to be structural'],
  ['additionalProperties', (v) => v !== undefined && v !== null, 'must be undefined to be structural'],
  ['default', (v) => v !== undefined && v !== null, 'must be undefined to be structural'],
  ['title', (v) => typeof v === 'string' && v !== '', 'must be empty to be structural'],
  ['description', (v) => typeof v === 'string' && v !== '', 'must be empty to be structural'],
  ['nullable', (v) => v === true, 'must be false to be structural'],
  ['externalDocs', (v) => v !== undefined && v !== null, 'must be undefined to be structural'],
  ['x-kubernetes-preserve-unknown-fields', (v) => v === true, 'must be false to be structural'],
  ['x-kubernetes-embedded-resource', (v) => v === true, 'must be false to be structural'],
  ['x-kubernetes-int-or-string', (v) => v === true, 'must be false to be structural'],
  ['x-kubernetes-list-map-keys', (v) => Array.isArray(v) && v.length > 0, 'must be empty to be structural'],
  ['x-kubernetes-list-type', (v) => v !== undefined && v !== null, 'must be undefined to be structural'],
  ['x-kubernetes-map-type', (v) => v !== undefined && v !== null, 'must be undefined to be structural'],
  ['x-kubernetes-validations', (v) => Array.isArray(v) && v.length > 0, 'must be empty to be structural'],
];

function nested(v: Raw, skipAnyOf: boolean, lvl: Level, p: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...valueValidation(v, skipAnyOf, false, lvl, p));
  if (isObject(v.items)) errs.push(...nested(v.items, false, lvl, childPath(p, 'items')));
  for (const [k, f] of props(v))
    errs.push(...nested(f, false, 'field', keyPath(childPath(p, 'properties'), k)));
  for (const [key, bad, detail] of FORBIDDEN_NESTED) {
    if (bad(v[key])) errs.push(forbidden(childPath(p, key), detail));
  }
  if (props(v).some(([k]) => k === 'metadata')) {
    errs.push(
      forbidden(keyPath(childPath(p, 'properties'), 'metadata'), 'must not be specified in a nested context'),
    );
  }
  return errs;
}

/** ValidateStructuralCompleteness: `s` is the structural node, `v` the value-validation node. */
function completeness(v: Raw, s: Raw | undefined, sPath: string, vPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const junctors = (node: Raw, np: string): void => {
    if (isObject(node.not)) errs.push(...nestedCompleteness(node.not, s, sPath, childPath(np, 'not')));
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      list(node[key]).forEach((n, i) =>
        errs.push(...nestedCompleteness(n, s, sPath, indexPath(childPath(np, key), i))),
      );
    }
  };
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  junctors(v, vPath);
  // the structural children are checked at their own level
  if (v === s) {
    if (isObject(s.items))
      errs.push(...completeness(s.items, s.items, childPath(sPath, 'items'), childPath(sPath, 'items')));
    for (const [k, f] of props(s)) {
      const kp = keyPath(childPath(sPath, 'properties'), k);
      errs.push(...completeness(f, f, kp, kp));
    }
    if (isObject(s.additionalProperties)) {
      const ap = childPath(sPath, 'additionalProperties');
      errs.push(...completeness(s.additionalProperties, s.additionalProperties, ap, ap));
    }
  }
  return errs;
}

function nestedCompleteness(v: Raw, s: Raw | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs: FieldError[] = [...completeness(v, s, sPath, vPath)];
  if (isObject(v.items)) {
    errs.push(
      ...nestedCompleteness(
        v.items,
        isObject(s.items) ? s.items : undefined,
        childPath(sPath, 'items'),
        childPath(vPath, 'items'),
      ),
    );
  }
  const sp = new Map(props(s));
  for (const [k, f] of props(v)) {
    const sf = sp.get(k);
    const skp = keyPath(childPath(sPath, 'properties'), k);
    const vkp = keyPath(childPath(vPath, 'properties'), k);
    if (!sf) errs.push(required(skp, `because it is defined in ${vkp}`));
    else errs.push(...nestedCompleteness(f, sf, skp, vkp));
  }
  return errs;
}
