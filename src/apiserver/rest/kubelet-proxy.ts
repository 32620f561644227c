/**
 * Forwarding one request to a kubelet (staging/src/k8s.io/apimachinery/pkg/util/proxy/upgradeaware.go):
 * - plain requests: method, headers (without hop-by-hop ones and without the caller's
 *   credentials, which the authentication filters consumed) and body go to the location; the
 *   answer comes back streamed (logs -f). Redirects are passed back, never followed; CORS
 *   headers of the backend are removed (corsRemovingTransport).
 * - upgrades (HTTP/1.1 `Connection: Upgrade`): the request is sent with its Upgrade headers; only
 *   when the backend answers 101 are the two connections spliced. Any other answer is echoed to
 *   the client and the connection ends (tryUpgrade: "the backend did not upgrade").
 */
import https from 'node:https';
import path from 'node:path';
import type { IncomingMessage, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, badRequest } from '../../api/errors.js';
import type { RequestContext, ResponseWriter } from '../context.js';
import { upgradeConn } from '../upgrade.js';
import { dialTimeout } from './kubelet-client.js';
import { HOP_BY_HOP_HEADERS } from '../../api/hop-by-hop.js';

const HOP = HOP_BY_HOP_HEADERS;
/** Credentials the authentication and impersonation filters consumed (they do not reach backends). */
const CREDENTIAL = /^(authorization|impersonate-.*|x-remote-.*)$/i;
const CORS = new Set([
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-allow-origin',
]);

function requestHeaders(ctx: RequestContext): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const h = ctx.req.headers as IncomingHttpHeaders;
  const listed = new Set(
    String(h['connection'] ?? '')
      .split(',')
      .map((x) => x.trim().toLowerCase())
      .filter(Boolean),
  );
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || k.startsWith(':') || HOP.has(k) || listed.has(k) || CREDENTIAL.test(k)) continue;
    out[k] = v;
  }
  const remote = ctx.req.socket?.remoteAddress;
  if (remote) {
    const prior = h['x-forwarded-for'];
    out['x-forwarded-for'] = prior ? `${String(prior)}, ${remote}` : remote;
  }
  return out;
}

function responseHeaders(h: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP.has(k) || CORS.has(k)) continue;
    out[k] = v;
  }
  return out;
}

export interface ForwardOptions {
  url: URL;
  agent: https.Agent;
  timeoutMs: number;
  /**
   * nodes/proxy (wrapTransport): the URL prefix of the proxy, for X-Forwarded-Uri and the
   * rewriting of same-host redirects (defaultProxyTransport).
   */
  pathPrepend?: string;
  /** exec/attach/portforward: a request that is not an upgrade is refused (UpgradeRequired). */
  upgradeRequired?: boolean;
}

/** Go's wording for the common dial errors (net.OpError), else Node's message. */
function dialMessage(e: Error & { code?: string }, host: string): string {
  if (e.code === 'ECONNREFUSED') return `dial tcp ${host}: connect: connection refused`;
  if (e.code === 'EHOSTUNREACH') return `dial tcp ${host}: connect: no route to host`;
  if (e.code === 'ENOTFOUND') return `dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  return e.message;
}

/**
 * The responder's error for a failed round trip: a Status that is not an APIStatus is a 500 with
 * no reason (ErrorToAPIStatus). tryUpgrade says "error dialing backend"; the rewriting Transport
 * of a wrapped (nodes/proxy) request "error trying to reach service".
 */
function backendError(e: Error, host: string, upgrade: boolean, wrapped: boolean): ApiError {
  const msg = dialMessage(e, host);
  const text = upgrade
    ? `error dialing backend: ${msg}`
    : wrapped
      ? `error trying to reach service: ${msg}`
      : msg;
  return new ApiError(500, '', text);
}

/**
 * proxy/transport.go rewriteURL for a redirect's Location: a same-host absolute path gets the
 * proxy prefix (/api/v1/nodes/NAME/proxy); other hosts and relative paths are left alone.
 */
export function rewriteLocation(
  location: string,
  backendHost: string,
  requestHost: string,
  prefix: string,
): string {
  let u: URL;
  try {
    u = new URL(location, 'http://relative.invalid');
  } catch {
    return location;
  }
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || location.startsWith('//');
  const host = absolute ? u.host : '';
  const differentHost = host !== '' && host !== backendHost && host !== requestHost;
  const relative = !(absolute ? u.pathname : location).startsWith('/');
  if (differentHost || relative) return location;
  if (u.pathname.startsWith(prefix)) return `${u.pathname}${u.search}${u.hash}`;
  // path.posix.join keeps a trailing slash (Go's path.Join drops it and upstream adds it back).
  return `${path.posix.join(prefix, u.pathname)}${u.search}${u.hash}`;
}

function isUpgrade(ctx: RequestContext): boolean {
  const conn = String(ctx.req.headers['connection'] ?? '').toLowerCase();
  return Boolean(ctx.req.headers['upgrade']) && conn.split(',').some((t) => t.trim() === 'upgrade');
}

/** Sends the request to the kubelet and answers with its response; resolves when done. */
export function forward(ctx: RequestContext, o: ForwardOptions): Promise<void> {
  const conn = isUpgrade(ctx) ? upgradeConn(ctx.req) : undefined;
  if (o.upgradeRequired && !conn) throw badRequest('Upgrade request required');
  const headers = requestHeaders(ctx);
  if (o.pathPrepend !== undefined) {
    headers['x-forwarded-uri'] = path.posix.join(o.pathPrepend, o.url.pathname);
  }
  if (conn) {
    headers['connection'] = 'Upgrade';
    headers['upgrade'] = String(ctx.req.headers['upgrade']);
  }
  return new Promise<void>((resolve, reject) => {
    const req = https.request(o.url, {
      method: ctx.method,
      headers,
      agent: conn ? false : o.agent,
      ...(conn ? agentOptions(o.agent) : {}),
    });
    dialTimeout(req, o.timeoutMs, o.url.host);
    // The caller went away before the kubelet answered: stop waiting for it.
    const abandon = () => {
      if (!ctx.res.headersSent && !conn?.hijacked) {
        req.destroy();
        resolve();
      }
    };
    if (conn) conn.socket.once('close', abandon);
    else (ctx.res as unknown as NodeJS.EventEmitter).once('close', abandon);
    req.on('error', (e) => {
      if (ctx.res.headersSent) {
        ctx.res.end();
        resolve();
      } else reject(backendError(e, o.url.host, Boolean(conn), o.pathPrepend !== undefined));
    });
    req.on('response', (res) => {
      // Not an upgrade, or the backend did not upgrade: echo its answer.
      const out = responseHeaders(res.headers);
      const loc = res.headers['location'];
      if (loc && o.pathPrepend !== undefined && !conn)
        out['location'] = rewriteLocation(
          loc,
          o.url.host,
          String(ctx.req.headers['host'] ?? ctx.req.headers[':authority'] ?? ''),
          o.pathPrepend,
        );
      ctx.res.writeHead(res.statusCode ?? 502, out);
      pipeBody(res, ctx, resolve);
    });
    req.on('upgrade', (res, backend, backendHead) => {
      splice(conn!, res, backend, backendHead);
      resolve();
    });
    if (conn || ctx.method === 'GET' || ctx.method === 'HEAD') req.end();
    else (ctx.req as NodeJS.ReadableStream).pipe(req);
  });
}

/** The TLS options of the kubelet agent, for the one-off connection an upgrade needs. */
function agentOptions(agent: https.Agent): https.RequestOptions {
  const a = (agent as unknown as { options: https.RequestOptions }).options;
  return { cert: a.cert, key: a.key, ca: a.ca, rejectUnauthorized: a.rejectUnauthorized };
}

function pipeBody(res: IncomingMessage, ctx: RequestContext, done: () => void): void {
  const out = ctx.res as unknown as ResponseWriter & NodeJS.EventEmitter;
  res.on('data', (chunk: Buffer) => {
    if (!out.write(chunk)) {
      res.pause();
      out.once('drain', () => res.resume());
    }
  });
  res.on('end', () => {
    out.end();
    done();
  });
  res.on('error', () => {
    out.end();
    done();
  });
  // The client went away (logs -f interrupted): stop reading from the kubelet.
  out.on('close', () => {
    res.destroy();
    done();
  });
}

/** 101 from the backend: write its status and headers to the client, then copy both ways. */
function splice(
  conn: NonNullable<ReturnType<typeof upgradeConn>>,
  res: IncomingMessage,
  backend: Duplex,
  backendHead: Buffer,
): void {
  conn.hijacked = true;
  const client = conn.socket;
  const lines = [`HTTP/1.1 101 ${res.statusMessage || 'Switching Protocols'}`];
  for (let i = 0; i < res.rawHeaders.length; i += 2)
    lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  client.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (backendHead.length) client.write(backendHead);
  if (conn.head.length) backend.write(conn.head);
  backend.pipe(client);
  client.pipe(backend);
  const end = () => {
    backend.destroy();
    client.destroy();
  };
  backend.on('error', end);
  client.on('error', end);
  backend.on('close', end);
  client.on('close', end);
}
