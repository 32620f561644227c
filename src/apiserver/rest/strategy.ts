/**
 * The create/update strategy shared by every resource (upstream's rest.BeforeCreate /
 * rest.BeforeUpdate plus each kind's PrepareForCreate/PrepareForUpdate): system metadata
 * (uid, creationTimestamp, generation, generateName), kind defaults and validation from the
 * registry descriptor, status/spec separation for the status subresource, and the immutable
 * metadata rules on update.
 */
import { deepEqual } from '../../api/patch/json.js';
import { badRequest, conflict, invalid, type FieldError } from '../../api/errors.js';
import { deepCopy, generateName, timestamp, type Randomness } from '../../api/meta.js';
import { apiVersionOf, type KubeObject } from '../../api/types.js';
import { validateObjectMeta } from '../../registry/validation.js';
import type { ResourceDescriptor } from '../../registry/types.js';

export interface StrategyEnv {
  now(): Date;
  rnd: Randomness;
}

/** Checks apiVersion/kind of a decoded body against the endpoint's. Empty values are filled in. */
export function checkTypeMeta(desc: ResourceDescriptor, version: string, obj: KubeObject): void {
  const expected = apiVersionOf(desc.group, version);
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== desc.kind) {
    throw badRequest(
      `${String(obj.kind)} in version "${version}" cannot be handled as a ${desc.kind}: the kind in the data does not match the expected kind (${desc.kind})`,
    );
  }
  if (
    obj.metadata !== undefined &&
    (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))
  ) {
    throw badRequest(
      `${desc.kind} in version "${version}" cannot be handled as a ${desc.kind}: metadata must be an object`,
    );
  }
  // Multi-version kinds stay in the URL's version until toStorageVersion converts them.
  obj.apiVersion = apiVersionOf(
    desc.group,
    desc.convert ? version : (desc.custom?.storageVersion ?? desc.versions[0]),
  );
  obj.kind = desc.kind;
}

/**
 * A request object (in the URL's version, after checkTypeMeta) in the storage version
 * (`versions[0]`); the same object for single-version kinds.
 * @throws ApiError 400 when the object cannot be converted (a malformed round-trip annotation).
 */
export function toStorageVersion(desc: ResourceDescriptor, obj: KubeObject): KubeObject {
  if (!desc.convert) return obj;
  try {
    return desc.convert(obj, desc.versions[0]);
  } catch (e) {
    throw badRequest(
      `${desc.kind} in version "${String(obj.apiVersion)}" cannot be converted: ${(e as Error).message}`,
    );
  }
}

/**
 * The part of an object that bumps metadata.generation when it changes. Custom resources without
 * a status subresource count everything but metadata (customresource/strategy.go copyNonMetadata).
 */
function specOf(o: KubeObject, desc: ResourceDescriptor): Record<string, unknown> {
  const { metadata: _m, status, apiVersion: _a, kind: _k, ...rest } = o;
  return desc.custom && !desc.hasStatus ? { ...rest, status } : rest;
}

function throwIfInvalid(desc: ResourceDescriptor, obj: KubeObject, errs: FieldError[]): void {
  if (errs.length)
    throw invalid(desc.group, desc.kind, obj.metadata?.name ?? obj.metadata?.generateName ?? '', errs);
}

/**
 * Prepares a caller-owned object for creation: namespace from the URL (a mismatch is a 400),
 * generateName, uid, creationTimestamp, generation 1 where the kind tracks it, status reset to
 * the kind's initial status (both facts are descriptor data from upstream's PrepareForCreate),
 * defaults, validation.
 */
export function prepareForCreate(
  desc: ResourceDescriptor,
  obj: KubeObject,
  namespace: string,
  env: StrategyEnv,
  ctx: { version?: string } = {},
): KubeObject {
  const md = (obj.metadata ??= {});
  if (desc.namespaced) {
    if (md.namespace && md.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    md.namespace = namespace;
  } else {
    delete md.namespace;
  }
  if (!md.name && md.generateName) md.name = generateName(md.generateName, env.rnd);
  md.uid = env.rnd.uuid();
  md.creationTimestamp = timestamp(env.now());
  delete md.deletionTimestamp;
  delete md.deletionGracePeriodSeconds;
  delete md.resourceVersion;
  delete md.selfLink;
  if (desc.tracksGeneration) md.generation = 1;
  else delete md.generation;
  if (desc.initialStatus) obj.status = desc.initialStatus(obj, env.now());
  desc.prepareForCreate?.(obj, env.now());
  desc.defaults?.(obj);
  const vctx = ctx.version ? { version: ctx.version } : {};
  throwIfInvalid(desc, obj, [...validateObjectMeta(obj, desc, {}), ...(desc.validate?.(obj, vctx) ?? [])]);
  return obj;
}

export type UpdateTarget = 'main' | 'status';

/** Copies old's value at path over obj's (removing it when old has none). */
function keepPath(obj: KubeObject, old: KubeObject, path: string[]): void {
  let src: unknown = old;
  for (const k of path)
    src = src && typeof src === 'object' ? (src as Record<string, unknown>)[k] : undefined;
  let dst = obj as Record<string, unknown>;
  for (const k of path.slice(0, -1)) {
    const v = dst[k];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) dst[k] = {};
    dst = dst[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (src === undefined) delete dst[last];
  else dst[last] = deepCopy(src);
}

/**
 * The resourceVersion check of an update, after genericregistry.Store.Update
 * (k8s.io/apiserver/pkg/registry/generic/registry/store.go): a body without a resourceVersion
 * (absent, "" or "0", which all parse to 0) is an unconditional update when the kind allows it and
 * takes the current object's resourceVersion; otherwise it is a 422 naming the resource. A
 * resourceVersion other than the current one is a 409 Conflict.
 */
export function checkUpdateResourceVersion(
  desc: ResourceDescriptor,
  obj: KubeObject,
  current: { rv: number; obj: KubeObject },
): void {
  const md = (obj.metadata ??= {});
  const currentRv = current.rv;
  const name = current.obj.metadata?.name ?? '';
  const rv = md.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    if (desc.allowUnconditionalUpdate === false) {
      throw invalid(desc.group, desc.resource, name, [
        {
          type: 'FieldValueInvalid',
          field: 'metadata.resourceVersion',
          value: 0,
          detail: 'must be specified for an update',
        },
      ]);
    }
    md.resourceVersion = String(currentRv);
  } else if (rv !== String(currentRv)) {
    throw conflict({ group: desc.group, resource: desc.resource }, name);
  }
}

/** What an update knows of its request beyond the target: the subresource, the URL's version, now. */
export interface UpdateContext {
  subresource?: string;
  version?: string;
  now?: Date;
}

/**
 * Prepares a caller-owned new object for an update of `old`: immutable metadata is carried over,
 * the main resource keeps the old status (and the status subresource keeps the old spec),
 * generation is bumped when the spec changes, the kind's own PrepareForUpdate, then defaults and
 * validation (told the subresource and version).
 */
export function prepareForUpdate(
  desc: ResourceDescriptor,
  obj: KubeObject,
  old: KubeObject,
  target: UpdateTarget,
  ctx: UpdateContext = {},
): KubeObject {
  const md = (obj.metadata ??= {});
  const om = old.metadata ?? {};
  const errs: FieldError[] = [];
  if (md.name !== undefined && md.name !== om.name) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.name',
      value: md.name,
      detail: 'field is immutable',
    });
  }
  if (md.uid && md.uid !== om.uid)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'metadata.uid',
      value: md.uid,
      detail: 'field is immutable',
    });
  throwIfInvalid(desc, { ...obj, metadata: { ...md, name: om.name } }, errs);
  md.name = om.name;
  if (desc.namespaced) md.namespace = om.namespace;
  md.uid = om.uid;
  md.creationTimestamp = om.creationTimestamp;
  if (om.deletionTimestamp) {
    md.deletionTimestamp = om.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined)
      md.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
  } else {
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
  }
  delete md.selfLink;
  if (desc.hasStatus) {
    if (target === 'main') {
      if (old.status !== undefined) obj.status = deepCopy(old.status);
      else delete obj.status;
    } else if (target === 'status') {
      // Only status (and metadata labels/annotations) change through the status subresource.
      const keep = deepCopy(old);
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'metadata') delete obj[k];
      for (const [k, v] of Object.entries(keep)) if (k !== 'status' && k !== 'metadata') obj[k] = v;
    }
  }
  if (target === 'main') for (const path of desc.keptOnUpdate ?? []) keepPath(obj, old, path);
  const subresource = target === 'status' ? (ctx.subresource ?? 'status') : undefined;
  desc.prepareForUpdate?.(obj, old, subresource, ctx.now ?? new Date());
  desc.defaults?.(obj);
  // Compared after defaulting (upstream decodes with defaults before PrepareForUpdate) and
  // regardless of key order, so a re-apply of the same configuration is not a spec change.
  if (desc.tracksGeneration) {
    const gen = om.generation ?? 1;
    md.generation = target === 'main' && !deepEqual(specOf(obj, desc), specOf(old, desc)) ? gen + 1 : gen;
  }
  throwIfInvalid(desc, obj, [
    ...validateObjectMeta(obj, desc, { old }),
    ...(desc.validate?.(obj, {
      old,
      ...(subresource ? { subresource } : {}),
      ...(ctx.version ? { version: ctx.version } : {}),
    }) ?? []),
  ]);
  return obj;
}
