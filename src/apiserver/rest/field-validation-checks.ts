/**
 * The `fieldValidation` directive (Strict | Warn | Ignore, default Warn) applied to request
 * bodies: unknown fields of create/update bodies, of patched objects and of server-side apply
 * configurations, with upstream's error texts (create.go / update.go / patch.go and
 * test/integration/apiserver/field_validation_test.go). The field walk itself is in
 * field-validation.ts.
 */
import { badRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { deepCopy } from '../../api/meta.js';
import {
  strictDecodingMessage,
  unknownFieldError,
  unknownFields,
  type UnknownFieldsOptions,
} from './field-validation.js';
import { servedApiVersion, type RequestScope } from './scope.js';
import { patchInvalid, sortedJson } from './typed-decode.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * The unknown fields of a request object: from the built-in schema tables, or for a custom
 * resource from its CRD schema's pruning (what upstream's CR decoder reports).
 */
function unknownOf(s: RequestScope, obj: KubeObject, opts: UnknownFieldsOptions): string[] | undefined {
  if (s.desc.custom) return s.desc.custom.prune(s.version, opts.prune ? obj : deepCopy(obj));
  return unknownFields(servedApiVersion(s), s.desc.kind, obj, opts);
}

/** The fieldValidation directive; missing or empty is Warn (upstream's default since GA, rest.go). */
export function validateFieldValidation(s: RequestScope): FieldValidation {
  const v = s.ctx.query.get('fieldValidation');
  if (v !== null && v !== '' && v !== 'Ignore' && v !== 'Warn' && v !== 'Strict') {
    throw badRequest(
      `fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Warn", "Strict"`,
    );
  }
  return v === null || v === '' ? 'Warn' : v;
}

export function addWarnings(s: RequestScope, warnings: readonly string[]): void {
  for (const w of warnings) if (!s.ctx.warnings.includes(w)) s.ctx.warnings.push(w);
}

/**
 * Unknown fields of a create/update body (create.go/update.go): Strict fails with the decoder's
 * 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: unknown field
 * "spec.foo"`, Warn adds one warning per field, Ignore says nothing. The fields are dropped, as
 * decoding into the Go struct drops them.
 */
export function checkBodyFields(
  s: RequestScope,
  obj: KubeObject,
  directive: FieldValidation,
  sorted: boolean,
): void {
  const unknown = unknownOf(s, obj, { sorted, prune: true });
  if (!unknown?.length) return;
  const errs = unknown.map(unknownFieldError);
  if (directive === 'Strict') {
    const kind = s.desc.kind;
    throw badRequest(
      `${kind} in version ${JSON.stringify(s.version)} cannot be handled as a ${kind}: ${strictDecodingMessage(errs)}`,
    );
  }
  if (directive === 'Warn') addWarnings(s, errs);
}

/** Go's `%+v` of a decoded JSON value (map[k:v ...] with sorted keys), for the SMP error value. */
function goValue(v: unknown): string {
  type Item = { text: string } | { value: unknown };
  const parts: string[] = [];
  const stack: Item[] = [{ value: v }];
  const seq = (open: string, entries: Item[][]): void => {
    const items: Item[] = [{ text: open }];
    entries.forEach((e, i) => items.push(...(i > 0 ? [{ text: ' ' }] : []), ...e));
    items.push({ text: ']' });
    for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]!);
  };
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      parts.push(item.text);
      continue;
    }
    const x = item.value;
    if (x === null || x === undefined) parts.push('<nil>');
    else if (Array.isArray(x))
      seq(
        '[',
        x.map((e) => [{ value: e }]),
      );
    else if (typeof x === 'object') {
      const o = x as Record<string, unknown>;
      seq(
        'map[',
        Object.keys(o)
          .sort()
          .map((k) => [{ text: `${k}:` }, { value: o[k] }]),
      );
    } else parts.push(String(x));
  }
  return parts.join('');
}

/**
 * Unknown fields of a patched object (patch.go jsonPatcher/smpPatcher): Strict fails with 422
 * ` "" is invalid: patch: Invalid value: "<patched object or patch>": strict decoding error: ...`.
 */
export function checkPatchedFields(
  s: RequestScope,
  next: KubeObject,
  patch: unknown,
  kind: 'json' | 'merge' | 'strategic',
  directive: FieldValidation,
  patchErrs: readonly string[],
): void {
  const unknown = unknownOf(s, next, { sorted: true, prune: true }) ?? [];
  const errs = [...patchErrs, ...unknown.map(unknownFieldError)];
  if (errs.length === 0 || directive === 'Ignore') return;
  if (directive === 'Warn') return addWarnings(s, errs);
  const value = kind === 'strategic' ? goValue(patch) : sortedJson(next);
  throw patchInvalid(value, strictDecodingMessage(errs));
}

/** `json patch unknown field "[0].foo"`: members of JSON patch operations besides op/path/from/value. */
export function jsonPatchOpErrors(patch: unknown[]): string[] {
  const out: string[] = [];
  patch.forEach((op, i) => {
    if (op === null || typeof op !== 'object' || Array.isArray(op)) return;
    for (const k of Object.keys(op)) {
      if (k !== 'op' && k !== 'path' && k !== 'from' && k !== 'value')
        out.push(`json patch ${unknownFieldError(`[${i}].${k}`)}`);
    }
  });
  return out;
}

/**
 * Unknown fields of an apply configuration. Upstream's field manager rejects them whatever the
 * directive (structuredmerge.go: `failed to create typed patch object (<ns>/<name>; <gvk>): .spec.foo:
 * field not declared in schema`), as a 500 there (kubernetes#122480, #139253); answered 400 here.
 */
export function checkAppliedFields(s: RequestScope, applied: KubeObject): void {
  const unknown = unknownOf(s, applied, { sorted: true });
  if (!unknown?.length) return;
  const errs = unknown.map((p) => `.${p}: field not declared in schema`);
  const gvk = `${s.desc.group}/${s.version}, Kind=${s.desc.kind}`;
  const nn = `${applied.metadata?.namespace ?? ''}/${applied.metadata?.name ?? ''}`;
  const detail = errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
  throw badRequest(`failed to create typed patch object (${nn}; ${gvk}): ${detail}`);
}
