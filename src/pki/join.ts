/**
 * @module pki/join
 *
 * `kubeauth init --from-pki DIR`: the shape of `kubeadm join --control-plane`. The shared material
 * (kubeadm copycerts.go certsToTransfer: ca.crt/key, sa.key/pub, front-proxy-ca.crt/key,
 * etcd/ca.crt/key) is copied from another replica's pki directory into this data directory;
 * `ensurePki` then signs this replica's own leaves (apiserver with its --advertise-address and
 * SANs, kubelet client, front-proxy client, etcd client/server/peer) and admin.conf with those CAs.
 * Files already present must be identical to the source's; nothing is overwritten.
 */
import { join } from 'node:path';
import { ensureDir, PUBLIC_MODE, readIfExists, SECRET_MODE, writeNewFile } from './files.js';

/** certsToTransfer (cmd/kubeadm/app/phases/copycerts/copycerts.go). */
export const SHARED_PKI_FILES: readonly string[] = [
  'ca.crt',
  'ca.key',
  'sa.key',
  'sa.pub',
  'front-proxy-ca.crt',
  'front-proxy-ca.key',
  'etcd/ca.crt',
  'etcd/ca.key',
];

/** Copies the shared files from `fromPkiDir` to `pkiDir`; returns the paths written. */
export async function copySharedPki(fromPkiDir: string, pkiDir: string): Promise<string[]> {
  const contents = await Promise.all(SHARED_PKI_FILES.map((f) => readIfExists(join(fromPkiDir, f))));
  const missing = SHARED_PKI_FILES.filter((_, i) => contents[i] === undefined);
  if (missing.length)
    throw new Error(
      `--from-pki ${fromPkiDir}: missing ${missing.join(', ')} (a kubeadm-style pki directory)`,
    );
  await ensureDir(join(pkiDir, 'etcd'));
  const written: string[] = [];
  for (const [i, f] of SHARED_PKI_FILES.entries()) {
    const dest = join(pkiDir, f);
    const have = await readIfExists(dest);
    if (have !== undefined) {
      if (have !== contents[i]) throw new Error(`${dest} exists and differs from ${join(fromPkiDir, f)}`);
      continue;
    }
    await writeNewFile(dest, contents[i]!, f.endsWith('.key') ? SECRET_MODE : PUBLIC_MODE);
    written.push(dest);
  }
  return written;
}
