/**
 * Combinators over authenticators, after k8s.io/apiserver/pkg/authentication/request/union and
 * group/authenticated_group_adder.go.
 *
 * - `union(...)`: tries each in order; the first ok wins; errors are collected and the chain
 *   continues; if none succeeds the result carries the aggregated error (or none).
 * - `unionFailOnError(main, fallback)`: the fallback (anonymous) runs only when main returned no
 *   error: bad credentials are never downgraded to anonymous.
 * - `withAuthenticatedGroup(a)`: adds system:authenticated to successful non-anonymous users.
 */
import {
  GROUP_AUTHENTICATED,
  GROUP_UNAUTHENTICATED,
  SYSTEM_ANONYMOUS,
  type AuthRequest,
  type AuthResult,
  type RequestAuthenticator,
} from './interfaces.js';

export class AggregatedAuthError extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.length === 1 ? errors[0].message : `[${errors.map((e) => e.message).join(', ')}]`);
  }
}

export function union(...authenticators: RequestAuthenticator[]): RequestAuthenticator {
  if (authenticators.length === 1) return authenticators[0];
  return {
    async authenticate(req: AuthRequest): Promise<AuthResult> {
      const errors: Error[] = [];
      for (const a of authenticators) {
        const r = await a.authenticate(req);
        if (r.ok) return r;
        if (r.error) errors.push(r.error);
      }
      return errors.length ? { ok: false, error: new AggregatedAuthError(errors) } : { ok: false };
    },
  };
}

export function unionFailOnError(
  main: RequestAuthenticator,
  fallback: RequestAuthenticator,
): RequestAuthenticator {
  return {
    async authenticate(req: AuthRequest): Promise<AuthResult> {
      const r = await main.authenticate(req);
      if (r.ok || r.error) return r;
      return fallback.authenticate(req);
    },
  };
}

export function withAuthenticatedGroup(a: RequestAuthenticator): RequestAuthenticator {
  return {
    async authenticate(req: AuthRequest): Promise<AuthResult> {
      const r = await a.authenticate(req);
      if (!r.ok) return r;
      const u = r.response.user;
      if (
        u.name === SYSTEM_ANONYMOUS ||
        u.groups.includes(GROUP_AUTHENTICATED) ||
        u.groups.includes(GROUP_UNAUTHENTICATED)
      )
        return r;
      return {
        ok: true,
        response: { ...r.response, user: { ...u, groups: [...u.groups, GROUP_AUTHENTICATED] } },
      };
    },
  };
}
