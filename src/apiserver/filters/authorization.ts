/**
 * WithAuthorization (k8s.io/apiserver/pkg/endpoints/filters/authorization.go) and the Forbidden
 * text of responsewriters/errors.go (FACTS.md §4.4): Allow proceeds (an error with Allow is
 * ignored), an error otherwise is a 500, anything else is a 403 Status.
 */
import { ApiError, forbidden } from '../../api/errors.js';
import type { Attributes, Authorizer } from '../../authz/interfaces.js';
import type { Filter, RequestContext } from '../context.js';
import { writeBytes, writeError } from '../responses.js';

export function attributesOf(ctx: RequestContext): Attributes {
  const i = ctx.info;
  return {
    user: ctx.user!,
    verb: i.verb,
    isResourceRequest: i.isResourceRequest,
    path: i.path,
    namespace: i.namespace,
    apiGroup: i.apiGroup,
    apiVersion: i.apiVersion,
    resource: i.resource,
    subresource: i.subresource,
    name: i.name,
    fieldSelector: i.fieldSelector,
    labelSelector: i.labelSelector,
  };
}

function sanitize(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** forbiddenMessage + NewForbidden, exactly as upstream. */
export function forbiddenError(a: Attributes, reason: string): ApiError {
  const user = a.user?.name ?? '';
  let inner: string;
  if (!a.isResourceRequest) {
    inner = `User ${JSON.stringify(user)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  } else {
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    inner = a.namespace
      ? `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(a.apiGroup)} in the namespace ${JSON.stringify(a.namespace)}`
      : `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(res)} in API group ${JSON.stringify(a.apiGroup)} at the cluster scope`;
  }
  inner = sanitize(inner);
  if (reason) inner += `: ${reason}`;
  const gr = a.isResourceRequest ? { group: a.apiGroup, resource: a.resource } : { group: '', resource: '' };
  return forbidden(gr, a.isResourceRequest ? a.name : '', inner);
}

/** responsewriters.InternalError: an authorizer error without an Allow is a plain-text 500. */
export function writeAuthorizerError(ctx: RequestContext, err: Error): void {
  writeBytes(
    ctx,
    500,
    `Internal Server Error: ${JSON.stringify(ctx.path)}: ${err.message}`,
    'text/plain; charset=utf-8',
  );
}

/** Called for every request the chain refuses (e.g. to log why, with an RBAC explanation). */
export type DenyObserver = (attrs: Attributes, reason: string) => void;

export function withAuthorization(authorizer: Authorizer, onDeny?: DenyObserver): Filter {
  return (next) => async (ctx) => {
    const attrs = attributesOf(ctx);
    const r = await authorizer.authorize(attrs);
    if (r.decision === 'Allow') return next(ctx);
    if (r.error) return writeAuthorizerError(ctx, r.error);
    onDeny?.(attrs, r.reason);
    writeError(ctx, forbiddenError(attrs, r.reason));
  };
}
