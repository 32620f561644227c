/**
 * The bearer-token request authenticator, after
 * k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken.go: takes `Authorization`,
 * trims it, splits it on single spaces into at most three parts; the scheme must be `bearer`
 * (any case). An empty token (`Bearer  x`, two spaces) is ignored with upstream's warning. A token
 * the token authenticators neither accept nor reject with an error becomes "invalid bearer token",
 * so a presented credential that nobody recognises is a 401, never anonymous.
 *
 * The request's audiences are the API audiences (filters/authentication.go puts them on the
 * context before authenticating).
 */
import { audiencesMatch } from './audiences.js';
import type { AuthRequest, AuthResult, RequestAuthenticator, TokenAuthenticator } from './interfaces.js';
import { andThen } from './maybe-async.js';

export const INVALID_BEARER_TOKEN = 'invalid bearer token';
export const EXTRA_SPACE_WARNING =
  'the provided Authorization header contains extra space before the bearer token, and is ignored';

/** The bearer token of an Authorization header value, or undefined when it carries none. */
export function bearerTokenOf(header: string | undefined, warn?: (msg: string) => void): string | undefined {
  const auth = header?.trim();
  if (!auth) return undefined;
  // strings.SplitN(auth, " ", 3): the scheme, then the token up to the next space (if any).
  const sp = auth.indexOf(' ');
  if (sp < 0 || auth.slice(0, sp).toLowerCase() !== 'bearer') return undefined;
  const end = auth.indexOf(' ', sp + 1);
  const token = end < 0 ? auth.slice(sp + 1) : auth.slice(sp + 1, end);
  if (token.length === 0) {
    warn?.(EXTRA_SPACE_WARNING);
    return undefined;
  }
  return token;
}

export function bearerTokenAuthenticator(
  tokens: TokenAuthenticator,
  apiAudiences: readonly string[],
  warn?: (msg: string) => void,
): RequestAuthenticator {
  // One frozen array for every request: the token cache keeps the key prefix of the array it saw last.
  const requested = Object.freeze([...apiAudiences]) as string[];
  const judge = (r: AuthResult): AuthResult => {
    if (r.ok) {
      if (!audiencesMatch(apiAudiences, r.response.audiences))
        return { ok: false, error: new Error('Unable to match the audience') };
      return r;
    }
    if (r.error) return r;
    return { ok: false, error: new Error(INVALID_BEARER_TOKEN) };
  };
  return {
    authenticate(req: AuthRequest): AuthResult | Promise<AuthResult> {
      const values = req.headers['authorization'];
      const token = bearerTokenOf(values?.[0], warn);
      if (token === undefined) return { ok: false };
      return andThen(tokens.authenticateToken(token, requested, req.connection), judge);
    },
  };
}
