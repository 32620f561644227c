/**
 * Subresources: status (get/update/patch of the status part only), certificatesigningrequests
 * approval, namespaces finalize, <resource>/scale (autoscaling/v1 Scale), pods log / binding / eviction,
 * serviceaccounts token, pods exec / attach / portforward and nodes/proxy (to the kubelet:
 * kubelet-handlers.ts); pods/proxy and services/proxy are not served yet.
 */
import { ApiError, badRequest, methodNotSupported, notFound, notFoundPath } from '../../api/errors.js';
import { deepCopy } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';
import { readBody, decodeObject } from '../body.js';
import { writeObject } from '../responses.js';
import { checkNodeRestriction } from './admission.js';
import { bindPod } from './binding.js';
import { checkApprovePermission } from './csr-admission.js';
import { deleteOne, type DeleteOptions } from './delete.js';
import { evictionDryRun } from './dry-run.js';
import { writeCached } from './read.js';
import { asServedVersion, type RequestScope } from './scope.js';
import { handlePatch, handleUpdate, finishUpdate, isDryRun } from './write.js';
import { handleTokenRequest } from './token-request.js';
import { decodeTypedBody } from './typed-decode.js';
import { handleCustomScale } from '../../apiextensions/scale.js';
import { handleNodeProxy, handlePodLog, handlePodStream } from './kubelet-handlers.js';

function subresourceVerbs(s: RequestScope, sub: string): string[] | undefined {
  return s.desc.subresources.find((x) => x.name === sub)?.verbs;
}

export async function handleSubresource(
  s: RequestScope,
  ns: string,
  name: string,
  sub: string,
): Promise<void> {
  const verbs = subresourceVerbs(s, sub);
  const verb = s.ctx.info.verb;
  const gr = { group: s.desc.group, resource: `${s.desc.resource}/${sub}` };
  if (!verbs) throw notFoundPath();
  if (verb !== 'proxy' && !verbs.includes(verb)) throw methodNotSupported(gr, verb);
  switch (sub) {
    case 'status':
      if (verb === 'get') return writeCached(s, 200, s.store.mustGet(ns, name));
      if (verb === 'update') return handleUpdate(s, ns, name, 'status');
      return handlePatch(s, ns, name, 'status');
    case 'approval':
      if (verb === 'get') return writeCached(s, 200, s.store.mustGet(ns, name));
      return handleApproval(s, name);
    case 'finalize':
      return handleFinalize(s, name);
    case 'scale': {
      const paths = s.desc.custom?.scale(s.version);
      return paths ? handleCustomScale(s, ns, name, paths) : handleScale(s, ns, name);
    }
    case 'log':
      return handlePodLog(s, ns, name);
    case 'exec':
    case 'attach':
    case 'portforward':
      return handlePodStream(s, ns, name, sub);
    case 'binding':
      return handleBinding(s, ns, name);
    case 'eviction':
      return handleEviction(s, ns, name);
    case 'token':
      return handleTokenRequest(s, ns, name);
    case 'proxy':
      if (s.desc.resource === 'nodes' && s.desc.group === '') return handleNodeProxy(s, name);
      s.store.mustGet(ns, name);
      throw new ApiError(
        503,
        'ServiceUnavailable',
        `no node agent is serving ${s.desc.resource} "${name}" yet`,
      );
    default:
      throw methodNotSupported(gr, verb);
  }
}

/** PUT .../certificatesigningrequests/<name>/approval: only status.conditions change. */
async function handleApproval(s: RequestScope, name: string): Promise<void> {
  const dryRun = isDryRun(s);
  const body = decodeObject(
    await readBody(s.ctx.req),
    s.ctx.req.headers['content-type'],
    s.env.protobuf,
    s.desc.kind,
  ) as KubeObject;
  decodeTypedBody(s, body);
  const result = await s.store.guaranteedUpdate(
    '',
    name,
    async (cur) => {
      // In the URL's version (v1beta1 CSRs too): finishUpdate checks and converts it back.
      const next = deepCopy(asServedVersion(s, cur.obj));
      const conditions = (body.status as { conditions?: unknown[] } | undefined)?.conditions ?? [];
      next.status = { ...((next.status as object) ?? {}), conditions };
      if (body.metadata?.resourceVersion) next.metadata!.resourceVersion = body.metadata.resourceVersion;
      const out = await finishUpdate(s, cur, next, 'status', 'approval');
      // CertificateApproval is a validating admission plugin: after the strategy's validation.
      await checkApprovePermission(s, cur.obj);
      return out;
    },
    { dryRun },
  );
  writeCached(s, 200, result);
}

/** PUT /api/v1/namespaces/<name>/finalize: replaces spec.finalizers. */
async function handleFinalize(s: RequestScope, name: string): Promise<void> {
  const dryRun = isDryRun(s);
  const body = decodeObject(
    await readBody(s.ctx.req),
    s.ctx.req.headers['content-type'],
    s.env.protobuf,
    s.desc.kind,
  ) as KubeObject;
  decodeTypedBody(s, body);
  const finalizers = (body.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [];
  const result = await s.store.guaranteedUpdate(
    '',
    name,
    (cur) => {
      const next = deepCopy(cur.obj);
      next.spec = { ...((next.spec as object) ?? {}), finalizers };
      return next;
    },
    { dryRun },
  );
  writeCached(s, 200, result);
}

function toScale(s: RequestScope, obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (obj.status ?? {}) as { replicas?: number };
  const sel = spec.selector?.matchLabels
    ? Object.entries(spec.selector.matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '';
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata?.name,
      namespace: obj.metadata?.namespace,
      uid: obj.metadata?.uid,
      resourceVersion: obj.metadata?.resourceVersion,
      creationTimestamp: obj.metadata?.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: sel },
  };
}

async function handleScale(s: RequestScope, ns: string, name: string): Promise<void> {
  const verb = s.ctx.info.verb;
  if (verb === 'get') return writeObject(s.ctx, 200, toScale(s, s.store.mustGet(ns, name).obj));
  const dryRun = isDryRun(s);
  const body = decodeObject(
    await readBody(s.ctx.req),
    verb === 'patch' ? 'application/json' : s.ctx.req.headers['content-type'],
    s.env.protobuf,
  );
  const replicas = (body.spec as { replicas?: unknown } | undefined)?.replicas;
  const scaleRv = (body.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  if (
    replicas !== undefined &&
    (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
  ) {
    throw new ApiError(
      422,
      'Invalid',
      `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  const result = await s.store.guaranteedUpdate(
    ns,
    name,
    (cur) => {
      if (replicas === undefined) return undefined;
      const next = deepCopy(cur.obj);
      next.spec = { ...((next.spec as object) ?? {}), replicas };
      // A Scale's resourceVersion is the parent's (scaleUpdatedObjectInfo): stale is a 409.
      if (typeof scaleRv === 'string' && scaleRv) next.metadata!.resourceVersion = scaleRv;
      return finishUpdate(s, cur, next, 'main', 'scale');
    },
    { dryRun },
  );
  writeObject(s.ctx, 200, toScale(s, result.obj));
}

async function handleBinding(s: RequestScope, ns: string, name: string): Promise<void> {
  const dryRun = isDryRun(s);
  const body = decodeObject(await readBody(s.ctx.req), s.ctx.req.headers['content-type'], s.env.protobuf);
  const node = (body.target as { name?: string } | undefined)?.name;
  if (!node) throw new ApiError(422, 'Invalid', `Binding "${name}" is invalid: target.name: Required value`);
  const annotations = (body.metadata as { annotations?: Record<string, string> } | undefined)?.annotations;
  await s.store.guaranteedUpdate(ns, name, (cur) => bindPod(cur.obj, name, node, annotations, s.env.now()), {
    dryRun,
  });
  writeObject(s.ctx, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function handleEviction(s: RequestScope, ns: string, name: string): Promise<void> {
  const body = decodeObject(
    await readBody(s.ctx.req),
    s.ctx.req.headers['content-type'],
    s.env.protobuf,
    'Eviction',
  ) as KubeObject;
  if (body.apiVersion === 'policy/v1')
    decodeTypedBody(s, body, { apiVersion: 'policy/v1', kind: 'Eviction' });
  const options = (body as { deleteOptions?: unknown }).deleteOptions ?? undefined;
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options)))
    throw badRequest('deleteOptions must be a JSON object');
  const dryRun = evictionDryRun(s, options);
  if (body.metadata?.name !== undefined && body.metadata.name !== name)
    throw badRequest('name in URL does not match name in Eviction object');
  if (!s.store.get(ns, name)) throw notFound(s.store.gr, name);
  checkNodeRestriction(s, 'CREATE', body, undefined, 'eviction');
  await deleteOne(s, ns, name, (options ?? {}) as DeleteOptions, dryRun);
  writeObject(s.ctx, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}
