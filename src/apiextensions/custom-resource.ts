/**
 * @module apiextensions/custom-resource
 *
 * Builds the ResourceDescriptor that serves a CRD's custom resources, as upstream's crdHandler
 * (apiextensions-apiserver/pkg/apiserver/customresource_handler.go) builds its per-version
 * storage: the accepted names, the served versions in kube-aware order (preferred first), the
 * storage version, the CR verbs in upstream's discovery order, and per version: the compiled
 * schema (pruning, defaulting, validation incl. CEL, from ./schema), the status and scale
 * subresources, the Table columns from additionalPrinterColumns (./printer.ts) and the
 * selectableFields as field selectors.
 */
import type { FieldError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { compareKubeVersions } from '../registry/index.js';
import { scaleSub, statusSub } from '../registry/resources/common.js';
import type { CustomResourceFacts, ResourceDescriptor } from '../registry/types.js';
import type { Schema } from '../api/patch/schema.js';
import { applySchemaOf } from './apply-schema.js';
import { evalJsonPath, parseJsonPath } from './jsonpath.js';
import { customTable } from './printer.js';
import { compileSchema, type CompiledSchema } from './schema/index.js';
import { specOf, statusOf, type Crd, type CrdVersion } from './types.js';

/** Discovery verbs of a custom resource, in the order upstream's discovery controller lists them. */
export const CR_VERBS: readonly string[] = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
];

/** What discovery lists while the CRD is terminating (the discovery controller's reduced set). */
const TERMINATING_VERBS: string[] = ['delete', 'deletecollection', 'get', 'list', 'watch'];

function selectableField(path: string): (obj: KubeObject) => string {
  const compiled = parseJsonPath(path);
  return (obj) => {
    const v = evalJsonPath(compiled, obj)[0];
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return '';
  };
}

interface VersionServing {
  schema?: Record<string, unknown>;
  compiled?: CompiledSchema;
  desc: ResourceDescriptor;
  apply?: Schema;
  warning?: string;
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
}

/**
 * The descriptor for an Established CRD. `terminating` reports whether the CRD is being deleted
 * (creates are then refused).
 */
export function customResourceDescriptor(crd: Crd, terminating: () => boolean): ResourceDescriptor {
  const spec = specOf(crd);
  // Served under the accepted names only: a requested name that conflicts is not served.
  const accepted = statusOf(crd).acceptedNames;
  const names = accepted?.plural && accepted.kind ? accepted : (spec.names ?? {});
  const group = spec.group ?? '';
  const kind = names.kind ?? '';
  const all: CrdVersion[] = Array.isArray(spec.versions) ? spec.versions : [];
  const served = all
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .map((v) => v.name!)
    .sort(compareKubeVersions);
  const storageVersion = all.find((v) => v.storage === true)?.name ?? served[0] ?? 'v1';
  const perVersion = new Map<string, VersionServing>();

  const facts: CustomResourceFacts = {
    crdName: crd.metadata?.name ?? '',
    storageVersion,
    forVersion: (v) => perVersion.get(v)?.desc ?? base,
    schema: (v) => perVersion.get(v)?.schema,
    prune: (v, obj) => (perVersion.get(v)?.compiled?.prune(obj) ?? []).map((p) => p.replace(/^\./, '')),
    scale: (v) => perVersion.get(v)?.scale,
    applySchema: (v) => perVersion.get(v)?.apply,
    warning: (v) => perVersion.get(v)?.warning,
    terminating,
    discoveryVerbs: () => (terminating() ? TERMINATING_VERBS : base.verbs),
  };
  const base: ResourceDescriptor = {
    group,
    versions: served,
    resource: names.plural ?? '',
    singular: names.singular ?? kind.toLowerCase(),
    kind,
    listKind: names.listKind ?? `${kind}List`,
    namespaced: spec.scope === 'Namespaced',
    shortNames: names.shortNames?.length ? [...names.shortNames] : undefined,
    categories: names.categories?.length ? [...names.categories] : undefined,
    verbs: [...CR_VERBS],
    subresources: [],
    tracksGeneration: true,
    storageKind: { group, version: storageVersion, kind },
    custom: facts,
  };

  for (const v of all) {
    if (!v.name || !served.includes(v.name)) continue;
    const schema = v.schema?.openAPIV3Schema;
    let compiled: CompiledSchema | undefined;
    try {
      compiled = schema ? compileSchema(schema) : undefined;
    } catch {
      compiled = undefined; // validation refused such a CRD; serve it without a schema rather than crash
    }
    const hasStatus = v.subresources?.status !== undefined && v.subresources.status !== null;
    const sc = v.subresources?.scale;
    const scale =
      sc?.specReplicasPath && sc.statusReplicasPath
        ? {
            specReplicasPath: sc.specReplicasPath,
            statusReplicasPath: sc.statusReplicasPath,
            labelSelectorPath: sc.labelSelectorPath || undefined,
          }
        : undefined;
    const fieldSelectors: Record<string, (obj: KubeObject) => string> = {};
    for (const f of v.selectableFields ?? []) {
      if (typeof f?.jsonPath === 'string' && f.jsonPath.startsWith('.'))
        fieldSelectors[f.jsonPath.slice(1)] = selectableField(f.jsonPath);
    }
    const desc: ResourceDescriptor = {
      ...base,
      subresources: [...(hasStatus ? [statusSub(kind)] : []), ...(scale ? [scaleSub()] : [])],
      hasStatus,
      table: customTable(v.additionalPrinterColumns ?? []),
      fieldSelectors: Object.keys(fieldSelectors).length ? fieldSelectors : undefined,
      defaults: compiled ? (obj) => compiled.applyDefaults(obj) : undefined,
      validate: compiled ? (obj, ctx): FieldError[] => compiled.validate(obj, ctx.old) : undefined,
    };
    // customresource_handler.go: a deprecated version warns with its text or the default one.
    const warning = v.deprecated
      ? (v.deprecationWarning ?? `${group}/${v.name} ${kind} is deprecated`)
      : undefined;
    perVersion.set(v.name, { schema, compiled, desc, scale, apply: applySchemaOf(schema), warning });
  }
  return base;
}
