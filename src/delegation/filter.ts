/**
 * @module delegation/filter
 *
 * The authentication + authorization filter of a delegating server, after
 * pkg/kubelet/server/server.go `InstallAuthFilter` and kube-rbac-proxy's pkg/filters/auth.go:
 *
 * - an authentication error is logged ("Unable to authenticate the request due to an error") and,
 *   like no credential with anonymous off, answered `401 Unauthorized`;
 * - each set of attributes is authorized in turn; an error answers `500 Authorization error (user=…,
 *   verb=…, resource=…, subresource=…)` (checked before the decision, as the kubelet does), anything
 *   but Allow `403 Forbidden (user=…, verb=…, resource=…, subresource=…)`; no attributes at all
 *   (kube-rbac-proxy rewrites with nothing to rewrite from) `400 Bad Request. The request or
 *   configuration is malformed.`
 *
 * The bodies are plain text as upstream writes them: the kubelet with go-restful's
 * `WriteErrorString` (no newline), kube-rbac-proxy with `http.Error` (newline, nosniff).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AuthRequest, PeerCertificates, RequestAuthenticator, UserInfo } from '../authn/interfaces.js';
import type { Attributes, Authorizer } from '../authz/interfaces.js';

export type ErrorStyle = 'restful' | 'http.Error';

export interface DelegatedAuthOptions {
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  /** The attributes to authorize (all must be allowed); [] is a 400. */
  attributes(user: UserInfo, req: IncomingMessage, path: string): Attributes[];
  style: ErrorStyle;
  log(line: string): void;
}

export type AuthorizedHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  user: UserInfo,
) => void | Promise<void>;

/** Writes a plain-text error as the upstream server of `style` does. */
export function writeTextError(res: ServerResponse, style: ErrorStyle, code: number, msg: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (style === 'http.Error') headers['x-content-type-options'] = 'nosniff';
  res.writeHead(code, headers);
  res.end(style === 'http.Error' ? `${msg}\n` : msg);
}

const peerCache = new WeakMap<object, PeerCertificates | null>();

/** The TLS peer chain of a request's connection (leaf first), read once per connection. */
export function peerChain(req: IncomingMessage): PeerCertificates | undefined {
  const sock = req.socket as TLSSocket;
  if (typeof sock.getPeerCertificate !== 'function') return undefined;
  let cached = peerCache.get(sock);
  if (cached === undefined) {
    cached = null;
    const leaf = sock.getPeerCertificate(true);
    if (leaf && leaf.raw) {
      const chain: Buffer[] = [];
      const seen = new Set<string>();
      let c: typeof leaf | undefined = leaf;
      while (c && c.raw && !seen.has(c.fingerprint256) && chain.length < 10) {
        seen.add(c.fingerprint256);
        chain.push(c.raw);
        c = c.issuerCertificate as typeof leaf | undefined;
      }
      cached = { connection: sock, chain };
    }
    peerCache.set(sock, cached);
  }
  return cached ?? undefined;
}

function authRequest(req: IncomingMessage, path: string): AuthRequest {
  return { headers: req.headersDistinct, path, peerCertificates: () => peerChain(req) };
}

function describe(a: Attributes): string {
  return `(user=${a.user.name}, verb=${a.verb}, resource=${a.resource}, subresource=${a.subresource})`;
}

/** Wraps `next` so that it runs only for authenticated, authorized requests. */
export function withDelegatedAuth(next: AuthorizedHandler, o: DelegatedAuthOptions) {
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const r = await o.authenticator.authenticate(authRequest(req, path));
    if (!r.ok) {
      if (r.error) o.log(`E Unable to authenticate the request due to an error: ${r.error.message}`);
      return writeTextError(res, o.style, 401, 'Unauthorized');
    }
    const user = r.response.user;
    const all = o.attributes(user, req, path);
    if (all.length === 0) {
      return writeTextError(res, o.style, 400, 'Bad Request. The request or configuration is malformed.');
    }
    for (const a of all) {
      const d = await o.authorizer.authorize(a);
      if (d.error) {
        o.log(`E Authorization error ${describe(a)}: ${d.error.message}`);
        return writeTextError(res, o.style, 500, `Authorization error ${describe(a)}`);
      }
      if (d.decision !== 'Allow') {
        return writeTextError(res, o.style, 403, `Forbidden ${describe(a)}`);
      }
    }
    await next(req, res, path, user);
  };
}
