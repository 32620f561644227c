/**
 * The authenticating proxy (front proxy), after
 * k8s.io/apiserver/pkg/authentication/request/headerrequest/requestheader.go and x509's
 * `Verifier`: the identity headers are believed only on a connection whose client certificate
 * verifies against --requestheader-client-ca-file (ClientAuth usage) and, when
 * --requestheader-allowed-names is set, whose CN is one of them. Without a certificate the
 * headers are ignored ("not mine"); a certificate that fails is an error (the union goes on, so a
 * client certificate from --client-ca-file can still authenticate the request as itself).
 *
 * User: the first username header with a value; uid: the first uid header with a value; groups:
 * every value of every group header; extra: every header starting with an extra prefix, the key
 * being the rest of the name lower-cased and %-unescaped.
 */
import type { AuthRequest, AuthResult, RequestAuthenticator } from './interfaces.js';
import { X509Authenticator } from './x509.js';

export interface RequestHeaderOptions {
  /** PEM bundle of --requestheader-client-ca-file. */
  caPem: string;
  allowedNames: string[];
  usernameHeaders: string[];
  uidHeaders: string[];
  groupHeaders: string[];
  extraHeaderPrefixes: string[];
  now?: () => number;
}

/** Every header name the proxy sets, to strip after authentication (lower case). */
export function requestHeaderNames(
  o: Pick<RequestHeaderOptions, 'usernameHeaders' | 'uidHeaders' | 'groupHeaders'>,
): string[] {
  return [...o.usernameHeaders, ...o.uidHeaders, ...o.groupHeaders].map((h) => h.toLowerCase());
}

/** Go's url.PathUnescape, falling back to the raw text when it fails. */
function pathUnescape(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export class RequestHeaderAuthenticator implements RequestAuthenticator {
  private readonly verifier: X509Authenticator;
  private readonly usernames: string[];
  private readonly uids: string[];
  private readonly groups: string[];
  private readonly prefixes: string[];

  constructor(private readonly o: RequestHeaderOptions) {
    this.verifier = new X509Authenticator({ caPem: o.caPem, now: o.now });
    this.usernames = o.usernameHeaders.map((h) => h.toLowerCase());
    this.uids = o.uidHeaders.map((h) => h.toLowerCase());
    this.groups = o.groupHeaders.map((h) => h.toLowerCase());
    this.prefixes = o.extraHeaderPrefixes.map((h) => h.toLowerCase());
  }

  /** A reloaded --requestheader-client-ca-file (upstream's request-header DynamicFileCAContent). */
  setCaPem(caPem: string): void {
    this.verifier.setCaPem(caPem);
  }

  authenticate(req: AuthRequest): AuthResult {
    const peer = req.peerCertificates?.();
    if (!peer || peer.chain.length === 0) return { ok: false };
    const v = this.verifier.authenticate(req);
    if (!v.ok) return v.error ? { ok: false, error: v.error } : { ok: false };
    const cn = v.response.user.name;
    if (this.o.allowedNames.length && !this.o.allowedNames.includes(cn))
      return { ok: false, error: new Error(`x509: subject with cn=${cn} is not in the allowed list`) };
    const first = (names: string[]): string => {
      for (const n of names) for (const value of req.headers[n] ?? []) if (value) return value;
      return '';
    };
    const name = first(this.usernames);
    if (!name) return { ok: false };
    const groups: string[] = [];
    for (const n of this.groups) for (const value of req.headers[n] ?? []) if (value) groups.push(value);
    const extra: Record<string, string[]> = {};
    for (const prefix of this.prefixes) {
      for (const [header, values] of Object.entries(req.headers)) {
        if (!header.startsWith(prefix) || !values) continue;
        const key = pathUnescape(header.slice(prefix.length).toLowerCase());
        (extra[key] ??= []).push(...values);
      }
    }
    return { ok: true, response: { user: { name, uid: first(this.uids), groups, extra } } };
  }
}
