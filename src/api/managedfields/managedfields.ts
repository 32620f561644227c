/**
 * `metadata.managedFields` bookkeeping for create, update and patch (operation `Update`), after
 * k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager (FieldManager.Update,
 * internal/managedfields.go, internal/stripmeta.go, internal/managedfieldsupdater.go) and
 * sigs.k8s.io/structured-merge-diff merge/update.go (Updater.Update).
 *
 * The fields a write changed (added or modified, compared with the old object) become owned by
 * the writer's entry (manager + operation + apiVersion + subresource); other managers lose them,
 * and every manager loses fields the write removed. Entries left empty are dropped. The entry's
 * time moves only when the writer changed something. Entries are written sorted as upstream does
 * (operation, time, manager, apiVersion, subresource).
 *
 * Update entries beyond 10 are folded into "ancient-changes" (./capmanagers.ts). As upstream's
 * skipNonAppliedManager does, an update of an existing object that has no managed fields starts
 * no tracking (only an apply does); a create always tracks (DefaultTrackOnCreateProbability 1).
 *
 * Not handled: version conversion of other managers' sets (all versions of a kind are assumed
 * to share field paths), union (oneOf) normalization, and exact "." fidelity for Go value
 * structs the schema does not mark `always` (see ../patch/schema.ts).
 */
import { parseApiVersion, type KubeObject, type ManagedFieldsEntry } from '../types.js';
import { checkDepth, isObject, type JsonObject } from '../patch/json.js';
import { applySchemaFor } from '../patch/schema-kinds.js';
import type { Schema } from '../patch/schema.js';
import {
  difference,
  fromFieldsV1,
  isEmpty,
  newSet,
  recursiveDifference,
  setOfFields,
  toFieldsV1,
  union,
  type FieldSet,
} from './fieldpath.js';
import { compare, withSkeleton } from './typed.js';
import { capUpdateManagers } from './capmanagers.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

export interface UpdateOptions {
  /** fieldManager query parameter, or the user-agent prefix upstream falls back to. */
  manager: string;
  operation: 'Update';
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  subresource?: string;
  now: Date;
  /**
   * Top-level-or-deeper field paths excluded from ownership (the strategy's reset fields), e.g.
   * [['status']] for the main resource of a kind with a status subresource.
   */
  ignoredFields?: string[][];
  /** capManagers' limit on Update entries (default 10, upstream's DefaultMaxUpdateManagers). */
  maxUpdateManagers?: number;
  /** The kind's schema when it is not a built-in one (a custom resource's, from its CRD). */
  schema?: Schema;
}

/** Fields never tracked (stripmeta.go). `metadata` itself is stripped as a member only. */
export const STRIPPED: FieldSet = setOfFields([
  ['apiVersion'],
  ['kind'],
  ['metadata'],
  ['metadata', 'name'],
  ['metadata', 'namespace'],
  ['metadata', 'creationTimestamp'],
  ['metadata', 'selfLink'],
  ['metadata', 'uid'],
  ['metadata', 'clusterName'],
  ['metadata', 'generation'],
  ['metadata', 'managedFields'],
  ['metadata', 'resourceVersion'],
]);

/** RFC 3339 with second precision, as metav1.Time marshals. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** BuildManagerIdentifier: Apply entries are keyed without apiVersion. */
export function managerKey(
  e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation !== 'Apply' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/**
 * Decodes metadata.managedFields as internal/managedfields.go decodeManagedFields does: each
 * entry needs operation Apply or Update, an apiVersion and fieldsType FieldsV1; entries with the
 * same identifier collapse into the last one.
 * @throws TypeError or ApiError 400 on malformed entries.
 */
export function decodeManagedFields(entries: unknown): ManagerEntry[] {
  if (entries === undefined || entries === null) return [];
  if (!Array.isArray(entries)) throw new TypeError('managedFields must be a list');
  const byKey = new Map<string, ManagerEntry>();
  entries.forEach((raw: unknown, i) => {
    if (!isObject(raw)) throw new TypeError('managedFields entry must be an object');
    const e = raw as ManagedFieldsEntry;
    for (const f of ['manager', 'operation', 'apiVersion', 'time', 'subresource'] as const) {
      if (e[f] !== undefined && typeof e[f] !== 'string')
        throw new TypeError(`managedFields ${f} must be a string`);
    }
    if (e.operation !== 'Apply' && e.operation !== 'Update')
      throw new TypeError('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new TypeError('apiVersion must not be empty');
    if (!e.fieldsType) throw new TypeError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') {
      throw new TypeError(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    }
    const entry: ManagerEntry = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      ...(e.subresource ? { subresource: e.subresource } : {}),
      ...(e.time ? { time: e.time } : {}),
      set: e.fieldsV1 === undefined || e.fieldsV1 === null ? newSet() : fromFieldsV1(e.fieldsV1),
    };
    byKey.set(managerKey(entry), entry);
  });
  return [...byKey.values()];
}

/** Decodes, or undefined when the entries are malformed or empty. */
export function tryDecode(entries: unknown): ManagerEntry[] | undefined {
  try {
    const d = decodeManagedFields(entries);
    return d.length > 0 ? d : undefined;
  } catch {
    return undefined;
  }
}

/** isResetManagedFields: `[]` or `[{}]` sent by a client clears the managed fields. */
function isReset(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  const [e] = entries as unknown[];
  return (
    entries.length === 1 &&
    isObject(e) &&
    Object.values(e).every((v) => v === undefined || v === null || v === '')
  );
}

/**
 * decodeLiveOrNew: the managers an update starts from. Subresource writes keep the live object's;
 * otherwise a reset list clears them, valid non-empty entries sent by the client replace them
 * (clients may edit managed fields), and anything else keeps the live object's.
 */
function managersFor(
  oldObj: KubeObject | undefined,
  newObj: KubeObject,
  subresource?: string,
): ManagerEntry[] {
  const live = (): ManagerEntry[] => tryDecode(oldObj?.metadata?.managedFields) ?? [];
  if (subresource) return live();
  const sent = newObj.metadata?.managedFields;
  if (isReset(sent)) return [];
  return tryDecode(sent) ?? live();
}

export function encodeManagedFields(entries: ManagerEntry[]): ManagedFieldsEntry[] {
  const sorted = entries
    .filter((e) => !isEmpty(e.set))
    .sort((p, q) => {
      const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
      const secs = (e: ManagerEntry): number => (e.time ? Math.floor(Date.parse(e.time) / 1000) : 0);
      return (
        cmp(p.operation, q.operation) ||
        secs(p) - secs(q) ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource ?? '', q.subresource ?? '')
      );
    });
  return sorted.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = toFieldsV1(e.set);
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** The object without metadata.managedFields, as a fresh top-level copy. */
export function withoutManagedFields(obj: KubeObject | undefined): JsonObject {
  if (!obj) return {};
  const out = { ...obj } as JsonObject;
  if (isObject(obj.metadata)) {
    const meta = { ...obj.metadata } as JsonObject;
    delete meta.managedFields;
    out.metadata = meta;
  }
  return out;
}

export function schemaOf(obj: KubeObject): Schema {
  const { group, version } = parseApiVersion(obj.apiVersion ?? '');
  return applySchemaFor(group, version, obj.kind ?? '');
}

/** The tracked part of a comparison set: minus stripped fields and (recursively) ignored ones. */
export function tracked(s: FieldSet, ignored?: string[][]): FieldSet {
  const out = difference(s, STRIPPED);
  return ignored && ignored.length > 0 ? recursiveDifference(out, setOfFields(ignored)) : out;
}

/**
 * Returns `newObj` with `metadata.managedFields` updated for an Update-operation write
 * (create when `oldObj` is undefined, update, or non-apply patch). Neither input is mutated.
 * Managed fields the client sent are used when non-empty and valid (so clients can edit them),
 * `[]` or `[{}]` resets them; otherwise the old object's are carried over.
 */
export function updateManagedFields(
  oldObj: KubeObject | undefined,
  newObj: KubeObject,
  opts: UpdateOptions,
): KubeObject {
  checkDepth(newObj, 'object');
  const schema = opts.schema ?? schemaOf(newObj);
  let managers = managersFor(oldObj, newObj, opts.subresource);
  if (oldObj && managers.length === 0) {
    // skipnonapplied.go: nothing tracked on an existing object; keep it that way.
    const out = { ...newObj, metadata: { ...(newObj.metadata ?? {}) } };
    delete out.metadata.managedFields;
    return out;
  }
  const cmp = compare(
    withSkeleton(withoutManagedFields(oldObj), schema) as JsonObject,
    withSkeleton(withoutManagedFields(newObj), schema) as JsonObject,
    schema,
  );
  const changed = tracked(union(cmp.added, cmp.modified), opts.ignoredFields);
  const removed = cmp.removed;
  const self = {
    manager: opts.manager,
    operation: opts.operation,
    apiVersion: opts.apiVersion,
    subresource: opts.subresource,
  };
  const key = managerKey(self);
  let previous: ManagerEntry | undefined;
  managers = managers
    .map((m) => ({ ...m, set: difference(difference(m.set, changed), removed) }))
    .filter((m) => {
      if (managerKey(m) !== key) return true;
      previous = m;
      return false;
    });
  if (!isEmpty(changed)) {
    managers.push({
      ...self,
      time: rfc3339(opts.now),
      set: previous ? union(previous.set, changed) : changed,
    });
  } else if (previous) {
    managers.push(previous);
  }
  const out = { ...newObj, metadata: { ...(newObj.metadata ?? {}) } };
  const encoded = encodeManagedFields(capUpdateManagers(managers, opts.maxUpdateManagers));
  if (encoded.length > 0) out.metadata.managedFields = encoded;
  else delete out.metadata.managedFields;
  return out;
}
