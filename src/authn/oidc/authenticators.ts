/**
 * The JWT authenticators of kube-apiserver's token union (pkg/kubeapiserver/authenticator/config.go):
 * one per issuer, tried in order; a success wins, errors aggregate, "not mine" from all is "not
 * mine". With --authentication-config the set is rebuilt when the file changes (1.30+
 * dynamic reload, authentication.go): the file is polled every second; a new file that does
 * not parse or validate keeps the running set and is logged.
 */
import { readFileSync } from 'node:fs';
import type { AuthResult, TokenAuthenticator } from '../interfaces.js';
import { AggregatedAuthError } from '../union.js';
import { parseAuthenticationConfiguration } from './config.js';
import { JwtAuthenticator, type JwtAuthenticatorOptions } from './jwt.js';
import type { AuthenticationConfiguration, JWTAuthenticator } from './types.js';

export type JwtSetOptions = Omit<JwtAuthenticatorOptions, 'jwt'>;

export interface WatchOptions {
  /** Issuer URLs a JWT authenticator may not use (the service-account issuers). */
  disallowedIssuers?: string[];
  /** Throws to refuse a configuration that validated (checks that need more than the file). */
  check?: (cfg: AuthenticationConfiguration) => void;
  /** Called after the JWT set was swapped in. */
  applied?: (cfg: AuthenticationConfiguration) => void;
  onReload?: (error?: Error) => void;
  intervalMs?: number;
}

export class JwtAuthenticators implements TokenAuthenticator {
  private current: JwtAuthenticator[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    jwts: JWTAuthenticator[],
    private readonly o: JwtSetOptions,
  ) {
    this.current = jwts.map((jwt) => new JwtAuthenticator({ ...o, jwt }));
  }

  get issuers(): string[] {
    return this.current.map((a) => a.issuerURL);
  }

  /** Resolves when every issuer's first key fetch has settled. */
  async ready(): Promise<void> {
    await Promise.all(this.current.map((a) => a.ready()));
  }

  /** Swaps in a new set (built before the swap, so a throw keeps the old one). */
  replace(jwts: JWTAuthenticator[]): void {
    const next = jwts.map((jwt) => new JwtAuthenticator({ ...this.o, jwt }));
    const old = this.current;
    this.current = next;
    for (const a of old) a.close();
  }

  async authenticateToken(token: string, audiences: string[]): Promise<AuthResult> {
    const errors: Error[] = [];
    for (const a of this.current) {
      const r = await a.authenticateToken(token, audiences);
      if (r.ok) return r;
      if (r.error) errors.push(r.error);
    }
    return errors.length ? { ok: false, error: new AggregatedAuthError(errors) } : { ok: false };
  }

  /**
   * Polls `file` every `intervalMs` (default 1 s) and applies a changed, valid configuration:
   * validated as at start (`disallowedIssuers`: the service-account issuers), then `check` (may
   * throw to refuse it), the JWT set swapped, then `applied` (the rest of the file, e.g. the
   * anonymous section). A refused file is remembered, so it is not retried until it changes
   * again. `onReload` is told of each attempt (error undefined on success).
   */
  watch(file: string, initialText: string, w: WatchOptions = {}): void {
    let last = initialText;
    this.timer = setInterval(() => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        return void this.o.log?.(`authentication config: reading ${file}: ${(e as Error).message}`);
      }
      if (text === last) return;
      last = text;
      try {
        const cfg = parseAuthenticationConfiguration(text, w.disallowedIssuers);
        w.check?.(cfg);
        this.replace(cfg.jwt);
        w.applied?.(cfg);
        this.o.log?.('reloaded authentication config');
        w.onReload?.();
      } catch (e) {
        this.o.log?.(`authentication config: keeping the running configuration: ${(e as Error).message}`);
        w.onReload?.(e as Error);
      }
    }, w.intervalMs ?? 1000);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const a of this.current) a.close();
  }
}

/**
 * The authenticators of a structured configuration. config.go passes --oidc-signing-algs (whose
 * default is RS256, and which cannot be given with the file) to them: RS256 only by default.
 */
export function fromAuthenticationConfiguration(
  cfg: AuthenticationConfiguration,
  o: JwtSetOptions,
): JwtAuthenticators {
  return new JwtAuthenticators(cfg.jwt, { ...o, signingAlgs: o.signingAlgs ?? ['RS256'] });
}
