/**
 * @module delegation/authorizer
 *
 * The delegating authorizer of the kubelet and of `kubeauth proxy`, after
 * staging/src/k8s.io/apiserver/pkg/authorization/authorizerfactory/delegating.go: `AlwaysAllow`, or
 * `Webhook`, a SubjectAccessReview (authorization.k8s.io/v1) POSTed to the API server for each
 * decision not in the cache, allowed answers cached for the authorized TTL (5m), others for the
 * unauthorized TTL (30s), with upstream's retry backoff; a failed call is NoOpinion with the error
 * (the filter then answers 500 "Authorization error"). The webhook authorizer itself is
 * authz/webhook.ts, shared with kube-apiserver's `--authorization-mode=Webhook`.
 */
import { alwaysAllow } from '../authz/always.js';
import type { Authorizer } from '../authz/interfaces.js';
import { buildWebhookAuthorizer } from '../authz/webhook.js';
import type { RetryBackoff, WebhookConnection } from '../webhook/client.js';

export type DelegatingAuthorizationMode = 'AlwaysAllow' | 'Webhook';

export interface DelegatingAuthorizerOptions {
  mode: DelegatingAuthorizationMode;
  /** Webhook: the connection, its `server` the full subjectaccessreviews URL. */
  connection?: WebhookConnection;
  authorizedTtlMs: number;
  unauthorizedTtlMs: number;
  staleIfErrorMs?: number;
  onStale?: (ageMs: number, error: Error) => void;
  timeoutMs?: number;
  backoff?: RetryBackoff;
  userAgent?: string;
  now?: () => number;
}

export function buildDelegatingAuthorizer(o: DelegatingAuthorizerOptions): Authorizer {
  if (o.mode === 'AlwaysAllow') return alwaysAllow;
  if (!o.connection) throw new Error('no client provided, cannot use webhook authorization');
  return buildWebhookAuthorizer(
    {
      name: 'webhook',
      timeoutMs: o.timeoutMs ?? 10_000,
      authorizedTTLMs: o.authorizedTtlMs,
      unauthorizedTTLMs: o.unauthorizedTtlMs,
      subjectAccessReviewVersion: 'v1',
      failurePolicy: 'NoOpinion',
      connectionInfo: { type: 'Connection', connection: o.connection },
      staleIfErrorMs: o.staleIfErrorMs ?? 0,
      userAgent: o.userAgent,
    },
    { now: o.now, retryBackoff: o.backoff, onStale: o.onStale },
  );
}
