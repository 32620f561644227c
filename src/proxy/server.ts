/**
 * @module proxy/server
 *
 * `kubeauth proxy`: an HTTPS reverse proxy for one upstream, after kube-rbac-proxy
 * (cmd/kube-rbac-proxy/app, pkg/filters): `--ignore-paths` skip authentication and authorization,
 * a path outside `--allow-paths` is `404 page not found`; every other request goes through the
 * same delegated authentication and authorization filter as the kubelet (delegation/filter.ts,
 * http.Error style texts) with the attributes of proxy/attributes.ts, then to the upstream:
 * the upstream URL's path joined with the request's (httputil.NewSingleHostReverseProxy), hop-by-hop
 * headers dropped, `X-Forwarded-For` appended. Identity headers the client sent (the user and
 * groups header names, `X-Remote-Extra-*`) are always removed; with `--auth-header-fields-enabled`
 * the authenticated user and groups are set in them. The bearer token that authenticated the
 * request is not forwarded (upstream's bearertoken authenticator deletes `Authorization`). An
 * upstream that cannot be reached is a `502 Bad Gateway`, as Go's ReverseProxy answers.
 */
import {
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RequestAuthenticator, UserInfo } from '../authn/interfaces.js';
import type { Authorizer } from '../authz/interfaces.js';
import { withDelegatedAuth, writeTextError } from '../delegation/filter.js';
import { parseTarget } from '../kubelet/server.js';
import { proxyAttributes } from './attributes.js';
import type { ProxyAuthzConfig } from './config.js';
import { pathMatcher } from './paths.js';
import { HOP_BY_HOP_HEADERS } from '../api/hop-by-hop.js';

export interface AuthHeaderConfig {
  enabled: boolean;
  userFieldName: string;
  groupsFieldName: string;
  groupSeparator: string;
}

export interface ProxyOptions {
  upstream: URL;
  upstreamTls?: { ca?: string; cert?: string; key?: string };
  host: string;
  port: number;
  cert: string;
  key: string;
  clientCaPem?: string;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  authz: ProxyAuthzConfig;
  authHeader: AuthHeaderConfig;
  allowPaths: string[];
  ignorePaths: string[];
  log?: (line: string) => void;
}

const HOP_BY_HOP = HOP_BY_HOP_HEADERS;

function joinPath(base: string, p: string): string {
  if (base === '' || base === '/') return p;
  return base.replace(/\/+$/, '') + '/' + p.replace(/^\/+/, '');
}

function forward(
  o: ProxyOptions,
  req: IncomingMessage,
  res: ServerResponse,
  user: UserInfo | undefined,
): void {
  const incoming = new URL(req.url ?? '/', 'https://proxy.invalid');
  const headers: OutgoingHttpHeaders = {};
  const drop = new Set(
    (req.headers.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const userH = o.authHeader.userFieldName.toLowerCase();
  const groupsH = o.authHeader.groupsFieldName.toLowerCase();
  for (const [k, v] of Object.entries(req.headersDistinct)) {
    if (HOP_BY_HOP.has(k) || drop.has(k) || k === userH || k === groupsH || k.startsWith('x-remote-extra-'))
      continue;
    if (k === 'authorization' && user && !isX509User(user)) continue;
    if (v) headers[k] = v.length === 1 ? v[0] : v;
  }
  const xff = req.headers['x-forwarded-for'];
  const peer = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = xff ? `${String(xff)}, ${peer}` : peer;
  if (o.authHeader.enabled && user) {
    headers[userH] = user.name;
    headers[groupsH] = user.groups.join(o.authHeader.groupSeparator);
  }
  const target = new URL(o.upstream.toString());
  target.pathname = joinPath(o.upstream.pathname, incoming.pathname);
  const q = [o.upstream.search.replace(/^\?/, ''), incoming.search.replace(/^\?/, '')]
    .filter(Boolean)
    .join('&');
  target.search = q ? `?${q}` : '';
  // Go's NewSingleHostReverseProxy leaves the request's Host as the client sent it.
  headers.host = req.headers.host ?? o.upstream.host;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const up = send(
    target,
    { method: req.method, headers, ...(target.protocol === 'https:' ? o.upstreamTls : {}) },
    (ur) => {
      const out: OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(ur.headersDistinct)) {
        if (!HOP_BY_HOP.has(k) && v) out[k] = v.length === 1 ? v[0] : v;
      }
      res.writeHead(ur.statusCode ?? 502, out);
      ur.pipe(res);
    },
  );
  up.on('error', (e) => {
    o.log?.(`E http: proxy error: ${e.message}`);
    if (!res.headersSent) {
      res.writeHead(502);
      res.end();
    } else res.destroy();
  });
  req.pipe(up);
}

/** An x509-authenticated user: its credential id is the certificate's (x509.ts). */
function isX509User(u: UserInfo): boolean {
  return (u.extra['authentication.kubernetes.io/credential-id'] ?? []).some((c) =>
    c.startsWith('X509SHA256='),
  );
}

export interface RunningProxy {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export function proxyHandler(o: ProxyOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const allowed = o.allowPaths.length ? pathMatcher(o.allowPaths) : () => true;
  const ignored = o.ignorePaths.length ? pathMatcher(o.ignorePaths) : () => false;
  const queries = new WeakMap<IncomingMessage, URLSearchParams>();
  const authorized = withDelegatedAuth((req, res, _path, user) => forward(o, req, res, user), {
    authenticator: o.authenticator,
    authorizer: o.authorizer,
    attributes: (user, req, path) =>
      proxyAttributes(o.authz, user, req, path, queries.get(req) ?? new URLSearchParams()),
    style: 'http.Error',
    log,
  });
  return (req, res) => {
    const t = parseTarget(req.url);
    if (!t) return writeTextError(res, 'http.Error', 400, '400 Bad Request');
    if (!allowed(t.path)) return writeTextError(res, 'http.Error', 404, '404 page not found');
    if (ignored(t.path)) return forward(o, req, res, undefined);
    queries.set(req, t.query);
    authorized(req, res, t.path).catch((e: unknown) => {
      log(`E proxy: ${req.method} ${t.path}: ${e instanceof Error ? e.message : String(e)}`);
      writeTextError(res, 'http.Error', 500, 'Internal Server Error');
    });
  };
}

export function listenProxy(o: ProxyOptions): Promise<RunningProxy> {
  const server = createServer(
    {
      cert: o.cert,
      key: o.key,
      ca: o.clientCaPem,
      requestCert: Boolean(o.clientCaPem),
      rejectUnauthorized: false,
      minVersion: o.minVersion,
    },
    proxyHandler(o),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
