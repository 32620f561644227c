/**
 * The authenticator chain of kube-apiserver (pkg/kubeapiserver/authenticator/config.go) built from
 * ApiServerOptions.authentication: request authenticators (front proxy, password file, x509, bearer
 * token) then anonymous with fail-on-error, and the token authenticators behind one cache.
 */
import { anonymousAuthenticator } from '../authn/anonymous.js';
import { audienceAgnostic } from '../authn/audiences.js';
import { bearerTokenAuthenticator } from '../authn/bearer-token.js';
import { BootstrapTokenAuthenticator } from '../authn/bootstrap-token.js';
import type { DynamicCaBundle } from '../authn/dynamic-ca.js';
import type { RequestAuthenticator, TokenAuthenticator } from '../authn/interfaces.js';
import type { AnonymousSetting } from '../authn/oidc/anonymous-paths.js';
import { RequestHeaderAuthenticator, type RequestHeaderOptions } from '../authn/request-header.js';
import {
  LEGACY_ISSUER,
  ServiceAccountTokenAuthenticator,
  type PublicKeyEntry,
  type ServiceAccountGetter,
} from '../authn/service-account.js';
import { CachedTokenAuthenticator } from '../authn/token-cache.js';
import { tokenUnion } from '../authn/token-union.js';
import { union, unionFailOnError, withAuthenticatedGroup } from '../authn/union.js';
import { WebhookTokenAuthenticator } from '../authn/webhook-token.js';
import { X509Authenticator } from '../authn/x509.js';
import type { WebhookConnection } from '../webhook/client.js';

export interface AuthenticationOptions {
  /** The API audiences (--api-audiences, default the first --service-account-issuer). */
  apiAudiences: string[];
  /** --token-auth-file, parsed. */
  tokenFile?: TokenAuthenticator;
  /** --basic-auth-file (removed upstream in 1.19; kept for the seed, with a warning). */
  passwordFile?: RequestAuthenticator;
  /** The authenticating proxy (--requestheader-*); off without a CA. */
  requestHeader?: RequestHeaderOptions;
  /** --enable-bootstrap-token-auth: Secrets of type bootstrap.kubernetes.io/token in kube-system. */
  bootstrapTokens?: boolean;
  /** Service-account token verification (--service-account-key-file, -issuer, -lookup). */
  serviceAccounts?: {
    /** The keys, or where to read the current ones (serviceaccount/key-files.ts reloads them). */
    keys: readonly PublicKeyEntry[] | (() => readonly PublicKeyEntry[]);
    issuers: string[];
    lookup: boolean;
    jwksUri?: string;
  };
  /** JWT (OIDC) authenticators (--oidc-* or --authentication-config). */
  jwt?: { tokens: TokenAuthenticator };
  /**
   * The anonymous setting in force, changeable while running (--anonymous-auth or the
   * --authentication-config `anonymous` section, reloaded); when given, it replaces anonymousAuth.
   */
  anonymous?: AnonymousSetting;
  /** --authentication-token-webhook-config-file, -version, -cache-ttl. */
  webhook?: { connection: WebhookConnection; version: 'v1' | 'v1beta1'; cacheTtlMs: number };
  /** Token cache TTLs (kube-apiserver: success 10 s, failure 0). */
  tokenSuccessCacheTtlMs?: number;
  tokenFailureCacheTtlMs?: number;
}

/**
 * The token authenticators in kube-apiserver's order (pkg/kubeapiserver/authenticator/config.go):
 * token file, legacy service-account tokens, bound service-account tokens, bootstrap tokens, OIDC /
 * JWT issuers (audience-agnostic, as config.go wraps them), the webhook; one union behind one
 * cache. Undefined when none is configured.
 */
export function buildTokenAuthenticator(
  a: AuthenticationOptions | undefined,
  getter: ServiceAccountGetter,
  now: () => Date,
  log: (m: string) => void,
): TokenAuthenticator | undefined {
  if (!a) return undefined;
  const parts: TokenAuthenticator[] = [];
  if (a.tokenFile) parts.push(audienceAgnostic(a.apiAudiences, a.tokenFile));
  if (a.serviceAccounts) {
    const common = { keys: a.serviceAccounts.keys, implicitAudiences: a.apiAudiences, getter, now };
    parts.push(
      new ServiceAccountTokenAuthenticator({
        ...common,
        issuers: [LEGACY_ISSUER],
        lookup: a.serviceAccounts.lookup,
      }),
      new ServiceAccountTokenAuthenticator({ ...common, issuers: a.serviceAccounts.issuers, lookup: true }),
    );
  }
  if (a.bootstrapTokens)
    parts.push(
      audienceAgnostic(a.apiAudiences, new BootstrapTokenAuthenticator(getter.secret, { now, log })),
    );
  if (a.jwt) parts.push(audienceAgnostic(a.apiAudiences, a.jwt.tokens));
  if (a.webhook) {
    // Upstream caches webhook answers for --authentication-token-webhook-cache-ttl, errors excepted.
    const hook = new WebhookTokenAuthenticator({ ...a.webhook, implicitAudiences: a.apiAudiences });
    const ttl = a.webhook.cacheTtlMs;
    parts.push(
      ttl > 0
        ? new CachedTokenAuthenticator(hook, { successTtlMs: ttl, failureTtlMs: ttl, cacheErrors: false })
        : hook,
    );
  }
  if (!parts.length) return undefined;
  const successTtlMs = a.tokenSuccessCacheTtlMs ?? 10_000;
  const failureTtlMs = a.tokenFailureCacheTtlMs ?? 0;
  const tokens = tokenUnion(...parts);
  return successTtlMs > 0 || failureTtlMs > 0
    ? new CachedTokenAuthenticator(tokens, { successTtlMs, failureTtlMs })
    : tokens;
}

export function buildAuthenticator(
  o: {
    tls: { clientCa?: string; clientCaBundle?: DynamicCaBundle; requestHeaderCaBundle?: DynamicCaBundle };
    anonymousAuth: boolean;
    authentication?: AuthenticationOptions;
  },
  tokens: TokenAuthenticator | undefined,
): RequestAuthenticator {
  const parts: RequestAuthenticator[] = [];
  if (o.authentication?.requestHeader) {
    const proxy = new RequestHeaderAuthenticator(o.authentication.requestHeader);
    o.tls.requestHeaderCaBundle?.onChange((pem) => proxy.setCaPem(pem));
    parts.push(proxy);
  }
  // Kubernetes ≤ 1.18 put the password file between the proxy and x509.
  if (o.authentication?.passwordFile) parts.push(o.authentication.passwordFile);
  if (o.tls.clientCa) {
    const x509 = new X509Authenticator({ caPem: o.tls.clientCa });
    o.tls.clientCaBundle?.onChange((pem) => x509.setCaPem(pem));
    parts.push(x509);
  }
  if (tokens) parts.push(bearerTokenAuthenticator(tokens, o.authentication?.apiAudiences ?? []));
  const main = withAuthenticatedGroup(
    parts.length ? union(...parts) : { authenticate: () => ({ ok: false }) },
  );
  const dynamic = o.authentication?.anonymous;
  if (dynamic) return unionFailOnError(main, dynamic);
  return o.anonymousAuth ? unionFailOnError(main, anonymousAuthenticator) : main;
}

/**
 * What TokenReview runs (pkg/registry/authentication/tokenreview/storage.go): the bearer-token
 * path of the request authenticator, so an unknown token reads "invalid bearer token" and a
 * success carries system:authenticated.
 */
export function reviewAuthenticator(tokens: TokenAuthenticator | undefined): TokenAuthenticator {
  return {
    async authenticateToken(token, audiences) {
      const bearer = withAuthenticatedGroup(
        bearerTokenAuthenticator(tokens ?? { authenticateToken: () => ({ ok: false }) }, audiences),
      );
      return bearer.authenticate({ headers: { authorization: [`Bearer ${token}`] }, path: '' });
    },
  };
}
