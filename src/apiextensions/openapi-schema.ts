/**
 * @module apiextensions/openapi-schema
 *
 * The OpenAPI v3 component of a custom resource kind, as apiextensions-apiserver's openapi
 * builder publishes it (pkg/controller/openapi/builder): named `<reversed group>.<version>.<Kind>`
 * (`com.example.v1.Widget`), the CRD version's openAPIV3Schema with apiVersion, kind and an
 * ObjectMeta reference at the root (what the schema says of metadata is not published), and the
 * `x-kubernetes-group-version-kind` extension `kubectl explain` resolves kinds by.
 */
import { commonFieldDescription } from '../apiserver/openapi-docs.js';
import type { ResourceDescriptor } from '../registry/types.js';

type OpenAPISchema = Record<string, unknown>;

const OBJECT_META_REF = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** `example.com`, v1, Widget -> `com.example.v1.Widget`. */
export function customSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

export function customKindSchema(d: ResourceDescriptor, version: string): OpenAPISchema {
  const schema = d.custom?.schema(version) ?? {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
  };
  const { properties, ...rest } = schema as { properties?: Record<string, OpenAPISchema> };
  const own = { ...(properties ?? {}) };
  delete own.apiVersion;
  delete own.kind;
  delete own.metadata;
  return {
    ...rest,
    type: 'object',
    properties: {
      apiVersion: { description: commonFieldDescription('apiVersion', d.kind), type: 'string' },
      kind: { description: commonFieldDescription('kind', d.kind), type: 'string' },
      metadata: {
        description: commonFieldDescription('metadata', d.kind),
        allOf: [{ $ref: OBJECT_META_REF }],
      },
      ...own,
    },
    'x-kubernetes-group-version-kind': [{ group: d.group, kind: d.kind, version }],
  };
}
