/**
 * The client-side apply annotation around server-side apply, after
 * k8s.io/apimachinery/pkg/util/managedfields/internal lastappliedmanager.go (upgrading an object
 * written by `kubectl apply` to server-side apply without conflicts), lastappliedupdater.go
 * (keeping `kubectl.kubernetes.io/last-applied-configuration` in step with what `kubectl apply
 * --server-side` applied) and lastapplied.go (SetLastApplied drops an annotation that would make
 * the annotations too large).
 *
 * Both behaviours are reserved to the field manager "kubectl"; any other manager opts out.
 */
import type { JsonValue, KubeObject } from '../types.js';
import { isObject, type JsonObject } from '../patch/json.js';
import { difference, isEmpty, union, type FieldSet } from './fieldpath.js';
import { schemaOf, withoutManagedFields } from './managedfields.js';
import {
  applyConflictError,
  tryServerSideApply,
  type ApplyOptions,
  type ApplyResult,
  type Conflicts,
} from './apply.js';
import { compare, toFieldSet, withSkeleton } from './typed.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose applies upgrade and sync the annotation (kubectl's default). */
const KUBECTL = 'kubectl';

/** apimachinery validation TotalAnnotationSizeLimitB: 256 KiB over keys and values. */
const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/**
 * Server-side apply as upstream's default field manager chain runs it for the apply step
 * (lastAppliedUpdater over lastAppliedManager over the structured merge):
 * - for manager "kubectl" on an object carrying the last-applied annotation, conflicts on fields
 *   whose live value still equals the annotation's are not reported and the apply is forced;
 *   any other conflict fails with only the conflicts left;
 * - after a successful apply by "kubectl" to an object that has the annotation, the annotation
 *   is replaced by the applied configuration (without the annotation itself), unless that would
 *   exceed the annotations size limit, in which case it is removed.
 * @throws ApiError 409 on the remaining conflicts, 400 as serverSideApply does.
 */
export function applyWithLastApplied(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ApplyOptions,
): ApplyResult {
  let r = tryServerSideApply(live, applied, opts);
  if (!r.ok) {
    const allowed = opts.manager === KUBECTL && live ? allowedConflicts(live) : undefined;
    if (!allowed) throw applyConflictError(r.conflicts);
    const left: Conflicts = r.conflicts
      .map((c) => ({ manager: c.manager, set: difference(c.set, allowed) }))
      .filter((c) => !isEmpty(c.set));
    if (left.length > 0) throw applyConflictError(left);
    r = tryServerSideApply(live, applied, { ...opts, force: true });
    if (!r.ok) throw applyConflictError(r.conflicts);
  }
  const result: ApplyResult = { object: r.object, created: r.created };
  if (opts.manager === KUBECTL && hasLastApplied(result.object)) {
    result.object = setLastApplied(result.object, buildLastApplied(applied));
  }
  return result;
}

function annotationsOf(obj: KubeObject): Record<string, string> | undefined {
  const a = obj.metadata?.annotations;
  return isObject(a) ? (a as Record<string, string>) : undefined;
}

function hasLastApplied(obj: KubeObject): boolean {
  const v = annotationsOf(obj)?.[LAST_APPLIED];
  return typeof v === 'string' && v.length > 0;
}

/**
 * allowedConflictsFromLastApplied: the fields of the annotation whose live value is the one the
 * annotation records; undefined when there is no usable annotation (absent, empty, not JSON, or
 * of another apiVersion than the live object).
 */
export function allowedConflicts(live: KubeObject): FieldSet | undefined {
  const raw = annotationsOf(live)?.[LAST_APPLIED];
  if (typeof raw !== 'string' || raw === '') return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== live.apiVersion) return undefined;
  const schema = schemaOf(live);
  let set: FieldSet;
  let cmp: ReturnType<typeof compare>;
  try {
    set = toFieldSet(last, schema);
    cmp = compare(
      withSkeleton(last, schema) as JsonObject,
      withSkeleton(withoutManagedFields(live), schema) as JsonObject,
      schema,
    );
  } catch {
    return undefined;
  }
  return difference(set, union(union(cmp.modified, cmp.added), cmp.removed));
}

/** buildLastApplied: the applied configuration without the annotation, as Go encodes it. */
export function buildLastApplied(applied: KubeObject): string {
  const copy = JSON.parse(JSON.stringify(applied)) as KubeObject;
  const ann = annotationsOf(copy);
  if (ann) delete ann[LAST_APPLIED];
  return `${goJson(copy as unknown as JsonValue)}\n`;
}

/** SetLastApplied: sets the annotation, or removes it when the annotations would be too large. */
export function setLastApplied(obj: KubeObject, value: string): KubeObject {
  const annotations: Record<string, string> = { ...(annotationsOf(obj) ?? {}), [LAST_APPLIED]: value };
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > ANNOTATIONS_SIZE_LIMIT) delete annotations[LAST_APPLIED];
  return { ...obj, metadata: { ...(obj.metadata ?? {}), annotations } };
}

/** encoding/json of an unstructured object: sorted keys, HTML-safe escapes. */
export function goJson(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
