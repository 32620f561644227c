/**
 * A caching decorator for token authenticators, after
 * k8s.io/apiserver/pkg/authentication/token/cache/cached_token_authenticator.go: results are kept
 * for `successTtlMs` (kube-apiserver: 10 s) and, when `failureTtlMs` > 0, failures for that long
 * (kube-apiserver: 0, not cached); concurrent look-ups of the same token share one call to the
 * wrapped authenticator (upstream's singleflight); the cache is a bounded LRU.
 *
 * With `staleIfErrorMs` (the delegating kubelet/proxy, not upstream's cache): an entry past its TTL
 * is kept for that window more, and answers only when the refresh fails with an error that
 * `isUnreachable` says means "the authenticating server cannot be reached"; `onStale` is told.
 *
 * No structure keeps the raw token: the key is SHA-256 over a per-process random secret, the
 * audiences (length-prefixed) and the token. The digest never leaves the process, so the keyed
 * construction needs no HMAC; what one key costs is measured in BENCHMARKS.md.
 */
import { hash, randomBytes } from 'node:crypto';
import type { AuthResult, TokenAuthenticator } from './interfaces.js';

export interface TokenCacheOptions {
  successTtlMs: number;
  failureTtlMs: number;
  /** Whether failures that carry an error are cached too (upstream's cacheErrs; default true). */
  cacheErrors?: boolean;
  /** Entries kept at most (least recently used evicted first). */
  maxEntries?: number;
  now?: () => number;
  /** How long past its TTL an entry may still answer while the authenticator is unreachable (0: never). */
  staleIfErrorMs?: number;
  /** Whether an error means the authenticating server could not be reached (default: never). */
  isUnreachable?: (e: Error) => boolean;
  /** Called when a stale entry answered; `ageMs` is how long past its TTL it is. */
  onStale?: (ageMs: number, error: Error) => void;
}

interface Entry {
  result: AuthResult;
  expires: number;
  /** The value of `touches` when this entry last moved to the young end of the LRU order. */
  touched: number;
}

export class CachedTokenAuthenticator implements TokenAuthenticator {
  // ASCII: a string with characters above 127 takes crypto.hash's slow UTF-8 path (2x for a JWT).
  private readonly secret = randomBytes(32).toString('base64');
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<AuthResult>>();
  private readonly max: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: TokenAuthenticator,
    private readonly o: TokenCacheOptions,
  ) {
    this.max = o.maxEntries ?? 65536;
    this.now = o.now ?? Date.now;
  }

  private lastAudiences?: readonly string[];
  private lastPrefix = '';

  /** The cache key of a token for a set of audiences (exported for the benchmark). */
  key(token: string, audiences: readonly string[]): string {
    // The audiences are nearly always the same array (the API audiences): keep its prefix.
    if (audiences !== this.lastAudiences) {
      let prefix = this.secret;
      for (const a of audiences) prefix += `${a.length}:${a}`;
      this.lastPrefix = `${prefix}|${audiences.length}|`;
      this.lastAudiences = audiences;
    }
    // 'binary' (latin1): the 32 digest bytes as a 32-character string, the cheapest key to make.
    return hash('sha256', this.lastPrefix + token, 'binary');
  }

  get size(): number {
    return this.entries.size;
  }

  authenticateToken(token: string, audiences: string[]): AuthResult | Promise<AuthResult> {
    const k = this.key(token, audiences);
    const hit = this.entries.get(k);
    let stale: Entry | undefined;
    if (hit) {
      const now = this.now();
      if (hit.expires > now) {
        // Most recently used goes last, but only once at least max/2 entries were inserted or moved
        // after it (so it may be in the older half of the order): an entry used since then is
        // still at least max/2 insertions away from eviction, and a hot token's hit is one Map
        // look-up instead of a delete and an insert. An approximate LRU, bounded all the same.
        if (this.touches - hit.touched >= this.max >> 1) this.moveToYoungEnd(k, hit);
        return hit.result;
      }
      if (hit.expires + (this.o.staleIfErrorMs ?? 0) > now) stale = hit;
      else this.entries.delete(k);
    }
    const pending = this.inflight.get(k);
    if (pending) return pending;
    const p = Promise.resolve()
      .then(() => this.inner.authenticateToken(token, audiences))
      .then((result) => {
        if (stale && !result.ok && result.error && this.o.isUnreachable?.(result.error)) {
          this.o.onStale?.(this.now() - stale.expires, result.error);
          return stale.result;
        }
        if (!result.ok && result.error && this.o.cacheErrors === false) return result;
        const ttl = result.ok ? this.o.successTtlMs : this.o.failureTtlMs;
        if (ttl > 0) this.store(k, { result, expires: this.now() + ttl, touched: 0 });
        return result;
      })
      .finally(() => this.inflight.delete(k));
    this.inflight.set(k, p);
    return p;
  }

  private touches = 0;

  private moveToYoungEnd(k: string, e: Entry): void {
    e.touched = ++this.touches;
    this.entries.delete(k);
    this.entries.set(k, e);
  }

  private store(k: string, e: Entry): void {
    this.moveToYoungEnd(k, e);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
