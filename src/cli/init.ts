/**
 * @module cli/init
 *
 * `kubeauth init`: the `kubeadm init phase certs all` + `kubeconfig admin` equivalent. Creates the
 * kubeadm-style PKI under `DIR/pki/` and `DIR/admin.conf` if missing (existing files are reused),
 * then prints what it wrote and how to point kubectl at the cluster. Flag names follow kubeadm.
 */
import { join, resolve } from 'node:path';
import { copySharedPki } from '../pki/join.js';
import { ensurePki } from '../pki/layout.js';
import {
  DEFAULT_ENCRYPTION_ALGORITHM,
  ENCRYPTION_ALGORITHMS,
  parseEncryptionAlgorithm,
} from '../pki/keys.js';
import { FlagError, formatHelp, parseFlags, type FlagSpec } from './flags.js';

export const initFlags: readonly FlagSpec[] = [
  { name: 'data-dir', type: 'string', default: '.kubeauth', help: 'Directory for pki/ and admin.conf' },
  {
    name: 'apiserver-advertise-address',
    type: 'string',
    help: 'The IP address the API server advertises (default: first non-loopback IPv4 of this host)',
  },
  {
    name: 'apiserver-cert-extra-sans',
    type: 'stringArray',
    default: [],
    help: 'Extra Subject Alternative Names (IPs or DNS names) for the API server serving certificate',
  },
  {
    name: 'apiserver-bind-port',
    type: 'int',
    default: 6443,
    help: 'Port the API server binds to (admin.conf server URL)',
  },
  {
    name: 'service-cidr',
    type: 'string',
    default: '10.96.0.0/12',
    help: 'Range of IP addresses for service VIPs',
  },
  {
    name: 'service-dns-domain',
    type: 'string',
    default: 'cluster.local',
    help: 'Cluster DNS domain for services',
  },
  {
    name: 'control-plane-endpoint',
    type: 'string',
    help: 'A stable host:port for the control plane; added to the apiserver SANs and used in admin.conf',
  },
  {
    name: 'from-pki',
    type: 'string',
    help: "Another control-plane replica's pki directory: copy its CAs, front-proxy and etcd CAs and sa.key/sa.pub (kubeadm join --control-plane), then create this replica's own certificates",
  },
  { name: 'node-name', type: 'string', help: 'Node name (CN of the etcd certificates; default: host name)' },
  {
    name: 'encryption-algorithm',
    type: 'string',
    default: DEFAULT_ENCRYPTION_ALGORITHM,
    help: `Key algorithm of every new key, sa.key included (kubeadm ClusterConfiguration encryptionAlgorithm): ${ENCRYPTION_ALGORITHMS.join(', ')}`,
  },
];

const USAGE = 'kubeauth init [flags]';
const DESCRIPTION =
  'Create the kubeadm-style cluster PKI (CAs, API server, front proxy, etcd and service-account keys)\n' +
  'and an admin kubeconfig in a data directory. Existing files are reused.';

export async function run(argv: string[]): Promise<number> {
  const args = parseFlags(initFlags, argv);
  if (args.help) {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, initFlags));
    return 0;
  }
  if (args.positional.length) throw new FlagError(`unexpected argument "${args.positional[0]}"`);
  const f = args.flags;
  const dataDir = resolve(String(f['data-dir']));
  const endpoint = f['control-plane-endpoint'] as string | undefined;
  const server = endpoint ? `https://${endpoint}` : `https://127.0.0.1:${Number(f['apiserver-bind-port'])}`;
  let encryptionAlgorithm;
  try {
    encryptionAlgorithm = parseEncryptionAlgorithm(String(f['encryption-algorithm']));
  } catch (e) {
    throw new FlagError(`--encryption-algorithm: ${(e as Error).message}`);
  }
  const started = performance.now();
  const copied = f['from-pki']
    ? await copySharedPki(resolve(String(f['from-pki'])), join(dataDir, 'pki')).catch((e: Error) => {
        throw new FlagError(e.message);
      })
    : [];
  const pki = await ensurePki(dataDir, {
    encryptionAlgorithm,
    advertiseAddress: f['apiserver-advertise-address'] as string | undefined,
    extraSans: f['apiserver-cert-extra-sans'] as string[],
    serviceCidr: String(f['service-cidr']),
    dnsDomain: String(f['service-dns-domain']),
    controlPlaneEndpoint: endpoint,
    nodeName: f['node-name'] as string | undefined,
    server,
    log: (line) => process.stdout.write(line + '\n'),
  });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`[certs] Using certificateDir folder "${pki.pkiDir}"\n`);
  pki.created.unshift(...copied);
  if (pki.created.length === 0)
    process.stdout.write('Nothing to do: the PKI and admin.conf already exist.\n');
  else {
    process.stdout.write(`Wrote ${pki.created.length} files in ${ms} ms:\n`);
    for (const p of pki.created) process.stdout.write(`  ${p}\n`);
  }
  process.stdout.write(
    `\nYour control-plane credentials are ready. To use kubectl as the cluster admin, run:\n\n` +
      `  export KUBECONFIG=${pki.admin.path}\n\n`,
  );
  return 0;
}
