/**
 * A union of token authenticators, after k8s.io/apiserver/pkg/authentication/token/union: the
 * first success wins; errors are collected and the next authenticator is tried; with no success
 * the result carries the aggregated errors (or is "not mine" when nobody erred).
 */
import { AggregatedAuthError } from './union.js';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';
import { isPromiseLike } from './maybe-async.js';

export function tokenUnion(...authenticators: TokenAuthenticator[]): TokenAuthenticator {
  if (authenticators.length === 1) return authenticators[0];
  // Synchronous as long as every authenticator tried answers synchronously (maybe-async.ts).
  const from = (
    token: string,
    audiences: string[],
    i: number,
    errors: Error[],
  ): AuthResult | Promise<AuthResult> => {
    for (; i < authenticators.length; i++) {
      const r = authenticators[i].authenticateToken(token, audiences);
      if (isPromiseLike(r)) {
        const next = i + 1;
        return (r as Promise<AuthResult>).then((res) => {
          if (res.ok) return res;
          if (res.error) errors.push(res.error);
          return from(token, audiences, next, errors);
        });
      }
      if (r.ok) return r;
      if (r.error) errors.push(r.error);
    }
    return errors.length ? { ok: false, error: new AggregatedAuthError(errors) } : { ok: false };
  };
  return { authenticateToken: (token, audiences) => from(token, audiences, 0, []) };
}
