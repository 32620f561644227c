/**
 * RequestInfo: method + URL → the attributes authorization and the REST layer work with.
 * A pure port of k8s.io/apiserver/pkg/endpoints/request/requestinfo.go (v0.36.3), prefixes
 * {"api","apis"} with "api" groupless (requestinfo.go's doc comment lists every path form).
 */

import { parseFieldSelector } from '../api/selectors.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The URL path (undecoded segments joined as received). */
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
  /** Raw first fieldSelector / labelSelector values for list, watch and deletecollection. */
  fieldSelector: string;
  labelSelector: string;
}

export class RequestInfoError extends Error {}

const apiPrefixes = new Set(['api', 'apis']);
const grouplessPrefixes = new Set(['api']);
const specialVerbs = new Set(['proxy', 'watch']);
const specialVerbsNoSubresources = new Set(['proxy']);
const namespaceSubresources = new Set(['status', 'finalize']);

const methodVerbs: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** "false"/"0" (any case) are false; anything else, including "", is true (ListOptions decoding). */
function truthy(v: string): boolean {
  const l = v.toLowerCase();
  return l !== 'false' && l !== '0';
}

/** A name that may appear as a single path segment (path.ValidatePathSegmentName). */
export function isValidPathSegmentName(name: string): boolean {
  if (name === '.' || name === '..') return false;
  return !name.includes('/') && !name.includes('%');
}

/**
 * The exact `metadata.name=<x>` (or `==`) requirement of a field selector, if it has one and the
 * selector parses; undefined otherwise. Mirrors fields.ParseSelector + RequiresExactMatch.
 */
function exactNameFromFieldSelector(sel: string): string | undefined {
  let reqs;
  try {
    reqs = parseFieldSelector(sel);
  } catch {
    return undefined;
  }
  return reqs.find((r) => r.field === 'metadata.name' && r.op === '=')?.value;
}

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
    fieldSelector: '',
    labelSelector: '',
  };
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  let parts = trimmed === '' ? [] : trimmed.split('/');
  if (parts.length < 3) return info;
  if (!apiPrefixes.has(parts[0])) return info;
  info.apiPrefix = parts[0];
  parts = parts.slice(1);
  if (!grouplessPrefixes.has(info.apiPrefix)) {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);

  let verbFromPath = false;
  if (specialVerbs.has(parts[0])) {
    if (parts.length < 2)
      throw new RequestInfoError(`unable to determine kind and namespace from url, ${path}`);
    info.verb = parts[0];
    verbFromPath = true;
    parts = parts.slice(1);
  } else {
    info.verb = methodVerbs[method.toUpperCase()] ?? '';
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !namespaceSubresources.has(parts[2])) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3 && !specialVerbsNoSubresources.has(info.verb)) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];

  if (info.name === '' && info.verb === 'get') {
    const watch = query.get('watch');
    info.verb = watch !== null && truthy(watch) ? 'watch' : 'list';
    const fs = query.get('fieldSelector');
    if (fs !== null) {
      const n = exactNameFromFieldSelector(fs);
      if (n && isValidPathSegmentName(n)) info.name = n;
    }
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';

  if (!verbFromPath && (info.verb === 'list' || info.verb === 'watch' || info.verb === 'deletecollection')) {
    info.fieldSelector = query.get('fieldSelector') ?? '';
    info.labelSelector = query.get('labelSelector') ?? '';
  }
  return info;
}
