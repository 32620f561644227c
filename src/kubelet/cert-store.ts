/**
 * @module kubelet/cert-store
 *
 * The kubelet's certificate files in `--cert-dir`, after client-go
 * util/certificate/certificate_store.go (`NewFileStore`): a pair is one PEM file holding the
 * certificate (chain) followed by its private key, named `<prefix>-<2006-01-02-15-04-05>.pem`
 * (mode 0600), and `<prefix>-current.pem` is a symlink to the newest one, switched atomically by
 * making `<prefix>-updated.pem` and renaming it over the current link. The prefixes are
 * `kubelet-client` and `kubelet-server`.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, symlink, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface CertPair {
  certPem: string;
  keyPem: string;
  notBefore: Date;
  notAfter: Date;
}

/** Go's `2006-01-02-15-04-05` in local time, as certificate_store.go's `time.Now().Format`. */
export function pairTimestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
}

/** Splits a PEM bundle into its certificates and its (first) private key; throws when either is missing. */
export function parsePair(pem: string): CertPair {
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const key = pem.match(/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/)?.[0];
  const first = certs[0];
  if (!first) throw new Error('no certificate found in the PEM data');
  if (!key) throw new Error('no private key found in the PEM data');
  createPrivateKey(key);
  const leaf = new X509Certificate(first);
  if (!leaf.checkPrivateKey(createPrivateKey(key)))
    throw new Error('the private key does not match the certificate');
  return {
    certPem: certs.join('\n') + '\n',
    keyPem: key + '\n',
    notBefore: new Date(leaf.validFrom),
    notAfter: new Date(leaf.validTo),
  };
}

export class CertStore {
  readonly dir: string;
  constructor(
    dir: string,
    readonly prefix: 'kubelet-client' | 'kubelet-server',
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = resolve(dir);
  }

  /** `<dir>/<prefix>-current.pem`. */
  get currentPath(): string {
    return join(this.dir, `${this.prefix}-current.pem`);
  }

  /** The current pair, or undefined when there is none (a broken or unparsable file counts as none). */
  async current(): Promise<CertPair | undefined> {
    let pem: string;
    try {
      pem = await readFile(this.currentPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return parsePair(pem);
    } catch {
      return undefined;
    }
  }

  /** Writes a new dated pair file (0600) and points the current link at it; returns the pair. */
  async update(certPem: string, keyPem: string): Promise<CertPair> {
    const pair = parsePair(certPem.trimEnd() + '\n' + keyPem);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${this.prefix}-${pairTimestamp(this.now())}.pem`);
    await writeFile(file, pair.certPem + pair.keyPem, { mode: 0o600 });
    const updated = join(this.dir, `${this.prefix}-updated.pem`);
    await unlink(updated).catch(() => undefined);
    await symlink(file, updated);
    await rename(updated, this.currentPath);
    return pair;
  }
}
