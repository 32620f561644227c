/**
 * OIDC distributed claims for the groups claim (OpenID Connect Core 1.0 §5.6.2), after
 * staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/oidc/oidc.go claimResolver:
 * when the verified ID token lacks the groups claim but names it in `_claim_names`, the source's
 * `endpoint` in `_claim_sources` is fetched (GET, `Authorization: Bearer <access_token>` when
 * one is given, any 2xx up to 226 accepted), the answer is a JWT verified like an ID token of the
 * issuer (signature, issuer, audience, expiry), and its groups claim is copied into the token's
 * claims. Aggregated claims (a `JWT` source without an endpoint) are left alone, as upstream.
 *
 * Deliberate differences from upstream: the answer's JWT must come from the same issuer and is
 * verified with that issuer's keys (upstream runs discovery for whatever `iss` the answer
 * claims); the endpoint must be https (fetched trusting the issuer's CA); answers are capped at
 * 64 KiB and 10 s.
 *
 * @module
 */
import https from 'node:https';

/** GETs `url` over HTTPS with the CA and an optional bearer token; the body as text. */
export type FetchClaimJwt = (url: string, caPem: string | undefined, bearer: string) => Promise<string>;

const MAX_BYTES = 64 * 1024;

export const httpsFetchClaimJwt: FetchClaimJwt = (url, caPem, bearer) =>
  new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch (e) {
      return reject(new Error(`while calling ${url}: ${(e as Error).message}`));
    }
    if (u.protocol !== 'https:') return reject(new Error(`while calling ${url}: only https is supported`));
    const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
    const req = https.get(u, { ca: caPem || undefined, timeout: 10_000, headers }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) req.destroy(new Error('could not decode distributed claim response'));
        else chunks.push(c);
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        // oidc.go getClaimJWT: http.StatusOK .. http.StatusIMUsed.
        if (code < 200 || code > 226)
          return reject(
            new Error(`error while getting distributed claim JWT: ${code} ${res.statusMessage ?? ''}`),
          );
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`while calling ${url}: timeout`)));
    req.on('error', reject);
  });

export interface ClaimResolver {
  /** The claim resolved (the groups claim). */
  claim: string;
  /** The only issuer whose answers are trusted (this authenticator's). */
  issuer: string;
  caPem?: string;
  fetch: FetchClaimJwt;
  /** Verifies a JWT as an ID token of the issuer: its claims, or the error text. */
  verify: (jwt: string) => Promise<Record<string, unknown> | string>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const jsonType = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v;

/** oidc.go untrustedIssuer. */
function untrustedIssuer(token: string): string | Error {
  if (token.trim().startsWith('{')) return new Error('token is not compact JWT');
  const parts = token.split('.');
  if (parts.length !== 3) return new Error('malformed token');
  try {
    const c = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    const iss = isObj(c) ? c.iss : undefined;
    if (iss !== undefined && typeof iss !== 'string')
      return new Error('while unmarshaling token: json: cannot unmarshal into Go value of type string');
    return iss === 'accounts.google.com' ? 'https://accounts.google.com' : (iss ?? '');
  } catch (e) {
    return new Error(`while unmarshaling token: ${(e as Error).message}`);
  }
}

/**
 * claimResolver.expand: resolves `r.claim` into `claims` (mutated) when it is distributed.
 * Undefined on success or when there is nothing to resolve; else the error text, which the
 * caller prefixes with `oidc: could not expand distributed claims: `.
 */
export async function expandDistributedClaim(claims: Obj, r: ClaimResolver): Promise<string | undefined> {
  if (r.claim in claims) return undefined;
  if (!('_claim_names' in claims)) return undefined;
  const names = claims._claim_names;
  if (!isObj(names) || Object.values(names).some((v) => typeof v !== 'string'))
    return `oidc: error parsing distributed claim names: json: cannot unmarshal ${jsonType(names)} into Go value of type map[string]string`;
  if (!('_claim_sources' in claims)) return 'oidc: no claim sources';
  const sources = claims._claim_sources;
  if (!isObj(sources) || Object.values(sources).some((v) => !isObj(v)))
    return `oidc: could not parse claim sources: json: cannot unmarshal ${jsonType(sources)} into Go value of type map[string]oidc.endpoint`;
  const src = names[r.claim] as string | undefined;
  if (src === undefined) return undefined;
  const ep = sources[src] as Obj | undefined;
  if (!ep) return `id token _claim_names contained a source ${src} missing in _claims_sources`;
  const url = typeof ep.endpoint === 'string' ? ep.endpoint : '';
  if (!url) return undefined; // an aggregated claim (ep.JWT), not resolved
  const accessToken = typeof ep.access_token === 'string' ? ep.access_token : '';
  let jwt: string;
  try {
    jwt = await r.fetch(url, r.caPem, accessToken);
  } catch (e) {
    return `while getting distributed claim ${JSON.stringify(r.claim)}: ${(e as Error).message}`;
  }
  const iss = untrustedIssuer(jwt);
  if (iss instanceof Error)
    return `getting untrusted issuer from endpoint ${url} failed for claim ${JSON.stringify(r.claim)}: ${iss.message}`;
  if (iss !== r.issuer)
    return `verifying untrusted issuer ${iss} failed: verifier not initialized for issuer: ${JSON.stringify(iss)} (only ${JSON.stringify(r.issuer)} is trusted)`;
  const dist = await r.verify(jwt);
  if (typeof dist === 'string') return `verify distributed claim token: ${dist}`;
  if (!(r.claim in dist))
    return `jwt returned by distributed claim endpoint ${JSON.stringify(url)} did not contain claim: ${r.claim}`;
  claims[r.claim] = dist[r.claim];
  return undefined;
}
