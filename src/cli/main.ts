#!/usr/bin/env node
/**
 * kubeauth: one binary, one subcommand per file in src/cli/. Subcommands are loaded lazily so that
 * `kubeauth serve` does not pay for the others at start-up.
 */
import { FlagError } from './flags.js';

const commands: Record<
  string,
  { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }
> = {
  serve: { summary: 'Run the kube-apiserver-compatible API server', load: () => import('./serve.js') },
  init: {
    summary: 'Create the kubeadm-style PKI and admin kubeconfig in a data directory',
    load: () => import('./init.js'),
  },
  kubeconfig: {
    summary: 'Write a kubeconfig for a user (a certificate through a CSR) or a service account',
    load: () => import('./kubeconfig.js'),
  },
  explain: {
    summary: 'Explain an RBAC decision: what allows it, or the nearest misses',
    load: () => import('./explain.js'),
  },
  'who-can': {
    summary: 'List the subjects RBAC allows to make a request, and through what',
    load: () => import('./who-can.js'),
  },
  token: {
    summary: 'Manage bootstrap tokens (create, list, delete, generate), as kubeadm token',
    load: () => import('./token.js'),
  },
  certs: {
    summary: 'Inspect and renew the cluster PKI (check-expiration, renew)',
    load: () => import('./certs.js'),
  },
  kubelet: {
    summary: "Run the node agent's HTTPS API with the kubelet's delegated authn/authz",
    load: () => import('./kubelet.js'),
  },
  proxy: {
    summary: 'Put delegated authn/authz in front of an HTTP service, as kube-rbac-proxy',
    load: () => import('./proxy.js'),
  },
};

function usage(): string {
  const w = Math.max(...Object.keys(commands).map((c) => c.length)) + 2;
  return [
    'kubeauth: the Kubernetes access-control plane',
    '',
    'Usage:\n  kubeauth <command> [flags]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(w)}${c.summary}`),
    '',
    'Run "kubeauth <command> --help" for the flags of a command.',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const entry = commands[cmd];
  if (!entry) {
    process.stderr.write(`Error: unknown command "${cmd}" for "kubeauth"\n\n${usage()}`);
    return 1;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`Error: ${err.message}\nRun "kubeauth ${cmd} --help" for usage.\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || !['serve'].includes(process.argv[2] ?? '')) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
