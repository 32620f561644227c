/**
 * @module apiextensions/schema/paths
 *
 * field.Path rendering (k8s.io/apimachinery/pkg/util/validation/field/path.go): `a.b`, `a[0]`,
 * `a[key]`, plus the field.Error constructors this library needs.
 */
import type { FieldError } from '../../api/errors.js';

export const childPath = (p: string, name: string): string => (p ? `${p}.${name}` : name);
export const keyPath = (p: string, key: string): string => `${p}[${key}]`;
export const indexPath = (p: string, i: number): string => `${p}[${i}]`;

export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  detail,
});
export const invalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const forbidden = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});
export const notSupported = (field: string, value: unknown, valid: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
});
