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
 * No structure keeps the raw token: the key is the SHA-256 digest of the token followed by a short
 * id of the audience set (none for the first set seen, nearly always the API audiences). Upstream
 * keys with HMAC-SHA256 under a per-process random key; here the digest is unkeyed, on purpose: the
 * random key would live in the same heap as the keys it protects, so it stops no one who can read
 * that memory, and prefixing it costs a copy of the whole token on every request (~200 ns of a
 * ~1 µs hit for a 900-byte service-account token). What one key costs is in BENCHMARKS.md.
 *
 * A caller that names the connection (the bearer-token authenticator does) lets the connection
 * remember its last token and the entry it resolved to, so the next request on it with the same
 * token skips the digest (which costs 1-2 µs on a busy server, its code and tables out of the CPU
 * caches). The answer is the cache's own: the memo is used only while that entry is still in the
 * cache, unexpired. The raw token is thus held by the connection while it stays open, which adds
 * nothing to what the connection already holds: Go's HTTP/2 client lets HPACK index Authorization,
 * so the server's header table keeps it for the connection's life anyway. The comparison with the
 * remembered token is constant-time, for connections that carry several users' tokens (a proxy);
 * in JavaScript that costs ~3 ns a character, more than the digest of a long token, so only tokens
 * of up to MEMO_MAX_TOKEN characters (static and bootstrap tokens, most webhook tokens; not JWTs)
 * are remembered.
 */
import { hash } from 'node:crypto';
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

interface Memo {
  token: string;
  audiences: readonly string[];
  key: string;
  entry: Entry;
}

/** The longest token a connection remembers (see above). */
export const MEMO_MAX_TOKEN = 128;

/** Whether two strings are equal, in time that depends on their lengths only. */
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return d === 0;
}

interface Entry {
  result: AuthResult;
  expires: number;
  /** The value of `touches` when this entry last moved to the young end of the LRU order. */
  touched: number;
}

export class CachedTokenAuthenticator implements TokenAuthenticator {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<AuthResult>>();
  private readonly max: number;
  private readonly now: () => number;
  /** Audience set (length-prefixed, joined) to its key suffix; ids are never reused. */
  private readonly audienceIds = new Map<string, string>();
  private nextAudienceId = 0;
  private lastAudiences?: readonly string[];
  private lastSuffix = '';
  /** Where a connection keeps its memo (one symbol per cache). */
  private readonly memoKey = Symbol('token-cache memo');

  constructor(
    private readonly inner: TokenAuthenticator,
    private readonly o: TokenCacheOptions,
  ) {
    this.max = o.maxEntries ?? 65536;
    this.now = o.now ?? Date.now;
  }

  /** The cache key of a token for a set of audiences (exported for the benchmark). */
  key(token: string, audiences: readonly string[]): string {
    // The audiences are nearly always the same array (the API audiences): keep its suffix.
    if (audiences !== this.lastAudiences) {
      this.lastSuffix = this.audienceSuffix(audiences);
      this.lastAudiences = audiences;
    }
    // 'binary' (latin1): the 32 digest bytes as a 32-character string, the cheapest key to make;
    // with no suffix it stays one flat string, which Map hashes without flattening a concatenation.
    const digest = hash('sha256', token, 'binary');
    return this.lastSuffix === '' ? digest : digest + this.lastSuffix;
  }

  /**
   * '' for the first audience set seen, then '#1', '#2', ...: a key is 32 characters for the first
   * set and longer for every other, so no two sets share a key. Ids are never handed out twice, not
   * even once the table is cleared (TokenReview audiences come from clients, so it is bounded):
   * entries of a forgotten set simply age out.
   */
  private audienceSuffix(audiences: readonly string[]): string {
    let joined = '';
    for (const a of audiences) joined += `${a.length}:${a}`;
    let id = this.audienceIds.get(joined);
    if (id === undefined) {
      if (this.audienceIds.size >= 4096) this.audienceIds.clear();
      id = this.nextAudienceId === 0 ? '' : `#${this.nextAudienceId}`;
      this.nextAudienceId++;
      this.audienceIds.set(joined, id);
    }
    return id;
  }

  get size(): number {
    return this.entries.size;
  }

  authenticateToken(
    token: string,
    audiences: string[],
    connection?: object,
  ): AuthResult | Promise<AuthResult> {
    const holder = connection as Record<symbol, Memo | undefined> | undefined;
    const memo = holder?.[this.memoKey];
    if (
      memo !== undefined &&
      memo.audiences === audiences &&
      sameToken(memo.token, token) &&
      memo.entry.expires > this.now() &&
      this.entries.get(memo.key) === memo.entry
    )
      return memo.entry.result;
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
        if (holder && token.length <= MEMO_MAX_TOKEN)
          holder[this.memoKey] = { token, audiences, key: k, entry: hit };
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
