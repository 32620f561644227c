/**
 * CREATE, UPDATE (PUT) and PATCH of stored resources, after
 * k8s.io/apiserver/pkg/endpoints/handlers/{create,update,patch}.go: decode (JSON, YAML or
 * protobuf), check type meta, admission (namespace lifecycle, kind hooks), strategy (defaults,
 * validation, system metadata), managed fields, dry run, then a CAS write. PATCH re-applies the
 * patch to a fresh object when the write loses a race.
 */
import {
  ApiError,
  badRequest,
  conflict,
  invalid,
  notFound,
  unsupportedMediaType,
  type FieldError,
} from '../../api/errors.js';
import { deepCopy } from '../../api/meta.js';
import { deepEqual } from '../../api/patch/json.js';
import type { JsonValue, KubeObject } from '../../api/types.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  strategicSchemaFor,
} from '../../api/patch/index.js';
import { applyWithLastApplied, updateManagedFields } from '../../api/managedfields/index.js';
import { decodeObject, formatOf, mediaType, parseJson, parseYaml, readBody } from '../body.js';
import { admitCreate, admitUpdate } from './admission.js';
import type { CachedObject } from './object-store.js';
import { writeCached } from './read.js';
import { asServedVersion, servedApiVersion, type RequestScope } from './scope.js';
import {
  checkTypeMeta,
  checkUpdateResourceVersion,
  prepareForCreate,
  prepareForUpdate,
  toStorageVersion,
  type UpdateTarget,
} from './strategy.js';
import {
  checkAppliedFields,
  checkBodyFields,
  checkPatchedFields,
  jsonPatchOpErrors,
  validateFieldValidation,
  type FieldValidation,
} from './field-validation-checks.js';
import { unknownFields } from './field-validation.js';
import { isDryRun } from './dry-run.js';
import {
  checkTypedApplied,
  decodeTypedApplyResult,
  decodeTypedBody,
  decodeTypedPatched,
} from './typed-decode.js';

export { isDryRun } from './dry-run.js';

/** ValidatePatchOptions: 422 `PatchOptions.meta.k8s.io "" is invalid: ...` (no name in details). */
function patchOptionsInvalid(e: FieldError): ApiError {
  const err = invalid('meta.k8s.io', 'PatchOptions', '', [e]);
  const { name: _name, ...details } = err.details ?? {};
  return new ApiError(422, 'Invalid', err.message, details);
}

/** fieldManager, or the User-Agent's first segment as upstream's prefixFromUserAgent does. */
export function fieldManagerOf(s: RequestScope, required = false): string {
  const fm = s.ctx.query.get('fieldManager');
  if (fm !== null) {
    if (fm.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return fm;
  }
  if (required)
    throw patchOptionsInvalid({
      type: 'FieldValueRequired',
      field: 'fieldManager',
      detail: 'is required for apply patch',
    });
  const ua = String(s.ctx.req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0].slice(0, 128);
}

async function readObject(s: RequestScope, directive: FieldValidation): Promise<KubeObject> {
  const body = await readBody(s.ctx.req);
  const contentType = s.ctx.req.headers['content-type'];
  const obj = decodeObject(body, contentType, s.env.protobuf, s.desc.kind) as KubeObject;
  decodeTypedBody(s, obj);
  checkTypeMeta(s.desc, s.version, obj);
  checkBodyFields(s, obj, directive, formatOf(contentType) === 'yaml');
  return obj;
}

/**
 * Server-side apply of `applied` over `live` for this request: the field manager chain's apply
 * step (../../api/managedfields/lastapplied.ts: the client-side-apply upgrade and the
 * last-applied annotation sync for manager "kubectl"). Through the status subresource the entry
 * records `subresource: status` and owns nothing outside status and metadata (the strategy's
 * reset fields).
 */
function applyUpgradingClientSide(
  s: RequestScope,
  live: KubeObject | undefined,
  applied: KubeObject,
  target: UpdateTarget,
  manager: string,
): KubeObject {
  const reset =
    target === 'status'
      ? Object.keys(applied)
          .filter((k) => !['apiVersion', 'kind', 'metadata', 'status'].includes(k))
          .map((k) => [k])
      : ignored(s, target);
  return applyWithLastApplied(live, applied, {
    manager,
    force: queryBool(s.ctx.query.get('force')),
    apiVersion: servedApiVersion(s),
    ...(target === 'status' ? { subresource: 'status' } : {}),
    now: s.env.now(),
    ignoredFields: reset,
    schema: s.desc.custom?.applySchema(s.version),
  }).object;
}

/**
 * Convert_Slice_string_To_Pointer_bool: absent, "0" and "false" (any case) are false; any other
 * value, even empty, is true (so `force=True` from the Python client forces).
 */
function queryBool(v: string | null): boolean {
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * versioncheck.go: an apply configuration names exactly the served group, version and kind
 * (400 `invalid object type: <group>/<version>, Kind=<kind>` otherwise, also when they are
 * missing), then the usual type-meta checks.
 */
function checkApplyTypeMeta(s: RequestScope, applied: KubeObject): void {
  const av = typeof applied.apiVersion === 'string' ? applied.apiVersion : '';
  const kind = typeof applied.kind === 'string' ? applied.kind : '';
  if (av !== servedApiVersion(s) || kind !== s.desc.kind) {
    const parts = av.split('/');
    const [group, version] =
      parts.length === 1 ? ['', parts[0]] : parts.length === 2 ? [parts[0], parts[1]] : ['', ''];
    throw badRequest(`invalid object type: ${group}/${version}, Kind=${parts.length > 2 ? '' : kind}`);
  }
  checkTypeMeta(s.desc, s.version, applied);
}

/** Status is not tracked on the main resource of kinds with a status subresource (upstream resets it). */
function ignored(s: RequestScope, target: UpdateTarget): string[][] | undefined {
  return s.desc.hasStatus && target === 'main' ? [['status']] : undefined;
}

function managed(
  s: RequestScope,
  old: KubeObject | undefined,
  obj: KubeObject,
  subresource?: string,
): KubeObject {
  return updateManagedFields(old, obj, {
    manager: fieldManagerOf(s),
    operation: 'Update',
    apiVersion: servedApiVersion(s),
    subresource,
    now: s.env.now(),
    ignoredFields: ignored(s, subresource ? 'status' : 'main'),
    schema: s.desc.custom?.applySchema(s.version),
  });
}

export async function handleCreate(s: RequestScope, namespace: string): Promise<void> {
  const directive = validateFieldValidation(s);
  const dryRun = isDryRun(s);
  fieldManagerOf(s);
  let obj = toStorageVersion(s.desc, await readObject(s, directive));
  obj = prepareForCreate(s.desc, obj, namespace, s.env, { version: s.version });
  await admitCreate(s, obj);
  obj = managed(s, undefined, obj);
  const created = await s.store.create(obj, { dryRun });
  writeCached(s, 201, created);
}

/**
 * Applies `next` over `cur` as an update of the main resource or a subresource; `subresource`
 * names the managed-fields entry's subresource (status, scale, approval...).
 */
export async function finishUpdate(
  s: RequestScope,
  cur: CachedObject,
  next: KubeObject,
  target: UpdateTarget,
  subresource: string | undefined = target === 'status' ? 'status' : undefined,
): Promise<KubeObject> {
  checkTypeMeta(s.desc, s.version, next);
  checkUpdateResourceVersion(s.desc, next, cur);
  const prepared = prepareForUpdate(s.desc, toStorageVersion(s.desc, next), cur.obj, target, {
    subresource,
    version: s.version,
    now: s.env.now(),
  });
  await admitUpdate(s, prepared, cur.obj, target, subresource);
  return managed(s, cur.obj, prepared, subresource);
}

/** Equal apart from resourceVersion (key order aside): no write, as etcd's no-op update. */
function unchanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): unknown =>
    JSON.parse(JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } }));
  return deepEqual(strip(a), strip(b));
}

export async function handleUpdate(
  s: RequestScope,
  namespace: string,
  name: string,
  target: UpdateTarget = 'main',
): Promise<void> {
  const directive = validateFieldValidation(s);
  const dryRun = isDryRun(s);
  const body = await readObject(s, directive);
  if (body.metadata?.name && body.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  if (s.desc.namespaced && body.metadata?.namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!s.store.get(namespace, name)) throw notFound(s.store.gr, name);
  const result = await s.store.guaranteedUpdate(
    namespace,
    name,
    async (cur) => {
      const next = await finishUpdate(s, cur, deepCopy(body), target);
      return unchanged(next, cur.obj) ? undefined : next;
    },
    { dryRun },
  );
  writeCached(s, 200, result);
}

type PatchKind = 'json' | 'merge' | 'strategic' | 'apply';

function patchKindOf(contentType: string | undefined): PatchKind {
  switch (mediaType(contentType)) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
      return 'apply';
    default:
      throw unsupportedMediaType();
  }
}

export async function handlePatch(
  s: RequestScope,
  namespace: string,
  name: string,
  target: UpdateTarget = 'main',
): Promise<void> {
  const directive = validateFieldValidation(s);
  const dryRun = isDryRun(s);
  const kind = patchKindOf(s.ctx.req.headers['content-type']);
  if (kind === 'strategic' && s.desc.custom) {
    // Custom resources have no Go struct to merge by (patch.go: the CRD handler's patch types).
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  }
  const raw = await readBody(s.ctx.req);
  if (raw.length === 0) throw badRequest('the body of the request was empty');
  const patch = kind === 'apply' ? parseYaml(raw) : parseJson(raw);
  const force = s.ctx.query.get('force');
  if (kind !== 'apply' && force !== null)
    throw patchOptionsInvalid({
      type: 'FieldValueForbidden',
      field: 'force',
      detail: 'may not be specified for non-apply patch',
    });
  if (
    kind === 'json'
      ? !Array.isArray(patch)
      : patch === null || typeof patch !== 'object' || Array.isArray(patch)
  ) {
    throw badRequest(
      kind === 'json'
        ? 'the server rejected our request due to an error in our request'
        : 'the body of the request must be a JSON object',
    );
  }
  const apiVersion = servedApiVersion(s);
  const manager = fieldManagerOf(s, kind === 'apply');

  if (kind === 'apply' && target === 'main' && !s.store.get(namespace, name)) {
    const applied = deepCopy(patch as KubeObject);
    checkApplyTypeMeta(s, applied);
    checkTypedApplied(s, applied);
    checkAppliedFields(s, applied);
    if (applied.metadata?.uid) {
      // patch.go applyPatch: a uid names an object that must exist.
      throw conflict(
        s.store.gr,
        name,
        `uid mismatch: the provided object specified uid ${applied.metadata.uid}, and no existing object was found`,
      );
    }
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const object = applyUpgradingClientSide(s, undefined, applied, target, manager);
    decodeTypedApplyResult(s, object);
    object.metadata = { ...object.metadata, name };
    const obj = prepareForCreate(s.desc, toStorageVersion(s.desc, object), namespace, s.env, {
      version: s.version,
    });
    await admitCreate(s, obj);
    obj.metadata!.managedFields = object.metadata?.managedFields;
    const created = await s.store.create(obj, { dryRun });
    return writeCached(s, 201, created);
  }

  const result = await s.store.guaranteedUpdate(
    namespace,
    name,
    async (cur) => {
      let next: KubeObject;
      const live = cur.obj;
      // The patch applies to the object in the URL's version (multi-version kinds are converted).
      const served = asServedVersion(s, live);
      // Upstream patches the stored object as decoded into its Go struct: unknown fields are gone.
      let base = served;
      if (kind !== 'apply' && unknownFields(apiVersion, s.desc.kind, served)?.length) {
        base = deepCopy(served);
        unknownFields(apiVersion, s.desc.kind, base, { prune: true });
      }
      const doc = base as unknown as JsonValue;
      if (kind === 'json') next = applyJsonPatch(doc, patch) as unknown as KubeObject;
      else if (kind === 'merge') next = applyMergePatch(doc, patch as JsonValue) as unknown as KubeObject;
      else if (kind === 'strategic') {
        const schema = strategicSchemaFor(s.desc.group, s.version, s.desc.kind);
        if (!schema) throw unsupportedMediaType();
        next = applyStrategicMergePatch(doc, patch as JsonValue, schema) as unknown as KubeObject;
      } else {
        const applied = deepCopy(patch as KubeObject);
        checkApplyTypeMeta(s, applied);
        checkTypedApplied(s, applied);
        checkAppliedFields(s, applied);
        next = applyUpgradingClientSide(s, served, applied, target, manager);
      }
      next = deepCopy(next);
      if (kind === 'apply') decodeTypedApplyResult(s, next);
      else decodeTypedPatched(s, next, patch, kind);
      if (kind !== 'apply') {
        const opErrs = kind === 'json' ? jsonPatchOpErrors(patch as unknown[]) : [];
        checkPatchedFields(s, next, patch, kind, directive, opErrs);
      }
      const patchedRv = next.metadata?.resourceVersion;
      if (patchedRv && patchedRv !== String(cur.rv)) throw conflict(s.store.gr, name);
      if (next.metadata) next.metadata.resourceVersion = String(cur.rv);
      const out =
        kind === 'apply'
          ? prepareForUpdate(s.desc, toStorageVersion(s.desc, next), live, target, {
              version: s.version,
              now: s.env.now(),
            })
          : await finishUpdate(s, cur, next, target);
      if (kind === 'apply') await admitUpdate(s, out, live, target);
      return unchanged(out, live) ? undefined : out;
    },
    { dryRun },
  );
  writeCached(s, 200, result);
}
