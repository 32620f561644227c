/**
 * The OpenAPI v2 (Swagger 2.0) document of `/openapi/v2`, generated from the same schema tables as
 * the v3 documents (./openapi.ts `componentSchemas`): kubectl 1.27/1.28 validate, explain and
 * compute strategic merge patches from it, and newer kubectl fall back to it.
 *
 * - `definitions`: every served kind (with `x-kubernetes-group-version-kind` as a list, as
 *   upstream, except the kinds without a schema table, whose minimal schemas would mislead
 *   kubectl's patch computation), its `<Kind>List`, and every type they reference, named as
 *   upstream. The v3 forms are
 *   rewritten to v2: `#/definitions/` references, `allOf: [{$ref}]` flattened to a `$ref` beside the
 *   description and extensions, Quantity a `string`, IntOrString a `string` of format
 *   `int-or-string`. Strategic-merge extensions (`x-kubernetes-patch-strategy`/`-merge-key`,
 *   list types) come from the patch tables through the v3 schemas.
 * - `paths`: upstream's operations per resource and version (./openapi-v2-paths.ts).
 *
 * @module
 */
import { allResources, groupVersions } from '../registry/index.js';
import {
  componentSchemas,
  kindSchemaName,
  messageKeyForKind,
  messageSchema,
  type OpenAPISchema,
} from './openapi.js';
import { META, V2_REF, pathsV2, sortKeys } from './openapi-v2-paths.js';

export { operationGroup, pathsV2 } from './openapi-v2-paths.js';

const V3_REF = '#/components/schemas/';

/** Rewrites one v3 schema (recursively) into its v2 form. */
export function toV2Schema(s: OpenAPISchema): OpenAPISchema {
  const out: OpenAPISchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(V3_REF, V2_REF);
    else if (
      k === 'allOf' &&
      Array.isArray(v) &&
      v.length === 1 &&
      typeof (v[0] as OpenAPISchema).$ref === 'string'
    )
      out.$ref = String((v[0] as OpenAPISchema).$ref).replace(V3_REF, V2_REF);
    else if (k === 'properties' && v && typeof v === 'object')
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, OpenAPISchema>).map(([n, p]) => [n, toV2Schema(p)]),
      );
    else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object')
      out[k] = toV2Schema(v as OpenAPISchema);
    else out[k] = v;
  }
  return out;
}

/** v2 forms of the special types whose v3 schema has no `type`. */
const V2_SPECIAL: Readonly<Record<string, OpenAPISchema>> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
};

/** Definitions the operations reference that no schema table holds (meta/v1 ListMeta, Status, Patch). */
function metaDefinitions(): Record<string, OpenAPISchema> {
  const str = { type: 'string' };
  return {
    [`${META}.ListMeta`]: {
      description:
        'ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}.',
      type: 'object',
      properties: {
        continue: str,
        remainingItemCount: { type: 'integer', format: 'int64' },
        resourceVersion: str,
        selfLink: str,
      },
    },
    [`${META}.Status`]: {
      description: "Status is a return value for calls that don't return other objects.",
      type: 'object',
      properties: {
        apiVersion: str,
        code: { type: 'integer', format: 'int32' },
        details: { type: 'object' },
        kind: str,
        message: str,
        metadata: { $ref: `${V2_REF}${META}.ListMeta` },
        reason: str,
        status: str,
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
    },
    [`${META}.Patch`]: {
      description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
      type: 'object',
    },
  };
}

function listDefinition(group: string, version: string, kind: string, listKind: string): OpenAPISchema {
  return {
    description: `${listKind} is a list of ${kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      items: { type: 'array', items: { $ref: `${V2_REF}${kindSchemaName(group, version, kind)}` } },
      kind: { type: 'string' },
      metadata: { $ref: `${V2_REF}${META}.ListMeta` },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: listKind, version }],
  };
}

function withoutGvk(s: OpenAPISchema): OpenAPISchema {
  const { 'x-kubernetes-group-version-kind': _gvk, ...rest } = s;
  return rest;
}

/** Every definition of the v2 document. */
export function definitionsV2(): Record<string, OpenAPISchema> {
  const out: Record<string, OpenAPISchema> = metaDefinitions();
  // The body of DELETE operations.
  for (const key of ['meta.v1.DeleteOptions', 'meta.v1.Preconditions'])
    out[`${META}.${key.slice('meta.v1.'.length)}`] = toV2Schema(messageSchema(key));
  for (const gv of groupVersions()) {
    for (const version of gv.versions) {
      for (const [name, schema] of Object.entries(componentSchemas(gv.group, version))) {
        if (Object.hasOwn(out, name)) continue;
        const special = Object.hasOwn(V2_SPECIAL, name) ? V2_SPECIAL[name] : undefined;
        const v2 = toV2Schema(schema);
        out[name] = special ? { ...(v2.description ? { description: v2.description } : {}), ...special } : v2;
      }
      for (const r of allResources) {
        if (r.group !== gv.group || !r.versions.includes(version)) continue;
        const kindName = kindSchemaName(r.group, version, r.kind);
        const listName = `${kindName.replace(/\.[^.]+$/, '')}.${r.listKind}`;
        if (!r.virtual) out[listName] ??= listDefinition(r.group, version, r.kind, r.listKind);
        if (!messageKeyForKind(r.group, version, r.kind)) {
          // A minimal schema (no protobuf table: spec/status are bare objects). Without its GVK
          // kubectl 1.27/1.28 find no model and compute apply patches from their built-in types,
          // as with an empty document, instead of warning "error calculating patch from openapi
          // spec" and falling back; `kubectl explain` of these kinds needs kubectl 1.29+ (v3).
          for (const n of [kindName, listName]) if (out[n]) out[n] = withoutGvk(out[n]);
        }
      }
    }
  }
  return sortKeys(out);
}

/** The whole Swagger 2.0 document. */
export function openapiV2Document(): OpenAPISchema {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths: pathsV2(),
    definitions: definitionsV2(),
    securityDefinitions: {
      BearerToken: {
        description: 'Bearer Token authentication',
        type: 'apiKey',
        name: 'authorization',
        in: 'header',
      },
    },
    security: [{ BearerToken: [] }],
  };
}
