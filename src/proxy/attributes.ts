/**
 * @module proxy/attributes
 *
 * The attributes `kubeauth proxy` authorizes a request with, after kube-rbac-proxy
 * pkg/proxy/proxy.go `GetRequestAttributes`: the verb from the HTTP method (delegation/attributes
 * `apiVerb`); without resourceAttributes, one non-resource request for the path; with them and no
 * rewrites, one resource request with the configured fields; with rewrites, one resource request
 * per rewrite parameter (the query parameter's values, then the header's), each field's
 * `{{ .Value }}` replaced by it, and none at all (a 400) when the request carries no parameter.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../authn/interfaces.js';
import { nonResourceAttributes, resourceAttributes, type Attributes } from '../authz/interfaces.js';
import { apiVerb } from '../delegation/attributes.js';
import type { ProxyAuthzConfig, ProxyResourceAttributes } from './config.js';

const VALUE = /\{\{-?\s*\.Value\s*-?\}\}/g;

function fill(ra: ProxyResourceAttributes, value: string): ProxyResourceAttributes {
  const t = (s: string) => s.replace(VALUE, () => value);
  return {
    namespace: t(ra.namespace),
    apiGroup: t(ra.apiGroup),
    apiVersion: t(ra.apiVersion),
    resource: t(ra.resource),
    subresource: t(ra.subresource),
    name: t(ra.name),
  };
}

export function proxyAttributes(
  cfg: ProxyAuthzConfig,
  user: UserInfo,
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
): Attributes[] {
  const verb = apiVerb(req.method ?? '');
  const ra = cfg.resourceAttributes;
  if (!ra) return [nonResourceAttributes(user, verb, path)];
  const resource = (r: ProxyResourceAttributes) => resourceAttributes(user, { verb, ...r });
  if (!cfg.rewrites) return [resource(ra)];
  const params: string[] = [];
  if (cfg.rewrites.byQueryParameter) params.push(...query.getAll(cfg.rewrites.byQueryParameter));
  if (cfg.rewrites.byHTTPHeader) {
    const h = req.headers[cfg.rewrites.byHTTPHeader.toLowerCase()];
    const v = Array.isArray(h) ? h[0] : h;
    if (v) params.push(v);
  }
  return params.map((p) => resource(fill(ra, p)));
}
