/**
 * Server-side apply (`application/apply-patch+yaml`), after
 * k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager (FieldManager.Apply,
 * internal/structuredmerge.go, internal/conflict.go) and sigs.k8s.io/structured-merge-diff
 * merge/update.go (Updater.Apply, prune, update).
 *
 * The applied configuration is merged over the live object (associative lists by key, sets by
 * value, atomic lists and atomic structs replaced, objects merged). The applier then owns
 * exactly the fields its configuration sets; fields it owned before and no longer sets are
 * removed unless another manager owns them. A field owned by another manager whose value would
 * change is a conflict (409, upstream's message) unless `force`, which moves ownership.
 *
 * An object nobody tracks yet is first attributed to "before-first-apply" (skipnonapplied.go).
 *
 * Not handled: YAML bodies (the caller decodes; kubectl sends JSON), schema validation of the
 * applied configuration (unknown fields are accepted and deduced), conversion between versions,
 * duplicate keys in associative lists (the first item wins instead of an error) and union
 * normalization. The client-side-apply upgrade and annotation sync wrap this in
 * ./lastapplied.ts; the version check is the REST layer's (write.ts).
 */
import { ApiError, badRequest } from '../errors.js';
import { checkDepth, clone, deepEqual, isObject, type JsonObject } from '../patch/json.js';
import type { KubeObject } from '../types.js';
import type { Schema } from '../patch/schema.js';
import { intersection, isEmpty, members, pathString, union, difference, type FieldSet } from './fieldpath.js';
import {
  encodeManagedFields,
  managerKey,
  rfc3339,
  schemaOf,
  tracked,
  tryDecode,
  updateManagedFields,
  withoutManagedFields,
  type ManagerEntry,
} from './managedfields.js';
import { compare, merge, removeDisowned, toFieldSet, withSkeleton } from './typed.js';

export interface ApplyOptions {
  /** fieldManager query parameter (required for apply; kubectl sends "kubectl"). */
  manager: string;
  force: boolean;
  /** The request's group/version, e.g. "apps/v1". */
  apiVersion: string;
  subresource?: string;
  now: Date;
  /** Reset fields excluded from ownership, as in UpdateOptions. */
  ignoredFields?: string[][];
  /** The kind's schema when it is not a built-in one (a custom resource's, from its CRD). */
  schema?: Schema;
}

export interface ApplyResult {
  object: KubeObject;
  /** True when there was no live object (respond 201). */
  created: boolean;
}

/** printManager in internal/conflict.go. */
function printManager(m: ManagerEntry): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/**
 * internal/conflict.go NewConflictError: 409 Conflict with one cause per conflicting field, in
 * the order given; the message lists the fields grouped by manager, managers sorted by their
 * identifier. Identifiers carry no time (BuildManagerIdentifier drops it), so no "at <time>".
 */
export function applyConflictError(conflicts: Conflicts): ApiError {
  const flat = conflicts.flatMap((c) =>
    members(c.set).map((p) => ({ manager: c.manager, path: pathString(p) })),
  );
  const causes = flat.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: c.path,
  }));
  let message: string;
  if (flat.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(flat[0].manager)}: ${flat[0].path}`;
  } else {
    const byManager = new Map<string, { manager: ManagerEntry; paths: string[] }>();
    for (const c of flat) {
      const key = managerKey(c.manager);
      if (!byManager.has(key)) byManager.set(key, { manager: c.manager, paths: [] });
      byManager.get(key)!.paths.push(c.path);
    }
    const lines: string[] = [];
    for (const key of [...byManager.keys()].sort()) {
      const g = byManager.get(key)!;
      lines.push(`conflicts with ${printManager(g.manager)}:`);
      for (const p of g.paths) lines.push(`- ${p}`);
    }
    message = `Apply failed with ${flat.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

/**
 * skipnonapplied.go Apply: a live object whose fields nobody tracks (created before tracking, or
 * whose managed fields were reset) first gets everything it has recorded as an Update by
 * "before-first-apply", so the applier conflicts with what it would change.
 */
function beforeFirstApply(live: KubeObject, opts: ApplyOptions): ManagerEntry[] {
  const tracked = updateManagedFields(undefined, withoutManagedFields(live) as KubeObject, {
    manager: 'before-first-apply',
    operation: 'Update',
    apiVersion: opts.apiVersion,
    subresource: opts.subresource,
    now: opts.now,
    ignoredFields: opts.ignoredFields,
  });
  return tryDecode(tracked.metadata?.managedFields) ?? [];
}

/** The fields of other managers an apply would change (merge.Conflicts, grouped by manager). */
export type Conflicts = { manager: ManagerEntry; set: FieldSet }[];

/** The outcome of {@link tryServerSideApply}: the result, or the conflicts that stopped it. */
export type ApplyAttempt = ({ ok: true } & ApplyResult) | { ok: false; conflicts: Conflicts };

/**
 * Applies `applied` (the decoded apply body) over `live` for `opts.manager`.
 * Inputs are not mutated. The caller still sets server-owned metadata (uid, resourceVersion,
 * creationTimestamp...) and runs defaulting/validation/admission on the result.
 * @throws ApiError 409 on conflicts without force, 400 when the body sets managedFields, is not
 * an object, nests too deep, or has associative-list items without their keys.
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ApplyOptions,
): ApplyResult {
  const r = tryServerSideApply(live, applied, opts);
  if (!r.ok) throw applyConflictError(r.conflicts);
  return { object: r.object, created: r.created };
}

/**
 * {@link serverSideApply} answering conflicts as data (Updater.Apply returning merge.Conflicts),
 * so that callers such as the client-side-apply upgrade can inspect them.
 * @throws ApiError 400 as serverSideApply does.
 */
export function tryServerSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ApplyOptions,
): ApplyAttempt {
  if (!isObject(applied)) throw badRequest('apply patch must be an object');
  checkDepth(applied, 'patch');
  if (isObject(applied.metadata) && applied.metadata.managedFields != null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  const schema = opts.schema ?? schemaOf(applied.apiVersion || !live ? applied : live);
  const liveObj = withoutManagedFields(live);
  const config = withoutManagedFields(applied);
  const managers = tryDecode(live?.metadata?.managedFields) ?? (live ? beforeFirstApply(live, opts) : []);

  const self: ManagerEntry = {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: opts.apiVersion,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
    set: tracked(toFieldSet(config, schema), opts.ignoredFields),
  };
  const key = managerKey(self);
  const previous = managers.find((m) => managerKey(m) === key);
  const others = managers.filter((m) => m !== previous);

  const merged = clone(merge(liveObj, config, schema) as JsonObject);
  if (previous && !isEmpty(previous.set)) {
    const keep = others.reduce((acc, m) => union(acc, m.set), self.set);
    removeDisowned(merged, schema, previous.set, keep);
  }

  const cmp = compare(
    withSkeleton(liveObj, schema) as JsonObject,
    withSkeleton(merged, schema) as JsonObject,
    schema,
  );
  const changed = tracked(union(cmp.added, cmp.modified), opts.ignoredFields);
  const conflicts = others
    .map((m) => ({ manager: m, set: intersection(m.set, changed) }))
    .filter((c) => !isEmpty(c.set));
  if (conflicts.length > 0 && !opts.force) return { ok: false, conflicts };

  const next: ManagerEntry[] = others.map((m) => ({
    ...m,
    set: difference(difference(m.set, changed), cmp.removed),
  }));
  // managedFieldsUpdater.Apply: the applier's time moves only when the object changed (a no-op
  // apply keeps the previous time, and a new co-owner of unchanged fields gets none, as
  // upstream does: kubernetes/kubernetes#127938).
  const noop = live !== undefined && deepEqual(liveObj, merged);
  const time = noop ? previous?.time : rfc3339(opts.now);
  next.push({ ...self, ...(time ? { time } : {}) });

  const object = merged as KubeObject;
  const encoded = encodeManagedFields(next);
  object.metadata = { ...(object.metadata ?? {}) };
  if (encoded.length > 0) object.metadata.managedFields = encoded;
  else delete object.metadata.managedFields;
  return { ok: true, object, created: live === undefined };
}
