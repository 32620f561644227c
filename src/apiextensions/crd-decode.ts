/**
 * @module apiextensions/crd-decode
 *
 * The type checks decoding a CRD into its Go structs makes: a field of the wrong JSON type is a
 * 400 with encoding/json's text (`CustomResourceDefinition in version "v1" cannot be handled as a
 * CustomResourceDefinition: json: cannot unmarshal number into Go struct field
 * CustomResourceDefinitionNames.spec.names.plural of type string`), before defaults and
 * validation look at the object. The openAPIV3Schema's inside is the schema library's business.
 */
import { badRequest } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';

type T =
  | 'string'
  | 'bool'
  | 'int32'
  | 'any'
  | { struct: string; fields: Record<string, T> }
  | { array: T; goType: string }
  | { map: true; goType: string };

const strings = (goType = '[]string'): T => ({ array: 'string', goType });
const obj = (struct: string, fields: Record<string, T>): T => ({ struct, fields });

const names = obj('CustomResourceDefinitionNames', {
  plural: 'string',
  singular: 'string',
  shortNames: strings(),
  kind: 'string',
  listKind: 'string',
  categories: strings(),
});

const column = obj('CustomResourceColumnDefinition', {
  name: 'string',
  type: 'string',
  format: 'string',
  description: 'string',
  priority: 'int32',
  jsonPath: 'string',
});

const version = obj('CustomResourceDefinitionVersion', {
  name: 'string',
  served: 'bool',
  storage: 'bool',
  deprecated: 'bool',
  deprecationWarning: 'string',
  schema: obj('CustomResourceValidation', { openAPIV3Schema: { map: true, goType: 'v1.JSONSchemaProps' } }),
  subresources: obj('CustomResourceSubresources', {
    status: { map: true, goType: 'v1.CustomResourceSubresourceStatus' },
    scale: obj('CustomResourceSubresourceScale', {
      specReplicasPath: 'string',
      statusReplicasPath: 'string',
      labelSelectorPath: 'string',
    }),
  }),
  additionalPrinterColumns: { array: column, goType: '[]v1.CustomResourceColumnDefinition' },
  selectableFields: { array: obj('SelectableField', { jsonPath: 'string' }), goType: '[]v1.SelectableField' },
});

const SPEC: T = obj('CustomResourceDefinitionSpec', {
  group: 'string',
  names,
  scope: 'string',
  versions: { array: version, goType: '[]v1.CustomResourceDefinitionVersion' },
  conversion: obj('CustomResourceConversion', { strategy: 'string', webhook: 'any' }),
  preserveUnknownFields: 'bool',
});

const STATUS: T = obj('CustomResourceDefinitionStatus', {
  conditions: {
    array: obj('CustomResourceDefinitionCondition', {
      type: 'string',
      status: 'string',
      lastTransitionTime: 'string',
      reason: 'string',
      message: 'string',
    }),
    goType: '[]v1.CustomResourceDefinitionCondition',
  },
  acceptedNames: names,
  storedVersions: strings(),
});

function jsonType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v; // string, number
}

function goTypeOf(t: T): string {
  if (typeof t === 'string') return t;
  if ('struct' in t) return `v1.${t.struct}`;
  return t.goType;
}

/** Throws the decoder's 400 for the first field of `spec` or `status` with a wrong JSON type. */
export function checkCrdTypes(o: KubeObject): void {
  const fail = (v: unknown, parent: string, path: string, t: T): never => {
    throw badRequest(
      `CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: json: cannot unmarshal ${jsonType(v)} into Go struct field ${parent}.${path} of type ${goTypeOf(t)}`,
    );
  };
  const walk = (v: unknown, t: T, parent: string, path: string): void => {
    if (v === null || v === undefined || t === 'any') return;
    if (t === 'string') return void (typeof v !== 'string' && fail(v, parent, path, t));
    if (t === 'bool') return void (typeof v !== 'boolean' && fail(v, parent, path, t));
    if (t === 'int32')
      return void ((typeof v !== 'number' || !Number.isInteger(v)) && fail(v, parent, path, t));
    if ('map' in t) return void ((typeof v !== 'object' || Array.isArray(v)) && fail(v, parent, path, t));
    if ('array' in t) {
      if (!Array.isArray(v)) fail(v, parent, path, t);
      (v as unknown[]).forEach((e) => walk(e, t.array, parent, path));
      return;
    }
    if (typeof v !== 'object' || Array.isArray(v)) fail(v, parent, path, t);
    for (const [k, ft] of Object.entries(t.fields)) {
      const child = (v as Record<string, unknown>)[k];
      walk(child, ft, t.struct, `${path}.${k}`);
    }
  };
  walk(o.spec, SPEC, 'CustomResourceDefinition', 'spec');
  walk(o.status, STATUS, 'CustomResourceDefinition', 'status');
}
