/**
 * RFC 7386 JSON Merge Patch, as the apiserver applies `application/merge-patch+json` bodies
 * (kubectl `patch --type=merge`, `label`, `annotate`, `scale`).
 *
 * Mirrors gopkg.in/evanphx/json-patch.v4 `MergePatch` as called from
 * k8s.io/apiserver/pkg/endpoints/handlers/patch.go: a top-level patch that is not an object is
 * ErrBadJSONPatch (400 "Invalid JSON Patch"); `null` deletes; objects merge recursively; any
 * other value replaces. Like v4 (and unlike the RFC), nulls are also pruned from objects nested
 * inside inserted arrays.
 */
import { badRequest } from '../errors.js';
import type { JsonValue } from '../types.js';
import { checkDepth, clone, isObject, type JsonObject } from './json.js';

function pruneNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = pruneNulls(v[i]);
    return v;
  }
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else v[k] = pruneNulls(v[k]);
    }
  }
  return v;
}

function mergeDocs(doc: JsonObject, patch: JsonObject): void {
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null) {
      delete doc[k];
      continue;
    }
    const dv = doc[k];
    if (isObject(pv) && isObject(dv)) mergeDocs(dv, pv);
    else doc[k] = pruneNulls(pv);
  }
}

/**
 * Applies a JSON merge patch and returns the result; inputs are not mutated.
 * @throws ApiError 400 "Invalid JSON Patch" when the patch is not an object, 400 when too deep
 */
export function applyMergePatch(doc: JsonValue, patch: unknown): JsonValue {
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  checkDepth(doc, 'object');
  checkDepth(patch, 'patch');
  const p = clone(patch);
  const out = isObject(doc) ? clone(doc) : {};
  mergeDocs(out, p);
  return out;
}
