/**
 * The HTTPS listener: node:http2 secure server with HTTP/1.1 fallback, requesting (but not
 * requiring) client certificates so x509 authentication can run in the handler chain. SNI
 * certificates (--tls-sni-cert-key) are selected per server name. The serving pair, the SNI pairs
 * and the client-CA list can be replaced while serving (reloaded files); new handshakes use them,
 * open connections keep theirs.
 */
import http2 from 'node:http2';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Handler } from './context.js';
import { newContext } from './chain.js';
import { handleUpgrade } from './upgrade.js';

export interface SniCert {
  cert: string;
  key: string;
  /** Domain patterns ("foo.com", "*.foo.com"). */
  names: string[];
}

export interface ListenOptions {
  host: string;
  port: number;
  cert: string;
  key: string;
  /** CA bundle for client certificates (--client-ca-file); requested when set. */
  clientCa?: string;
  sni?: SniCert[];
}

export interface RunningServer {
  server: http2.Http2SecureServer;
  port: number;
  close(): Promise<void>;
  /**
   * Replaces the CA list of the CertificateRequest (a reloaded --client-ca-file or request-header CA)
   * for new handshakes. Requesting a certificate at all is decided at start (a CA was given).
   */
  setClientCa(ca: string | undefined): void;
  /** Replaces the default serving certificate and key for new handshakes. */
  setServing(pair: { cert: string; key: string }): void;
  /** Replaces the SNI certificates (and their names) for new handshakes. */
  setSni(sni: SniCert[]): void;
}

/** With no explicit patterns, the certificate's DNS SANs (or its CN) name it (--tls-sni-cert-key). */
function namesOf(certPem: string): string[] {
  const c = new X509Certificate(certPem);
  const dns = (c.subjectAltName ?? '')
    .split(', ')
    .filter((x) => x.startsWith('DNS:'))
    .map((x) => x.slice(4));
  if (dns.length) return dns;
  const cn = /CN=([^\n]+)/.exec(c.subject)?.[1];
  return cn ? [cn] : [];
}

/** Name → context maps of the SNI certificates, each context carrying the client-CA list too. */
function sniMaps(sni: SniCert[], ca: string | undefined) {
  const exact = new Map<string, tls.SecureContext>();
  const wildcard = new Map<string, tls.SecureContext>();
  for (const s of sni) {
    const ctx = tls.createSecureContext({ cert: s.cert, key: s.key, ca });
    for (const n of s.names.length ? s.names : namesOf(s.cert)) {
      const name = n.toLowerCase();
      if (name.startsWith('*.')) wildcard.set(name.slice(2), ctx);
      else exact.set(name, ctx);
    }
  }
  return { exact, wildcard };
}

export function listen(opts: ListenOptions, handler: Handler): Promise<RunningServer> {
  // The state new handshakes use; each setter replaces part of it (upstream's
  // DynamicServingCertificateController rebuilds the whole tls.Config the same way). Connections
  // already open keep the context they were made with, so HTTP/2 sessions stay up.
  const state = { cert: opts.cert, key: opts.key, ca: opts.clientCa, sni: opts.sni ?? [] };
  let fallback = tls.createSecureContext({ cert: state.cert, key: state.key, ca: state.ca });
  let maps = sniMaps(state.sni, state.ca);
  const base: http2.SecureServerOptions = {
    allowHTTP1: true,
    cert: opts.cert,
    key: opts.key,
    requestCert: Boolean(opts.clientCa),
    rejectUnauthorized: false,
    ca: opts.clientCa,
    minVersion: 'TLSv1.2',
    settings: { maxConcurrentStreams: 250 },
    maxSessionMemory: 64,
  };
  if (state.sni.length)
    base.SNICallback = (servername, cb) => {
      const name = servername.toLowerCase();
      const hit = maps.exact.get(name) ?? maps.wildcard.get(name.slice(name.indexOf('.') + 1));
      cb(null, hit ?? fallback);
    };
  const server = http2.createSecureServer(base, (req, res) => {
    const ctx = newContext(req, res);
    handler(ctx).catch((e) => {
      process.stderr.write(`E unhandled: ${(e as Error)?.stack ?? String(e)}\n`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('secureConnection', (sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  const apply = (caChanged: boolean): void => {
    server.setSecureContext({ cert: state.cert, key: state.key, ca: state.ca, minVersion: 'TLSv1.2' });
    fallback = tls.createSecureContext({ cert: state.cert, key: state.key, ca: state.ca });
    if (caChanged) maps = sniMaps(state.sni, state.ca);
  };
  // HTTP/1.1 upgrades (exec, attach, port-forward, proxied WebSockets) run the same chain.
  (server as unknown as import('node:http').Server).on('upgrade', (req, socket, head) =>
    handleUpgrade(handler, req, socket, head),
  );
  server.on('sessionError', () => undefined);
  server.on('tlsClientError', () => undefined);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        server,
        port,
        setClientCa(ca) {
          state.ca = ca;
          apply(true);
        },
        setServing(pair) {
          state.cert = pair.cert;
          state.key = pair.key;
          apply(false);
        },
        setSni(sni) {
          state.sni = sni;
          maps = sniMaps(state.sni, state.ca);
        },
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            // Ends idle keep-alive connections (HTTP/2 sessions and HTTP/1.1) so close() resolves.
            for (const sock of sockets) sock.destroy();
          }),
      });
    });
  });
}
