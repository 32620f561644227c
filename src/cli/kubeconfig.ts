/**
 * @module cli/kubeconfig
 *
 * `kubeauth kubeconfig`: issues a client certificate for a user (CN = user, O = groups) signed by
 * the cluster CA in `DIR/pki/` and writes a kubeconfig for it, like `kubeadm kubeconfig user`.
 * Without `--out` the kubeconfig goes to stdout; with it, the file is created 0600.
 */
import { resolve } from 'node:path';
import { LEAF_VALIDITY_SECONDS } from '../pki/cert.js';
import { issueClientKubeconfig, writeClientKubeconfig } from '../pki/kubeconfig.js';
import { FlagError, formatHelp, parseDuration, parseFlags, type FlagSpec } from './flags.js';

export const kubeconfigFlags: readonly FlagSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    default: '.kubeauth',
    help: 'Directory holding pki/ca.crt and pki/ca.key',
  },
  { name: 'user', type: 'string', help: 'User name: the certificate CN and the kubeconfig user (required)' },
  {
    name: 'group',
    type: 'stringArray',
    default: [],
    help: 'Group (certificate O); repeat or comma-separate',
  },
  { name: 'out', type: 'string', help: 'Write the kubeconfig to this file (0600) instead of stdout' },
  { name: 'server', type: 'string', default: 'https://127.0.0.1:6443', help: 'API server URL' },
  { name: 'cluster-name', type: 'string', default: 'kubernetes', help: 'Cluster name in the kubeconfig' },
  {
    name: 'validity-period',
    type: 'duration',
    default: `${LEAF_VALIDITY_SECONDS / 3600}h`,
    help: 'Validity of the client certificate (capped at the CA expiry)',
  },
];

const USAGE = 'kubeauth kubeconfig --user NAME [--group G]... [--out FILE] [flags]';
const DESCRIPTION = 'Issue a client certificate signed by the cluster CA and output a kubeconfig for it.';

export async function run(argv: string[]): Promise<number> {
  const args = parseFlags(kubeconfigFlags, argv);
  if (args.help) {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, kubeconfigFlags));
    return 0;
  }
  if (args.positional.length) throw new FlagError(`unexpected argument "${args.positional[0]}"`);
  const f = args.flags;
  const user = f.user as string | undefined;
  if (!user) throw new FlagError('required flag "user" not set');
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
