/**
 * CSR signing figures of BENCHMARKS.md (issue #8), against the built server (dist/), written to
 * bench/results/csr.json:
 *
 * 1. create → approve → issued latency (median, p99), one CSR at a time, RSA-2048 and ECDSA P-256
 *    requester keys (the CA is kubeadm's RSA-2048);
 * 2. signatures per second: 100 CSRs approved at once, until the last is issued;
 * 3. GET latency (median, p99) of one sequential client while those 100 are signed, as a ratio of
 *    the same GETs on the idle server (goal: at most 1.5).
 *
 * Each is measured with the default signing worker pool and with `--csr-signing-workers=0`
 * (signing on the event loop, as before), so the effect of the pool is in the same file.
 * Usage: `node --import tsx bench/csr.ts [rounds]` (default 30 sequential rounds per key type).
 */
import http2 from 'node:http2';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, credentialsFromKubeconfig, type Credentials } from '../test/e2e/client.js';
import { repoRoot, startServer } from '../test/e2e/harness.js';
import { createCsr } from '../src/pki/csr.js';

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (x: number) => Math.round(x * 1000) / 1000;

/** Resolves `issued(name)` when a watch event shows the CSR's certificate. */
function watchIssued(port: number, creds: Credentials, rv: string) {
  const session = http2.connect(`https://127.0.0.1:${port}`, { ...creds, servername: 'localhost' });
  const done = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  const req = session.request({ ':path': `${CSRS}?watch=1&resourceVersion=${rv}` });
  let buf = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const ev = JSON.parse(buf.slice(0, i)) as {
        object: { metadata: { name: string }; status?: { certificate?: string } };
      };
      buf = buf.slice(i + 1);
      const name = ev.object.metadata.name;
      if (ev.object.status?.certificate && !done.has(name)) {
        done.set(name, Date.now());
        waiters.get(name)?.();
      }
    }
  });
  return {
    issued: (name: string) =>
      new Promise<void>((r) => (done.has(name) ? r() : waiters.set(name, r))),
    close: () => session.close(),
  };
}

async function makeCsrs(kind: 'rsa' | 'ec', n: number, prefix: string): Promise<[string, string][]> {
  const { privateKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-${kind}-${i}`;
    const csr = await createCsr({ commonName: `user-${name}`, organizations: ['bench'], privateKeyPem: pem });
    out.push([name, csr]);
  }
  return out;
}

async function create(c: Client, name: string, csr: string): Promise<Record<string, unknown>> {
  const body = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: Buffer.from(csr).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['digital signature', 'client auth'],
    },
  };
  const r = await c.request('POST', CSRS, JSON.stringify(body));
  if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.body.toString()}`);
  return r.json();
}

async function approve(c: Client, obj: Record<string, unknown>): Promise<void> {
  const name = (obj.metadata as { name: string }).name;
  const status = { conditions: [{ type: 'Approved', status: 'True', reason: 'Bench', message: 'bench' }] };
  const r = await c.request('PUT', `${CSRS}/${name}/approval`, JSON.stringify({ ...obj, status }));
  if (r.status !== 200) throw new Error(`approve ${name}: ${r.status} ${r.body.toString()}`);
}

async function getLatencies(c: Client, until: () => boolean, min = 0): Promise<number[]> {
  const out: number[] = [];
  while (!until() || out.length < min) {
    const t0 = process.hrtime.bigint();
    const r = await c.request('GET', '/api/v1/namespaces/default');
    if (r.status !== 200) throw new Error(`GET: ${r.status}`);
    out.push(ms(t0));
  }
  return out;
}

async function measure(workers: number | undefined, rounds: number): Promise<Record<string, unknown>> {
  const srv = await startServer({
    args: workers === undefined ? [] : [`--csr-signing-workers=${workers}`],
  });
  try {
    const creds = credentialsFromKubeconfig(srv.kubeconfig);
    const c = new Client(srv.port, creds);
    const getter = new Client(srv.port, creds);
    const rv = ((await c.request('GET', CSRS)).json() as { metadata: { resourceVersion: string } }).metadata
      .resourceVersion;
    const watch = watchIssued(srv.port, creds, rv);
    const result: Record<string, unknown> = {};
    for (const kind of ['rsa', 'ec'] as const) {
      const label = kind === 'rsa' ? 'RSA-2048' : 'ECDSA P-256';
      const seq = await makeCsrs(kind, rounds + 3, 'seq');
      const lat: number[] = [];
      for (const [i, [name, csr]] of seq.entries()) {
        const t0 = process.hrtime.bigint();
        await approve(c, await create(c, name, csr));
        await watch.issued(name);
        if (i >= 3) lat.push(ms(t0)); // the first three warm up the workers
      }
      const batch = await makeCsrs(kind, 100, 'batch');
      const objs = await Promise.all(batch.map(([n, csr]) => create(c, n, csr)));
      await getLatencies(getter, () => true, 200); // warm-up
      const idle = await getLatencies(getter, () => true, 300);
      let finished = false;
      const t0 = process.hrtime.bigint();
      const signing = (async () => {
        await Promise.all(objs.map((o) => approve(c, o)));
        await Promise.all(batch.map(([n]) => watch.issued(n)));
        finished = true;
        return ms(t0);
      })();
      const busy = await getLatencies(getter, () => finished);
      const batchMs = await signing;
      result[label] = {
        issueLatencyMs: { median: round(pct(lat, 50)), p99: round(pct(lat, 99)), rounds: lat.length },
        signaturesPerSecond: round(100 / (batchMs / 1000)),
        batchOf100Ms: round(batchMs),
        getIdleMs: { median: round(pct(idle, 50)), p99: round(pct(idle, 99)), n: idle.length },
        getWhileSigningMs: { median: round(pct(busy, 50)), p99: round(pct(busy, 99)), n: busy.length },
        getRatio: {
          median: round(pct(busy, 50) / pct(idle, 50)),
          p99: round(pct(busy, 99) / pct(idle, 99)),
          goal: 1.5,
        },
      };
      console.log(`workers=${workers ?? 'default'} ${label}`, JSON.stringify(result[label]));
    }
    watch.close();
    c.close();
    getter.close();
    return result;
  } finally {
    await srv.stop();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 30);
  const results = {
    machine: { cpus: 2, node: process.version },
    date: new Date().toISOString(),
    workerPool: await measure(undefined, rounds),
    onEventLoop: await measure(0, rounds),
  };
  mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'bench/results/csr.json'), JSON.stringify(results, null, 2) + '\n');
}

await main();
