/**
 * OpenAPI v3 documents (`/openapi/v3` and `/openapi/v3/<api|apis/g>/<v>`), good enough for
 * `kubectl explain` (1.29+ renders explain from the v3 GV document) and for `kubectl apply`'s
 * server-side validation detection (kubectl-wire.md §7).
 *
 * Each GV document has:
 * - `paths`: per served resource, a PATCH operation on `.../<resource>/{name}` carrying the
 *   `fieldValidation` query parameter and `x-kubernetes-group-version-kind` (what kubectl's
 *   fieldValidation verifier and explain's GVR -> GVK lookup read); review-style (create-only)
 *   resources get a POST operation on the collection instead.
 * - `components.schemas`: the served kinds and every type they reference, generated from the
 *   protobuf decoder's schema tables (src/api/protobuf/schema: JSON names, scalar types, messages,
 *   maps, repeated and inline fields), named as upstream (`io.k8s.api.core.v1.Pod`,
 *   `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`). Scalars map to `string`, `boolean`,
 *   `integer` (`int32`/`int64`) and `string`/`byte`; references are `$ref`, or `allOf: [{$ref}]`
 *   when the field carries a description or extensions (as upstream v3 does). Special types follow
 *   upstream: Time/MicroTime are `date-time` strings, IntOrString and Quantity are
 *   `x-kubernetes-int-or-string`, RawExtension and FieldsV1 are `object`. Strategic-merge metadata
 *   (`x-kubernetes-patch-strategy`/`-merge-key`, `x-kubernetes-list-type`/`-map-keys`,
 *   `x-kubernetes-map-type`) comes from the patch tables (src/api/patch), so a kubectl that computes
 *   apply patches from this document merges lists as upstream does.
 * - Kinds without a protobuf schema (ReplicaSet, StatefulSet, DaemonSet, NetworkPolicy, Lease,
 *   Node, PersistentVolume, Event, ...) get a minimal schema: apiVersion, kind, ObjectMeta, and
 *   `spec`/`status` as plain objects.
 *
 * Only a few descriptions are published (openapi-docs.ts); `required` is not. Documents are built
 * once, on first request, and cached as Buffers.
 *
 * @module
 */
import { KINDS } from '../api/protobuf/kinds.js';
import { EXTRA_SCHEMAS } from '../api/protobuf/schema/extra/index.js';
import { GENERATED_SCHEMAS } from '../api/protobuf/schema/index.gen.js';
import { compileSchemas, type FieldDef, type MessageDef } from '../api/protobuf/schema/types.js';
import { strategicSchemaFor } from '../api/patch/schema-kinds.js';
import type { Schema as PatchSchema } from '../api/patch/schema.js';
import { allResources } from '../registry/index.js';
import type { ResourceDescriptor } from '../registry/index.js';
import { commonFieldDescription, FIELD_DESCRIPTIONS, TYPE_DESCRIPTIONS } from './openapi-docs.js';
import { customKindSchema, customSchemaName } from '../apiextensions/openapi-schema.js';
import { crdComponents } from '../apiextensions/crd-openapi.js';
import { isCrdResource } from '../apiextensions/crd-resource.js';

/** One OpenAPI schema object (JSON). */
export type OpenAPISchema = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

/** Schema-name prefixes of the apimachinery packages; API packages are `io.k8s.api.<pkg>`. */
const PACKAGE_PREFIX: Readonly<Record<string, string>> = {
  meta: 'io.k8s.apimachinery.pkg.apis.meta',
  resource: 'io.k8s.apimachinery.pkg.api.resource',
  intstr: 'io.k8s.apimachinery.pkg.util.intstr',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  apiregistration: 'io.k8s.kube-aggregator.pkg.apis.apiregistration',
  apiextensions: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions',
};

/** Upstream's schema name of a protobuf message key: `core.v1.Pod` -> `io.k8s.api.core.v1.Pod`. */
export function schemaName(messageKey: string): string {
  const dot = messageKey.indexOf('.');
  const pkg = messageKey.slice(0, dot);
  return `${PACKAGE_PREFIX[pkg] ?? `io.k8s.api.${pkg}`}${messageKey.slice(dot)}`;
}

/** Types whose JSON is not their message shape (special.ts), published as upstream does. */
const SPECIAL: Readonly<Record<string, OpenAPISchema>> = {
  'meta.v1.Time': { type: 'string', format: 'date-time' },
  'meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'meta.v1.Duration': { type: 'string' },
  'meta.v1.FieldsV1': { type: 'object' },
  'resource.Quantity': { 'x-kubernetes-int-or-string': true },
  'intstr.IntOrString': { format: 'int-or-string', 'x-kubernetes-int-or-string': true },
  'runtime.RawExtension': { type: 'object' },
};

/** Kinds that have no `spec`/`status`; their minimal schema has only apiVersion/kind/metadata. */
const NO_SPEC = new Set([
  'Binding',
  'ControllerRevision',
  'Endpoints',
  'Event',
  'PodTemplate',
  'StorageClass',
]);
/** Kinds with a `spec` but no `status`. */
const NO_STATUS = new Set(['IngressClass', 'Lease', 'NetworkPolicy']);

let compiled: ReadonlyMap<string, MessageDef> | undefined;
function messages(): ReadonlyMap<string, MessageDef> {
  compiled ??= compileSchemas([...GENERATED_SCHEMAS, ...EXTRA_SCHEMAS]);
  return compiled;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function withDescription(s: OpenAPISchema, description: string | undefined): OpenAPISchema {
  return description ? { description, ...s } : s;
}

/** The protobuf message of a served kind, or undefined when the decoder has no schema for it. */
export function messageKeyForKind(group: string, version: string, kind: string): string | undefined {
  const apiVersion = group ? `${group}/${version}` : version;
  const pkg = Object.hasOwn(KINDS, apiVersion) ? KINDS[apiVersion]!.pkg : undefined;
  const key = pkg ? `${pkg}.${kind}` : undefined;
  return key !== undefined && messages().has(key) && !Object.hasOwn(SPECIAL, key) ? key : undefined;
}

/** The upstream package segment of a group: `rbac.authorization.k8s.io` -> `rbac`, `` -> `core`. */
function groupPackage(group: string): string {
  return group === '' ? 'core' : group.slice(0, group.includes('.') ? group.indexOf('.') : undefined);
}

/** Schema name of a served kind (with or without a protobuf schema). */
export function kindSchemaName(group: string, version: string, kind: string): string {
  const key = messageKeyForKind(group, version, kind);
  const pkg = groupPackage(group);
  return key ? schemaName(key) : `${PACKAGE_PREFIX[pkg] ?? `io.k8s.api.${pkg}`}.${version}.${kind}`;
}

// ---- strategic-merge / apply metadata -------------------------------------------------------

type FieldExtensions = Map<string, Map<string, OpenAPISchema>>;

function patchExtensions(ps: PatchSchema, f: FieldDef): OpenAPISchema {
  const ext: OpenAPISchema = {};
  if (f.repeated) {
    if (ps.listType) ext['x-kubernetes-list-type'] = ps.listType;
    if (ps.listMapKeys) ext['x-kubernetes-list-map-keys'] = ps.listMapKeys;
    if (ps.patchStrategy) ext['x-kubernetes-patch-strategy'] = ps.patchStrategy;
    if (ps.patchMergeKey) ext['x-kubernetes-patch-merge-key'] = ps.patchMergeKey;
  } else if (ps.atomic) {
    ext['x-kubernetes-map-type'] = 'atomic';
  }
  return ext;
}

/** Walks a kind's patch schema alongside its message, recording extensions per message field. */
function collectExtensions(key: string, ps: PatchSchema | undefined, out: FieldExtensions): void {
  const def = messages().get(key);
  if (!ps?.fields || !def || Object.hasOwn(SPECIAL, key)) return;
  for (const f of def.fields) {
    if (f.inline && f.ref) {
      collectExtensions(f.ref, ps, out);
      continue;
    }
    const fs = Object.hasOwn(ps.fields, f.name) ? ps.fields[f.name] : undefined;
    if (!fs) continue;
    const ext = patchExtensions(fs, f);
    if (Object.keys(ext).length > 0) {
      let m = out.get(key);
      if (!m) out.set(key, (m = new Map()));
      if (!m.has(f.name)) m.set(f.name, ext);
    }
    if (f.ref) collectExtensions(f.ref, f.repeated || f.type === 'map' ? fs.elem : fs, out);
  }
}

let extensions: FieldExtensions | undefined;
function fieldExtensions(): FieldExtensions {
  if (extensions) return extensions;
  extensions = new Map();
  for (const r of allResources) {
    for (const v of r.versions) {
      const key = messageKeyForKind(r.group, v, r.kind);
      if (key) collectExtensions(key, strategicSchemaFor(r.group, v, r.kind), extensions);
    }
  }
  return extensions;
}

// ---- schemas ----------------------------------------------------------------------------------

function refTo(key: string): OpenAPISchema {
  return { $ref: REF_PREFIX + schemaName(key) };
}

/** The schema of one value of a field (an array item or map value for repeated fields and maps). */
function valueSchema(f: FieldDef): OpenAPISchema {
  if (f.ref) return refTo(f.ref);
  switch (f.type === 'map' ? f.mapValue : f.type) {
    case 'bool':
      return { type: 'boolean' };
    case 'int32':
      return { type: 'integer', format: 'int32' };
    case 'int64':
      return { type: 'integer', format: 'int64' };
    case 'bytes':
      return { type: 'string', format: 'byte' };
    default:
      return { type: 'string' };
  }
}

function fieldSchema(f: FieldDef, extra: OpenAPISchema): OpenAPISchema {
  let s = valueSchema(f);
  if (f.repeated) s = { type: 'array', items: s };
  else if (f.type === 'map') s = { type: 'object', additionalProperties: s };
  const decorated = Object.keys(extra).length > 0;
  if (decorated && s.$ref !== undefined) return { ...extra, allOf: [s] };
  return decorated ? { ...extra, ...s } : s;
}

/** Properties of a message in JSON order, inline (embedded) messages merged in. */
function properties(def: MessageDef, kind?: string): Record<string, OpenAPISchema> {
  const out: Record<string, OpenAPISchema> = {};
  const ext = fieldExtensions().get(def.key);
  for (const f of def.fields) {
    if (f.inline && f.ref) {
      const inner = messages().get(f.ref);
      if (inner) Object.assign(out, properties(inner));
      continue;
    }
    const description =
      FIELD_DESCRIPTIONS[`${def.key}.${f.name}`] ??
      (kind === undefined ? undefined : commonFieldDescription(f.name, kind));
    out[f.name] = fieldSchema(f, withDescription(ext?.get(f.name) ?? {}, description));
  }
  return out;
}

/** The component schema of a message that is not a top-level kind. */
export function messageSchema(key: string): OpenAPISchema {
  const description = TYPE_DESCRIPTIONS[lastSegment(key)];
  if (Object.hasOwn(SPECIAL, key)) return withDescription(SPECIAL[key]!, description);
  const def = messages().get(key);
  if (!def) throw new Error(`openapi: no message ${key}`);
  return withDescription({ type: 'object', properties: properties(def) }, description);
}

function typeMetaProperties(kind: string): Record<string, OpenAPISchema> {
  return {
    apiVersion: { description: commonFieldDescription('apiVersion', kind), type: 'string' },
    kind: { description: commonFieldDescription('kind', kind), type: 'string' },
  };
}

/** The component schema of a served kind, with its `x-kubernetes-group-version-kind`. */
export function kindSchema(group: string, version: string, kind: string): OpenAPISchema {
  const key = messageKeyForKind(group, version, kind);
  let props: Record<string, OpenAPISchema>;
  if (key) {
    props = { ...typeMetaProperties(kind), ...properties(messages().get(key)!, kind) };
  } else {
    props = typeMetaProperties(kind);
    props.metadata = {
      description: commonFieldDescription('metadata', kind),
      allOf: [refTo('meta.v1.ObjectMeta')],
    };
    if (!NO_SPEC.has(kind)) {
      for (const f of NO_STATUS.has(kind) ? ['spec'] : ['spec', 'status']) {
        props[f] = { description: commonFieldDescription(f, kind), type: 'object' };
      }
    }
  }
  return withDescription(
    {
      type: 'object',
      properties: props,
      'x-kubernetes-group-version-kind': [{ group, kind, version }],
    },
    TYPE_DESCRIPTIONS[kind],
  );
}

/** Message keys referenced (transitively) by the given roots; inline messages are not listed. */
function reachable(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string, listed: boolean): void => {
    if (listed && seen.has(key)) return;
    if (listed) seen.add(key);
    if (Object.hasOwn(SPECIAL, key)) return;
    for (const f of messages().get(key)?.fields ?? []) {
      if (f.ref) visit(f.ref, !f.inline);
    }
  };
  for (const r of roots) visit(r, true);
  return seen;
}

export function servedKinds(
  group: string,
  version: string,
  resources: readonly ResourceDescriptor[],
): ResourceDescriptor[] {
  return resources.filter((r) => r.group === group && r.versions.includes(version));
}

/** `components.schemas` of one group version: its kinds and everything they reference. */
export function componentSchemas(
  group: string,
  version: string,
  resources: readonly ResourceDescriptor[] = allResources,
): Record<string, OpenAPISchema> {
  const kinds = servedKinds(group, version, resources);
  const roots: string[] = [];
  const out: Record<string, OpenAPISchema> = {};
  for (const r of kinds) {
    if (r.custom) {
      out[customSchemaName(group, version, r.kind)] = customKindSchema(r, version);
      continue;
    }
    if (isCrdResource(r)) {
      Object.assign(out, crdComponents());
      continue;
    }
    out[kindSchemaName(group, version, r.kind)] = kindSchema(group, version, r.kind);
    const key = messageKeyForKind(group, version, r.kind);
    if (key) roots.push(key);
  }
  if (kinds.some((r) => !messageKeyForKind(group, version, r.kind))) roots.push('meta.v1.ObjectMeta');
  for (const key of reachable(roots)) {
    const name = schemaName(key);
    if (!Object.hasOwn(out, name)) out[name] = messageSchema(key);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
