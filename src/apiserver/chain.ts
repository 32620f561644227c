/**
 * buildHandlerChain assembles the filters in upstream's runtime order
 * (k8s.io/apiserver/pkg/server/config.go DefaultBuildHandlerChain, FACTS.md §1):
 * panic recovery → request info → authentication → audit → impersonation → authorization →
 * the API handler (non-resource endpoints, or REST with admission inside).
 */
import { randomUUID } from 'node:crypto';
import type { RequestAuthenticator } from '../authn/interfaces.js';
import type { Authorizer } from '../authz/interfaces.js';
import type { AnyRequest, AnyResponse, Filter, Handler, RequestContext } from './context.js';
import { withAuthentication, type ProxyHeaders } from './filters/authentication.js';
import { withAuthorization, type DenyObserver } from './filters/authorization.js';
import { withRequestInfo } from './filters/request-info.js';
import { withRequestTimeout } from './filters/timeout.js';
import { writeError } from './responses.js';

export interface ChainConfig {
  authenticator: RequestAuthenticator;
  /** Front-proxy header names to strip after authentication, beyond the standard ones. */
  proxyHeaders?: ProxyHeaders;
  authorizer: Authorizer;
  /** --request-timeout for non-long-running requests (ms); 0 disables. */
  requestTimeoutMs?: number;
  /** Told about every refused request (logging). */
  onDeny?: DenyObserver;
  /** Filters between authentication and authorization (audit, impersonation), in order. */
  afterAuthentication?: Filter[];
  api: Handler;
}

/** Catches anything a handler throws and answers with a Status (ApiError) or a 500. */
export const withPanicRecovery: Filter = (next) => async (ctx) => {
  try {
    await next(ctx);
  } catch (e) {
    writeError(ctx, e);
  }
};

/** Filter names in execution order; asserted by chain.test.ts. */
export const CHAIN_ORDER = [
  'panicRecovery',
  'requestInfo',
  'requestTimeout',
  'authentication',
  '...afterAuthentication',
  'authorization',
  'api',
] as const;

export function buildHandlerChain(cfg: ChainConfig): Handler {
  const filters: Filter[] = [
    withPanicRecovery,
    withRequestInfo,
    withRequestTimeout(cfg.requestTimeoutMs ?? 60_000),
    withAuthentication(cfg.authenticator, cfg.proxyHeaders),
    ...(cfg.afterAuthentication ?? []),
    withAuthorization(cfg.authorizer, cfg.onDeny),
  ];
  let h = cfg.api;
  for (let i = filters.length - 1; i >= 0; i--) h = filters[i](h);
  return h;
}

export function newContext(req: AnyRequest, res: AnyResponse): RequestContext {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  return {
    req,
    res,
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)),
    info: undefined as unknown as RequestContext['info'],
    auditID: randomUUID(),
    receivedAt: process.hrtime.bigint(),
    warnings: [],
  };
}
