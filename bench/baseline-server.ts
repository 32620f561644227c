/**
 * The baseline for GET throughput: a bare node:http2 TLS server (client certificates requested,
 * as kubeauth does) that answers every request with the same bytes kubeauth returns for the
 * benchmarked object. Prints its port on stdout.
 *
 *   node --import tsx bench/baseline-server.ts '{"cert":"...","key":"...","ca":"...","body":"..."}'
 */
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

const o = JSON.parse(process.argv[2]) as { cert: string; key: string; ca: string; body: string };
const body = Buffer.from(o.body);
const server = http2.createSecureServer(
  { cert: o.cert, key: o.key, ca: o.ca, requestCert: true, rejectUnauthorized: false, allowHTTP1: true },
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  },
);
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
