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
import { andThen } from './maybe-async.js';

export class AggregatedAuthError extends Error {
  constructor(readonly errors: Error[]) {
    super(errors.length === 1 ? errors[0].message : `[${errors.map((e) => e.message).join(', ')}]`);
  }
}

export function union(...authenticators: RequestAuthenticator[]): RequestAuthenticator {
  if (authenticators.length === 1) return authenticators[0];
  // Synchronous as long as every authenticator tried answers synchronously (maybe-async.ts).
  const from = (req: AuthRequest, i: number, errors: Error[]): AuthResult | Promise<AuthResult> => {
    for (; i < authenticators.length; i++) {
      const r = authenticators[i].authenticate(req);
      if (typeof (r as Promise<AuthResult>).then === 'function') {
        const next = i + 1;
        return (r as Promise<AuthResult>).then((res) => {
          if (res.ok) return res;
          if (res.error) errors.push(res.error);
          return from(req, next, errors);
        });
      }
      const res = r as AuthResult;
      if (res.ok) return res;
      if (res.error) errors.push(res.error);
    }
    return errors.length ? { ok: false, error: new AggregatedAuthError(errors) } : { ok: false };
  };
  return { authenticate: (req) => from(req, 0, []) };
}

export function unionFailOnError(
  main: RequestAuthenticator,
  fallback: RequestAuthenticator,
): RequestAuthenticator {
  return {
    authenticate: (req) =>
      andThen(main.authenticate(req), (r) => (r.ok || r.error ? r : fallback.authenticate(req))),
  };
}

export function withAuthenticatedGroup(a: RequestAuthenticator): RequestAuthenticator {
  // The same user object (a token-cache hit, a connection's certificate) gets the same copy, so
  // that caches keyed by the user object downstream (the webhook authorizer's keys) keep hitting.
  const copies = new WeakMap<object, AuthResult>();
  const add = (r: AuthResult): AuthResult => {
    if (!r.ok) return r;
    const u = r.response.user;
    if (
      u.name === SYSTEM_ANONYMOUS ||
      u.groups.includes(GROUP_AUTHENTICATED) ||
      u.groups.includes(GROUP_UNAUTHENTICATED)
    )
      return r;
    const copy = copies.get(u);
    if (copy && !r.response.audiences) return copy;
    const out: AuthResult = {
      ok: true,
      response: { ...r.response, user: { ...u, groups: [...u.groups, GROUP_AUTHENTICATED] } },
    };
    if (!r.response.audiences) copies.set(u, out);
    return out;
  };
  return { authenticate: (req) => andThen(a.authenticate(req), add) };
}
