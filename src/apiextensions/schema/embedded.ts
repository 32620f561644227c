/**
 * @module apiextensions/schema/embedded
 *
 * Embedded resources (`x-kubernetes-embedded-resource: true`) must look like objects, as
 * upstream's objectmeta.Validate (pkg/apiserver/schema/objectmeta/validation.go) checks them:
 * `kind` and `apiVersion` are required (`Required value: must not be empty`), and `metadata`
 * holds a name that is a valid path segment (not `.`/`..`, no `/` or `%`).
 */
import type { FieldError } from '../../api/errors.js';
import { additionalSchema, isObject, type Structural } from './structural.js';

const child = (p: string, k: string): string => (p ? `${p}.${k}` : k);

export function validateEmbedded(
  x: unknown,
  s: Structural | undefined,
  path: string,
  errs: FieldError[],
): void {
  if (!s || x === null || x === undefined) return;
  if (Array.isArray(x)) {
    x.forEach((v, i) => validateEmbedded(v, s.items, `${path}[${i}]`, errs));
    return;
  }
  if (!isObject(x)) return;
  if (s.embeddedResource && path !== '') checkObject(x, path, errs);
  const add = additionalSchema(s);
  for (const [k, v] of Object.entries(x)) {
    const prop = s.properties?.get(k);
    if (prop) validateEmbedded(v, prop, child(path, k), errs);
    else if (add) validateEmbedded(v, add, `${path}[${k}]`, errs);
  }
}

function checkObject(x: Record<string, unknown>, path: string, errs: FieldError[]): void {
  for (const k of ['apiVersion', 'kind']) {
    const v = x[k];
    if (v === undefined || v === '')
      errs.push({ type: 'FieldValueRequired', field: child(path, k), detail: 'must not be empty' });
    else if (typeof v !== 'string')
      errs.push({ type: 'FieldValueInvalid', field: child(path, k), value: v, detail: 'must be a string' });
  }
  const meta = x.metadata;
  if (meta === undefined) return;
  if (!isObject(meta)) {
    errs.push({
      type: 'FieldValueInvalid',
      field: child(path, 'metadata'),
      value: meta,
      detail: 'must be an object',
    });
    return;
  }
  const name = meta.name;
  if (typeof name === 'string' && name !== '') {
    // path.ValidatePathSegmentName, as ValidateObjectMeta is called with it upstream
    const f = child(child(path, 'metadata'), 'name');
    for (const bad of ['.', '..']) {
      if (name === bad)
        errs.push({ type: 'FieldValueInvalid', field: f, value: name, detail: `may not be '${bad}'` });
    }
    for (const bad of ['/', '%']) {
      if (name.includes(bad))
        errs.push({ type: 'FieldValueInvalid', field: f, value: name, detail: `may not contain '${bad}'` });
    }
  }
}
