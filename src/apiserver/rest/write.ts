/**
 * CREATE, UPDATE (PUT) and PATCH of stored resources, after
 * k8s.io/apiserver/pkg/endpoints/handlers/{create,update,patch}.go: decode (JSON, YAML or
 * protobuf), check type meta, admission (namespace lifecycle, kind hooks), strategy (defaults,
 * validation, system metadata), managed fields, dry run, then a CAS write. PATCH re-applies the
 * patch to a fresh object when the write loses a race.
 */
import { ApiError, badRequest, conflict, notFound, unsupportedMediaType } from '../../api/errors.js';
import { deepCopy } from '../../api/meta.js';
import type { JsonValue, KubeObject } from '../../api/types.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  strategicSchemaFor,
} from '../../api/patch/index.js';
import { serverSideApply, updateManagedFields } from '../../api/managedfields/index.js';
import { decodeObject, formatOf, mediaType, parseJson, parseYaml, readBody } from '../body.js';
import { writeObject } from '../responses.js';
import { admitCreate, admitUpdate } from './admission.js';
import type { CachedObject } from './object-store.js';
import { writeCached } from './read.js';
import { asServedVersion, servedApiVersion, type RequestScope } from './scope.js';
import { checkTypeMeta, prepareForCreate, prepareForUpdate, type UpdateTarget } from './strategy.js';
import {
  checkAppliedFields,
  checkBodyFields,
  checkPatchedFields,
  jsonPatchOpErrors,
  validateFieldValidation,
  type FieldValidation,
} from './field-validation-checks.js';
import { unknownFields } from './field-validation.js';

export function isDryRun(s: RequestScope): boolean {
  const all = s.ctx.query.getAll('dryRun');
  for (const v of all)
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  return all.length > 0;
}

/** fieldManager, or the User-Agent's first segment as upstream's prefixFromUserAgent does. */
export function fieldManagerOf(s: RequestScope, required = false): string {
  const fm = s.ctx.query.get('fieldManager');
  if (fm !== null) {
    if (fm.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return fm;
  }
  if (required)
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  const ua = String(s.ctx.req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0].slice(0, 128);
}

async function readObject(s: RequestScope, directive: FieldValidation): Promise<KubeObject> {
  const body = await readBody(s.ctx.req);
  const contentType = s.ctx.req.headers['content-type'];
  const obj = decodeObject(body, contentType, s.env.protobuf) as KubeObject;
  checkTypeMeta(s.desc, s.version, obj);
  checkBodyFields(s, obj, directive, formatOf(contentType) === 'yaml');
  return obj;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Server-side apply with upstream's client-side-apply upgrade path (fieldmanager's
 * lastAppliedManager): on an object last written by `kubectl apply` (it carries the last-applied
 * annotation), conflicts only with the client-side apply manager do not fail the first server-side
 * apply; ownership of those fields moves to the applier, as `kubectl apply --server-side` expects.
 */
function applyUpgradingClientSide(
  live: KubeObject,
  applied: KubeObject,
  opts: Parameters<typeof serverSideApply>[2],
): KubeObject {
  try {
    return serverSideApply(live, applied, opts).object;
  } catch (e) {
    const causes = e instanceof ApiError && e.code === 409 ? (e.details?.causes ?? []) : [];
    const onlyClientSide =
      causes.length > 0 &&
      causes.every((c) => c.message?.startsWith('conflict with "kubectl-client-side-apply"'));
    if (!onlyClientSide || !live.metadata?.annotations?.[LAST_APPLIED]) throw e;
    return serverSideApply(live, applied, { ...opts, force: true }).object;
  }
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
    ignoredFields: ignored(s, subresource === 'status' ? 'status' : 'main'),
    schema: s.desc.custom?.applySchema(s.version),
  });
}

export async function handleCreate(s: RequestScope, namespace: string): Promise<void> {
  const directive = validateFieldValidation(s);
  const dryRun = isDryRun(s);
  fieldManagerOf(s);
  let obj = await readObject(s, directive);
  obj = prepareForCreate(s.desc, obj, namespace, s.env);
  await admitCreate(s, obj);
  obj = managed(s, undefined, obj);
  if (dryRun) {
    writeObject(s.ctx, 201, asServedVersion(s, obj));
    return;
  }
  const created = await s.store.create(obj);
  writeCached(s, 201, created);
}

/** Applies `next` over `cur` as an update of the main resource or a subresource. */
export async function finishUpdate(
  s: RequestScope,
  cur: CachedObject,
  next: KubeObject,
  target: UpdateTarget,
): Promise<KubeObject> {
  checkTypeMeta(s.desc, s.version, next);
  const rv = next.metadata?.resourceVersion;
  if (rv && rv !== String(cur.rv)) throw conflict(s.store.gr, cur.obj.metadata?.name ?? '');
  const prepared = prepareForUpdate(s.desc, next, cur.obj, target);
  await admitUpdate(s, prepared, cur.obj, target);
  return managed(s, cur.obj, prepared, target === 'status' ? 'status' : undefined);
}

function unchanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): string =>
    JSON.stringify({
      ...o,
      metadata: { ...o.metadata, resourceVersion: undefined, managedFields: undefined },
    });
  return strip(a) === strip(b);
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
    throw badRequest('force: Invalid value: true: may not be specified for non-apply patch');
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
    checkTypeMeta(s.desc, s.version, applied);
    checkAppliedFields(s, applied);
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const { object } = serverSideApply(undefined, applied, {
      manager,
      force: force === 'true',
      apiVersion,
      now: s.env.now(),
      ignoredFields: ignored(s, target),
      schema: s.desc.custom?.applySchema(s.version),
    });
    object.metadata = { ...object.metadata, name };
    const obj = prepareForCreate(s.desc, object, namespace, s.env);
    await admitCreate(s, obj);
    obj.metadata!.managedFields = object.metadata?.managedFields;
    if (dryRun) return writeObject(s.ctx, 201, asServedVersion(s, obj));
    const created = await s.store.create(obj);
    return writeCached(s, 201, created);
  }

  const result = await s.store.guaranteedUpdate(
    namespace,
    name,
    async (cur) => {
      let next: KubeObject;
      const live = cur.obj;
      // Upstream patches the stored object as decoded into its Go struct: unknown fields are gone.
      let base = live;
      if (kind !== 'apply' && unknownFields(apiVersion, s.desc.kind, live)?.length) {
        base = deepCopy(live);
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
        checkTypeMeta(s.desc, s.version, applied);
        checkAppliedFields(s, applied);
        next = applyUpgradingClientSide(live, applied, {
          manager,
          force: force === 'true',
          apiVersion,
          now: s.env.now(),
          ignoredFields: ignored(s, target),
          schema: s.desc.custom?.applySchema(s.version),
        });
      }
      next = deepCopy(next);
      if (kind !== 'apply') {
        const opErrs = kind === 'json' ? jsonPatchOpErrors(patch as unknown[]) : [];
        checkPatchedFields(s, next, patch, kind, directive, opErrs);
      }
      const patchedRv = next.metadata?.resourceVersion;
      if (patchedRv && patchedRv !== String(cur.rv)) throw conflict(s.store.gr, name);
      if (next.metadata) next.metadata.resourceVersion = String(cur.rv);
      const out =
        kind === 'apply'
          ? prepareForUpdate(s.desc, next, live, target)
          : await finishUpdate(s, cur, next, target);
      if (kind === 'apply') await admitUpdate(s, out, live, target);
      return unchanged(out, live) ? undefined : out;
    },
    { dryRun },
  );
  writeCached(s, 200, result);
}
