/**
 * A closed-loop HTTP/2 load generator, run as its own process so it does not share the server's
 * event loop: C TLS connections (client certificate like kubectl), M concurrent streams each,
 * for a fixed duration or request count. Prints one JSON line: {requests, errors, seconds, rps,
 * p50Ms, p99Ms, statuses}.
 *
 *   node --import tsx bench/load-client.ts '{"port":6443,"path":"/api/v1/...","connections":8,"streams":10,"seconds":5,"ca":"...","cert":"...","key":"..."}'
 */
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';

interface Opts {
  port: number;
  path: string;
  method?: string;
  /** Body template; "{i}" is replaced by a request counter (for creates). */
  body?: string;
  connections: number;
  streams: number;
  seconds?: number;
  total?: number;
  ca: string;
  cert?: string;
  key?: string;
  /** Extra request headers (e.g. a fixed Authorization). */
  headers?: Record<string, string>;
  /** A file of bearer tokens, one a line: request i sends token i (each used once, uncached). */
  tokensFile?: string;
}

const o = JSON.parse(process.argv[2]) as Opts;
const tokens = o.tokensFile ? readFileSync(o.tokensFile, 'utf8').split('\n').filter(Boolean) : undefined;
const latencies: number[] = [];
const statuses: Record<string, number> = {};
let requests = 0;
let errors = 0;
let issued = 0;
const start = process.hrtime.bigint();
const deadline = o.seconds ? Date.now() + o.seconds * 1000 : Infinity;

function more(): boolean {
  if (o.total !== undefined) return issued < o.total;
  return Date.now() < deadline;
}

function loop(session: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    const next = (): void => {
      if (!more()) return resolve();
      const i = issued++;
      const t0 = process.hrtime.bigint();
      const headers: http2.OutgoingHttpHeaders = {
        ':method': o.method ?? 'GET',
        ':path': o.path.replace('{i}', String(i)),
        accept: 'application/json',
        ...(o.headers ?? {}),
      };
      if (tokens) headers.authorization = `Bearer ${tokens[i % tokens.length]}`;
      if (o.body) headers['content-type'] = 'application/json';
      const req = session.request(headers);
      let status = 0;
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', () => undefined);
      req.on('end', () => {
        requests++;
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        next();
      });
      req.on('error', () => {
        errors++;
        next();
      });
      req.end(o.body ? o.body.replaceAll('{i}', String(i)) : undefined);
    };
    next();
  });
}

async function main(): Promise<void> {
  const sessions = Array.from({ length: o.connections }, () =>
    http2.connect(`https://127.0.0.1:${o.port}`, {
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      servername: 'localhost',
    }),
  );
  await Promise.all(sessions.map((s) => new Promise((r) => s.once('connect', r))));
  await Promise.all(sessions.flatMap((s) => Array.from({ length: o.streams }, () => loop(s))));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  sessions.forEach((s) => s.close());
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  process.stdout.write(
    JSON.stringify({
      requests,
      errors,
      seconds,
      rps: requests / seconds,
      p50Ms: q(0.5),
      p99Ms: q(0.99),
      statuses,
    }) + '\n',
  );
}

void main();
