/**
 * One JWT (OIDC) authenticator per issuer, after
 * staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/oidc/oidc.go:
 * - a token whose unverified `iss` is not this issuer is "not mine" (SA tokens etc. pass through);
 *   so is one whose request audiences meet neither the issuer's audiences nor the API audiences;
 * - until the JWKS is first fetched: `oidc: authenticator not initialized` (an error, never anonymous);
 * - signature with `jose` against the issuer's JWKS, only the configured algorithms; an unknown
 *   `kid` refetches the JWKS (rate limited, keys.ts);
 * - go-oidc's checks: audience (MatchAny over `audiences`), exp (no leeway), nbf (5 min leeway);
 * - a groups claim given as a distributed claim is fetched first (distributed-claims.ts);
 * - claim validation rules (claim/requiredValue or CEL), username (the `email` claim requires
 *   `email_verified: true` when present), groups (string or array), uid, extra, then user
 *   validation rules (CEL on `user`). Every failure is `oidc: ...`, as upstream.
 */
import {
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
} from 'jose';
import type { AuthResult, TokenAuthenticator, UserInfo } from '../interfaces.js';
import { compileExpression, type CompiledExpression } from './cel.js';
import { expandDistributedClaim, httpsFetchClaimJwt, type FetchClaimJwt } from './distributed-claims.js';
import { IssuerKeys, type FetchJson } from './keys.js';
import type { JWTAuthenticator, PrefixedClaimOrExpression } from './types.js';

/** go-oidc's allowed leeway for nbf. */
const NBF_LEEWAY_S = 5 * 60;
const NEVER = new Set(['none', 'HS256', 'HS384', 'HS512']);

export interface JwtAuthenticatorOptions {
  jwt: JWTAuthenticator;
  /** --oidc-signing-algs (default RS256); the structured config allows every asymmetric one. */
  signingAlgs?: string[];
  /** The API audiences (request audiences meeting these are ours too). */
  apiAudiences?: string[];
  fetchJson?: FetchJson;
  /** Fetches a distributed claim's JWT (default: HTTPS trusting the issuer's CA). */
  fetchClaimJwt?: FetchClaimJwt;
  now?: () => Date;
  log?: (m: string) => void;
  /** Minimum time between JWKS fetches for an unknown kid (default 10 s). */
  minRefreshMs?: number;
  /** Retry period of the initial discovery/JWKS fetch (default 10 s); 0 = no background retry. */
  initRetryMs?: number;
}

export const ALL_ASYMMETRIC_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
];

const goQuote = (s: string): string => JSON.stringify(s);
const goList = (xs: string[]): string => `[${xs.map(goQuote).join(' ')}]`;
const err = (m: string): AuthResult => ({ ok: false, error: new Error(m) });

type Mapper = { claim?: string; prefix: string; expr?: CompiledExpression };

function mapper(m: PrefixedClaimOrExpression | undefined): Mapper | undefined {
  if (!m || (!m.claim && !m.expression)) return undefined;
  return {
    claim: m.claim || undefined,
    prefix: m.prefix ?? '',
    expr: m.expression ? compileExpression(m.expression, 'claims') : undefined,
  };
}

export class JwtAuthenticator implements TokenAuthenticator {
  readonly issuerURL: string;
  private readonly keys: IssuerKeys;
  private readonly algs: string[];
  private readonly username: Mapper;
  private readonly groups?: Mapper;
  private readonly uid?: Mapper;
  private readonly extra: { key: string; expr: CompiledExpression }[];
  private readonly claimRules: {
    claim?: string;
    value?: string;
    expr?: CompiledExpression;
    message: string;
  }[];
  private readonly userRules: { expr: CompiledExpression; message: string }[];
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly o: JwtAuthenticatorOptions) {
    const j = o.jwt;
    this.issuerURL = j.issuer.url;
    this.algs = (o.signingAlgs?.length ? o.signingAlgs : ['RS256']).filter((a) => !NEVER.has(a));
    const u = mapper(j.claimMappings.username);
    if (!u) throw new Error('oidc: username claim or expression is required');
    this.username = u;
    this.groups = mapper(j.claimMappings.groups);
    this.uid = mapper(j.claimMappings.uid);
    this.extra = (j.claimMappings.extra ?? []).map((e) => ({
      key: e.key,
      expr: compileExpression(e.valueExpression, 'claims'),
    }));
    this.claimRules = (j.claimValidationRules ?? []).map((r) => ({
      claim: r.claim || undefined,
      value: r.requiredValue ?? '',
      expr: r.expression ? compileExpression(r.expression, 'claims') : undefined,
      message: r.message ?? '',
    }));
    this.userRules = (j.userValidationRules ?? []).map((r) => ({
      expr: compileExpression(r.expression, 'user'),
      message: r.message ?? '',
    }));
    this.keys = new IssuerKeys({
      issuerURL: j.issuer.url,
      discoveryURL: j.issuer.discoveryURL,
      caPem: j.issuer.certificateAuthority,
      fetchJson: o.fetchJson,
      minRefreshMs: o.minRefreshMs,
      now: o.now ? () => o.now!().getTime() : undefined,
    });
    this.init();
  }

  /** First fetch, retried in the background until it succeeds (oidc.go initVerifier). */
  private init(): void {
    this.keys.refresh().then(
      () => undefined,
      (e: Error) => {
        this.o.log?.(`oidc authenticator: initializing plugin: ${e.message}`);
        const retry = this.o.initRetryMs ?? 10_000;
        if (retry > 0 && !this.closed) {
          this.timer = setTimeout(() => this.init(), retry);
          this.timer.unref();
        }
      },
    );
  }

  /** Resolves once the keys are loaded or the current attempt failed. */
  ready(): Promise<void> {
    return this.keys.settle();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  async authenticateToken(token: string, audiences: string[]): Promise<AuthResult> {
    let payload: Record<string, unknown>;
    try {
      payload = decodeJwt(token) as Record<string, unknown>;
    } catch {
      return { ok: false };
    }
    if (payload.iss !== this.issuerURL) return { ok: false };
    const mine = this.o.jwt.issuer.audiences;
    if (audiences.length && !audiences.some((a) => mine.includes(a) || this.o.apiAudiences?.includes(a)))
      return { ok: false };
    // A first fetch in flight is waited for (one round trip, at most 3 s), rather than failing
    // the token; upstream answers "not initialized" at once.
    if (!this.keys.keys) {
      let timer: NodeJS.Timeout | undefined;
      const cap = new Promise<void>((r) => (timer = setTimeout(r, 3000)));
      await Promise.race([this.keys.settle(), cap]);
      clearTimeout(timer);
    }
    if (!this.keys.keys) return err('oidc: authenticator not initialized');
    const verified = await this.verify(token);
    if (typeof verified === 'string') return err(`oidc: verify token: ${verified}`);
    if (this.groups?.claim) {
      const e = await expandDistributedClaim(verified, {
        claim: this.groups.claim,
        issuer: this.issuerURL,
        caPem: this.o.jwt.issuer.certificateAuthority,
        fetch: this.o.fetchClaimJwt ?? httpsFetchClaimJwt,
        verify: (jwt) => this.verify(jwt),
      });
      if (e) return err(`oidc: could not expand distributed claims: ${e}`);
    }
    const claimsErr = this.checkClaims(verified);
    if (claimsErr) return err(claimsErr);
    const user = this.mapUser(verified);
    if (typeof user === 'string') return err(user);
    for (const r of this.userRules) {
      const v = r.expr.eval({
        user: { username: user.name, uid: user.uid, groups: user.groups, extra: user.extra },
      });
      if (v instanceof Error) return err(`oidc: error evaluating user info validation rule: ${v.message}`);
      if (typeof v !== 'boolean')
        return err(`oidc: error evaluating user info validation rule: expression must return bool`);
      if (!v)
        return err(
          `oidc: error evaluating user info validation rule: validation expression '${r.expr.expression}' failed: ${r.message}`,
        );
    }
    const auds = audiences.length ? audiences.filter((a) => mine.includes(a)) : undefined;
    return { ok: true, response: { user, ...(auds?.length ? { audiences: auds } : {}) } };
  }

  /** Signature (go-oidc IDTokenVerifier.Verify) then issuer, audience and times. */
  private async verify(token: string): Promise<Record<string, unknown> | string> {
    let alg: string | undefined;
    let kid: string | undefined;
    try {
      const h = decodeProtectedHeader(token);
      alg = h.alg;
      kid = h.kid;
    } catch {
      return 'oidc: malformed jwt';
    }
    if (!alg || !this.algs.includes(alg))
      return `oidc: id token signed with unsupported algorithm, expected ${goList(this.algs)} got ${goQuote(alg ?? '')}`;
    let payload: Uint8Array | undefined;
    for (let attempt = 0; attempt < 2 && !payload; attempt++) {
      const set = this.keys.keys;
      if (!set) return 'failed to verify signature: no keys';
      const known = kid === undefined || set.keys.some((k) => k.kid === kid);
      if (!known) {
        if (attempt === 0 && (await this.keys.refreshForUnknownKid())) continue;
        return `failed to verify signature: fetching keys oidc: no key with kid ${goQuote(kid ?? '')}`;
      }
      try {
        ({ payload } = await compactVerify(token, createLocalJWKSet(set), { algorithms: this.algs }));
      } catch (e) {
        if (
          e instanceof joseErrors.JWKSNoMatchingKey &&
          attempt === 0 &&
          (await this.keys.refreshForUnknownKid())
        )
          continue;
        return e instanceof joseErrors.JWSSignatureVerificationFailed ||
          e instanceof joseErrors.JWKSNoMatchingKey
          ? 'failed to verify signature: failed to verify id token signature'
          : `failed to verify signature: ${(e as Error).message}`;
      }
    }
    if (!payload) return 'failed to verify signature: failed to verify id token signature';
    let c: unknown;
    try {
      c = JSON.parse(new TextDecoder().decode(payload));
    } catch (e) {
      return `oidc: failed to unmarshal claims: ${(e as Error).message}`;
    }
    if (!c || typeof c !== 'object' || Array.isArray(c)) return 'oidc: failed to unmarshal claims';
    const claims = c as Record<string, unknown>;
    if (claims.iss !== this.issuerURL)
      return `oidc: id token issued by a different provider, expected ${goQuote(this.issuerURL)} got ${goQuote(String(claims.iss))}`;
    const aud =
      typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.map(String) : [];
    const want = this.o.jwt.issuer.audiences;
    if (!aud.some((a) => want.includes(a)))
      return want.length === 1
        ? `oidc: expected audience ${goQuote(want[0])} got ${goList(aud)}`
        : `oidc: expected one of ${goList(want)} in audience, got ${goList(aud)}`;
    const now = (this.o.now?.() ?? new Date()).getTime() / 1000;
    if (typeof claims.exp === 'number' && now > claims.exp)
      return `oidc: token is expired (Token Expiry: ${new Date(claims.exp * 1000).toISOString()})`;
    if (typeof claims.nbf === 'number' && now + NBF_LEEWAY_S < claims.nbf)
      return `oidc: current time ${new Date(now * 1000).toISOString()} before the nbf (not before) time: ${new Date(claims.nbf * 1000).toISOString()}`;
    return claims;
  }

  /** Required claims / claimValidationRules. */
  private checkClaims(c: Record<string, unknown>): string | undefined {
    for (const r of this.claimRules) {
      if (r.claim) {
        if (!(r.claim in c)) return `oidc: required claim ${r.claim} not present in ID token`;
        const v = c[r.claim];
        if (typeof v !== 'string')
          return `oidc: parse claim ${r.claim}: json: cannot unmarshal ${jsonType(v)} into Go value of type string`;
        if (v !== r.value)
          return `oidc: required claim ${r.claim} value does not match. Got = ${v}, want = ${r.value}`;
      } else if (r.expr) {
        const v = r.expr.eval({ claims: c });
        if (v instanceof Error) return `oidc: error evaluating claim validation expression: ${v.message}`;
        if (typeof v !== 'boolean')
          return 'oidc: error evaluating claim validation expression: expression must return bool';
        if (!v)
          return `oidc: error evaluating claim validation expression: validation expression '${r.expr.expression}' failed: ${r.message}`;
      }
    }
    return undefined;
  }

  private mapUser(c: Record<string, unknown>): UserInfo | string {
    const u = this.username;
    let name: string;
    if (u.expr) {
      const v = u.expr.eval({ claims: c });
      if (v instanceof Error) return `oidc: error evaluating username claim expression: ${v.message}`;
      if (typeof v !== 'string')
        return `oidc: error evaluating username claim expression: invalid username claim value type ${celType(v)}`;
      if (!v) return 'oidc: empty username via CEL expression is not allowed';
      name = v;
    } else {
      const claim = u.claim as string;
      if (!(claim in c)) return `oidc: parse username claims ${goQuote(claim)}: claim not present`;
      const v = c[claim];
      if (typeof v !== 'string')
        return `oidc: parse username claims ${goQuote(claim)}: json: cannot unmarshal ${jsonType(v)} into Go value of type string`;
      if (claim === 'email' && 'email_verified' in c) {
        const ev = c.email_verified;
        if (typeof ev !== 'boolean')
          return `oidc: parse 'email_verified' claim: json: cannot unmarshal ${jsonType(ev)} into Go value of type bool`;
        if (!ev) return 'oidc: email not verified';
      }
      name = u.prefix + v;
    }
    const groups: string[] = [];
    if (this.groups) {
      const g = this.groups;
      if (g.expr) {
        const v = g.expr.eval({ claims: c });
        if (v instanceof Error) return `oidc: error evaluating group claim expression: ${v.message}`;
        const list = stringOrList(v);
        if (!list)
          return `oidc: error evaluating group claim expression: invalid groups claim value type ${celType(v)}`;
        groups.push(...list);
      } else if (g.claim && g.claim in c) {
        const list = stringOrList(c[g.claim]);
        if (!list) return `oidc: parse groups claim ${goQuote(g.claim)}: unexpected type of claim value`;
        groups.push(...list.map((x) => g.prefix + x));
      }
    }
    let uid = '';
    if (this.uid) {
      if (this.uid.expr) {
        const v = this.uid.expr.eval({ claims: c });
        if (v instanceof Error) return `oidc: error evaluating uid claim expression: ${v.message}`;
        if (typeof v !== 'string')
          return `oidc: error evaluating uid claim expression: invalid uid claim value type ${celType(v)}`;
        uid = v;
      } else if (this.uid.claim && this.uid.claim in c) {
        const v = c[this.uid.claim];
        if (typeof v !== 'string')
          return `oidc: parse uid claim ${goQuote(this.uid.claim)}: json: cannot unmarshal ${jsonType(v)} into Go value of type string`;
        uid = v;
      }
    }
    const extra: Record<string, string[]> = {};
    for (const e of this.extra) {
      const v = e.expr.eval({ claims: c });
      if (v instanceof Error) return `oidc: error evaluating extra claim expression: ${v.message}`;
      const list = stringOrList(v);
      if (!list)
        return `oidc: error evaluating extra claim expression: invalid extra claim value type ${celType(v)}`;
      if (list.length) extra[e.key] = list;
    }
    return { name, uid, groups, extra };
  }
}

function stringOrList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v ? [v] : [];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return undefined;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function celType(v: unknown): string {
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : typeof v;
}
