/**
 * A union of token authenticators, after k8s.io/apiserver/pkg/authentication/token/union: the
 * first success wins; errors are collected and the next authenticator is tried; with no success
 * the result carries the aggregated errors (or is "not mine" when nobody erred).
 */
import { AggregatedAuthError } from './union.js';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

export function tokenUnion(...authenticators: TokenAuthenticator[]): TokenAuthenticator {
  if (authenticators.length === 1) return authenticators[0];
  return {
    async authenticateToken(token: string, audiences: string[]): Promise<AuthResult> {
      const errors: Error[] = [];
      for (const a of authenticators) {
        const r = await a.authenticateToken(token, audiences);
        if (r.ok) return r;
        if (r.error) errors.push(r.error);
      }
      return errors.length ? { ok: false, error: new AggregatedAuthError(errors) } : { ok: false };
    },
  };
}
