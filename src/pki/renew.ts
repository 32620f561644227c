/**
 * @module pki/renew
 *
 * `kubeauth certs check-expiration` and `kubeauth certs renew`, after kubeadm's
 * `cmd/kubeadm/app/cmd/certs.go` and `cmd/kubeadm/app/phases/certs/renewal/manager.go`: the
 * expiration report lists every leaf certificate and kubeconfig-embedded certificate, then the CAs;
 * renewal re-issues leaves (new key, same subject, SANs and usages) with the existing CA and never
 * touches the CAs. The new keys are of the cluster's encryption algorithm, as kubeadm's
 * `RenewUsingLocalCA` takes `ClusterConfiguration.EncryptionAlgorithmType()` rather than each old
 * key's type. Residual times use apimachinery's `duration.ShortHumanDuration`.
 */
import { inspectCertificate, reissueCertificate, type CertAndKey, type IssueContext } from './cert.js';
import { CA_SPECS, LEAF_SPECS, type CaName } from './certlist.js';
import { readIfExists, replaceFile, SECRET_MODE, PUBLIC_MODE } from './files.js';
import {
  encryptionAlgorithmOf,
  keyGeneratorFor,
  type EncryptionAlgorithm,
  type KeyGenerator,
} from './keys.js';
import { currentCredentials, parseKubeconfig, serializeKubeconfig } from './kubeconfig.js';
import { pkiPaths } from './layout.js';

/** One line of the expiration report. */
export interface ExpirationRow {
  name: string;
  path: string;
  missing: boolean;
  notAfter?: Date;
  residualSeconds?: number;
  /** The signing CA's name (leaves and kubeconfigs only). */
  caName?: CaName;
}

export interface ExpirationReport {
  certificates: ExpirationRow[];
  authorities: ExpirationRow[];
}

/** Names accepted by `renew` (kubeadm's, minus the kubeconfigs we do not create). */
export const RENEWABLE: readonly string[] = ['admin.conf', ...LEAF_SPECS.map((s) => s.name)].sort();

/** apimachinery `duration.ShortHumanDuration`: `<invalid>`, `45s`, `12m`, `5h`, `364d`, `9y`. */
export function shortHumanDuration(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 60) return `${s}s`;
  const m = Math.trunc(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.trunc(s / 3600);
  if (h < 24) return `${h}h`;
  if (h < 24 * 365) return `${Math.trunc(h / 24)}d`;
  return `${Math.trunc(h / 24 / 365)}y`;
}

/** Go layout `Jan 02, 2006 15:04 MST` in UTC, as kubeadm prints expiry dates. */
export function formatExpiry(d: Date): string {
  const mon = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const p = (n: number) => String(n).padStart(2, '0');
  return `${mon} ${p(d.getUTCDate())}, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

function row(
  name: string,
  path: string,
  certPem: string | undefined,
  now: Date,
  caName?: CaName,
): ExpirationRow {
  if (certPem === undefined) return { name, path, missing: true, caName };
  const { notAfter } = inspectCertificate(certPem);
  return {
    name,
    path,
    missing: false,
    notAfter,
    residualSeconds: (notAfter.getTime() - now.getTime()) / 1000,
    caName,
  };
}

/** Reads every certificate of the layout and reports its expiry relative to `now`. */
export async function checkExpiration(dataDir: string, now: Date = new Date()): Promise<ExpirationReport> {
  const paths = pkiPaths(dataDir);
  const admin = await readIfExists(paths.adminConf);
  const adminCert =
    admin === undefined ? undefined : currentCredentials(parseKubeconfig(admin)).clientCertPem;
  const leaves = await Promise.all(
    LEAF_SPECS.map(async (s) => {
      const p = paths.leaves[s.name].certPath;
      return row(s.name, p, await readIfExists(p), now, s.caName);
    }),
  );
  const certificates = [row('admin.conf', paths.adminConf, adminCert, now, 'ca'), ...leaves].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const authorities = await Promise.all(
    CA_SPECS.map(async (s) => {
      const p = paths.cas[s.name].certPath;
      return row(s.name, p, await readIfExists(p), now);
    }),
  );
  authorities.sort((a, b) => a.name.localeCompare(b.name));
  return { certificates, authorities };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] + 3)))
      .join('')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Renders the report like `kubeadm certs check-expiration`. */
export function formatExpirationTable(report: ExpirationReport): string {
  const cells = (r: ExpirationRow, withCa: boolean): string[] => {
    const base = r.missing
      ? [r.name, '!MISSING!', '']
      : [r.name, formatExpiry(r.notAfter!), shortHumanDuration(r.residualSeconds!)];
    return [...base, ...(withCa ? [r.caName ?? ''] : []), 'no'];
  };
  return (
    table(
      ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'],
      report.certificates.map((r) => cells(r, true)),
    ) +
    '\n' +
    table(
      ['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED'],
      report.authorities.map((r) => cells(r, false)),
    )
  );
}

export interface RenewOptions extends IssueContext {
  /**
   * The algorithm of the new keys (`--encryption-algorithm`). Default: the algorithm of `ca.key`.
   * Deliberate difference: kubeadm reads `encryptionAlgorithm` from the kubeadm-config ClusterConfiguration
   * (or --config); kubeauth stores no such configuration, and `ca.key` is what `init` generated with it.
   */
  encryptionAlgorithm?: EncryptionAlgorithm;
  generateKey?: KeyGenerator;
  log?: (line: string) => void;
}

export class RenewError extends Error {}

/**
 * Renews the named leaves (`all` for every one) with a new key each, signed by the existing CA.
 * Returns the names renewed. Missing certificates or CA keys are errors.
 */
export async function renewCertificates(
  dataDir: string,
  names: readonly string[],
  opts: RenewOptions = {},
): Promise<string[]> {
  const targets = names.includes('all') ? [...RENEWABLE] : [...new Set(names)];
  for (const n of targets)
    if (!RENEWABLE.includes(n))
      throw new RenewError(`unknown certificate "${n}"; valid names: ${[...RENEWABLE, 'all'].join(', ')}`);
  const paths = pkiPaths(dataDir);
  const ctx: IssueContext = { now: opts.now ?? new Date(), randomBytes: opts.randomBytes };
  let generateKey = opts.generateKey;
  if (!generateKey) {
    let algorithm = opts.encryptionAlgorithm;
    if (!algorithm) {
      const caKey = await readIfExists(paths.cas.ca.keyPath);
      algorithm = (caKey && encryptionAlgorithmOf(caKey)) || undefined;
    }
    generateKey = keyGeneratorFor(algorithm);
  }
  const newKey = generateKey;
  const log = opts.log ?? (() => undefined);
  const cas = new Map<CaName, Promise<CertAndKey>>();
  const loadCa = (name: CaName): Promise<CertAndKey> => {
    let p = cas.get(name);
    if (!p) {
      p = (async () => {
        const { certPath, keyPath } = paths.cas[name];
        const [certPem, keyPem] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
        if (!certPem || !keyPem)
          throw new RenewError(`cannot renew without the CA ${name}: ${certPath} / ${keyPath} missing`);
        return { certPem, keyPem };
      })();
      cas.set(name, p);
    }
    return p;
  };

  await Promise.all(
    targets.map(async (name) => {
      if (name === 'admin.conf') {
        const text = await readIfExists(paths.adminConf);
        if (text === undefined) throw new RenewError(`${paths.adminConf} does not exist`);
        const kc = parseKubeconfig(text);
        const cred = currentCredentials(kc);
        if (!cred.clientCertPem) throw new RenewError(`${paths.adminConf} has no client certificate`);
        const [ca, key] = await Promise.all([loadCa('ca'), newKey()]);
        const certPem = await reissueCertificate(cred.clientCertPem, ca, key.publicKeyPem, ctx);
        const user = kc.users.find((u) => u.name === cred.userName)!;
        user.user['client-certificate-data'] = Buffer.from(certPem).toString('base64');
        user.user['client-key-data'] = Buffer.from(key.privateKeyPem).toString('base64');
        await replaceFile(paths.adminConf, serializeKubeconfig(kc), SECRET_MODE);
      } else {
        const spec = LEAF_SPECS.find((s) => s.name === name)!;
        const { certPath, keyPath } = paths.leaves[spec.name];
        const old = await readIfExists(certPath);
        if (old === undefined) throw new RenewError(`${certPath} does not exist; run "kubeauth init" first`);
        const [ca, key] = await Promise.all([loadCa(spec.caName), newKey()]);
        const certPem = await reissueCertificate(old, ca, key.publicKeyPem, ctx);
        await replaceFile(keyPath, key.privateKeyPem, SECRET_MODE);
        await replaceFile(certPath, certPem, PUBLIC_MODE);
      }
      const what =
        name === 'admin.conf'
          ? 'certificate embedded in the kubeconfig file for the admin to use'
          : LEAF_SPECS.find((s) => s.name === name)!.longName;
      log(`${what} renewed`);
    }),
  );
  return targets;
}
