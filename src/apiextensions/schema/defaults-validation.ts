/**
 * @module apiextensions/schema/defaults-validation
 *
 * Defaults must validate, as upstream's ValidateDefaults (pkg/apiserver/schema/defaulting/
 * validation.go): every `default` (outside additionalProperties, where defaults are forbidden) is
 * - already pruned (`must not have unknown fields`),
 * - valid against its own schema's OpenAPI validation, reported under `<path>.default`
 *   (e.g. `...properties[a].default: Invalid value: "abc": in body must be of type email: "abc"`),
 * - and valid against the schema's x-kubernetes-validations rules (self = oldSelf = the default).
 */
import type { FieldError } from '../../api/errors.js';
import { celValidatorFor } from './cel/validator.js';
import { validateValue } from './openapi.js';
import { childPath, invalid, keyPath } from './paths.js';
import { pruneObject } from './prune.js';
import { deepCopy, isObject, type Structural } from './structural.js';
import { jsonEqual } from './openapi.js';

export function validateDefaults(root: Structural, path: string): FieldError[] {
  const errs: FieldError[] = [];
  walk({ ...root, embeddedResource: true }, path, errs, false);
  return errs;
}

function walk(s: Structural, p: string, errs: FieldError[], insideMeta: boolean): void {
  if (s.embeddedResource) insideMeta = false;
  if (s.hasDefault && s.defaultValue !== null) {
    const dp = childPath(p, 'default');
    const d = s.defaultValue;
    const before = errs.length;
    if (!insideMeta && isObject(d)) {
      const copy = deepCopy(d);
      pruneSubtree(copy, s);
      if (!jsonEqual(copy, d)) errs.push(invalid(dp, d, 'must not have unknown fields'));
    }
    if (errs.length === before) {
      const vErrs: FieldError[] = [];
      validateValue(d, s.raw, '', vErrs);
      for (const e of vErrs) errs.push({ ...e, field: e.field ? `${dp}.${e.field}` : dp });
      if (vErrs.length === 0) {
        const cel = celValidatorFor(s);
        if (cel) errs.push(...cel.validate(d, d, dp, false));
      }
    }
  }
  if (s.items) walk(s.items, childPath(p, 'items'), errs, insideMeta);
  for (const [k, sub] of s.properties ?? []) {
    const meta = s.embeddedResource && (k === 'metadata' || k === 'apiVersion' || k === 'kind');
    walk(sub, keyPath(childPath(p, 'properties'), k), errs, insideMeta || meta);
  }
}

/** Prunes a default value: as a resource root when its schema is an embedded resource. */
function pruneSubtree(v: Record<string, unknown>, s: Structural): void {
  if (s.embeddedResource) {
    pruneObject(v, s);
    return;
  }
  // a non-root object: wrap it so the root rules (apiVersion/kind/metadata kept) do not apply
  const wrapper: Structural = {
    ...s,
    properties: new Map([['x', s]]),
    embeddedResource: false,
    preserveUnknownFields: false,
  };
  pruneObject({ x: v }, wrapper);
}
