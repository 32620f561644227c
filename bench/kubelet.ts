/**
 * The kubelet figures of BENCHMARKS.md (issue #9), measured against the built binaries (dist/):
 * the real `kubeauth serve` and `kubeauth kubelet` processes, on this machine. Writes
 * bench/results/kubelet.json.
 *
 * 1. Warm cache: GET /pods requests/s on the kubelet port (HTTP/1.1 keep-alive, 8 connections,
 *    closed loop) with Webhook authentication (TokenReview) and Webhook authorization
 *    (SubjectAccessReview), every answer cached, as a ratio of the same load on a kubelet with
 *    AlwaysAllow and anonymous authentication. Both a bearer token and an x509 client are measured.
 * 2. In process (bench/kubelet-inprocess.ts): the handler's time per request, without HTTP/TLS.
 * 3. Cold cache: the latency of one request whose token and user were never seen, i.e. one
 *    TokenReview plus one SubjectAccessReview to the API server (sequential, one at a time):
 *    median and p99, next to a warm request's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Client, credentialsFromKubeconfig } from '../test/e2e/client.js';
import { freePort, mainJs, repoRoot, startServer, type TestServer } from '../test/e2e/harness.js';
import { grantNodes, x509User } from '../test/e2e/delegation-helpers.js';
import { inProcess } from './kubelet-inprocess.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 8;
const COLD = Number(process.env.BENCH_COLD ?? 200);

interface Who {
  token?: string;
  cert?: string;
  key?: string;
}

async function kubelet(args: string[]): Promise<{ port: number; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    process.execPath,
    [
      mainJs,
      'kubelet',
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--hostname-override',
      'node1',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stderr!.on('data', (d) => (out += d));
  for (let i = 0; !out.includes('Starting to listen'); i++) {
    if (proc.exitCode !== null || i > 400) throw new Error(`kubelet did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, proc };
}

function once(agent: Agent, port: number, who: Who): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/pods',
        agent,
        rejectUnauthorized: false,
        cert: who.cert,
        key: who.key,
        headers: who.token ? { authorization: `Bearer ${who.token}` } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function load(port: number, who: Who) {
  const agent = new Agent({
    keepAlive: true,
    maxSockets: CONNECTIONS,
    cert: who.cert,
    key: who.key,
    rejectUnauthorized: false,
  });
  const statuses: Record<number, number> = {};
  for (let i = 0; i < 200; i++) await once(agent, port, who); // warm the connections and caches
  const deadline = Date.now() + SECONDS * 1000;
  let n = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONNECTIONS * 2 }, async () => {
      while (Date.now() < deadline) {
        const s = await once(agent, port, who);
        statuses[s] = (statuses[s] ?? 0) + 1;
        n++;
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  if (Object.keys(statuses).some((s) => s !== '200')) throw new Error(`statuses ${JSON.stringify(statuses)}`);
  return { rps: n / secs, requests: n };
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** One load run with the kubelet's CPU time per request (robust to other load on the machine). */
async function measured(k: { port: number; proc: ChildProcess }, who: Who) {
  const c0 = cpuSeconds(k.proc.pid!);
  const r = await load(k.port, who);
  return { ...r, cpuUsPerRequest: ((cpuSeconds(k.proc.pid!) - c0) * 1e6) / r.requests };
}

/**
 * Interleaved rounds (A B, B A, ...) so that the machine's other load hits both alike; the median
 * of each side's requests/s and CPU per request.
 */
async function compare(
  a: { port: number; proc: ChildProcess },
  b: { port: number; proc: ChildProcess },
  who: Who,
) {
  const ra: { rps: number; cpuUsPerRequest: number }[] = [];
  const rb: { rps: number; cpuUsPerRequest: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      ra.push(await measured(a, who));
      rb.push(await measured(b, who));
    } else {
      rb.push(await measured(b, who));
      ra.push(await measured(a, who));
    }
  }
  const med = (xs: number[]) => q(xs, 0.5);
  const alwaysAllowRps = med(ra.map((r) => r.rps));
  const webhookRps = med(rb.map((r) => r.rps));
  const alwaysAllowCpuUs = med(ra.map((r) => r.cpuUsPerRequest));
  const webhookCpuUs = med(rb.map((r) => r.cpuUsPerRequest));
  return {
    alwaysAllowRps,
    webhookRps,
    ratioRps: webhookRps / alwaysAllowRps,
    alwaysAllowCpuUsPerRequest: alwaysAllowCpuUs,
    webhookCpuUsPerRequest: webhookCpuUs,
    ratioCapacity: alwaysAllowCpuUs / webhookCpuUs,
    goal: 0.9,
    rounds: ROUNDS,
  };
}

const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function main(): Promise<void> {
  const handlerInProcess = await inProcess();
  const srv: TestServer = await startServer();
  const admin = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  const procs: ChildProcess[] = [];
  try {
    const caFile = path.join(srv.dir, 'pki', 'ca.crt');
    const agentConf = (await x509User(srv, 'kubeauth-kubelet')).kubeconfig;
    const aliceFiles = await x509User(srv, 'alice');
    const alice = {
      cert: readFileSync(aliceFiles.cert!, 'utf8'),
      key: readFileSync(aliceFiles.key!, 'utf8'),
    };
    await srv.kubectl('1.33', [
      'create',
      'clusterrolebinding',
      'kd',
      '--clusterrole=system:auth-delegator',
      '--user=kubeauth-kubelet',
    ]);
    await grantNodes(srv, 'alice-proxy', { user: 'alice' }, ['nodes/proxy']);
    await srv.kubectl('1.33', ['create', 'namespace', 'bench']);
    // Every service account of namespace bench may read node1's /pods.
    await srv.kubectl('1.33', [
      'create',
      'clusterrolebinding',
      'bench-proxy',
      '--clusterrole=alice-proxy',
      '--group=system:serviceaccounts:bench',
    ]);
    const tokenFor = async (sa: string): Promise<string> => {
      const c = await admin.request(
        'POST',
        '/api/v1/namespaces/bench/serviceaccounts',
        JSON.stringify({ metadata: { name: sa } }),
      );
      if (c.status !== 201) throw new Error(`create sa ${c.status} ${c.body.toString()}`);
      const t = await admin.request(
        'POST',
        `/api/v1/namespaces/bench/serviceaccounts/${sa}/token`,
        JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }),
      );
      if (t.status !== 201) throw new Error(`token ${t.status} ${t.body.toString()}`);
      return t.json().status.token as string;
    };
    const warmToken = await tokenFor('warm');

    const base = await kubelet(['--client-ca-file', caFile]);
    procs.push(base.proc);
    const hook = await kubelet([
      '--client-ca-file',
      caFile,
      '--kubeconfig',
      agentConf,
      '--authentication-token-webhook',
      '--authorization-mode',
      'Webhook',
    ]);
    procs.push(hook.proc);

    const bearerToken = await compare(base, hook, { token: warmToken });
    const x509 = await compare(base, hook, alice);

    const tokens: string[] = [];
    for (let i = 0; i < COLD; i++) tokens.push(await tokenFor(`cold-${i}`));
    const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
    const cold: number[] = [];
    const warm: number[] = [];
    for (const token of tokens) {
      let t0 = process.hrtime.bigint();
      const s = await once(agent, hook.port, { token });
      cold.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (s !== 200) throw new Error(`cold request ${s}`);
      t0 = process.hrtime.bigint();
      await once(agent, hook.port, { token });
      warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    agent.destroy();

    const result = {
      machine: { cpus: os.cpus().length, node: process.version },
      date: new Date().toISOString(),
      method: `GET /pods on the kubelet port, HTTP/1.1 keep-alive, ${CONNECTIONS} connections, ${CONNECTIONS * 2} requests in flight, ${ROUNDS} interleaved rounds of ${SECONDS}s, medians; ratioCapacity = kubelet CPU per request (AlwaysAllow / Webhook); serve, kubelets and the load in separate processes on ${os.cpus().length} cores`,
      loadAverage: os.loadavg(),
      warmCache: { bearerToken, x509 },
      handlerInProcess,
      coldCache: {
        what: 'one request with a never-seen token of a never-seen user: one TokenReview + one SubjectAccessReview',
        samples: COLD,
        medianMs: q(cold, 0.5),
        p99Ms: q(cold, 0.99),
        warmMedianMs: q(warm, 0.5),
        warmP99Ms: q(warm, 0.99),
      },
    };
    writeFileSync(path.join(repoRoot, 'bench/results/kubelet.json'), JSON.stringify(result, null, 2) + '\n');
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } finally {
    admin.close();
    for (const p of procs) p.kill('SIGTERM');
    await srv.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
