/**
 * @module apiextensions/schema
 *
 * The CustomResourceDefinition schema library: validation of a CRD version's openAPIV3Schema,
 * and, per compiled schema, pruning, defaulting and OpenAPI v3 + CEL validation of custom
 * resources. Ported from k8s.io/apiextensions-apiserver (pkg/apis/apiextensions/validation,
 * pkg/apiserver/schema/{pruning,defaulting,objectmeta,cel}, pkg/apiserver/validation).
 *
 * This file is the contract with the CRD server (branch crd-serve): names and signatures are
 * stable; additions only.
 */
import type { FieldError } from '../../api/errors.js';
import { compile } from './compile.js';
import { validateCrdSchemaImpl } from './crd-validation.js';

/** Thrown by compileSchema for a schema validateCrdSchema rejects (`.errors` holds the field errors). */
export { InvalidSchemaError } from './compile.js';

/** apiextensions.k8s.io/v1 JSONSchemaProps as JSON (openAPIV3Schema), including x-kubernetes-* keys. */
export type JSONSchemaProps = Record<string, unknown>;

/** Validates a CRD version's openAPIV3Schema as upstream's apiextensions validation does (structural
 *  schema rules, allowed keys, defaults valid against the schema, CEL rules compile, cost limits as
 *  far as practical). `path` is the field path prefix, e.g.
 *  "spec.versions[0].schema.openAPIV3Schema". Empty array = valid. */
export function validateCrdSchema(schema: JSONSchemaProps, path: string): FieldError[] {
  return validateCrdSchemaImpl(schema, path);
}

/** A schema compiled once per CRD version (cache it; compiling CEL is costly). Throws on a schema
 *  that validateCrdSchema rejects. */
export function compileSchema(schema: JSONSchemaProps): CompiledSchema {
  return compile(schema);
}

export interface CompiledSchema {
  /** Drops unknown fields in place (x-kubernetes-preserve-unknown-fields, embedded resources, and
   *  metadata at the root / embedded objects keep name, namespace, labels, annotations,
   *  generateName... as upstream's pruning does); returns the pruned paths (for fieldValidation
   *  warnings/Strict errors, formatted like `.spec.foo`). apiVersion/kind/metadata at the root are
   *  kept. */
  prune(obj: Record<string, unknown>): string[];
  /** Applies `default`s in place, as upstream's structural defaulting (after pruning). */
  applyDefaults(obj: Record<string, unknown>): void;
  /** OpenAPI v3 validation (type, format, enum, min/max, pattern, required, nullable,
   *  x-kubernetes-int-or-string, list-type set/map uniqueness, ...) plus the
   *  x-kubernetes-validations CEL rules (`self`, and `oldSelf` for transition rules on update when
   *  `old` is given; `message`, `messageExpression`, `reason`, `fieldPath`), with upstream's field
   *  paths and texts. The root's metadata is not validated here (the server does it). */
  validate(obj: Record<string, unknown>, old?: Record<string, unknown>): FieldError[];
}
