/**
 * @module registry/validation
 *
 * Generic object-metadata validation, as upstream's ValidateObjectMetaAccessor and
 * ValidateObjectMetaUpdate (staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go) plus
 * the field.Error constructors (apimachinery/pkg/util/validation/field/errors.go) the per-kind
 * validators share. Field paths are rendered as upstream's field.Path (`spec.containers[0].name`,
 * `data[key]`).
 */
import type { FieldError } from '../api/errors.js';
import type { KubeObject, ObjectMeta } from '../api/types.js';
import { isConfigMapKey, isDNS1123Label, isQualifiedName, isValidLabelValue, validateName } from './names.js';
import type { ResourceDescriptor, ValidationContext } from './types.js';

/** field.Required. */
export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail,
});
/** field.Invalid. */
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
/** field.NotSupported: detail `supported values: "a", "b"` (in the order given). */
export const notSupported = (field: string, value: unknown, valid: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: valid.length ? `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}` : '',
});
/** field.Duplicate. */
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
});
/** field.Forbidden. */
export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});
/** field.TooLong ("must have at most N bytes"). */
export const tooLong = (field: string, max: number): FieldError => ({
  type: 'FieldValueTooLong',
  field,
  detail: `must have at most ${max} bytes`,
});

/** ValidateImmutableField: `field is immutable` when the JSON values differ. */
export function immutable(field: string, newValue: unknown, oldValue: unknown): FieldError[] {
  return JSON.stringify(newValue ?? null) === JSON.stringify(oldValue ?? null)
    ? []
    : [invalid(field, newValue, 'field is immutable')];
}

/** The DNS-1123 label check as field errors (ValidateDNS1123Label). */
export const dnsLabelErrors = (field: string, v: string): FieldError[] =>
  isDNS1123Label(v).map((m) => invalid(field, v, m));

/** `path[key]`, as field.Path.Key. */
export const keyPath = (path: string, key: string): string => `${path}[${key}]`;

/** Total annotation size limit (TotalAnnotationSizeLimitB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateLabels: every key a qualified name, every value a valid label value. */
export function validateLabels(labels: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(field, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(invalid(field, v, m));
  }
  return errs;
}

/** ValidateAnnotations: qualified-name keys (case-insensitive), total size ≤ 256 KiB. */
export function validateAnnotations(
  annotations: Record<string, string> | undefined,
  field: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(field, k, m));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(meta: ObjectMeta, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of meta.ownerReferences ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    if (!version) errs.push(invalid(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(`${field}.kind`, ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errs.push(invalid(`${field}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(`${field}.uid`, ref.uid ?? '', 'must not be empty'));
    if (ref.controller === true) controllers.push(`${ref.kind}/${ref.name}`);
  }
  if (controllers.length > 1) {
    errs.push(
      invalid(
        field,
        meta.ownerReferences,
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`,
      ),
    );
  }
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** ValidateFinalizers with the core rule: unqualified names must be standard ones. */
function validateFinalizers(finalizers: string[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    for (const m of isQualifiedName(f)) errs.push(invalid(field, f, m));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid(field, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

/**
 * Validates `metadata` of a create (ctx.old undefined) or update. On create: name (or
 * generateName) syntax per `desc.nameValidation`, namespace presence per scope, generation,
 * labels, annotations, owner references, finalizers. On update additionally: resourceVersion
 * present, generation not decremented, name/namespace/uid/creationTimestamp immutable.
 *
 * Expects the generic layer to have generated the name from generateName and, for an
 * unconditional update, filled in the current resourceVersion, as upstream does before validating.
 */
export function validateObjectMeta(
  obj: KubeObject,
  desc: ResourceDescriptor,
  ctx: ValidationContext = {},
): FieldError[] {
  const meta: ObjectMeta = obj.metadata ?? {};
  const rule = desc.nameValidation ?? 'subdomain';
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const m of validateName(rule, meta.generateName, true)) {
      errs.push(invalid('metadata.generateName', meta.generateName, m));
    }
  }
  if (!meta.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else
    for (const m of validateName(rule, meta.name, false)) errs.push(invalid('metadata.name', meta.name, m));
  if (desc.namespaced) {
    if (!meta.namespace) errs.push(required('metadata.namespace'));
    else
      for (const m of isDNS1123Label(meta.namespace))
        errs.push(invalid('metadata.namespace', meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));

  const old = ctx.old?.metadata;
  if (old) {
    if (!meta.resourceVersion) {
      errs.push(
        invalid('metadata.resourceVersion', meta.resourceVersion ?? '', 'must be specified for an update'),
      );
    }
    if ((meta.generation ?? 0) < (old.generation ?? 0)) {
      errs.push(invalid('metadata.generation', meta.generation ?? 0, 'must not be decremented'));
    }
    errs.push(...immutable('metadata.name', meta.name ?? '', old.name ?? ''));
    errs.push(...immutable('metadata.namespace', meta.namespace ?? '', old.namespace ?? ''));
    errs.push(...immutable('metadata.uid', meta.uid ?? '', old.uid ?? ''));
    errs.push(
      ...immutable(
        'metadata.creationTimestamp',
        meta.creationTimestamp ?? null,
        old.creationTimestamp ?? null,
      ),
    );
  }
  return errs;
}

/** ConfigMap/Secret-style data keys: `field[key]: Invalid value: "key": <msg>`. */
export function validateDataKeys(data: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data !== null && typeof data === 'object' ? data : {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(keyPath(field, k), k, m));
  }
  return errs;
}
