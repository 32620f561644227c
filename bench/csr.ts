/**
 * CSR signing figures of BENCHMARKS.md (issue #8), against the built server (dist/), written to
 * bench/results/csr.json:
 *
 * 1. create → approve → issued latency (median, p99), one CSR at a time, RSA-2048 and ECDSA P-256
 *    requester keys (the CA is kubeadm's RSA-2048);
 * 2. signatures per second: 100 CSRs approved at once, until the last is issued;
 * 3. GET latency (median, p99) of one sequential client (its own process, bench/get-sampler.ts)
 *    while those 100 are approved and signed, as a ratio of the same GETs on the idle server
 *    (goal: at most 1.5).
 *
 * Each is measured with the default signing worker pool and with `--csr-signing-workers=0`
 * (signing on the event loop, as before), so the effect of the pool is in the same file.
 * Usage: `node --import tsx bench/csr.ts [rounds]` (default 30 sequential rounds per key type).
 */
import http2 from 'node:http2';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, credentialsFromKubeconfig, type Credentials } from '../test/e2e/client.js';
import { repoRoot, startServer, type TestServer } from '../test/e2e/harness.js';
import { createCsr } from '../src/pki/csr.js';

const CSRS = '/apis/certificates.k8s.io/v1/certificatesigningrequests';
/** Batches of 100 per key type; each figure is the median batch (a p99 of one batch moves a lot). */
const BATCHES = 5;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (x: number) => Math.round(x * 1000) / 1000;

/** CPU seconds of a process (all threads) and of its main thread (the event loop), from /proc. */
function cpu(pid: number): { process: number; main: number } {
  const read = (f: string) => {
    const fields = readFileSync(f, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  return { process: read(`/proc/${pid}/stat`), main: read(`/proc/${pid}/task/${pid}/stat`) };
}

/** Resolves `issued(name)` when a watch event shows the CSR's certificate. */
function watchIssued(port: number, creds: Credentials, rv: string) {
  const session = http2.connect(`https://127.0.0.1:${port}`, { ...creds, servername: 'localhost' });
  const done = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  session.on('error', () => undefined);
  const req = session.request({ ':path': `${CSRS}?watch=1&resourceVersion=${rv}` });
  req.on('error', () => undefined);
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
    issued: (name: string) => new Promise<void>((r) => (done.has(name) ? r() : waiters.set(name, r))),
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

/** Starts bench/get-sampler.ts; `stop()` resolves with its GET latencies (ms). */
async function sampler(port: number, creds: Credentials): Promise<{ stop(): Promise<[number, number][]> }> {
  const p = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot, 'bench/get-sampler.ts'),
      JSON.stringify({ port, path: '/api/v1/namespaces/default', ...creds }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  while (!out.includes('ready\n')) await new Promise((r) => setTimeout(r, 10));
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        p.on('exit', (code) =>
          code === 0
            ? resolve(JSON.parse(out.split('\n')[1]) as [number, number][])
            : reject(new Error(`sampler ${code}`)),
        );
        p.stdin.end('stop\n');
      }),
  };
}

interface Batch {
  batchMs: number;
  approvalsMs: number;
  cpuMsPerCsr: number;
  mainCpuMsPerCsr: number;
  idle: number[];
  busy: number[];
  window: number[];
}

/** 100 CSRs created, then approved at once; GETs sampled idle and until the last is issued. */
async function signBatch(
  srv: TestServer,
  c: Client,
  creds: Credentials,
  watch: ReturnType<typeof watchIssued>,
  kind: 'rsa' | 'ec',
  prefix: string,
): Promise<Batch> {
  const batch = await makeCsrs(kind, 100, prefix);
  const objs = await Promise.all(batch.map(([n, csr]) => create(c, n, csr)));
  const idleSampler = await sampler(srv.port, creds);
  await new Promise((r) => setTimeout(r, 1500));
  const idle = (await idleSampler.stop()).slice(100).map(([, l]) => l); // the first 100 warm up
  const busySampler = await sampler(srv.port, creds);
  await new Promise((r) => setTimeout(r, 200));
  const clock = () => performance.timeOrigin + performance.now();
  const cpu0 = cpu(srv.proc.pid!);
  const start = clock();
  await Promise.all(objs.map((o) => approve(c, o)));
  const approved = clock();
  await Promise.all(batch.map(([n]) => watch.issued(n)));
  const end = clock();
  const cpu1 = cpu(srv.proc.pid!);
  const samples = await busySampler.stop();
  return {
    batchMs: end - start,
    approvalsMs: approved - start,
    cpuMsPerCsr: ((cpu1.process - cpu0.process) * 1000) / 100,
    mainCpuMsPerCsr: ((cpu1.main - cpu0.main) * 1000) / 100,
    idle,
    // while signing: GETs started after the 100 approvals were answered, before the last issue
    busy: samples.filter(([t]) => t >= approved && t < end).map(([, l]) => l),
    // the whole window, the burst of 100 approval PUTs included
    window: samples.filter(([t]) => t >= start && t < end).map(([, l]) => l),
  };
}

async function measure(workers: number | undefined, rounds: number): Promise<Record<string, unknown>> {
  const srv = await startServer({
    args: workers === undefined ? [] : [`--csr-signing-workers=${workers}`],
  });
  try {
    const creds = credentialsFromKubeconfig(srv.kubeconfig);
    const c = new Client(srv.port, creds);
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
      const batches: Batch[] = [];
      for (let bi = 0; bi < BATCHES; bi++)
        batches.push(await signBatch(srv, c, creds, watch, kind, `b${bi}`));
      const mid = (f: (b: Batch) => number) => batches.map(f).sort((x, y) => x - y)[BATCHES >> 1];
      result[label] = {
        issueLatencyMs: { median: round(pct(lat, 50)), p99: round(pct(lat, 99)), rounds: lat.length },
        // the median of BATCHES batches of 100 for each figure below
        signaturesPerSecond: round(mid((b) => 100 / (b.batchMs / 1000))),
        eventLoopCpuMsPerCsr: round(mid((b) => b.mainCpuMsPerCsr)),
        processCpuMsPerCsr: round(mid((b) => b.cpuMsPerCsr)),
        approvalsOf100Ms: round(mid((b) => b.approvalsMs)),
        getIdleMs: { median: round(mid((b) => pct(b.idle, 50))), p99: round(mid((b) => pct(b.idle, 99))) },
        getWhileSigningMs: {
          median: round(mid((b) => pct(b.busy, 50))),
          p99: round(mid((b) => pct(b.busy, 99))),
        },
        getWhileApprovingAndSigningMs: {
          median: round(mid((b) => pct(b.window, 50))),
          p99: round(mid((b) => pct(b.window, 99))),
        },
        getRatio: {
          median: round(mid((b) => pct(b.busy, 50) / pct(b.idle, 50))),
          p99: round(mid((b) => pct(b.busy, 99) / pct(b.idle, 99))),
          goal: 1.5,
        },
      };
      console.log(`workers=${workers ?? 'default'} ${label}`, JSON.stringify(result[label]));
    }
    watch.close();
    c.close();
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
