/**
 * `kubeauth serve` storage flags → a {@link Store}: the embedded SQLite engine (default) or etcd v3
 * (`--storage-backend=etcd3`, implied by `--etcd-servers`), as kube-apiserver's
 * `--etcd-servers`, `--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile`, `--etcd-prefix` and
 * `--etcd-compaction-interval` (also used by the SQLite compactor; 0 disables compaction).
 *
 * With https etcd URLs and no TLS files given, the PKI's `etcd/ca.crt` and `apiserver-etcd-client`
 * pair are used (what kubeadm writes into kube-apiserver's manifest).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pki } from '../pki/layout.js';
import type { CompactorOptions } from '../storage/compactor.js';
import { openEtcdStore } from '../storage/etcd.js';
import type { Store } from '../storage/interfaces.js';
import { openSqliteStore } from '../storage/sqlite.js';
import { FlagError, parseDuration, type FlagValues } from './flags.js';
import { encryptionFromFlags } from './serve-encryption.js';

const ETCD_FLAGS = ['etcd-servers', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile', 'etcd-prefix'];

function readFlagFile(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new FlagError(`--${flag}: ${(e as Error).message}`);
  }
}

/**
 * The store, wrapped for encryption at rest when --encryption-provider-config is given
 * (serve-encryption.ts). @throws FlagError for inconsistent flags or an unreachable etcd.
 */
export async function openStoreFromFlags(
  f: FlagValues,
  set: ReadonlySet<string>,
  dataDir: string,
  pki: Pki,
): Promise<Store> {
  const encryption = encryptionFromFlags(f);
  const { store, root } = await openBackend(f, set, dataDir, pki);
  return encryption.wrap(store, root);
}

async function openBackend(
  f: FlagValues,
  set: ReadonlySet<string>,
  dataDir: string,
  pki: Pki,
): Promise<{ store: Store; root: string }> {
  const servers = (f['etcd-servers'] as string[]).map((s) => s.trim()).filter((s) => s !== '');
  let backend = String(f['storage-backend']);
  if (!set.has('storage-backend') && servers.length > 0) backend = 'etcd3';
  const intervalMs = parseDuration(String(f['etcd-compaction-interval']));
  const compaction: CompactorOptions | false = intervalMs > 0 ? { intervalMs } : false;

  if (backend === 'sqlite') {
    const stray = ETCD_FLAGS.filter((n) => set.has(n));
    if (stray.length)
      throw new FlagError(`${stray.map((n) => `--${n}`).join(', ')} require --storage-backend=etcd3`);
    return {
      store: await openSqliteStore(path.join(dataDir, 'kubeauth.db'), { compaction }),
      root: '/registry',
    };
  }
  if (backend !== 'etcd3') throw new FlagError(`--storage-backend: "${backend}" is not one of sqlite, etcd3`);
  if (servers.length === 0)
    throw new FlagError('--etcd-servers must be specified with --storage-backend=etcd3');
  for (const s of servers) {
    if (!/^https?:\/\/[^/\s]+\/?$/.test(s))
      throw new FlagError(`--etcd-servers: "${s}" is not a scheme://host:port URL`);
  }
  const https = servers.filter((s) => s.startsWith('https://')).length;
  if (https !== 0 && https !== servers.length)
    throw new FlagError('--etcd-servers: mixing http and https URLs is not supported');
  // Upstream joins the prefix with path.Join, so a trailing "/" is the same prefix.
  const prefix = String(f['etcd-prefix']).replace(/\/+$/, '');
  if (!prefix.startsWith('/') || /\s/.test(prefix))
    throw new FlagError(`--etcd-prefix: "${String(f['etcd-prefix'])}" must be an absolute path below "/"`);
  if (Boolean(f['etcd-certfile']) !== Boolean(f['etcd-keyfile']))
    throw new FlagError('--etcd-certfile and --etcd-keyfile must be given together');

  let tls: { ca: Buffer; cert?: Buffer; key?: Buffer } | undefined;
  if (https > 0) {
    const client = pki.leaves['apiserver-etcd-client'];
    tls = {
      ca: f['etcd-cafile']
        ? readFlagFile('etcd-cafile', String(f['etcd-cafile']))
        : Buffer.from(pki.cas['etcd-ca'].certPem),
      cert: f['etcd-certfile']
        ? readFlagFile('etcd-certfile', String(f['etcd-certfile']))
        : Buffer.from(client.certPem),
      key: f['etcd-keyfile']
        ? readFlagFile('etcd-keyfile', String(f['etcd-keyfile']))
        : Buffer.from(client.keyPem),
    };
  } else if (f['etcd-cafile'] || f['etcd-certfile']) {
    throw new FlagError('--etcd-cafile/--etcd-certfile/--etcd-keyfile need https --etcd-servers');
  }
  try {
    return { store: await openEtcdStore({ servers, prefix, tls, compaction }), root: prefix };
  } catch (e) {
    throw new FlagError(`cannot reach etcd at ${servers.join(',')}: ${(e as Error).message}`);
  }
}
