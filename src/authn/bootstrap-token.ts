/**
 * Bootstrap tokens (`--enable-bootstrap-token-auth`), after
 * plugin/pkg/auth/authenticator/token/bootstrap/bootstrap.go and
 * k8s.io/cluster-bootstrap/{token/api,util/secrets}: a token `<id>.<secret>` matches the Secret
 * `kube-system/bootstrap-token-<id>` of type `bootstrap.kubernetes.io/token` that is not being
 * deleted, holds the same `token-id`, the same `token-secret` (compared in constant time), has not
 * expired, and is marked `usage-bootstrap-authentication: "true"`. The user is
 * `system:bootstrap:<id>` in `system:bootstrappers` plus the Secret's `auth-extra-groups`, each of
 * which must be a `system:bootstrappers:*` group. Every failed check is "not mine" (upstream logs
 * the reason at V(3); kubeauth logs it without the secret).
 *
 * Secrets are read from memory (the secrets watch cache), never from storage on the request path.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../api/types.js';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
export const BOOTSTRAP_DEFAULT_GROUP = 'system:bootstrappers';
export const BOOTSTRAP_NAMESPACE = 'kube-system';

const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;

/** `<id>.<secret>` split, or undefined when the token is not of that form (bootstraptokenutil.ParseToken). */
export function parseBootstrapToken(token: string): { id: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

/** A Secret's data value decoded (bootstrapsecretutil.GetData). */
export function secretData(secret: KubeObject, key: string): string {
  const v = (secret.data as Record<string, string> | undefined)?.[key];
  return v === undefined ? '' : Buffer.from(v, 'base64').toString('utf8');
}

/** bootstrapsecretutil.HasExpired: an unparseable expiration counts as expired. */
export function hasExpired(secret: KubeObject, now: Date): boolean {
  const exp = secretData(secret, 'expiration');
  if (!exp) return false;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(exp)) return true;
  const t = Date.parse(exp);
  return Number.isNaN(t) || now.getTime() > t;
}

/** bootstrapsecretutil.GetGroups: the default group plus valid extra groups, sorted and unique. */
export function bootstrapGroups(secret: KubeObject): string[] | { error: string } {
  const groups = new Set([BOOTSTRAP_DEFAULT_GROUP]);
  const extra = secretData(secret, 'auth-extra-groups');
  if (extra) {
    for (const g of extra.split(',')) {
      const group = g.trim();
      if (!GROUP_RE.test(group))
        return {
          error: `${JSON.stringify(group)} is not a valid bootstrap group name (must match ${GROUP_RE.source})`,
        };
      groups.add(group);
    }
  }
  return [...groups].sort();
}

export class BootstrapTokenAuthenticator implements TokenAuthenticator {
  constructor(
    private readonly secret: (namespace: string, name: string) => KubeObject | undefined,
    private readonly opts: { now?: () => Date; log?: (msg: string) => void } = {},
  ) {}

  authenticateToken(token: string): AuthResult {
    const parsed = parseBootstrapToken(token);
    if (!parsed) return { ok: false };
    const name = BOOTSTRAP_TOKEN_SECRET_PREFIX + parsed.id;
    const s = this.secret(BOOTSTRAP_NAMESPACE, name);
    const reject = (why: string): AuthResult => {
      this.opts.log?.(`Bootstrap secret ${BOOTSTRAP_NAMESPACE}/${name} matching bearer token ${why}`);
      return { ok: false };
    };
    if (!s) return { ok: false };
    if (s.metadata?.deletionTimestamp) return reject('is deleted and awaiting removal');
    if (s.type !== BOOTSTRAP_TOKEN_SECRET_TYPE || !s.data)
      return reject(`has invalid type, expected ${BOOTSTRAP_TOKEN_SECRET_TYPE}.`);
    const stored = Buffer.from(secretData(s, 'token-secret'));
    const given = Buffer.from(parsed.secret);
    if (stored.length !== given.length || !timingSafeEqual(stored, given))
      return reject('has invalid value for key token-secret.');
    if (secretData(s, 'token-id') !== parsed.id) return reject('has invalid value for key token-id.');
    if (hasExpired(s, this.opts.now?.() ?? new Date())) return reject('has expired.');
    if (secretData(s, 'usage-bootstrap-authentication') !== 'true')
      return reject('not marked usage-bootstrap-authentication=true.');
    const groups = bootstrapGroups(s);
    if ('error' in groups) return reject(`has invalid value for key auth-extra-groups: ${groups.error}.`);
    return {
      ok: true,
      response: { user: { name: BOOTSTRAP_USER_PREFIX + parsed.id, uid: '', groups, extra: {} } },
    };
  }
}
