/**
 * @module apiextensions/schema/compile
 *
 * {@link compile}: a CRD version's schema, checked once and turned into the per-request
 * operations of the contract (index.ts): prune, default, validate. Validation order follows
 * upstream's customResourceStrategy.Validate: OpenAPI schema validation, then the embedded
 * resources' apiVersion/kind/metadata, then list-type uniqueness, then CEL rules, which are
 * skipped (with `<nil>: Invalid value: null: some validation rules were not checked ...`) when an
 * earlier error is a type, enum, required, too-long or too-many one (hasBlockingErr). On update,
 * OpenAPI and CEL errors of values unchanged from the old object are ratcheted away
 * (CRDValidationRatcheting, on by default since Kubernetes 1.30).
 */
import { fieldErrorString, type FieldError } from '../../api/errors.js';
import { celValidatorFor } from './cel/validator.js';
import { validateCrdSchemaImpl } from './crd-validation.js';
import { applyDefaults, pruneNonNullableNulls } from './defaults.js';
import { validateEmbedded } from './embedded.js';
import type { CompiledSchema, JSONSchemaProps } from './index.js';
import { validateListTypes } from './list-type.js';
import { validateValue } from './openapi.js';
import { pruneObject } from './prune.js';
import { isObject, toStructural } from './structural.js';

const BLOCKING = new Set<FieldError['type']>([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);
const NOT_CHECKED: FieldError = {
  type: 'FieldValueInvalid',
  field: '<nil>',
  value: null,
  detail:
    'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
};

/** Thrown by compileSchema for a schema validateCrdSchema rejects. */
export class InvalidSchemaError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(`invalid schema: ${errors.map(fieldErrorString).join(', ')}`);
    this.name = 'InvalidSchemaError';
  }
}

export function compile(schema: JSONSchemaProps): CompiledSchema {
  const errs = validateCrdSchemaImpl(schema, 'openAPIV3Schema');
  if (errs.length > 0) throw new InvalidSchemaError(errs);
  const root = toStructural(schema);
  // the root metadata's schema may only restrict name and generateName (structural rules)
  const metaSchema = root.properties?.get('metadata')?.raw;
  const rootRaw: JSONSchemaProps = { ...schema };
  if (isObject(schema.properties) && 'metadata' in schema.properties) {
    const { metadata: _unused, ...rest } = schema.properties;
    void _unused;
    rootRaw.properties = rest;
  }
  const cel = celValidatorFor(root);
  return {
    prune: (obj) => pruneObject(obj, root),
    applyDefaults(obj) {
      pruneNonNullableNulls(obj, root);
      applyDefaults(obj, root);
    },
    validate(obj, old) {
      const out: FieldError[] = [];
      const { metadata, ...body } = obj;
      let oldBody: { v: unknown } | undefined;
      if (old) {
        const { metadata: _m, ...rest } = old;
        void _m;
        oldBody = { v: rest };
      }
      validateValue(body, rootRaw, '', out, oldBody);
      if (metaSchema && isObject(metadata) && isObject(metaSchema.properties)) {
        for (const k of ['name', 'generateName']) {
          const ks = metaSchema.properties[k];
          if (isObject(ks) && metadata[k] !== undefined) validateValue(metadata[k], ks, `metadata.${k}`, out);
        }
      }
      for (const e of out) if (e.field === '') e.field = '<nil>';
      validateEmbedded(obj, root, '', out);
      validateListTypes(obj, root, '', out);
      if (cel) {
        // hasBlockingErr (customResourceStrategy): CEL needs well-typed input
        if (out.some((e) => BLOCKING.has(e.type))) out.push(NOT_CHECKED);
        else out.push(...cel.validate(obj, old, ''));
      }
      return out;
    },
  };
}
