/**
 * A sequential GET sampler for bench/csr.ts, in its own process so that the CSR traffic the
 * benchmark drives does not delay its clock: one HTTP/2 connection (client certificate), one GET
 * at a time, until stdin says `stop`; then prints `[start, latency]` pairs (ms; start on the
 * `performance.timeOrigin + performance.now()` clock, comparable across processes) as JSON.
 *
 *   node --import tsx bench/get-sampler.ts '{"port":6443,"path":"/api/v1/namespaces/default","ca":"...","cert":"...","key":"..."}'
 */
import http2 from 'node:http2';

const o = JSON.parse(process.argv[2]!) as {
  port: number;
  path: string;
  ca: string;
  cert: string;
  key: string;
};
const session = http2.connect(`https://127.0.0.1:${o.port}`, {
  ca: o.ca,
  cert: o.cert,
  key: o.key,
  servername: 'localhost',
});
let stop = false;
process.stdin.on('data', (d) => {
  if (String(d).includes('stop')) stop = true;
});

const get = () =>
  new Promise<[number, number]>((resolve, reject) => {
    const start = performance.timeOrigin + performance.now();
    const t0 = process.hrtime.bigint();
    const req = session.request({ ':path': o.path });
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', () => undefined);
    req.on('end', () =>
      status === 200
        ? resolve([start, Number(process.hrtime.bigint() - t0) / 1e6])
        : reject(new Error(`GET ${status}`)),
    );
    req.on('error', reject);
    req.end();
  });

const out: [number, number][] = [];
process.stdout.write('ready\n');
while (!stop) out.push(await get());
session.close();
process.stdout.write(JSON.stringify(out) + '\n');
