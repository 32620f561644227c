/**
 * @module delegation/attributes
 *
 * The authorization attributes of a request to a delegating server, after
 * pkg/kubelet/server/auth.go `nodeAuthorizerAttributesGetter` (v1.25, the version of the kubelet
 * authn/authz document this follows) and kube-rbac-proxy's `krpAuthorizerAttributesGetter`:
 *
 * - the verb comes from the HTTP method: POST create, GET and HEAD get, PUT update, PATCH patch,
 *   DELETE delete, anything else the empty verb;
 * - on the kubelet, the resource is always `nodes`, the name the node's name, namespace and API
 *   group empty, API version `v1`, and the subresource comes from the path: `/stats/*` stats,
 *   `/metrics/*` metrics, `/logs/*` log, `/spec/*` spec, everything else proxy.
 *
 * Deliberate difference: upstream's code maps only GET to `get` (HEAD gets the empty verb, which
 * no RBAC rule matches); the kubelet document (seed 003) says "GET, HEAD → get", and that is what
 * is done here.
 */
import type { UserInfo } from '../authn/interfaces.js';
import { resourceAttributes, type Attributes } from '../authz/interfaces.js';

const VERBS: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** The API verb of an HTTP method ('' for methods upstream does not map, e.g. OPTIONS). */
export function apiVerb(method: string): string {
  return VERBS[method] ?? '';
}

/** auth.go `isSubpath`: `subpath` is `path` or below it (`path` with its trailing slash trimmed). */
export function isSubpath(subpath: string, path: string): boolean {
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  return subpath === p || (subpath.startsWith(p) && subpath[p.length] === '/');
}

/** The kubelet subresource of a request path (seed 003's table, auth.go v1.25). */
export function kubeletSubresource(path: string): string {
  if (isSubpath(path, '/stats/')) return 'stats';
  if (isSubpath(path, '/metrics')) return 'metrics';
  if (isSubpath(path, '/logs/')) return 'log';
  if (isSubpath(path, '/spec/')) return 'spec';
  return 'proxy';
}

/** The one set of attributes a kubelet request is authorized with. */
export function kubeletAttributes(
  user: UserInfo,
  method: string,
  path: string,
  nodeName: string,
): Attributes {
  return {
    ...resourceAttributes(user, {
      verb: apiVerb(method),
      apiVersion: 'v1',
      resource: 'nodes',
      subresource: kubeletSubresource(path),
      name: nodeName,
    }),
    path,
  };
}
