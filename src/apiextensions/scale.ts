/**
 * @module apiextensions/scale
 *
 * The scale subresource of custom resources (autoscaling/v1 Scale), after
 * apiextensions-apiserver/pkg/registry/customresource/etcd.go ScaleREST: spec.replicas is read
 * from and written to specReplicasPath, status.replicas is read from statusReplicasPath and
 * status.selector from labelSelectorPath (a string, e.g. a selector in string form).
 */
import { ApiError } from '../api/errors.js';
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import { decodeObject, readBody } from '../apiserver/body.js';
import { writeObject } from '../apiserver/responses.js';
import type { RequestScope } from '../apiserver/rest/scope.js';
import { finishUpdate } from '../apiserver/rest/write.js';
import { evalJsonPath, parseJsonPath } from './jsonpath.js';

type ScalePaths = { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };

function read(obj: KubeObject, path: string | undefined): unknown {
  return path ? evalJsonPath(parseJsonPath(path), obj)[0] : undefined;
}

/** Sets a simple dotted path (`.spec.replicas`), creating objects on the way. */
function write(obj: KubeObject, path: string, value: unknown): void {
  const parts = path.replace(/^\./, '').split('.');
  let cur: Record<string, unknown> = obj;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

export function customScale(obj: KubeObject, paths: ScalePaths): KubeObject {
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : 0);
  const sel = read(obj, paths.labelSelectorPath);
  const status: Record<string, unknown> = { replicas: int(read(obj, paths.statusReplicasPath)) };
  if (typeof sel === 'string' && sel) status.selector = sel;
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
    spec: { replicas: int(read(obj, paths.specReplicasPath)) },
    status,
  };
}

/** GET / PUT / PATCH of `<plural>/<name>/scale` for a custom resource. */
export async function handleCustomScale(
  s: RequestScope,
  ns: string,
  name: string,
  paths: ScalePaths,
): Promise<void> {
  const verb = s.ctx.info.verb;
  if (verb === 'get') return writeObject(s.ctx, 200, customScale(s.store.mustGet(ns, name).obj, paths));
  const body = decodeObject(
    await readBody(s.ctx.req),
    verb === 'patch' ? 'application/json' : s.ctx.req.headers['content-type'],
    s.env.protobuf,
  );
  const replicas = (body.spec as { replicas?: unknown } | undefined)?.replicas;
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
  const result = await s.store.guaranteedUpdate(ns, name, (cur) => {
    if (replicas === undefined) return undefined;
    const next = deepCopy(cur.obj);
    write(next, paths.specReplicasPath, replicas);
    return finishUpdate(s, cur, next, 'main');
  });
  writeObject(s.ctx, 200, customScale(result.obj, paths));
}
