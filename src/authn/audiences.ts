/**
 * Audiences for token authenticators that know nothing of them (token file, bootstrap tokens),
 * after k8s.io/apiserver/pkg/authentication/authenticator/audiences.go WrapAudienceAgnosticToken:
 * such a token is valid for the API audiences only. When the request names audiences, the token is
 * "not mine" unless they meet the API audiences, and a success reports the audiences in common.
 */
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

export function audienceAgnostic(
  implicit: readonly string[],
  delegate: TokenAuthenticator,
): TokenAuthenticator {
  return {
    async authenticateToken(token: string, audiences: string[]): Promise<AuthResult> {
      if (!audiences.length) return delegate.authenticateToken(token, audiences);
      const auds = implicit.filter((a) => audiences.includes(a));
      if (!auds.length) return { ok: false };
      const r = await delegate.authenticateToken(token, audiences);
      return r.ok ? { ok: true, response: { ...r.response, audiences: auds } } : r;
    },
  };
}

/** filters/authentication.go: a response whose audiences miss every API audience is refused. */
export function audiencesMatch(
  apiAudiences: readonly string[],
  responseAudiences: readonly string[] | undefined,
): boolean {
  if (!apiAudiences.length || !responseAudiences?.length) return true;
  return responseAudiences.some((a) => apiAudiences.includes(a));
}
