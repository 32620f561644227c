/**
 * @module cli/certs
 *
 * `kubeauth certs check-expiration` and `kubeauth certs renew <name|all>`, as kubeadm's
 * `certs` command group: a table of certificate expiry (leaves and admin.conf, then CAs) and
 * renewal of leaves with the existing CAs (CAs are never renewed).
 */
import { resolve } from 'node:path';
import { checkExpiration, formatExpirationTable, RENEWABLE, renewCertificates } from '../pki/renew.js';
import { ENCRYPTION_ALGORITHMS, parseEncryptionAlgorithm, type EncryptionAlgorithm } from '../pki/keys.js';
import { FlagError, formatHelp, parseFlags, type FlagSpec } from './flags.js';

const dataDirFlag: FlagSpec = {
  name: 'data-dir',
  type: 'string',
  default: '.kubeauth',
  help: 'Directory holding pki/ and admin.conf',
};
export const checkExpirationFlags: readonly FlagSpec[] = [dataDirFlag];
export const renewFlags: readonly FlagSpec[] = [
  dataDirFlag,
  {
    name: 'encryption-algorithm',
    type: 'string',
    help: `Key algorithm of the new keys: ${ENCRYPTION_ALGORITHMS.join(', ')} (default: that of ca.key, the algorithm the cluster was created with)`,
  },
];

const SUBCOMMANDS = {
  'check-expiration': 'Check certificates expiration for the cluster PKI',
  renew: 'Renew certificates (a name from the list, or "all")',
};

function groupHelp(): string {
  return [
    'Commands related to handling the cluster certificates.',
    '',
    'Usage:\n  kubeauth certs <command> [flags]',
    '',
    'Commands:',
    ...Object.entries(SUBCOMMANDS).map(([n, s]) => `  ${n.padEnd(18)}${s}`),
    '',
    'Run "kubeauth certs <command> --help" for the flags of a command.',
    '',
  ].join('\n');
}

async function checkExpirationCmd(argv: string[]): Promise<number> {
  const args = parseFlags(checkExpirationFlags, argv);
  if (args.help) {
    process.stdout.write(
      formatHelp(
        'kubeauth certs check-expiration [flags]',
        SUBCOMMANDS['check-expiration'],
        checkExpirationFlags,
      ),
    );
    return 0;
  }
  if (args.positional.length) throw new FlagError(`unexpected argument "${args.positional[0]}"`);
  const report = await checkExpiration(resolve(String(args.flags['data-dir'])));
  process.stdout.write(formatExpirationTable(report));
  return report.certificates.some((r) => r.missing) || report.authorities.some((r) => r.missing) ? 1 : 0;
}

async function renewCmd(argv: string[]): Promise<number> {
  const args = parseFlags(renewFlags, argv);
  const names = `Names: ${[...RENEWABLE, 'all'].join(', ')}`;
  if (args.help) {
    process.stdout.write(
      formatHelp('kubeauth certs renew <name|all> [flags]', `${SUBCOMMANDS.renew}\n${names}`, renewFlags),
    );
    return 0;
  }
  if (args.positional.length === 0) throw new FlagError(`missing certificate name. ${names}`);
  for (const n of args.positional)
    if (n !== 'all' && !RENEWABLE.includes(n)) throw new FlagError(`unknown certificate "${n}". ${names}`);
  let encryptionAlgorithm: EncryptionAlgorithm | undefined;
  if (args.flags['encryption-algorithm'] !== undefined)
    try {
      encryptionAlgorithm = parseEncryptionAlgorithm(String(args.flags['encryption-algorithm']));
    } catch (e) {
      throw new FlagError(`--encryption-algorithm: ${(e as Error).message}`);
    }
  await renewCertificates(resolve(String(args.flags['data-dir'])), args.positional, {
    encryptionAlgorithm,
    log: (line) => process.stdout.write(line + '\n'),
  });
  // kubeadm (cmd/kubeadm/app/cmd/certs.go) ends with "Done renewing certificates. You must restart the
  // kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new
  // certificates." Deliberate difference: `kubeauth serve` watches its certificate and CA files and
  // takes the new ones for new connections within a second, so no restart is needed.
  process.stdout.write(
    '\nDone renewing certificates. A running kubeauth server picks them up within a second, without a restart;\n' +
      'open connections keep working.\n',
  );
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '-h' || sub === '--help' || sub === 'help') {
    process.stdout.write(groupHelp());
    return 0;
  }
  if (sub === 'check-expiration') return checkExpirationCmd(rest);
  if (sub === 'renew') return renewCmd(rest);
  throw new FlagError(`unknown command "${sub}" for "kubeauth certs"`);
}
