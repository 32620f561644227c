/**
 * @module kubelet/server
 *
 * The node agent's HTTPS server: TLS with the client certificate requested (not required, so
 * anonymous and bearer requests still reach authentication), then the delegated authentication
 * and authorization filter (delegation/filter.ts, the attributes of delegation/attributes.ts), then
 * the routes (kubelet/routes.ts).
 *
 * Deliberate difference: upstream's auth filter runs only on registered routes (an unknown path is
 * a 404 to anyone); here every path is authenticated and authorized first (deny by default).
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestAuthenticator } from '../authn/interfaces.js';
import type { Authorizer } from '../authz/interfaces.js';
import { kubeletAttributes } from '../delegation/attributes.js';
import { withDelegatedAuth, writeTextError } from '../delegation/filter.js';
import type { KubeletServing } from './config.js';
import { KubeletMetrics } from './metrics.js';
import { NodeState } from './node-state.js';
import type { PodRuntime } from './pods/runtime.js';
import { METRIC_BUCKETS, serveKubelet } from './routes.js';

export interface KubeletServerOptions {
  config: KubeletServing;
  nodeName: string;
  /** Absent until a serving certificate is issued (--rotate-server-certificates): handshakes are refused. */
  cert?: string;
  key?: string;
  clientCaPem?: string;
  authenticator: RequestAuthenticator;
  authorizer: Authorizer;
  logDir?: string;
  /** The simulated pods (kubelet/pods/runtime.ts). */
  pods?: PodRuntime;
  log?: (line: string) => void;
}

export interface RunningKubelet {
  server: Server;
  port: number;
  /** Serves a new certificate from the next handshake on (certificate rotation). */
  setServingCert(cert: string, key: string): void;
  close(): Promise<void>;
}

/** Parses a request target into its decoded path and query; undefined when malformed. */
export function parseTarget(url: string | undefined): { path: string; query: URLSearchParams } | undefined {
  if (!url || !url.startsWith('/')) return undefined;
  try {
    const u = new URL(url, 'https://kubelet.invalid');
    return { path: decodeURIComponent(u.pathname), query: u.searchParams };
  } catch {
    return undefined;
  }
}

export function kubeletHandler(o: KubeletServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const node = new NodeState(o.nodeName);
  const ctx = {
    node,
    metrics: new KubeletMetrics(node, METRIC_BUCKETS),
    config: o.config,
    logDir: o.logDir ?? '/var/log',
    pods: o.pods,
  };
  const queries = new WeakMap<IncomingMessage, URLSearchParams>();
  const authorized = withDelegatedAuth(
    (req, res, path) => serveKubelet(ctx, req, res, path, queries.get(req) ?? new URLSearchParams()),
    {
      authenticator: o.authenticator,
      authorizer: o.authorizer,
      attributes: (user, req, path) => [kubeletAttributes(user, req.method ?? 'GET', path, o.nodeName)],
      style: 'restful',
      log,
    },
  );
  return (req, res) => {
    const t = parseTarget(req.url);
    if (!t) return writeTextError(res, 'http.Error', 400, '400 Bad Request');
    queries.set(req, t.query);
    authorized(req, res, t.path).catch((e: unknown) => {
      log(`E kubelet: ${req.method} ${t.path}: ${e instanceof Error ? e.message : String(e)}`);
      writeTextError(res, 'http.Error', 500, 'Internal Server Error');
    });
  };
}

export function listenKubelet(o: KubeletServerOptions): Promise<RunningKubelet> {
  let haveCert = Boolean(o.cert);
  const server = createServer(
    {
      ...(o.cert ? { cert: o.cert, key: o.key } : {}),
      ca: o.clientCaPem,
      requestCert: Boolean(o.clientCaPem),
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    },
    kubeletHandler(o),
  );
  // certificate_manager.go's GetCertificate without a certificate: "no serving certificate available for the kubelet".
  server.on('connection', (sock: { destroy(): void }) => {
    if (!haveCert) sock.destroy();
  });
  // server.go: IdleTimeout 90s, MaxHeaderBytes 1 MiB.
  server.keepAliveTimeout = 90_000;
  server.maxHeadersCount = 2000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.config.port, o.config.address, () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        setServingCert(cert, key) {
          server.setSecureContext({ cert, key, ca: o.clientCaPem, minVersion: 'TLSv1.2' });
          haveCert = true;
        },
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
