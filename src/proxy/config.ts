/**
 * @module proxy/config
 *
 * kube-rbac-proxy's `--config-file` (pkg/authz/auth.go `Config`, pkg/authorization/rewrite):
 *
 * ```yaml
 * authorization:
 *   rewrites:
 *     byQueryParameter: { name: namespace }   # and/or byHTTPHeader: { name: X-Namespace }
 *   resourceAttributes:
 *     namespace: "{{ .Value }}"
 *     apiGroup: ""
 *     apiVersion: v1
 *     resource: services
 *     subresource: proxy
 *     name: my-app
 * ```
 *
 * Without `resourceAttributes` a request is authorized as a non-resource request (its path and
 * the verb of its method). Fields are templates over `.Value`, the rewrite parameter; only the
 * `{{ .Value }}` action is implemented and any other action is refused when the file is read.
 * `authorization.static` (kube-rbac-proxy's static authorizer) is not implemented and refused.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface ProxyResourceAttributes {
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface ProxyAuthzConfig {
  resourceAttributes?: ProxyResourceAttributes;
  rewrites?: { byQueryParameter?: string; byHTTPHeader?: string };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TEMPLATE_ACTION = /\{\{-?\s*([^}]*?)\s*-?\}\}/g;

function template(v: unknown, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new Error(`${field}: must be a string`);
  for (const m of v.matchAll(TEMPLATE_ACTION)) {
    if (m[1] !== '.Value')
      throw new Error(`${field}: template action {{${m[1]}}} is not supported (only {{ .Value }})`);
  }
  return v;
}

function unknown(o: Obj, allowed: string[], at: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`unknown field "${at}${k}"`);
}

export function parseProxyConfig(text: string): ProxyAuthzConfig {
  const doc: unknown = parseYaml(text);
  if (doc === null || doc === undefined) return {};
  if (!isObj(doc)) throw new Error('the configuration must be an object');
  unknown(doc, ['authorization'], '');
  const az = doc.authorization;
  if (az === undefined || az === null) return {};
  if (!isObj(az)) throw new Error('authorization: must be an object');
  if (az.static !== undefined)
    throw new Error('authorization.static: the static authorizer is not implemented');
  unknown(az, ['resourceAttributes', 'rewrites'], 'authorization.');
  const out: ProxyAuthzConfig = {};
  if (isObj(az.resourceAttributes)) {
    const ra = az.resourceAttributes;
    unknown(
      ra,
      ['namespace', 'apiGroup', 'apiVersion', 'resource', 'subresource', 'name'],
      'authorization.resourceAttributes.',
    );
    const f = (k: string) => template(ra[k], `authorization.resourceAttributes.${k}`);
    out.resourceAttributes = {
      namespace: f('namespace'),
      apiGroup: f('apiGroup'),
      apiVersion: f('apiVersion'),
      resource: f('resource'),
      subresource: f('subresource'),
      name: f('name'),
    };
  }
  if (isObj(az.rewrites)) {
    const rw = az.rewrites;
    unknown(rw, ['byQueryParameter', 'byHTTPHeader'], 'authorization.rewrites.');
    const name = (v: unknown, at: string): string | undefined => {
      if (v === undefined || v === null) return undefined;
      if (!isObj(v) || typeof v.name !== 'string') throw new Error(`${at}: must be {name: <string>}`);
      return v.name || undefined;
    };
    out.rewrites = {
      byQueryParameter: name(rw.byQueryParameter, 'authorization.rewrites.byQueryParameter'),
      byHTTPHeader: name(rw.byHTTPHeader, 'authorization.rewrites.byHTTPHeader'),
    };
  }
  return out;
}

export function loadProxyConfig(file: string): ProxyAuthzConfig {
  try {
    return parseProxyConfig(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`failed to read the config file ${file}: ${(e as Error).message}`, { cause: e });
  }
}
