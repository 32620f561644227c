/**
 * @module apiserver/rest/binding
 *
 * What POST `pods/NAME/binding` does to the pod, after pkg/registry/core/pod/storage/storage.go
 * (`BindingREST.assignPod`, `setPodHostAndAnnotations`): a pod being deleted or already assigned
 * is refused (409), otherwise spec.nodeName is set, the Binding's annotations are copied, and the
 * PodScheduled condition becomes True (podutil.UpdatePodCondition). Shared by the REST handler and
 * the in-process scheduler, which binds through the same function (its in-process POST).
 */
import { ApiError } from '../../api/errors.js';
import { deepCopy } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

function conflict(name: string, msg: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": ${msg}`);
}

/** podutil.UpdatePodCondition: replace the condition of that type, a changed status moves lastTransitionTime. */
export function setPodCondition(pod: KubeObject, c: Condition, now: Date): boolean {
  const status = (pod.status ??= {}) as { conditions?: Condition[] };
  const conds = Array.isArray(status.conditions) ? status.conditions : [];
  const i = conds.findIndex((x) => x?.type === c.type);
  const old = i >= 0 ? conds[i] : undefined;
  const next: Condition = {
    type: c.type,
    status: c.status,
    lastProbeTime: null,
    lastTransitionTime:
      old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : isoSeconds(now),
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  };
  if (old && JSON.stringify(old) === JSON.stringify(next)) return false;
  if (i >= 0) conds[i] = next;
  else conds.push(next);
  status.conditions = conds;
  return true;
}

/** metav1.Time: RFC 3339, whole seconds. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The pod after binding it to `node`, or the 409 upstream answers. */
export function bindPod(
  cur: KubeObject,
  name: string,
  node: string,
  annotations: Record<string, string> | undefined,
  now: Date,
): KubeObject {
  if (cur.metadata?.deletionTimestamp)
    throw conflict(name, `pod ${name} is being deleted, cannot be assigned to a host`);
  const next = deepCopy(cur);
  const spec = (next.spec ??= {}) as { nodeName?: string };
  if (spec.nodeName) throw conflict(name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  spec.nodeName = node;
  if (annotations && Object.keys(annotations).length) {
    const md = (next.metadata ??= {});
    md.annotations = { ...(md.annotations ?? {}), ...annotations };
  }
  setPodCondition(next, { type: 'PodScheduled', status: 'True' }, now);
  return next;
}
