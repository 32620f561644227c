/**
 * WithAuthentication (k8s.io/apiserver/pkg/endpoints/filters/authentication.go): runs the
 * authenticator chain; failure is the upstream 401 Status (message "Unauthorized"); success puts
 * the user on the context and strips Authorization and the front-proxy X-Remote-* headers.
 */
import type { TLSSocket } from 'node:tls';
import { unauthorized } from '../../api/errors.js';
import type {
  AuthRequest,
  AuthResult,
  PeerCertificates,
  RequestAuthenticator,
} from '../../authn/interfaces.js';
import { isPromiseLike } from '../../authn/maybe-async.js';
import type { AnyRequest, Filter } from '../context.js';
import { writeError } from '../responses.js';

const peerCache = new WeakMap<object, PeerCertificates | null>();

/** The connection object: the TLS socket for HTTP/1.1, the session's socket for HTTP/2. */
function connectionSocket(req: AnyRequest): TLSSocket | undefined {
  const stream = (req as { stream?: { session?: { socket?: unknown } } }).stream;
  const sock = stream?.session?.socket ?? req.socket;
  return sock as TLSSocket | undefined;
}

export function peerCertificates(req: AnyRequest): PeerCertificates | undefined {
  const sock = connectionSocket(req);
  if (!sock || typeof sock.getPeerCertificate !== 'function') return undefined;
  const key = (req as { stream?: { session?: object } }).stream?.session ?? sock;
  let cached = peerCache.get(key);
  if (cached === undefined) {
    cached = null;
    const leaf = sock.getPeerCertificate(true);
    if (leaf && leaf.raw) {
      const chain: Buffer[] = [];
      let c: typeof leaf | undefined = leaf;
      const seen = new Set<string>();
      while (c && c.raw && !seen.has(c.fingerprint256) && chain.length < 10) {
        seen.add(c.fingerprint256);
        chain.push(c.raw);
        c = c.issuerCertificate as typeof leaf | undefined;
      }
      cached = { connection: key, chain };
    }
    peerCache.set(key, cached);
  }
  return cached ?? undefined;
}

const strippedHeaders = ['authorization', 'x-remote-user', 'x-remote-uid', 'x-remote-group'];
const strippedPrefixes = ['x-remote-extra-'];

/** The front-proxy headers configured beyond the standard X-Remote-* (--requestheader-*). */
export interface ProxyHeaders {
  /** Username, uid and group header names (lower case). */
  names: string[];
  /** Extra-header prefixes (lower case). */
  prefixes: string[];
}

export function withAuthentication(
  authenticator: RequestAuthenticator,
  proxy: ProxyHeaders = { names: [], prefixes: [] },
): Filter {
  const names = [...new Set([...strippedHeaders, ...proxy.names])];
  const prefixes = [...new Set([...strippedPrefixes, ...proxy.prefixes])];
  const isCredentialHeader = (h: string) =>
    h === 'authorization' ||
    names.includes(h) ||
    prefixes.some((p) => h.startsWith(p)) ||
    h.startsWith('x-remote-');
  /**
   * The credential headers of a request, every value kept (a repeated Authorization must be
   * seen: node's HTTP/2 header object keeps only the first); undefined when there are none, which
   * is most requests. Built from rawHeaders, so nothing else is copied.
   */
  const credentialHeaders = (req: AnyRequest): Record<string, string[]> | undefined => {
    const raw = req.rawHeaders;
    let out: Record<string, string[]> | undefined;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      let k = raw[i];
      // HTTP/2 names arrive lower case; HTTP/1.1 keeps the client's spelling.
      if (k.charCodeAt(0) === 58 /* ':' */) continue;
      k = k.toLowerCase();
      if (!isCredentialHeader(k)) continue;
      ((out ??= {})[k] ??= []).push(raw[i + 1]);
    }
    return out;
  };
  /**
   * Removes Authorization and the configured front-proxy headers among those found, as upstream
   * removes exactly those (other `X-Remote-*` headers are read but left in place).
   */
  const stripped = (h: string) => names.includes(h) || prefixes.some((p) => h.startsWith(p));
  const stripCredentials = (headers: Record<string, unknown>, found: Record<string, string[]>) => {
    for (const k in found) if (stripped(k)) delete headers[k];
  };
  const NONE: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;
  return (next) => async (ctx) => {
    const found = credentialHeaders(ctx.req);
    const headers = found ?? NONE;
    // Several Authorization headers are ambiguous credentials: refuse rather than pick one.
    if ((headers['authorization']?.length ?? 0) > 1) {
      writeError(ctx, unauthorized());
      return;
    }
    const areq: AuthRequest = {
      headers,
      path: ctx.path,
      peerCertificates: () => peerCertificates(ctx.req),
      connection: (ctx.req as { stream?: { session?: object } }).stream?.session ?? ctx.req.socket,
    };
    let r: AuthResult;
    try {
      const answer = authenticator.authenticate(areq);
      r = isPromiseLike(answer) ? await answer : answer;
    } catch {
      r = { ok: false as const };
    }
    if (!r.ok) {
      if (r.error)
        process.stderr.write(
          `I ${new Date().toISOString()} Unable to authenticate the request: ${r.error.message}\n`,
        );
      writeError(ctx, unauthorized());
      return;
    }
    ctx.user = r.response.user;
    if (found) stripCredentials(ctx.req.headers, found);
    await next(ctx);
  };
}
