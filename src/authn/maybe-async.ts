/**
 * @module authn/maybe-async
 *
 * Authenticators answer synchronously when they can (a token-cache hit, a static token, a
 * certificate already verified on this connection) and with a promise when they must wait (a
 * webhook, a JWKS fetch). Chaining them with `await` would cost a promise and a microtask turn per
 * link on every request; `andThen` keeps a synchronous answer synchronous.
 */

export function isPromiseLike<T>(v: T | PromiseLike<T>): v is PromiseLike<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}

/** `f(v)` now when `v` is a value, `v.then(f)` when it is a promise. */
export function andThen<T, U>(v: T | Promise<T>, f: (t: T) => U | Promise<U>): U | Promise<U> {
  return isPromiseLike(v) ? (v as Promise<T>).then(f) : f(v);
}
