/**
 * The anonymous authenticator with AuthenticationConfiguration `anonymous.conditions`
 * (k8s.io/apiserver/pkg/authentication/request/anonymous, 1.31+): with conditions, a request
 * without credentials is anonymous only when its path equals one of them; elsewhere it is not
 * authenticated (401).
 */
import {
  GROUP_UNAUTHENTICATED,
  SYSTEM_ANONYMOUS,
  type AuthRequest,
  type AuthResult,
  type RequestAuthenticator,
} from '../interfaces.js';

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
