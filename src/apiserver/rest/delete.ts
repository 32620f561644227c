/**
 * DELETE and DELETECOLLECTION, after k8s.io/apiserver/pkg/registry/generic/registry/store.go:
 * DeleteOptions preconditions (uid, resourceVersion), dry run, finalizers (deletion only sets
 * deletionTimestamp until the last finalizer is removed), namespace termination (phase
 * Terminating, then the namespace controller empties and removes it), and the response: the
 * object while it still exists, a Success Status once it is gone.
 */
import { badRequest, conflict, forbidden } from '../../api/errors.js';
import { deepCopy, timestamp } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';
import { parseJson, parseYaml, readBody, formatOf } from '../body.js';
import { writeObject } from '../responses.js';
import { checkNodeRestriction, IMMORTAL_NAMESPACES } from './admission.js';
import { buildMatcher, parseListOptions } from './list-options.js';
import type { CachedObject } from './object-store.js';
import { writeCached } from './read.js';
import { asServedVersion, servedApiVersion, type RequestScope } from './scope.js';
import { deleteDryRun } from './dry-run.js';
import { isCrdResource, markCrdForDeletion } from '../../apiextensions/crd-resource.js';

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  dryRun?: string[];
}

async function readDeleteOptions(s: RequestScope): Promise<DeleteOptions> {
  const q = s.ctx.query;
  const opts: DeleteOptions = {};
  const body = await readBody(s.ctx.req);
  if (body.length > 0) {
    const fmt = formatOf(s.ctx.req.headers['content-type']);
    let v: unknown;
    if (fmt === 'protobuf') {
      v = s.env.protobuf ? s.env.protobuf(body).object : {};
    } else v = fmt === 'yaml' ? parseYaml(body) : parseJson(body);
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      throw badRequest('DeleteOptions must be a JSON object');
    Object.assign(opts, v);
  }
  const pp = q.get('propagationPolicy');
  if (pp !== null) opts.propagationPolicy = pp;
  if (
    opts.propagationPolicy !== undefined &&
    !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)
  ) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  const gp = q.get('gracePeriodSeconds');
  if (gp !== null) {
    if (!/^-?\d+$/.test(gp))
      throw badRequest(`gracePeriodSeconds: Invalid value: "${gp}": must be an integer`);
    opts.gracePeriodSeconds = Number(gp);
  }
  return opts;
}

function checkPreconditions(s: RequestScope, cur: CachedObject, opts: DeleteOptions): void {
  const p = opts.preconditions;
  if (!p) return;
  const name = cur.obj.metadata?.name ?? '';
  if (p.uid && p.uid !== cur.obj.metadata?.uid) {
    throw conflict(
      s.store.gr,
      name,
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${cur.obj.metadata?.uid ?? ''}`,
    );
  }
  if (p.resourceVersion && p.resourceVersion !== String(cur.rv)) {
    throw conflict(
      s.store.gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${cur.rv}`,
    );
  }
}

export function successStatus(s: RequestScope, obj: KubeObject): Record<string, unknown> {
  const details: Record<string, unknown> = { name: obj.metadata?.name };
  if (s.desc.group) details.group = s.desc.group;
  details.kind = s.desc.resource;
  details.uid = obj.metadata?.uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/**
 * Deletes one object; returns the object if it still exists (finalizers, namespace termination)
 * or undefined once it is gone.
 */
export async function deleteOne(
  s: RequestScope,
  namespace: string,
  name: string,
  opts: DeleteOptions,
  dryRun: boolean,
): Promise<{ obj: KubeObject; remains: boolean }> {
  const cur = s.store.mustGet(namespace, name);
  checkPreconditions(s, cur, opts);
  checkNodeRestriction(s, 'DELETE', undefined, cur.obj);
  if (s.desc.resource === 'namespaces' && !s.desc.group && IMMORTAL_NAMESPACES.has(name)) {
    throw forbidden(s.store.gr, name, `this namespace may not be deleted`);
  }
  const isCrd = isCrdResource(s.desc);
  const needsFinalize =
    isCrd ||
    (cur.obj.metadata?.finalizers?.length ?? 0) > 0 ||
    (s.desc.resource === 'namespaces' &&
      !s.desc.group &&
      ((cur.obj.spec as { finalizers?: string[] })?.finalizers?.length ?? 0) > 0);
  if (needsFinalize) {
    if (cur.obj.metadata?.deletionTimestamp) return { obj: cur.obj, remains: true };
    const updated = await s.store.guaranteedUpdate(
      namespace,
      name,
      (c) => {
        checkPreconditions(s, c, opts);
        const next = deepCopy(c.obj);
        next.metadata!.deletionTimestamp = timestamp(s.env.now());
        next.metadata!.deletionGracePeriodSeconds = 0;
        if (s.desc.resource === 'namespaces' && !s.desc.group)
          next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
        if (isCrd) markCrdForDeletion(next, next.metadata!.deletionTimestamp);
        return next;
      },
      { dryRun },
    );
    return { obj: updated.obj, remains: true };
  }
  const gone = await s.store.delete(namespace, name, cur.rv, { dryRun }).catch(async (e) => {
    // Lost a race with a writer: re-check preconditions on the fresh object and retry once.
    const again = s.store.mustGet(namespace, name);
    checkPreconditions(s, again, opts);
    if (again.rv === cur.rv) throw e;
    return s.store.delete(namespace, name, again.rv, { dryRun });
  });
  return { obj: gone.obj, remains: false };
}

export async function handleDelete(s: RequestScope, namespace: string, name: string): Promise<void> {
  const opts = await readDeleteOptions(s);
  const dryRun = deleteDryRun(s, opts);
  const r = await deleteOne(s, namespace, name, opts, dryRun);
  if (r.remains) {
    const cur = s.store.get(namespace, name);
    if (cur && !dryRun) return writeCached(s, 200, cur);
    return writeObject(s.ctx, 200, asServedVersion(s, r.obj));
  }
  // Upstream returns the deleted object for kinds with graceful deletion (pods) and a Status otherwise.
  if (s.desc.resource === 'pods' && !s.desc.group) return writeObject(s.ctx, 200, asServedVersion(s, r.obj));
  writeObject(s.ctx, 200, successStatus(s, r.obj));
}

export async function handleDeleteCollection(s: RequestScope, namespace: string): Promise<void> {
  const opts = await readDeleteOptions(s);
  const dryRun = deleteDryRun(s, opts);
  const lo = parseListOptions(s.ctx.query);
  const match = buildMatcher(s.desc, lo);
  const items: KubeObject[] = [];
  for (const o of s.store.cache.list(s.store.listPrefix(namespace))) {
    if (match && !match(o.obj)) continue;
    const ns = o.obj.metadata?.namespace ?? '';
    try {
      const r = await deleteOne(s, ns, o.obj.metadata!.name!, opts, dryRun);
      items.push(asServedVersion(s, r.obj));
    } catch (e) {
      if ((e as { code?: number }).code === 404) continue;
      throw e;
    }
  }
  const apiVersion = servedApiVersion(s);
  writeObject(s.ctx, 200, {
    kind: s.desc.listKind,
    apiVersion,
    metadata: { resourceVersion: String(s.store.cache.revision()) },
    items,
  });
}
