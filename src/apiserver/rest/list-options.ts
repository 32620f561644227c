/**
 * ListOptions decoding (metav1.ListOptions): selectors, limit/continue, resourceVersion, watch
 * parameters, with 400s for malformed values, and the matcher built from the selectors and the
 * kind's selectable fields (metadata.name, metadata.namespace, plus the descriptor's fields).
 */
import { badRequest } from '../../api/errors.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from '../../api/selectors.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceDescriptor } from '../../registry/types.js';

export interface ListOptions {
  labelSelector: string;
  fieldSelector: string;
  limit: number;
  continueToken: string;
  resourceVersion: string;
  resourceVersionMatch: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  const n = Number(v);
  if (n < min) throw badRequest(`${name}: Invalid value: ${n}: must be greater than or equal to ${min}`);
  return n;
}

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const l = v.toLowerCase();
  if (l === '' || l === 'true' || l === '1' || l === 't') return true;
  if (l === 'false' || l === '0' || l === 'f') return false;
  throw badRequest(`${name}: Invalid value: "${v}": must be a boolean`);
}

export function parseListOptions(q: URLSearchParams): ListOptions {
  const rv = q.get('resourceVersion') ?? '';
  if (rv !== '' && !/^\d+$/.test(rv))
    throw badRequest(`resourceVersion: Invalid value: "${rv}": must be a non-negative integer`);
  const rvm = q.get('resourceVersionMatch') ?? '';
  if (rvm !== '' && rvm !== 'NotOlderThan' && rvm !== 'Exact') {
    throw badRequest(
      `resourceVersionMatch: Unsupported value: "${rvm}": supported values: "Exact", "NotOlderThan"`,
    );
  }
  boolParam(q, 'watch');
  return {
    labelSelector: q.get('labelSelector') ?? '',
    fieldSelector: q.get('fieldSelector') ?? '',
    limit: intParam(q, 'limit', 0) ?? 0,
    continueToken: q.get('continue') ?? '',
    resourceVersion: rv,
    resourceVersionMatch: rvm,
    timeoutSeconds: intParam(q, 'timeoutSeconds', 0),
    allowWatchBookmarks: boolParam(q, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: boolParam(q, 'sendInitialEvents'),
  };
}

export type Matcher = (obj: KubeObject) => boolean;

/** Field value as the kind's GetAttrs exposes it. */
export function fieldGetter(
  desc: ResourceDescriptor,
  obj: KubeObject,
): (field: string) => string | undefined {
  return (field) => {
    if (field === 'metadata.name') return obj.metadata?.name ?? '';
    if (field === 'metadata.namespace') return desc.namespaced ? (obj.metadata?.namespace ?? '') : '';
    const f = desc.fieldSelectors?.[field];
    return f ? f(obj) : undefined;
  };
}

export function buildMatcher(
  desc: ResourceDescriptor,
  opts: Pick<ListOptions, 'labelSelector' | 'fieldSelector'>,
): Matcher | undefined {
  const labels = parseLabelSelector(opts.labelSelector);
  const fields = parseFieldSelector(opts.fieldSelector);
  for (const f of fields) {
    if (f.field !== 'metadata.name' && f.field !== 'metadata.namespace' && !desc.fieldSelectors?.[f.field]) {
      throw badRequest(`field label not supported: ${f.field}`);
    }
  }
  if (labels.length === 0 && fields.length === 0) return undefined;
  return (obj) => matchLabels(labels, obj.metadata?.labels) && matchFields(fields, fieldGetter(desc, obj));
}

export interface ContinueToken {
  rv: number;
  /** The key (relative to the list prefix) after which to continue. */
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const j = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: string;
      rv?: number;
      start?: string;
    };
    if (
      j.v !== 'meta.k8s.io/v1' ||
      typeof j.rv !== 'number' ||
      typeof j.start !== 'string' ||
      j.start.includes('..')
    )
      throw new Error('bad');
    return { rv: j.rv, start: j.start };
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}
