/**
 * Typed decoding at every write: the request object is decoded into the kind's Go struct as
 * upstream does before anything else looks at it, so a type mismatch (`metadata.labels: "x"`) is
 * refused with upstream's status and text, and what Go normalises (null, integer Quantities) is
 * normalised. One call per decode point in write.ts:
 *
 * | where (upstream)                                  | decoder (src/api/typed)   | answer |
 * |---------------------------------------------------|---------------------------|--------|
 * | create/update body, JSON or YAML (create.go, update.go, transformDecodeError) | encoding/json | 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: json: cannot unmarshal ...` |
 * | JSON patch, merge patch result (patch.go jsonPatcher) | encoding/json         | 422 `"" is invalid: patch: Invalid value: "<patched JSON>": json: cannot unmarshal ...` |
 * | strategic merge patch result (patch.go applyPatchToObject) | FromUnstructured | 422 `"" is invalid: patch: Invalid value: "map[...]": cannot restore map from string` |
 * | apply configuration (fieldmanager structuredmerge.go) | structured-merge-diff | 400 `failed to create typed patch object (<ns>/<name>; <gvk>): .metadata.labels: expected map, got &{x}` (a 500 upstream) |
 * | apply result                                       | FromUnstructured          | 400 `failed to convert new object (...) to proper version: ...` (a 500 upstream) |
 *
 * Kinds without a schema table (ReplicaSet, StatefulSet, DaemonSet, NetworkPolicy, Lease, Node,
 * Event, PersistentVolume, custom resources ...) pass unchanged.
 *
 * A JSON create/update body's `1.0` for an int field is refused as Go refuses it (the token as
 * written, src/api/typed/raw-numbers.ts); in patches it is accepted (a whole float converts).
 * Known gap: named string types print as `string` unless listed in src/api/typed/gotypes.ts.
 *
 * @module
 */
import { ApiError, badRequest } from '../../api/errors.js';
import { applySchemaFor } from '../../api/patch/index.js';
import { messageDefFor } from '../../api/protobuf/index.js';
import { goQuote } from '../../api/typed/custom.js';
import { goV } from '../../api/typed/gofmt.js';
import { applyTypeErrors } from '../../api/typed/apply-validate.js';
import { decodeJsonTyped } from '../../api/typed/json-decode.js';
import { decodeUnstructuredTyped } from '../../api/typed/unstructured-decode.js';
import type { KubeObject } from '../../api/types.js';
import { findByKind } from '../../registry/index.js';
import { formatOf, rawJsonOf } from '../body.js';
import { parseKeepingNumbers, restoreNumbers } from '../../api/typed/raw-numbers.js';
import { servedApiVersion, type RequestScope } from './scope.js';

function rootKey(s: RequestScope): string | undefined {
  return messageDefFor(servedApiVersion(s), s.desc.kind)?.key;
}

const asRecord = (o: KubeObject): Record<string, unknown> => o as unknown as Record<string, unknown>;

/** JSON with object keys sorted, as Go re-encodes a patched map. */
export function sortedJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val !== null && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(
          Object.keys(val)
            .sort()
            .map((k) => [k, (val as Record<string, unknown>)[k]]),
        )
      : val,
  );
}

/**
 * `errors.NewInvalid(schema.GroupKind{}, "", field.Invalid(field.NewPath("patch"), value, detail))`:
 * 422 ` "" is invalid: patch: Invalid value: "<value>": <detail>` (the empty kind leaves a leading space).
 */
export function patchInvalid(value: string, detail: string): ApiError {
  const message = `Invalid value: ${goQuote(value)}: ${detail}`;
  return new ApiError(422, 'Invalid', ` "" is invalid: patch: ${message}`, {
    causes: [{ reason: 'FieldValueInvalid', message, field: 'patch' }],
  });
}

/**
 * A create or update body (JSON, YAML or protobuf), decoded as the JSON serializer does, into the
 * endpoint's kind or, for subresources that take another kind (Eviction, TokenRequest), into `as`.
 * A YAML body went through a Go map first, so its mismatches are looked for in sorted key order.
 * @throws ApiError 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: ...` on a mismatch.
 */
export function decodeTypedBody(
  s: RequestScope,
  obj: KubeObject,
  as?: { readonly apiVersion: string; readonly kind: string },
): void {
  if (as === undefined) checkBodyKind(s, obj);
  const apiVersion = as?.apiVersion ?? servedApiVersion(s);
  const kind = as?.kind ?? s.desc.kind;
  const key = messageDefFor(apiVersion, kind)?.key;
  if (key === undefined) return;
  const sorted = formatOf(s.ctx.req.headers['content-type']) === 'yaml';
  // A JSON body with `1.0`-like tokens is decoded from a parse that kept them as written.
  const raw = rawJsonOf(obj);
  const kept = raw === undefined ? undefined : parseKeepingNumbers(raw.toString('utf8'));
  const target =
    kept !== null && typeof kept === 'object' ? (kept as Record<string, unknown>) : asRecord(obj);
  const err = decodeJsonTyped(key, target, sorted);
  if (target !== asRecord(obj)) {
    restoreNumbers(target);
    for (const k of Object.keys(obj)) delete asRecord(obj)[k];
    Object.assign(obj, target);
  }
  if (err === undefined) return;
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  throw badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${err}`);
}

/**
 * A body of another kind of the same group version (a Secret sent to configmaps): upstream decodes
 * it as that kind, then fails to convert it into the endpoint's internal type (versioning codec ->
 * conversion.Converter): 400 `Secret in version "v1" cannot be handled as a ConfigMap: converting
 * (v1.Secret) to (core.ConfigMap): unknown conversion`. Kinds the server does not know keep
 * strategy.ts's text.
 */
function checkBodyKind(s: RequestScope, obj: KubeObject): void {
  const kind = obj.kind;
  if (typeof kind !== 'string' || kind === '' || kind === s.desc.kind) return;
  const av = obj.apiVersion;
  if (av !== undefined && av !== '' && av !== servedApiVersion(s)) return;
  if (findByKind(s.desc.group, kind) === undefined) return;
  const internal = s.desc.group === '' ? 'core' : s.desc.group.split('.')[0];
  throw badRequest(
    `${kind} in version ${JSON.stringify(s.version)} cannot be handled as a ${s.desc.kind}: converting (${s.version}.${kind}) to (${internal}.${s.desc.kind}): unknown conversion`,
  );
}

/**
 * A patched object (JSON, merge or strategic merge patch), decoded as patch.go does.
 * @throws ApiError 422 on a type mismatch.
 */
export function decodeTypedPatched(
  s: RequestScope,
  next: KubeObject,
  patch: unknown,
  kind: 'json' | 'merge' | 'strategic',
): void {
  const key = rootKey(s);
  if (key === undefined) return;
  if (kind === 'strategic') {
    const err = decodeUnstructuredTyped(key, asRecord(next));
    if (err !== undefined) throw patchInvalid(goV(patch), err);
    return;
  }
  const before = sortedJson(next);
  const err = decodeJsonTyped(key, asRecord(next), true);
  if (err !== undefined) throw patchInvalid(before, err);
}

function gvknn(s: RequestScope, obj: KubeObject): string {
  const nn = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
  return `${nn}; ${s.desc.group}/${s.version}, Kind=${s.desc.kind}`;
}

/**
 * An apply configuration, type-checked as structured-merge-diff converts it.
 * @throws ApiError 400 `failed to create typed patch object (...)` listing every error.
 */
export function checkTypedApplied(s: RequestScope, applied: KubeObject): void {
  const key = rootKey(s);
  if (key === undefined) return;
  const schema = applySchemaFor(s.desc.group, s.version, s.desc.kind);
  const errs = applyTypeErrors(key, asRecord(applied), schema);
  if (errs.length === 0) return;
  const detail = errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
  throw badRequest(`failed to create typed patch object (${gvknn(s, applied)}): ${detail}`);
}

/**
 * The object server-side apply produced, converted to the Go struct (and normalised).
 * @throws ApiError 400 for a value the schema check let through but Go cannot hold (`1.5` for an int32).
 */
export function decodeTypedApplyResult(s: RequestScope, obj: KubeObject): void {
  const key = rootKey(s);
  if (key === undefined) return;
  const err = decodeUnstructuredTyped(key, asRecord(obj));
  if (err === undefined) return;
  throw badRequest(`failed to convert new object (${gvknn(s, obj)}) to proper version: ${err}`);
}
