/**
 * @module pki/layout
 *
 * `ensurePki(dataDir, opts)`: the kubeadm `init phase certs` + `kubeconfig admin` equivalent. Lays
 * out `DIR/pki/` exactly like `/etc/kubernetes/pki` (ca, apiserver, apiserver-kubelet-client,
 * front-proxy-ca, front-proxy-client, etcd/{ca,server,peer,healthcheck-client},
 * apiserver-etcd-client, sa.key/sa.pub) and writes `DIR/admin.conf`.
 *
 * Every new key, sa.key included, is of `encryptionAlgorithm` (kubeadm's ClusterConfiguration
 * field: certs.go CreateServiceAccountKeyAndPublicKeyFiles takes the same type as the certificates).
 *
 * Idempotent: existing files are loaded and reused, never rewritten; an existing leaf that is not
 * signed by its CA is an error (as in kubeadm). Missing keys are generated all at once in parallel
 * on the thread pool, then CAs are created, then leaves are signed concurrently. Private keys and
 * kubeconfigs are created 0600, certificates 0644, the pki directories 0700.
 */
import { hostname, networkInterfaces } from 'node:os';
import { basename, join } from 'node:path';
import {
  createSelfSignedCa,
  isSignedBy,
  issueCertAndKey,
  type CertAndKey,
  type IssueContext,
} from './cert.js';
import {
  CA_SPECS,
  LEAF_SPECS,
  CLUSTER_ADMINS_GROUP,
  MASTERS_GROUP,
  type CaName,
  type LeafName,
  type PkiConfig,
} from './certlist.js';
import { ensureDir, PUBLIC_MODE, readIfExists, SECRET_MODE, writeNewFile } from './files.js';
import {
  keyGeneratorFor,
  keyMatches,
  publicKeyPemFromPrivate,
  type EncryptionAlgorithm,
  type KeyGenerator,
  type KeyPair,
} from './keys.js';
import { issueClientKubeconfig } from './kubeconfig.js';

/** Options of `ensurePki`; every field has a kubeadm-like default. */
export interface EnsurePkiOptions extends IssueContext {
  /** Default: the first non-internal IPv4 address of this host, else 127.0.0.1. */
  advertiseAddress?: string;
  /** Default: the lower-cased host name. */
  nodeName?: string;
  /** Default `10.96.0.0/12`. */
  serviceCidr?: string;
  /** Default `cluster.local`. */
  dnsDomain?: string;
  extraSans?: string[];
  controlPlaneEndpoint?: string;
  /** admin.conf server URL. Default `https://<controlPlaneEndpoint>` or `https://127.0.0.1:6443`. */
  server?: string;
  /** Default `kubernetes`. */
  clusterName?: string;
  /** kubeadm's `encryptionAlgorithm` for every new key, sa.key included (default RSA-2048). */
  encryptionAlgorithm?: EncryptionAlgorithm;
  /** Key generator (default: `encryptionAlgorithm` via async node:crypto); tests pass a pool. */
  generateKey?: KeyGenerator;
  /** Progress lines in kubeadm's `[certs] ...` style. Never receives key material. */
  log?: (line: string) => void;
}

/** Where a certificate pair lives on disk, with its PEMs. */
export interface PkiEntry extends CertAndKey {
  certPath: string;
  keyPath: string;
}

/** Everything the API server needs from the PKI. */
export interface Pki {
  dataDir: string;
  pkiDir: string;
  config: PkiConfig;
  cas: Record<CaName, PkiEntry>;
  leaves: Record<LeafName, PkiEntry>;
  serviceAccount: KeyPair & { keyPath: string; pubPath: string };
  /** admin.conf: kubernetes-admin in group kubeadm:cluster-admins (bound to cluster-admin by RBAC). */
  admin: { path: string; yaml: string };
  /** super-admin.conf: kubernetes-super-admin in system:masters (bypasses authorization). */
  superAdmin: { path: string; yaml: string };
  /** Files written by this call (empty on a second run). */
  created: string[];
}

/** File paths of the layout, without touching the disk. */
export function pkiPaths(dataDir: string) {
  const pkiDir = join(dataDir, 'pki');
  const pair = (base: string) => ({
    certPath: join(pkiDir, `${base}.crt`),
    keyPath: join(pkiDir, `${base}.key`),
  });
  return {
    pkiDir,
    cas: Object.fromEntries(CA_SPECS.map((s) => [s.name, pair(s.baseName)])) as Record<
      CaName,
      { certPath: string; keyPath: string }
    >,
    leaves: Object.fromEntries(LEAF_SPECS.map((s) => [s.name, pair(s.baseName)])) as Record<
      LeafName,
      { certPath: string; keyPath: string }
    >,
    saKey: join(pkiDir, 'sa.key'),
    saPub: join(pkiDir, 'sa.pub'),
    adminConf: join(dataDir, 'admin.conf'),
    superAdminConf: join(dataDir, 'super-admin.conf'),
  };
}

/** First non-internal IPv4 address of this host, or 127.0.0.1. */
export function defaultAdvertiseAddress(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

/** Fills in defaults (kubeadm's `SetInitDynamicDefaults` for what the PKI needs). */
export function resolvePkiConfig(opts: EnsurePkiOptions): PkiConfig {
  return {
    nodeName: (opts.nodeName ?? hostname()).toLowerCase(),
    advertiseAddress: opts.advertiseAddress ?? defaultAdvertiseAddress(),
    serviceCidr: opts.serviceCidr ?? '10.96.0.0/12',
    dnsDomain: opts.dnsDomain ?? 'cluster.local',
    extraSans: opts.extraSans ?? [],
    controlPlaneEndpoint: opts.controlPlaneEndpoint,
  };
}

/** Reads a cert/key pair; returns undefined if both are missing, throws if only one exists. */
async function readPair(
  p: { certPath: string; keyPath: string },
  name: string,
): Promise<PkiEntry | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(p.certPath), readIfExists(p.keyPath)]);
  if (certPem === undefined && keyPem === undefined) return undefined;
  if (certPem === undefined || keyPem === undefined)
    throw new Error(
      `${name}: found ${certPem ? p.certPath : p.keyPath} but ${certPem ? p.keyPath : p.certPath} is missing`,
    );
  if (!keyMatches(keyPem, certPem)) throw new Error(`${name}: ${p.keyPath} does not match ${p.certPath}`);
  return { ...p, certPem, keyPem };
}

async function writePair(entry: PkiEntry, created: string[]): Promise<void> {
  await Promise.all([
    writeNewFile(entry.keyPath, entry.keyPem, SECRET_MODE),
    writeNewFile(entry.certPath, entry.certPem, PUBLIC_MODE),
  ]);
  created.push(entry.certPath, entry.keyPath);
}

/**
 * Creates whatever is missing of the PKI and admin.conf under `dataDir` and returns all of it.
 * A second call with the same directory writes nothing and returns the same material.
 */
export async function ensurePki(dataDir: string, opts: EnsurePkiOptions = {}): Promise<Pki> {
  const log = opts.log ?? (() => undefined);
  const config = resolvePkiConfig(opts);
  const ctx: IssueContext = { now: opts.now ?? new Date(), randomBytes: opts.randomBytes };
  const generateKey = opts.generateKey ?? keyGeneratorFor(opts.encryptionAlgorithm);
  const paths = pkiPaths(dataDir);
  await ensureDir(dataDir);
  await ensureDir(paths.pkiDir);
  await ensureDir(join(paths.pkiDir, 'etcd'));

  const [existingCas, existingLeaves, saKey, saPub, adminYaml, superAdminYaml] = await Promise.all([
    Promise.all(CA_SPECS.map((s) => readPair(paths.cas[s.name], s.name))),
    Promise.all(LEAF_SPECS.map((s) => readPair(paths.leaves[s.name], s.name))),
    readIfExists(paths.saKey),
    readIfExists(paths.saPub),
    readIfExists(paths.adminConf),
    readIfExists(paths.superAdminConf),
  ]);

  // Start every missing key at once: RSA generation dominates, and the thread pool runs it in parallel.
  const keyFor = (missing: boolean): Promise<KeyPair> | undefined => (missing ? generateKey() : undefined);
  const caKeys = existingCas.map((e) => keyFor(!e));
  const leafKeys = existingLeaves.map((e) => keyFor(!e));
  const saKeyGen = keyFor(saKey === undefined);
  const adminKey = keyFor(adminYaml === undefined);
  const superAdminKey = keyFor(superAdminYaml === undefined);
  const allKeys = [...caKeys, ...leafKeys, saKeyGen, adminKey, superAdminKey].filter(
    Boolean,
  ) as Promise<KeyPair>[];
  // Keep rejections observed even if an earlier step throws before awaiting them.
  const settled = Promise.allSettled(allKeys);

  const created: string[] = [];
  try {
    const caEntries = new Map<CaName, Promise<PkiEntry>>();
    CA_SPECS.forEach((spec, i) => {
      const existing = existingCas[i];
      caEntries.set(
        spec.name,
        (async () => {
          if (existing) {
            log(`[certs] Using existing ${spec.name} certificate authority`);
            return existing;
          }
          log(`[certs] Generating "${spec.name}" certificate and key`);
          const ca = await createSelfSignedCa({
            ...ctx,
            commonName: spec.commonName,
            keyPair: await caKeys[i]!,
          });
          const entry = { ...paths.cas[spec.name], ...ca };
          await writePair(entry, created);
          return entry;
        })(),
      );
    });

    const leafEntries = LEAF_SPECS.map(async (spec, i): Promise<PkiEntry> => {
      const ca = await caEntries.get(spec.caName)!;
      const existing = existingLeaves[i];
      if (existing) {
        if (!isSignedBy(existing.certPem, ca.certPem))
          throw new Error(`certificate ${spec.name} is not signed by corresponding CA (${spec.caName})`);
        log(`[certs] Using existing ${spec.name} certificate and key on disk`);
        return existing;
      }
      log(`[certs] Generating "${spec.name}" certificate and key`);
      const alt = spec.altNames?.(config);
      if (alt?.dnsNames?.length || alt?.ips?.length)
        log(
          `[certs] ${spec.name} serving cert is signed for DNS names [${(alt.dnsNames ?? []).join(' ')}] and IPs [${(alt.ips ?? []).join(' ')}]`,
        );
      const pair = await issueCertAndKey(ca, await leafKeys[i]!, {
        ...ctx,
        subject: { commonName: spec.commonName(config), organizations: spec.organizations },
        usages: spec.usages,
        altNames: alt,
      });
      const entry = { ...paths.leaves[spec.name], ...pair };
      await writePair(entry, created);
      return entry;
    });

    const serviceAccount = (async () => {
      let privateKeyPem = saKey;
      if (privateKeyPem === undefined) {
        log('[certs] Generating "sa" key and public key');
        privateKeyPem = (await saKeyGen!).privateKeyPem;
        await writeNewFile(paths.saKey, privateKeyPem, SECRET_MODE);
        created.push(paths.saKey);
      } else log('[certs] Using the existing "sa" key');
      const publicKeyPem = publicKeyPemFromPrivate(privateKeyPem);
      if (saPub === undefined) {
        await writeNewFile(paths.saPub, publicKeyPem, PUBLIC_MODE);
        created.push(paths.saPub);
      } else if (!keyMatches(privateKeyPem, saPub))
        throw new Error(`${paths.saPub} does not match ${paths.saKey}`);
      return { privateKeyPem, publicKeyPem, keyPath: paths.saKey, pubPath: paths.saPub };
    })();

    // kubeadm 1.29+ (KEP-4214): admin.conf is in kubeadm:cluster-admins, which RBAC binds to
    // cluster-admin, so it can be revoked; super-admin.conf keeps the system:masters break-glass.
    const kubeconfigFile = (
      file: string,
      existing: string | undefined,
      keyP: Promise<KeyPair> | undefined,
      user: string,
      group: string,
    ) =>
      (async () => {
        const ca = await caEntries.get('ca')!;
        if (existing !== undefined) {
          log(`[kubeconfig] Using existing kubeconfig file: "${file}"`);
          return { path: file, yaml: existing };
        }
        log(`[kubeconfig] Writing "${basename(file)}" kubeconfig file`);
        const key = await keyP!;
        const { yaml } = await issueClientKubeconfig({
          ...ctx,
          ca,
          user,
          groups: [group],
          server:
            opts.server ??
            (config.controlPlaneEndpoint
              ? `https://${config.controlPlaneEndpoint}`
              : 'https://127.0.0.1:6443'),
          clusterName: opts.clusterName,
          generateKey: async () => key,
        });
        await writeNewFile(file, yaml, SECRET_MODE);
        created.push(file);
        return { path: file, yaml };
      })();
    const admin = kubeconfigFile(
      paths.adminConf,
      adminYaml,
      adminKey,
      'kubernetes-admin',
      CLUSTER_ADMINS_GROUP,
    );
    const superAdmin = kubeconfigFile(
      paths.superAdminConf,
      superAdminYaml,
      superAdminKey,
      'kubernetes-super-admin',
      MASTERS_GROUP,
    );

    // Let every branch finish (no file write may outlive this call), then report the first error.
    const caList = CA_SPECS.map((s) => caEntries.get(s.name)!);
    const outcomes = await Promise.allSettled([...caList, ...leafEntries, serviceAccount, admin, superAdmin]);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    const [cas, leaves, sa, adm, superAdm] = await Promise.all([
      Promise.all(caList),
      Promise.all(leafEntries),
      serviceAccount,
      admin,
      superAdmin,
    ]);
    return {
      dataDir,
      pkiDir: paths.pkiDir,
      config,
      cas: Object.fromEntries(CA_SPECS.map((s, i) => [s.name, cas[i]])) as Record<CaName, PkiEntry>,
      leaves: Object.fromEntries(LEAF_SPECS.map((s, i) => [s.name, leaves[i]])) as Record<LeafName, PkiEntry>,
      serviceAccount: sa,
      admin: adm,
      superAdmin: superAdm,
      created,
    };
  } finally {
    await settled;
  }
}
