/**
 * @module apiextensions/schema/prune
 *
 * Pruning of unknown fields, as upstream's pkg/apiserver/schema/pruning/algorithm.go
 * (PruneWithOptions with ReturnPruned), followed by the ObjectMeta coercion of
 * pkg/apiserver/schema/objectmeta (GetObjectMetaWithOptions at the root, CoerceWithOptions for
 * embedded resources): `metadata` keeps only the fields ObjectMeta declares.
 *
 * - `x-kubernetes-preserve-unknown-fields: true` keeps unknown keys but still prunes inside the
 *   specified properties / additionalProperties (skipPrune).
 * - At the root and in `x-kubernetes-embedded-resource: true` objects, `apiVersion`, `kind` and
 *   `metadata` are never pruned by the schema walk.
 *
 * Paths are reported as upstream builds them (`spec.foo`, `spec.list[0].bar`), with a leading `.`
 * (`.spec.foo`) as the contract in index.ts asks. Root-metadata paths come first, then the sorted
 * pruned paths, then embedded-metadata paths, in upstream's order.
 */
import { additionalSchema, isObject, type Structural } from './structural.js';

const META_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** The JSON fields of metav1.ObjectMeta. */
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

interface Walk {
  pruned: string[];
  embeddedMeta: string[];
  /** Whether to coerce embedded resources' metadata (objectmeta.Coerce). */
  coerce: boolean;
}

const join = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

function pruneValue(x: unknown, s: Structural | undefined, path: string, w: Walk, root: boolean): void {
  if (s?.preserveUnknownFields) {
    skipPrune(x, s, path, w, root);
    return;
  }
  if (Array.isArray(x)) {
    x.forEach((v, i) => pruneValue(v, s?.items, `${path}[${i}]`, w, false));
    return;
  }
  if (!isObject(x)) return;
  if (!s) {
    for (const k of Object.keys(x)) {
      w.pruned.push(join(path, k));
      delete x[k];
    }
    return;
  }
  const embedded = root || s.embeddedResource;
  if (embedded && !root && w.coerce) coerceMeta(x, path, w.embeddedMeta);
  const add = additionalSchema(s);
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const prop = s.properties?.get(k);
    if (prop) pruneValue(x[k], prop, join(path, k), w, false);
    else if (add) pruneValue(x[k], add, join(path, k), w, false);
    else {
      if (!META_FIELDS.has(k) || path !== '') w.pruned.push(join(path, k));
      delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: Structural, path: string, w: Walk, root: boolean): void {
  if (Array.isArray(x)) {
    x.forEach((v, i) => pruneValue(v, s.items, `${path}[${i}]`, w, false));
    return;
  }
  if (!isObject(x)) return;
  const embedded = root || s.embeddedResource;
  if (embedded && !root && w.coerce) coerceMeta(x, path, w.embeddedMeta);
  const add = additionalSchema(s);
  for (const k of Object.keys(x)) {
    if (embedded && META_FIELDS.has(k)) continue;
    const prop = s.properties?.get(k);
    if (prop) pruneValue(x[k], prop, join(path, k), w, false);
    else if (add) pruneValue(x[k], add, join(path, k), w, false);
  }
}

/** Drops the keys of `obj.metadata` that ObjectMeta does not declare; records `<path>.metadata.k`. */
function coerceMeta(obj: Record<string, unknown>, path: string, out: string[]): void {
  const meta = obj.metadata;
  if (!isObject(meta)) return;
  for (const k of Object.keys(meta)) {
    if (OBJECT_META_FIELDS.has(k)) continue;
    out.push(join(join(path, 'metadata'), k));
    delete meta[k];
  }
}

/**
 * Upstream's PruneWithOptions(obj, s, isResourceRoot, {ReturnPruned: true}): prunes `x` in place
 * and returns the sorted pruned paths (`spec.foo`, `[1].b`). Metadata is not coerced.
 */
export function prune(x: unknown, s: Structural | undefined, isResourceRoot: boolean): string[] {
  const w: Walk = { pruned: [], embeddedMeta: [], coerce: false };
  pruneValue(x, isResourceRoot ? (s ?? EMPTY_ROOT) : s, '', w, isResourceRoot);
  return w.pruned.sort();
}

/**
 * Prunes `obj` (a resource root) in place against `s` and coerces the root's and embedded
 * resources' metadata; returns the paths with a leading dot. `s` undefined prunes everything
 * but apiVersion, kind and metadata.
 */
export function pruneObject(obj: Record<string, unknown>, s: Structural | undefined): string[] {
  const rootMeta: string[] = [];
  coerceMeta(obj, '', rootMeta);
  const w: Walk = { pruned: [], embeddedMeta: [], coerce: true };
  pruneValue(obj, s ?? EMPTY_ROOT, '', w, true);
  w.pruned.sort();
  return [...rootMeta, ...w.pruned, ...w.embeddedMeta].map((p) => `.${p}`);
}

const EMPTY_ROOT: Structural = {
  type: '',
  format: '',
  nullable: false,
  hasDefault: false,
  preserveUnknownFields: false,
  embeddedResource: false,
  intOrString: false,
  validations: [],
  raw: {},
};
