/**
 * The HTTPS listener: node:http2 secure server with HTTP/1.1 fallback, requesting (but not
 * requiring) client certificates so x509 authentication can run in the handler chain. SNI
 * certificates (--tls-sni-cert-key) are selected per server name.
 */
import http2 from 'node:http2';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Handler } from './context.js';
import { newContext } from './chain.js';

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
  /** Replaces the CA list of the CertificateRequest (a reloaded --client-ca-file) for new handshakes. */
  setClientCa(ca: string): void;
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

function sniCallback(sni: SniCert[], fallbackOf: () => tls.SecureContext) {
  const exact = new Map<string, tls.SecureContext>();
  const wildcard = new Map<string, tls.SecureContext>();
  for (const s of sni) {
    const ctx = tls.createSecureContext({ cert: s.cert, key: s.key });
    for (const n of s.names.length ? s.names : namesOf(s.cert)) {
      if (n.startsWith('*.')) wildcard.set(n.slice(2), ctx);
      else exact.set(n, ctx);
    }
  }
  return (servername: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void) => {
    const name = servername.toLowerCase();
    const hit = exact.get(name) ?? wildcard.get(name.slice(name.indexOf('.') + 1));
    cb(null, hit ?? fallbackOf());
  };
}

export function listen(opts: ListenOptions, handler: Handler): Promise<RunningServer> {
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
  let fallback = tls.createSecureContext({ cert: opts.cert, key: opts.key, ca: opts.clientCa });
  if (opts.sni?.length) base.SNICallback = sniCallback(opts.sni, () => fallback);
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
          server.setSecureContext({ cert: opts.cert, key: opts.key, ca, minVersion: 'TLSv1.2' });
          fallback = tls.createSecureContext({ cert: opts.cert, key: opts.key, ca });
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
