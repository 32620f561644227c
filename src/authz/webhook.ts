/**
 * @module authz/webhook
 *
 * The webhook authorizer, after staging/src/k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook.go.
 * Each decision POSTs a `SubjectAccessReview` (authorization.k8s.io/v1, or v1beta1 whose groups
 * field is `group`) describing the user and the request; the answer maps to Allow
 * (`status.allowed`), Deny (`status.denied`; both set = Deny plus an error) or NoOpinion, with
 * `status.reason`. Answers are cached by the serialized spec: allowed ones for `authorizedTTL`
 * (default 5m), others for `unauthorizedTTL` (default 30s), in an 8192-entry LRU, unless the
 * requester-controlled attributes exceed 10000 bytes. When the call fails (after retries) the
 * decision is the failure policy's (NoOpinion or Deny) **with the error**: the authorization
 * filter answers 500 unless a later authorizer allows. Resource requests carry the field and
 * label selector requirements (AuthorizeWithSelectors).
 *
 * With `staleIfErrorMs` (the delegating kubelet/proxy; upstream has no such window) an answer past
 * its TTL is kept that much longer and decides only when the call fails because the server cannot
 * be reached (a connection error, 5xx or 429); `deps.onStale` is told each time.
 */
import type { UserInfo } from '../authn/interfaces.js';
import { parseFieldSelector, parseLabelSelector } from '../api/selectors.js';
import type { Attributes, Authorizer, AuthzResult, Decision } from './interfaces.js';
import {
  connectionFromKubeconfigFile,
  DEFAULT_RETRY_BACKOFF,
  postJson,
  withBackoff,
  WebhookError,
  type RetryBackoff,
  type WebhookConnection,
} from '../webhook/client.js';
import { inClusterConnection } from './webhook-incluster.js';

export const DEFAULT_AUTHORIZED_TTL_MS = 5 * 60_000;
export const DEFAULT_UNAUTHORIZED_TTL_MS = 30_000;
const MAX_CONTROLLED_ATTR_CACHE_SIZE = 10000;
const CACHE_SIZE = 8192;

/** One webhook authorizer, as AuthorizationConfiguration describes it (durations in ms). */
export interface WebhookAuthorizerSpec {
  name: string;
  timeoutMs: number;
  authorizedTTLMs?: number;
  unauthorizedTTLMs?: number;
  subjectAccessReviewVersion?: 'v1' | 'v1beta1';
  failurePolicy?: 'NoOpinion' | 'Deny';
  connectionInfo:
    | { type: 'KubeConfigFile'; kubeConfigFile: string }
    | { type: 'InClusterConfig' }
    /** Already resolved (tests, embedding). */
    | { type: 'Connection'; connection: WebhookConnection };
  /** How long past its TTL a cached answer may decide while the server is unreachable (0: never). */
  staleIfErrorMs?: number;
  /** User-Agent of the calls. */
  userAgent?: string;
  /** CEL match conditions: not supported; building fails when any are given. */
  matchConditions?: { expression: string }[];
}

export interface WebhookDeps {
  /** Clock for cache expiry, ms since epoch. Default Date.now. */
  now?: () => number;
  /** Backoff sleep. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  retryBackoff?: RetryBackoff;
  /** Called when a stale answer decided; `ageMs` is how long past its TTL it is. */
  onStale?: (ageMs: number, error: Error) => void;
}

interface SarStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** The `spec` of the review, with Go's omitempty: empty fields are left out. */
export function subjectAccessReviewSpec(
  a: Attributes,
  version: 'v1' | 'v1beta1' = 'v1',
): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (a.isResourceRequest) {
    const ra: Record<string, unknown> = {};
    const put = (k: string, v: string): void => {
      if (v) ra[k] = v;
    };
    put('namespace', a.namespace);
    put('verb', a.verb);
    put('group', a.apiGroup);
    put('version', a.apiVersion);
    put('resource', a.resource);
    put('subresource', a.subresource);
    put('name', a.name);
    const fs = fieldRequirements(a.fieldSelector);
    if (fs.length) ra.fieldSelector = { requirements: fs };
    const ls = labelRequirements(a.labelSelector);
    if (ls.length) ra.labelSelector = { requirements: ls };
    spec.resourceAttributes = ra;
  } else {
    const nra: Record<string, unknown> = {};
    if (a.path) nra.path = a.path;
    if (a.verb) nra.verb = a.verb;
    spec.nonResourceAttributes = nra;
  }
  const u: UserInfo | undefined = a.user;
  if (u?.name) spec.user = u.name;
  if (u?.groups?.length) spec[version === 'v1' ? 'groups' : 'group'] = [...u.groups];
  if (u?.extra && Object.keys(u.extra).length) spec.extra = u.extra;
  if (u?.uid) spec.uid = u.uid;
  return spec;
}

function fieldRequirements(sel: string | undefined): { key: string; operator: string; values: string[] }[] {
  if (!sel) return [];
  try {
    return parseFieldSelector(sel).map((r) => ({
      key: r.field,
      operator: r.op === '=' ? 'In' : 'NotIn',
      values: [r.value],
    }));
  } catch {
    return []; // selectors only narrow: an unparsable one is left out
  }
}

function labelRequirements(sel: string | undefined): { key: string; operator: string; values?: string[] }[] {
  if (!sel) return [];
  const ops = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' } as const;
  try {
    return parseLabelSelector(sel).map((r) =>
      r.values.length
        ? { key: r.key, operator: ops[r.op], values: r.values }
        : { key: r.key, operator: ops[r.op] },
    );
  } catch {
    return [];
  }
}

/** Upstream `shouldCache`: skip caching when requester-controlled attributes are huge. */
function shouldCache(a: Attributes): boolean {
  const size =
    a.namespace.length +
    a.verb.length +
    a.apiGroup.length +
    a.apiVersion.length +
    a.resource.length +
    a.subresource.length +
    a.name.length +
    a.path.length;
  return size < MAX_CONTROLLED_ATTR_CACHE_SIZE;
}

/** An LRU whose entries also expire (k8s.io/apimachinery/pkg/util/cache.LRUExpireCache). */
class LruExpireCache<V> {
  private readonly m = new Map<string, { v: V; expires: number }>();
  constructor(
    private readonly max: number,
    private readonly now: () => number,
    /** Expired entries are kept this long for `stale` (0: dropped on the first miss). */
    private readonly staleMs = 0,
  ) {}
  get(k: string): V | undefined {
    const e = this.m.get(k);
    if (!e) return undefined;
    const now = this.now();
    if (now >= e.expires) {
      if (now >= e.expires + this.staleMs) this.m.delete(k);
      return undefined;
    }
    this.m.delete(k);
    this.m.set(k, e);
    return e.v;
  }
  /** An expired entry still inside the stale window, with how long past its TTL it is. */
  stale(k: string): { v: V; ageMs: number } | undefined {
    const e = this.m.get(k);
    const now = this.now();
    if (!e || now < e.expires || now >= e.expires + this.staleMs) return undefined;
    return { v: e.v, ageMs: now - e.expires };
  }
  add(k: string, v: V, ttlMs: number): void {
    this.m.delete(k);
    this.m.set(k, { v, expires: this.now() + ttlMs });
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value as string);
  }
}

/**
 * Whether a failed call means the server could not be reached: a connection error or timeout, an
 * HTTP 5xx or 429. Other answers (401, 403, 400) are the server's word and are never papered over.
 */
export function isUnreachable(e: unknown): boolean {
  const w = e instanceof WebhookError ? e : (e as { cause?: unknown })?.cause;
  if (!(w instanceof WebhookError)) return false;
  return w.statusCode === 0 || w.statusCode >= 500 || w.statusCode === 429;
}

function resolveConnection(spec: WebhookAuthorizerSpec): WebhookConnection {
  const ci = spec.connectionInfo;
  if (ci.type === 'Connection') return ci.connection;
  if (ci.type === 'InClusterConfig') return inClusterConnection();
  return connectionFromKubeconfigFile(ci.kubeConfigFile);
}

/**
 * Builds a webhook authorizer. Throws if the connection cannot be resolved or match conditions
 * are given (CEL is not implemented).
 *
 * @example
 * ```ts
 * const authz = buildWebhookAuthorizer({
 *   name: 'default', timeoutMs: 30_000, subjectAccessReviewVersion: 'v1', failurePolicy: 'NoOpinion',
 *   connectionInfo: { type: 'KubeConfigFile', kubeConfigFile: '/etc/kubeauth/authz-webhook.yaml' },
 * }, { now: Date.now })
 * ```
 */
export function buildWebhookAuthorizer(spec: WebhookAuthorizerSpec, deps: WebhookDeps = {}): Authorizer {
  if (spec.matchConditions?.length) {
    throw new Error(
      `authorizer ${JSON.stringify(spec.name)}: matchConditions are not supported (CEL expressions are not implemented)`,
    );
  }
  const version = spec.subjectAccessReviewVersion ?? 'v1';
  if (version !== 'v1' && version !== 'v1beta1') {
    throw new Error(
      `unsupported webhook authorizer version "${version}", supported versions are "v1", "v1beta1"`,
    );
  }
  const conn = resolveConnection(spec);
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const backoff = deps.retryBackoff ?? DEFAULT_RETRY_BACKOFF;
  const authorizedTTL = spec.authorizedTTLMs ?? DEFAULT_AUTHORIZED_TTL_MS;
  const unauthorizedTTL = spec.unauthorizedTTLMs ?? DEFAULT_UNAUTHORIZED_TTL_MS;
  const onError: Decision = spec.failurePolicy === 'Deny' ? 'Deny' : 'NoOpinion';
  const staleMs = spec.staleIfErrorMs ?? 0;
  const cache = new LruExpireCache<SarStatus>(CACHE_SIZE, now, staleMs);
  const apiVersion = `authorization.k8s.io/${version}`;

  const decide = (s: SarStatus): AuthzResult => {
    const reason = s.reason ?? '';
    if (s.denied && s.allowed) {
      return {
        decision: 'Deny',
        reason,
        error: new Error('webhook subject access review returned both allow and deny response'),
      };
    }
    if (s.denied) return { decision: 'Deny', reason };
    if (s.allowed) return { decision: 'Allow', reason };
    return { decision: 'NoOpinion', reason };
  };

  // The cache key is the serialized spec. A user object seen again (authenticator caches hand out
  // the same one) keeps its keys by attributes, so a warm decision costs no serialization.
  const keysByUser = new WeakMap<object, Map<string, string>>();
  const keyOf = (a: Attributes): string => {
    if (!a.user || typeof a.user !== 'object') return JSON.stringify(subjectAccessReviewSpec(a, version));
    const fields = [
      a.isResourceRequest ? 'r' : 'n',
      a.verb,
      a.namespace,
      a.apiGroup,
      a.apiVersion,
      a.resource,
      a.subresource,
      a.name,
      a.isResourceRequest ? '' : a.path,
      a.fieldSelector ?? '',
      a.labelSelector ?? '',
    ].join('\u0000');
    let keys = keysByUser.get(a.user);
    if (!keys) keysByUser.set(a.user, (keys = new Map()));
    let k = keys.get(fields);
    if (k === undefined) {
      k = JSON.stringify(subjectAccessReviewSpec(a, version));
      if (keys.size >= 256) keys.clear(); // requester-controlled: bounded
      keys.set(fields, k);
    }
    return k;
  };

  return {
    name: 'Webhook',
    authorize(a: Attributes): AuthzResult | Promise<AuthzResult> {
      const key = keyOf(a);
      const hit = cache.get(key);
      if (hit) return decide(hit);
      const sarSpec = subjectAccessReviewSpec(a, version);
      const body = {
        kind: 'SubjectAccessReview',
        apiVersion,
        metadata: { creationTimestamp: null },
        spec: sarSpec,
        status: { allowed: false },
      };
      return withBackoff(
        backoff,
        () => postJson(conn, body, spec.timeoutMs, spec.userAgent),
        sleep,
        deps.random,
      ).then(
        (res) => {
          const st = ((res as { status?: Partial<SarStatus> })?.status ?? {}) as Partial<SarStatus>;
          const status: SarStatus = {
            allowed: st.allowed === true,
            denied: st.denied === true,
            reason: typeof st.reason === 'string' ? st.reason : '',
            evaluationError: typeof st.evaluationError === 'string' ? st.evaluationError : '',
          };
          if (shouldCache(a)) cache.add(key, status, status.allowed ? authorizedTTL : unauthorizedTTL);
          return decide(status);
        },
        (err: unknown) => {
          const error = err instanceof Error ? err : new Error(String(err));
          const old = staleMs > 0 && isUnreachable(error) ? cache.stale(key) : undefined;
          if (old) {
            deps.onStale?.(old.ageMs, error);
            return decide(old.v);
          }
          return { decision: onError, reason: '', error };
        },
      );
    },
  };
}
