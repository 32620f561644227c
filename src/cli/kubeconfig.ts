/**
 * @module cli/kubeconfig
 *
 * `kubeauth kubeconfig`: kubeconfigs for users and service accounts, like `kubeadm kubeconfig
 * user` and `kubectl create token`.
 *
 * - `kubeauth kubeconfig user NAME [--group G]...`: through the API with the caller's
 *   credentials: a CertificateSigningRequest, approved and issued (cli/kubeconfig-online.ts).
 * - `kubeauth kubeconfig serviceaccount NS/NAME`: a TokenRequest-based kubeconfig.
 * - Offline, `--sign-with-ca-key` (with `user NAME` or the older `--user NAME` form): the
 *   certificate is signed here with `DIR/pki/ca.key` directly, no server involved, as kubeadm does
 *   on a control-plane node.
 *
 * Without `--out` the kubeconfig goes to stdout; with it, the file is created 0600.
 */
import { resolve } from 'node:path';
import { LEAF_VALIDITY_SECONDS } from '../pki/cert.js';
import { issueClientKubeconfig, writeClientKubeconfig } from '../pki/kubeconfig.js';
import { FlagError, formatHelp, parseDuration, parseFlags, type FlagSpec, type FlagValues } from './flags.js';
import { runServiceAccount, runUser, serviceAccountFlags, userFlags } from './kubeconfig-online.js';

const offlineFlags: readonly FlagSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    default: '.kubeauth',
    help: 'With --sign-with-ca-key: directory holding pki/ca.crt and pki/ca.key',
  },
  {
    name: 'sign-with-ca-key',
    type: 'bool',
    default: false,
    help: 'Offline: sign the certificate here with DIR/pki/ca.key directly instead of through a CSR',
  },
  {
    name: 'server',
    type: 'string',
    default: 'https://127.0.0.1:6443',
    help: 'With --sign-with-ca-key: API server URL',
  },
  {
    name: 'cluster-name',
    type: 'string',
    default: 'kubernetes',
    help: 'With --sign-with-ca-key: cluster name in the kubeconfig',
  },
  {
    name: 'validity-period',
    type: 'duration',
    default: `${LEAF_VALIDITY_SECONDS / 3600}h`,
    help: 'With --sign-with-ca-key: validity of the client certificate (capped at the CA expiry)',
  },
];

/** `kubeauth kubeconfig --user NAME --sign-with-ca-key`: the offline form. */
export const kubeconfigFlags: readonly FlagSpec[] = [
  ...offlineFlags.slice(0, 2),
  { name: 'user', type: 'string', help: 'User name: the certificate CN and the kubeconfig user (required)' },
  {
    name: 'group',
    type: 'stringArray',
    default: [],
    help: 'Group (certificate O); repeat or comma-separate',
  },
  { name: 'out', type: 'string', help: 'Write the kubeconfig to this file (0600) instead of stdout' },
  ...offlineFlags.slice(2),
];

const userCommandFlags: readonly FlagSpec[] = [...userFlags, ...offlineFlags];

const USAGE =
  'kubeauth kubeconfig (user NAME | serviceaccount NS/NAME | --user NAME --sign-with-ca-key) [flags]';
const DESCRIPTION =
  'Output a kubeconfig for a user (client certificate through a CertificateSigningRequest, or signed\n' +
  'locally with --sign-with-ca-key) or for a service account (a bound token).';

async function offline(user: string, f: FlagValues): Promise<number> {
  const durationSeconds = Math.floor(parseDuration(String(f['validity-period'])) / 1000);
  if (durationSeconds <= 0) throw new FlagError('--validity-period must be positive');
  const opts = {
    dataDir: resolve(String(f['data-dir'])),
    user,
    groups: f.group as string[],
    server: String(f.server),
    clusterName: String(f['cluster-name']),
    durationSeconds,
  };
  const out = f.out as string | undefined;
  if (out) {
    await writeClientKubeconfig({ ...opts, path: resolve(out) });
    process.stderr.write(`Wrote kubeconfig for user "${user}" to ${resolve(out)}\n`);
  } else {
    process.stdout.write((await issueClientKubeconfig(opts)).yaml);
  }
  return 0;
}

function one(positional: string[], what: string): string {
  if (positional.length === 0) throw new FlagError(`${what} is required`);
  if (positional.length > 1) throw new FlagError(`unexpected argument "${positional[1]}"`);
  return positional[0];
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'user') {
    const args = parseFlags(userCommandFlags, rest);
    if (args.help) {
      process.stdout.write(
        formatHelp('kubeauth kubeconfig user NAME [--group G]... [flags]', DESCRIPTION, userCommandFlags),
      );
      return 0;
    }
    const name = one(args.positional, 'NAME');
    return args.flags['sign-with-ca-key'] ? offline(name, args.flags) : runUser(name, args.flags);
  }
  if (sub === 'serviceaccount') {
    const args = parseFlags(serviceAccountFlags, rest);
    if (args.help) {
      process.stdout.write(
        formatHelp(
          'kubeauth kubeconfig serviceaccount NAMESPACE/NAME [flags]',
          DESCRIPTION,
          serviceAccountFlags,
        ),
      );
      return 0;
    }
    return runServiceAccount(one(args.positional, 'NAMESPACE/NAME'), args.flags);
  }
  const args = parseFlags(kubeconfigFlags, argv);
  if (args.help) {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, kubeconfigFlags));
    return 0;
  }
  if (args.positional.length)
    throw new FlagError(`unknown command "${args.positional[0]}" (user or serviceaccount)`);
  const user = args.flags.user as string | undefined;
  if (!user) throw new FlagError('required flag "user" not set');
  if (!args.flags['sign-with-ca-key'])
    throw new FlagError(
      '--user signs with DIR/pki/ca.key directly: add --sign-with-ca-key, or use "kubeauth kubeconfig user NAME" to get the certificate through a CertificateSigningRequest',
    );
  return offline(user, args.flags);
}
