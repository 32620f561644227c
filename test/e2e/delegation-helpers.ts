/**
 * Helpers for the delegated authn/authz e2e tests (kubelet-authz, rbac-proxy): spawn the real
 * `kubeauth kubelet` / `kubeauth proxy`, issue users (client certificates from the cluster CA
 * through `kubeauth kubeconfig`, service-account tokens through `kubectl create token`), and call
 * them with the real curl.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { freePort, mainJs, run, type TestServer } from './harness.js';

export interface Agent {
  port: number;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `kubeauth <cmd> ...args` (the port is given by `portArgs(port)`) and waits until it answers TLS. */
export async function startAgent(
  cmd: 'kubelet' | 'proxy',
  args: string[],
  portArgs: (port: number) => string[],
): Promise<Agent> {
  const port = await freePort();
  // The kubelet's self-signed serving pair goes to --cert-dir (default /var/lib/kubelet/pki): a temp dir.
  const certDir =
    cmd === 'kubelet' && !args.some((a) => a.startsWith('--cert-dir'))
      ? ['--cert-dir', mkdtempSync(path.join(tmpdir(), 'kubeauth-kubelet-pki-'))]
      : [];
  // The simulated pods' files go to --root-dir (default /var/lib/kubelet): a temp dir.
  const rootDir =
    cmd === 'kubelet' && !args.some((a) => a.startsWith('--root-dir'))
      ? ['--root-dir', mkdtempSync(path.join(tmpdir(), 'kubeauth-kubelet-root-'))]
      : [];
  const proc = spawn(process.execPath, [mainJs, cmd, ...portArgs(port), ...certDir, ...rootDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`kubeauth ${cmd} exited: ${out}`);
    if (/Starting to listen|Listening securely/.test(out)) break;
    if (Date.now() > deadline) throw new Error(`kubeauth ${cmd} did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface CurlResult {
  code: number;
  body: string;
  contentType: string;
}

export interface Who {
  cert?: string;
  key?: string;
  token?: string;
}

/** curl -k against 127.0.0.1:port with a client certificate or bearer token. */
export async function curl(
  port: number,
  p: string,
  who: Who = {},
  method = 'GET',
  extra: string[] = [],
): Promise<CurlResult> {
  const args = ['-sk', '-X', method, '-o', '-', '-w', '\n%{http_code} %{content_type}', ...extra];
  if (method === 'HEAD') args.splice(1, 2, '-I');
  if (who.cert) args.push('--cert', who.cert, '--key', who.key!);
  if (who.token) args.push('-H', `Authorization: Bearer ${who.token}`);
  args.push(`https://127.0.0.1:${port}${p}`);
  const r = await run('curl', args);
  const i = r.stdout.lastIndexOf('\n');
  const [code, ...ct] = r.stdout.slice(i + 1).split(' ');
  return { code: Number(code), body: r.stdout.slice(0, i), contentType: ct.join(' ') };
}

/** A client-certificate user from the cluster CA: cert and key files for curl, and its kubeconfig. */
export async function x509User(
  srv: TestServer,
  name: string,
  groups: string[] = [],
): Promise<Who & { kubeconfig: string }> {
  const kubeconfig = path.join(srv.dir, `${name.replace(/[^a-z0-9-]/gi, '_')}.conf`);
  const r = await run(process.execPath, [
    mainJs,
    'kubeconfig',
    '--sign-with-ca-key',
    '--data-dir',
    srv.dir,
    '--user',
    name,
    ...groups.flatMap((g) => ['--group', g]),
    '--out',
    kubeconfig,
    '--server',
    `https://127.0.0.1:${srv.port}`,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as {
    users: { user: Record<string, string> }[];
  };
  const u = kc.users[0].user;
  const cert = `${kubeconfig}.crt`;
  const key = `${kubeconfig}.key`;
  writeFileSync(cert, Buffer.from(u['client-certificate-data'], 'base64'));
  writeFileSync(key, Buffer.from(u['client-key-data'], 'base64'), { mode: 0o600 });
  return { cert, key, kubeconfig };
}

/** kubectl as admin, failing the test on a non-zero exit. */
export async function admin(srv: TestServer, ...args: string[]): Promise<string> {
  const r = await srv.kubectl('1.33', args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Applies a ClusterRole granting `verbs` on `nodes/<sub>` and binds it to a user. */
export async function grantNodes(
  srv: TestServer,
  name: string,
  subject: { user?: string; serviceAccount?: string },
  resources: string[],
  verbs: string[] = ['get'],
  resourceNames?: string[],
): Promise<void> {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: [{ apiGroups: [''], resources, verbs, ...(resourceNames ? { resourceNames } : {}) }],
  };
  const r = await srv.kubectl('1.33', ['apply', '-f', '-'], { input: JSON.stringify(role) });
  if (r.code !== 0) throw new Error(r.stderr);
  await admin(
    srv,
    'create',
    'clusterrolebinding',
    name,
    `--clusterrole=${name}`,
    subject.user ? `--user=${subject.user}` : `--serviceaccount=${subject.serviceAccount}`,
  );
}
