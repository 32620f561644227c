/**
 * Webhook token authentication (`--authentication-token-webhook-config-file`), after
 * k8s.io/apiserver/plugin/pkg/authenticator/token/webhook/webhook.go: the token goes to a remote
 * service as an authentication.k8s.io TokenReview (v1, or v1beta1 as kube-apiserver's default
 * `--authentication-token-webhook-version`), with the request's audiences; the answer's `status`
 * decides. Upstream's audience rules: the answer's audiences (or, when it names none, the API
 * audiences) must meet the requested ones, else the token is "not mine".
 *
 * Calls are retried with upstream's backoff and bounded by a request timeout; a webhook that is
 * down, slow or answers garbage is an error (401 for its tokens, never anonymous). Results are
 * cached for `--authentication-token-webhook-cache-ttl` (2m) by the caller's cache decorator.
 */
import {
  DEFAULT_RETRY_BACKOFF,
  postJson,
  withBackoff,
  type RetryBackoff,
  type WebhookConnection,
} from '../webhook/client.js';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

export interface WebhookTokenOptions {
  connection: WebhookConnection;
  version: 'v1' | 'v1beta1';
  implicitAudiences: string[];
  /** Per-attempt timeout (ms). */
  requestTimeoutMs?: number;
  /** User-Agent of the calls (default kubeauth-apiserver/webhook-authenticator). */
  userAgent?: string;
  backoff?: RetryBackoff;
  sleep?: (ms: number) => Promise<void>;
}

interface ReviewStatus {
  authenticated?: boolean;
  user?: {
    username?: string;
    uid?: string;
    groups?: string[] | null;
    extra?: Record<string, string[]> | null;
  };
  audiences?: string[] | null;
  error?: string;
}

export class WebhookTokenAuthenticator implements TokenAuthenticator {
  constructor(private readonly o: WebhookTokenOptions) {}

  async authenticateToken(token: string, audiences: string[]): Promise<AuthResult> {
    const review = {
      apiVersion: `authentication.k8s.io/${this.o.version}`,
      kind: 'TokenReview',
      metadata: { creationTimestamp: null },
      spec: { token, ...(audiences.length ? { audiences } : {}) },
      status: { user: {} },
    };
    let answer: unknown;
    try {
      answer = await withBackoff(
        this.o.backoff ?? DEFAULT_RETRY_BACKOFF,
        () =>
          postJson(
            this.o.connection,
            review,
            this.o.requestTimeoutMs ?? 10_000,
            this.o.userAgent ?? 'kubeauth-apiserver/webhook-authenticator',
          ),
        this.o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      );
    } catch (e) {
      // The cause (a WebhookError) tells a caller whether the server could not be reached.
      return {
        ok: false,
        error: new Error(`webhook authentication failed: ${(e as Error).message}`, { cause: e }),
      };
    }
    const status = ((answer as { status?: ReviewStatus } | null)?.status ?? {}) as ReviewStatus;
    if (typeof status !== 'object')
      return { ok: false, error: new Error('webhook authentication failed: invalid TokenReview status') };
    let auds: string[] | undefined;
    if (audiences.length) {
      const got = status.audiences?.length ? status.audiences : this.o.implicitAudiences;
      auds = audiences.filter((a) => got.includes(a));
      if (!auds.length) return { ok: false };
    }
    if (status.authenticated !== true)
      return status.error ? { ok: false, error: new Error(status.error) } : { ok: false };
    const u = status.user ?? {};
    if (typeof u.username !== 'string' || !u.username)
      return {
        ok: false,
        error: new Error('webhook authentication failed: authenticated without a username'),
      };
    const extra: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(u.extra ?? {})) if (Array.isArray(v)) extra[k] = v.map(String);
    return {
      ok: true,
      response: {
        user: { name: u.username, uid: u.uid ?? '', groups: (u.groups ?? []).map(String), extra },
        audiences: auds,
      },
    };
  }
}
