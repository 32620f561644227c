/**
 * The list/map semantics of built-in kinds, shared by strategic merge patch (SMP) and server-side
 * apply (SSA) so the two agree.
 *
 * Each field carries both views upstream keeps in k8s.io/api struct tags and markers:
 * - SMP: `patchStrategy` / `patchMergeKey` tags (read by
 *   k8s.io/apimachinery/pkg/util/strategicpatch via reflection);
 * - SSA: `+listType` / `+listMapKey` / `+mapType` / `+structType` markers (compiled into the
 *   OpenAPI schema that sigs.k8s.io/structured-merge-diff uses).
 * Anything not described is "deduced" as SMD does for unknown fields: objects are granular
 * structs, lists are atomic; SMP merges objects and replaces lists.
 *
 * `retainKeys` is deliberately not recorded: the server honours a `$retainKeys` directive
 * wherever it appears (only clients consult the strategy when building patches).
 */
import type { JsonValue } from '../types.js';

export interface Schema {
  /** Known fields of a struct; other fields use the deduced schema. */
  fields?: Record<string, Schema>;
  /** Item schema of a list, or value schema of a `map[string]T`. */
  elem?: Schema;
  /** SSA list semantics (`+listType`); lists without one are atomic. */
  listType?: 'atomic' | 'map' | 'set';
  /** `+listMapKey` values, in declaration order. */
  listMapKeys?: string[];
  /** Defaults of key fields (`+default`), used when an item omits them (e.g. protocol TCP). */
  keyDefaults?: Record<string, JsonValue>;
  /** SSA: a struct or map owned as a whole (`+structType=atomic`, `+mapType=atomic`). */
  atomic?: boolean;
  /** SMP `patchStrategy` (retainKeys omitted, see the file header). */
  patchStrategy?: 'merge' | 'replace';
  /** SMP `patchMergeKey` (lists of objects with the merge strategy). */
  patchMergeKey?: string;
  /**
   * Go always serializes the field (a non-omitempty struct, or a nil slice as null), so an
   * empty object of the kind already has it; managed-fields comparison treats it as present.
   */
  always?: 'object' | 'null';
}

export function struct(fields: Record<string, Schema>, extra: Partial<Schema> = {}): Schema {
  return { fields, ...extra };
}

/** A struct that always serializes (non-pointer, non-omitempty Go struct field). */
export function valueStruct(fields: Record<string, Schema> = {}, extra: Partial<Schema> = {}): Schema {
  return { fields, always: 'object', ...extra };
}

/**
 * `+listType=map +listMapKey=...` with `patchStrategy:"merge" patchMergeKey:<smpKey>`.
 * smpKey defaults to the first map key; `false` means the list has no SMP strategy (replaced).
 */
export function mapList(
  keys: string[],
  elem: Schema = {},
  smpKey?: string | false,
  extra: Partial<Schema> = {},
): Schema {
  const s: Schema = { listType: 'map', listMapKeys: keys, elem, ...extra };
  if (smpKey !== false) {
    s.patchStrategy = 'merge';
    s.patchMergeKey = smpKey ?? keys[0];
  }
  return s;
}

/** `+listType=set`, with `patchStrategy:"merge"` unless `smp` is false. */
export function setList(smp = true): Schema {
  return smp ? { listType: 'set', patchStrategy: 'merge' } : { listType: 'set' };
}

/** `+listType=atomic` but SMP-merged by key (e.g. Job conditions, Pod hostIPs). */
export function atomicMergeList(smpKey: string, elem: Schema = {}): Schema {
  return { listType: 'atomic', patchStrategy: 'merge', patchMergeKey: smpKey, elem };
}

export const atomicList: Schema = { listType: 'atomic' };
export const atomicStruct: Schema = { atomic: true };
/** metav1.Condition / <Kind>Condition lists: merge key `type` in both views. */
export const conditions: Schema = mapList(['type']);

/** metav1.LabelSelector is `+structType=atomic`. */
export const labelSelector: Schema = atomicStruct;

export const objectMeta: Schema = valueStruct({
  labels: {},
  annotations: {},
  ownerReferences: mapList(['uid']),
  finalizers: setList(),
  managedFields: atomicList,
  creationTimestamp: { always: 'null' },
});

/** The schema of a field (or map value) of `s`; undefined means deduced. */
export function fieldSchema(s: Schema | undefined, key: string): Schema | undefined {
  if (s === undefined) return undefined;
  if (s.fields && Object.prototype.hasOwnProperty.call(s.fields, key)) return s.fields[key];
  return s.fields ? undefined : s.elem;
}

/** SMP strategy and merge key of a list schema. */
export function smpOf(s: Schema | undefined): { strategy: string; mergeKey: string } {
  return { strategy: s?.patchStrategy ?? '', mergeKey: s?.patchMergeKey ?? '' };
}
