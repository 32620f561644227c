/**
 * The anonymous authenticator with AuthenticationConfiguration `anonymous.conditions`
 * (k8s.io/apiserver/pkg/authentication/request/anonymous, 1.31+): with conditions, a request
 * without credentials is anonymous only when its path equals one of them; elsewhere it is not
 * authenticated (401).
 *
 * `AnonymousSetting` holds the setting in force (--anonymous-auth, or the file's `anonymous`
 * section). It is fixed at start-up: as upstream, a reload of --authentication-config that changes
 * the section is refused ("anonymous: Forbidden: changed from initial configuration file",
 * pkg/kubeapiserver/options/authentication.go ApplyTo; cli/serve-oidc.ts).
 *
 * @module
 */
import { anonymousAuthenticator } from '../anonymous.js';
import {
  GROUP_UNAUTHENTICATED,
  SYSTEM_ANONYMOUS,
  type AuthRequest,
  type AuthResult,
  type RequestAuthenticator,
} from '../interfaces.js';
import type { AnonymousConfig } from './types.js';

export function anonymousOnPaths(paths: readonly string[]): RequestAuthenticator {
  const set = new Set(paths);
  return {
    authenticate(req: AuthRequest): AuthResult {
      if (!set.has(req.path)) return { ok: false };
      return {
        ok: true,
        response: { user: { name: SYSTEM_ANONYMOUS, uid: '', groups: [GROUP_UNAUTHENTICATED], extra: {} } },
      };
    },
  };
}

const disabled: RequestAuthenticator = { authenticate: () => ({ ok: false }) };

function authenticatorFor(cfg: AnonymousConfig): RequestAuthenticator {
  if (!cfg.enabled) return disabled;
  const paths = (cfg.conditions ?? []).map((c) => c.path);
  return paths.length ? anonymousOnPaths(paths) : anonymousAuthenticator;
}

/** The anonymous authenticator in force; "not mine" (so 401) while disabled. */
export class AnonymousSetting implements RequestAuthenticator {
  private readonly cfg: AnonymousConfig;
  private readonly inner: RequestAuthenticator;

  constructor(cfg: AnonymousConfig) {
    this.cfg = cfg;
    this.inner = authenticatorFor(cfg);
  }

  get current(): AnonymousConfig {
    return this.cfg;
  }

  authenticate(req: AuthRequest): AuthResult | Promise<AuthResult> {
    return this.inner.authenticate(req);
  }
}
