/**
 * `npm run bench` (after bench/run.ts): fresh start with an ECDSA-P256 PKI beside RSA-2048, and
 * where the time goes. Writes bench/results/pki.json.
 *
 * 1. Fresh start: `kubeauth serve --encryption-algorithm A` on an absent data dir until /readyz
 *    answers 200 (anonymous, as a load balancer probes), process spawn included; median of 7, for
 *    the unbundled dist/cli/main.js and the bundle dist/kubeauth.mjs (scripts/bundle.mjs).
 * 2. The parts: module loading (`serve --help`, which loads serve's module graph and exits),
 *    ensurePki alone in-process (keys + certificates + kubeconfigs + writes), and a start with the
 *    data dir already there (server start and bootstrap without the PKI).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensurePki } from '../src/pki/layout.js';
import type { EncryptionAlgorithm } from '../src/pki/keys.js';
import { freePort, repoRoot } from '../test/e2e/harness.js';

const N = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs: number[]) => ({ median: Math.round(median(xs)), runs: xs.map(Math.round) });
const ENTRIES = { unbundled: 'dist/cli/main.js', bundled: 'dist/kubeauth.mjs' } as const;
const ALGORITHMS: EncryptionAlgorithm[] = ['ECDSA-P256', 'RSA-2048'];

function readyz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, timeout: 1000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** ms from spawn to /readyz 200; `dir` absent (fresh) or already initialised. */
async function start(entry: string, dir: string, algorithm: EncryptionAlgorithm): Promise<number> {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const proc = spawn(
    process.execPath,
    [
      path.join(repoRoot, entry),
      'serve',
      '--data-dir',
      dir,
      '--secure-port',
      String(port),
      '--encryption-algorithm',
      algorithm,
    ],
    { stdio: 'ignore' },
  );
  while (!(await readyz(port))) await new Promise((r) => setTimeout(r, 5));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  proc.kill('SIGKILL');
  await new Promise((r) => proc.once('exit', r));
  return ms;
}

function wallMs(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const results: Record<string, unknown> = {
    machine: { cpus: 2, node: process.version },
    date: new Date().toISOString(),
    goal: { freshEcdsaMs: 1000 },
  };
  const fresh: Record<string, Record<string, unknown>> = {};
  const existing: Record<string, unknown> = {};
  const moduleLoad: Record<string, unknown> = {};
  for (const [label, entry] of Object.entries(ENTRIES)) {
    fresh[label] = {};
    for (const algorithm of ALGORITHMS) {
      const runs: number[] = [];
      for (let i = 0; i < N; i++) {
        const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kubeauth-benchpki-')), 'data');
        runs.push(await start(entry, dir, algorithm));
        rmSync(path.dirname(dir), { recursive: true, force: true });
      }
      fresh[label][algorithm] = stats(runs);
      console.log('fresh start', label, algorithm, fresh[label][algorithm]);
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-benchpki-'));
    await start(entry, dir, 'ECDSA-P256');
    const warm: number[] = [];
    for (let i = 0; i < N; i++) warm.push(await start(entry, dir, 'ECDSA-P256'));
    rmSync(dir, { recursive: true, force: true });
    existing[label] = stats(warm);
    const load: number[] = [];
    for (let i = 0; i < N; i++) load.push(wallMs([path.join(repoRoot, entry), 'serve', '--help']));
    moduleLoad[label] = stats(load);
    console.log('existing data dir', label, existing[label], 'module load (serve --help)', moduleLoad[label]);
  }
  const pki: Record<string, unknown> = {};
  for (const algorithm of ALGORITHMS) {
    const runs: number[] = [];
    for (let i = 0; i < N; i++) {
      const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-benchpki-'));
      const t0 = performance.now();
      await ensurePki(dir, { encryptionAlgorithm: algorithm, advertiseAddress: '127.0.0.1' });
      runs.push(performance.now() - t0);
      rmSync(dir, { recursive: true, force: true });
    }
    pki[algorithm] = stats(runs);
  }
  console.log('ensurePki in-process', pki);
  results.freshStartMs = fresh;
  results.existingDataDirStartMs = existing;
  results.moduleLoadMs = moduleLoad;
  results.ensurePkiMs = pki;
  const out = path.join(repoRoot, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'pki.json'), JSON.stringify(results, null, 2) + '\n');
}

await main();
