/**
 * End-to-end harness: starts the real `kubeauth serve` (built JS) in a child process on a free
 * port with a fresh data directory, waits for /readyz, and runs the machine's real kubectl
 * binaries (kubectl.1.27 … kubectl.1.33, beside the binary `kubectl` on PATH resolves to) with a
 * fresh KUBECACHEDIR per server, as kubectl-wire.md §4.3 requires.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:https';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI the tests spawn; KUBEAUTH_MAIN_JS=dist/kubeauth.mjs runs them against the bundle. */
export const mainJs = process.env.KUBEAUTH_MAIN_JS
  ? path.resolve(repoRoot, process.env.KUBEAUTH_MAIN_JS)
  : path.join(repoRoot, 'dist/cli/main.js');

export function kubectlPath(version: string): string {
  const which = process.env
    .PATH!.split(':')
    .map((d) => path.join(d, 'kubectl'))
    .find((p) => {
      try {
        realpathSync(p);
        return true;
      } catch {
        return false;
      }
    });
  if (!which) throw new Error('kubectl not found on PATH');
  return path.join(path.dirname(realpathSync(which)), `kubectl.${version}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      {
        env: { ...process.env, ...opts.env },
        timeout: opts.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

export interface TestServer {
  dir: string;
  port: number;
  kubeconfig: string;
  proc: ChildProcess;
  output: () => string;
  /** Runs kubectl (version "1.33", "1.27", ...) against this server with its own cache dir. */
  kubectl(
    version: string,
    args: string[],
    opts?: { input?: string; kubeconfig?: string; timeoutMs?: number },
  ): Promise<RunResult>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function waitReady(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, timeout: 1000 },
        (res) => {
          res.resume();
          // 401/403 mean the server answers (anonymous may be off or not allowed to read /readyz).
          resolve(res.statusCode === 200 || res.statusCode === 401 || res.statusCode === 403);
        },
      );
      req.on('error', () => resolve(false));
      req.end();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`server on port ${port} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Extra node flags for spawned servers, e.g. KUBEAUTH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/p' to profile one. */
const serverNodeArgs = () => (process.env.KUBEAUTH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

export async function startServer(
  opts: { dir?: string; args?: string[]; port?: number } = {},
): Promise<TestServer> {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'kubeauth-e2e-'));
  const port = opts.port ?? (await freePort());
  const cacheRoot = mkdtempSync(path.join(tmpdir(), 'kubeauth-kcache-'));
  const proc = spawn(
    process.execPath,
    [
      ...serverNodeArgs(),
      mainJs,
      'serve',
      '--data-dir',
      dir,
      '--secure-port',
      String(port),
      ...(opts.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await Promise.race([
    waitReady(port),
    exited.then(() => Promise.reject(new Error(`server exited: ${out}`))),
  ]);
  const kubeconfig = path.join(dir, 'admin.conf');
  let n = 0;
  return {
    dir,
    port,
    kubeconfig,
    proc,
    output: () => out,
    kubectl(version, args, o = {}) {
      const cache = path.join(cacheRoot, `${version}-${n++}`);
      return run(kubectlPath(version), args, {
        env: { KUBECONFIG: o.kubeconfig ?? kubeconfig, KUBECACHEDIR: cache, HOME: cacheRoot },
        input: o.input,
        timeoutMs: o.timeoutMs,
      });
    },
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null) {
        proc.kill(signal);
        await exited;
      }
      if (!opts.dir) rmSync(cacheRoot, { recursive: true, force: true });
    },
  };
}
