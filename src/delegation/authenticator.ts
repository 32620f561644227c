/**
 * @module delegation/authenticator
 *
 * The delegating authenticator of the kubelet and of `kubeauth proxy`, after
 * staging/src/k8s.io/apiserver/pkg/authentication/authenticatorfactory/delegating.go:
 * x509 client certificates against the client CA, then bearer tokens checked by a TokenReview
 * (authentication.k8s.io/v1) POSTed to the API server, cached for the cache TTL (successes and
 * failures alike, errors never: `cache.New(tokenAuth, false, CacheTTL, CacheTTL)`); the union gets
 * `system:authenticated` added, and when anonymous is enabled it runs behind fail-on-error, so a
 * bad credential is a 401, never anonymous. With no method at all and anonymous off, building
 * fails with upstream's "no authentication method configured".
 *
 * Beyond upstream: `staleIfErrorMs`, a window past the TTL in which a cached result still answers
 * while the API server cannot be reached (logged through `onStale`).
 */
import { anonymousAuthenticator } from '../authn/anonymous.js';
import { bearerTokenAuthenticator } from '../authn/bearer-token.js';
import type { RequestAuthenticator } from '../authn/interfaces.js';
import { CachedTokenAuthenticator } from '../authn/token-cache.js';
import { union, unionFailOnError, withAuthenticatedGroup } from '../authn/union.js';
import { WebhookTokenAuthenticator } from '../authn/webhook-token.js';
import { X509Authenticator } from '../authn/x509.js';
import { isUnreachable } from '../authz/webhook.js';
import type { RetryBackoff, WebhookConnection } from '../webhook/client.js';

export interface DelegatingAuthenticatorOptions {
  anonymous: boolean;
  /** PEM bundle of the client CA (--client-ca-file); no x509 authentication without it. */
  clientCaPem?: string;
  /** TokenReview against the API server (--authentication-token-webhook); off without it. */
  tokenReview?: {
    /** The connection, its `server` the full tokenreviews URL. */
    connection: WebhookConnection;
    cacheTtlMs: number;
    /** Audiences the token must be valid for (kube-rbac-proxy --auth-token-audiences). */
    audiences?: string[];
    timeoutMs?: number;
    backoff?: RetryBackoff;
    userAgent?: string;
  };
  staleIfErrorMs?: number;
  onStale?: (ageMs: number, error: Error) => void;
  now?: () => number;
}

export interface DelegatingAuthenticator {
  authenticator: RequestAuthenticator;
  /** The token cache, when token review is on (exposed for tests and the benchmark). */
  tokenCache?: CachedTokenAuthenticator;
}

export function buildDelegatingAuthenticator(o: DelegatingAuthenticatorOptions): DelegatingAuthenticator {
  const parts: RequestAuthenticator[] = [];
  if (o.clientCaPem) parts.push(new X509Authenticator({ caPem: o.clientCaPem, now: o.now }));
  let tokenCache: CachedTokenAuthenticator | undefined;
  if (o.tokenReview) {
    const tr = o.tokenReview;
    const review = new WebhookTokenAuthenticator({
      connection: tr.connection,
      version: 'v1',
      implicitAudiences: tr.audiences ?? [],
      requestTimeoutMs: tr.timeoutMs ?? 10_000,
      backoff: tr.backoff,
      userAgent: tr.userAgent,
    });
    tokenCache = new CachedTokenAuthenticator(review, {
      successTtlMs: tr.cacheTtlMs,
      failureTtlMs: tr.cacheTtlMs,
      cacheErrors: false,
      now: o.now,
      staleIfErrorMs: o.staleIfErrorMs ?? 0,
      isUnreachable,
      onStale: o.onStale,
    });
    parts.push(bearerTokenAuthenticator(tokenCache, tr.audiences ?? []));
  }
  if (parts.length === 0) {
    if (o.anonymous) return { authenticator: anonymousAuthenticator };
    throw new Error('no authentication method configured');
  }
  const authenticated = withAuthenticatedGroup(union(...parts));
  return {
    authenticator: o.anonymous ? unionFailOnError(authenticated, anonymousAuthenticator) : authenticated,
    tokenCache,
  };
}
