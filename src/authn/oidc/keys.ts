/**
 * Discovery and JWKS of one issuer (go-oidc's NewProvider and remoteKeySet as oidc.go uses them):
 * `<issuer>/.well-known/openid-configuration` (or `discoveryURL`), whose `issuer` must equal the
 * configured URL unless discoveryURL is set, then its `jwks_uri`; both over HTTPS trusting the
 * configured CA (the system roots without one). A refresh is asked for on an unknown `kid` and
 * happens at most once per `minRefreshMs`.
 */
import https from 'node:https';
import type { JSONWebKeySet } from 'jose';

export type FetchJson = (url: string, caPem: string | undefined) => Promise<unknown>;

/** GET a JSON document over HTTPS with the CA; rejects on a non-2xx answer or bad JSON. */
export const httpsFetchJson: FetchJson = (url, caPem) =>
  new Promise((resolve, reject) => {
    const u = new URL(url);
    if (u.protocol !== 'https:') {
      reject(new Error(`${url}: only https is supported`));
      return;
    }
    const req = https.get(u, { ca: caPem || undefined, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (!res.statusCode || res.statusCode < 200 || res.statusCode > 299) {
          reject(new Error(`${res.statusCode ?? 0} ${res.statusMessage ?? ''}: ${body.slice(0, 200)}`));
          return;
        }
        try {
          resolve(JSON.parse(body) as unknown);
        } catch (e) {
          reject(new Error(`failed to decode ${url}: ${(e as Error).message}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.on('error', reject);
  });

export interface KeySourceOptions {
  issuerURL: string;
  discoveryURL?: string;
  caPem?: string;
  fetchJson?: FetchJson;
  minRefreshMs?: number;
  now?: () => number;
}

export class IssuerKeys {
  private jwks?: JSONWebKeySet;
  private jwksUri?: string;
  private inflight?: Promise<void>;
  private lastFetch = -Infinity;
  lastError?: Error;

  constructor(private readonly o: KeySourceOptions) {}

  get keys(): JSONWebKeySet | undefined {
    return this.jwks;
  }

  /** Fetches discovery (once) and the JWKS; concurrent callers share one fetch. */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    const fetchJson = this.o.fetchJson ?? httpsFetchJson;
    const now = this.o.now ?? Date.now;
    this.lastFetch = now();
    this.inflight = (async () => {
      try {
        if (!this.jwksUri) {
          const url =
            this.o.discoveryURL || `${this.o.issuerURL.replace(/\/$/, '')}/.well-known/openid-configuration`;
          const doc = (await fetchJson(url, this.o.caPem)) as { issuer?: unknown; jwks_uri?: unknown };
          if (!this.o.discoveryURL && doc.issuer !== this.o.issuerURL)
            throw new Error(
              `oidc: issuer did not match the issuer returned by provider, expected "${this.o.issuerURL}" got "${String(doc.issuer)}"`,
            );
          if (typeof doc.jwks_uri !== 'string') throw new Error('oidc: discovery document has no jwks_uri');
          this.jwksUri = doc.jwks_uri;
        }
        const set = (await fetchJson(this.jwksUri, this.o.caPem)) as JSONWebKeySet;
        if (!set || !Array.isArray(set.keys)) throw new Error('oidc: failed to decode keys: no "keys" array');
        this.jwks = set;
        this.lastError = undefined;
      } catch (e) {
        this.lastError = e as Error;
        throw e;
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** The fetch in progress, if any (resolves either way). */
  settle(): Promise<void> {
    return this.inflight ? this.inflight.catch(() => undefined) : Promise.resolve();
  }

  /** A refresh for an unknown kid, unless one happened within minRefreshMs. True when refreshed. */
  async refreshForUnknownKid(): Promise<boolean> {
    const now = (this.o.now ?? Date.now)();
    if (this.inflight) {
      await this.settle();
      return true;
    }
    if (now - this.lastFetch < (this.o.minRefreshMs ?? 10_000)) return false;
    try {
      await this.refresh();
      return true;
    } catch {
      return false;
    }
  }
}
