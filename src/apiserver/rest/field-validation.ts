/**
 * Server-side field validation (`?fieldValidation=Strict|Warn|Ignore`): finds the fields of a request
 * object that the kind's Go struct does not declare, as the strict JSON decoder of
 * k8s.io/apimachinery (sigs.k8s.io/json UnmarshalStrict) reports them, e.g.
 * `spec.template.spec.containers[0].imagePullPolcy`.
 *
 * The schema is the compiled protobuf schema tables (src/api/protobuf/schema): JSON names, message
 * refs, maps, repeated and inline (Go embedded struct) fields. Messages with a custom JSON form
 * (Time, MicroTime, Duration, Quantity, IntOrString) and opaque JSON (RawExtension, FieldsV1) are
 * never descended into; map keys are free and map values are checked by the value message.
 *
 * Kinds without a schema table (ReplicaSet, StatefulSet, DaemonSet, NetworkPolicy, Lease, Node,
 * Event, PersistentVolume, ...) are not validated: {@link unknownFields} returns undefined.
 *
 * Not covered: duplicate fields (`duplicate field "spec.paused"`): bodies are parsed by JSON.parse,
 * which keeps the last value silently.
 *
 * @module
 */
import { kindMessageKeys, messageDef, messageDefFor, type FieldDef } from '../../api/protobuf/index.js';

/** Messages whose JSON is not an object of declared fields: never descended into. */
const OPAQUE = new Set([
  'meta.v1.Time',
  'meta.v1.MicroTime',
  'meta.v1.Duration',
  'meta.v1.FieldsV1',
  'runtime.RawExtension',
  'resource.Quantity',
  'intstr.IntOrString',
  // The hand-written table (protobuf/schema/extra/core.ts) predates allocatedResources,
  // allocatedResourceStatuses, currentVolumeAttributesClassName and modifyVolumeStatus.
  'core.v1.PersistentVolumeClaimStatus',
]);

let kindMessages: ReadonlySet<string> | undefined;
const fieldCache = new Map<string, ReadonlyMap<string, FieldDef>>();

/** A message's JSON fields by name, with inline (embedded struct) fields flattened in. */
function fieldsOf(key: string): ReadonlyMap<string, FieldDef> {
  const cached = fieldCache.get(key);
  if (cached) return cached;
  const out = new Map<string, FieldDef>();
  const def = messageDef(key);
  for (const f of def?.fields ?? []) {
    if (f.inline && f.ref !== undefined) {
      for (const [n, g] of fieldsOf(f.ref)) if (!out.has(n)) out.set(n, g);
    } else out.set(f.name, f);
  }
  fieldCache.set(key, out);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export interface UnknownFieldsOptions {
  /**
   * Visit keys in sorted order instead of document order. Upstream reports in document order for
   * JSON bodies, and in sorted order where the object went through a Go map first (YAML bodies,
   * patched objects).
   */
  sorted?: boolean;
  /** Delete the unknown fields from the object, as decoding into the Go struct drops them. */
  prune?: boolean;
}

type Step =
  { readonly emit: string } | { readonly value: unknown; readonly ref: string; readonly path: string };

/**
 * The paths of the fields of `obj` that the schema of apiVersion/kind does not declare, in
 * upstream's format (`spec.foo`, `spec.containers[0].imagePullPolcy`) and order; undefined when
 * the kind has no schema. Iterative (no recursion on the object's depth). Never throws.
 */
export function unknownFields(
  apiVersion: string,
  kind: string,
  obj: unknown,
  opts: UnknownFieldsOptions = {},
): string[] | undefined {
  const def = messageDefFor(apiVersion, kind);
  if (def === undefined) return undefined;
  kindMessages ??= kindMessageKeys();
  const out: string[] = [];
  const stack: Step[] = [{ value: obj, ref: def.key, path: '' }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('emit' in step) {
      out.push(step.emit);
      continue;
    }
    const { value, ref, path } = step;
    if (OPAQUE.has(ref) || ref.endsWith('.ExtraValue') || !isObject(value)) continue;
    const fields = fieldsOf(ref);
    const keys = Object.keys(value);
    if (opts.sorted) keys.sort();
    const steps: Step[] = [];
    for (const k of keys) {
      const p = path === '' ? k : `${path}.${k}`;
      const f = fields.get(k);
      if (f === undefined) {
        if ((k === 'apiVersion' || k === 'kind') && kindMessages.has(ref)) continue;
        steps.push({ emit: p });
        if (opts.prune) delete value[k];
        continue;
      }
      const v = value[k];
      if (f.ref === undefined) continue;
      if (f.type === 'map') {
        if (isObject(v))
          for (const mk of Object.keys(v)) steps.push({ value: v[mk], ref: f.ref, path: `${p}.${mk}` });
      } else if (f.repeated) {
        if (Array.isArray(v)) v.forEach((e, i) => steps.push({ value: e, ref: f.ref!, path: `${p}[${i}]` }));
      } else steps.push({ value: v, ref: f.ref, path: p });
    }
    for (let i = steps.length - 1; i >= 0; i--) stack.push(steps[i]!);
  }
  return out;
}

/** `runtime.NewStrictDecodingError(errs).Error()` for unknown-field errors. */
export function strictDecodingMessage(errors: readonly string[]): string {
  return `strict decoding error: ${errors.join(', ')}`;
}

/** The text of one unknown-field error (and warning): `unknown field "spec.foo"`. */
export function unknownFieldError(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}
