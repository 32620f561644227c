/**
 * @module controllers/csr-signing-ca
 *
 * The CSR signer's CA, re-read from `--cluster-signing-cert-file` / `--cluster-signing-key-file`
 * when their content changes, as kube-controller-manager's signer does
 * (pkg/controller/certificates/signer/ca_provider.go: `currentCA` compares the bytes and calls
 * `setCA`, which keeps the old CA when the new one does not parse). The files are read at most
 * once per second, just before signing. A new pair is taken only when the certificate file holds
 * exactly one certificate, the key parses and the key matches the certificate; otherwise the old
 * pair stays and the reason is logged (once per distinct content).
 */
import { readFile } from 'node:fs/promises';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { CertAndKey } from '../pki/cert.js';
import { keyMatches } from '../pki/keys.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----/g;

/** Why `pair` cannot be a signing CA (the messages of ca_provider.go `setCA`), or undefined. */
export function signingCaError(pair: CertAndKey, certFile = 'cert', keyFile = 'key'): string | undefined {
  const count = pair.certPem.match(PEM_CERT)?.length ?? 0;
  if (count !== 1) return `error reading CA cert file "${certFile}": expected 1 certificate, found ${count}`;
  try {
    new X509Certificate(pair.certPem);
  } catch (e) {
    return `error reading CA cert file "${certFile}": ${(e as Error).message}`;
  }
  try {
    createPrivateKey(pair.keyPem);
  } catch (e) {
    return `error reading CA key file "${keyFile}": ${(e as Error).message}`;
  }
  // Beyond ca_provider.go (tls.X509KeyPair in the dynamic loader refuses a mismatched pair):
  if (!keyMatches(pair.keyPem, pair.certPem))
    return `CA key file "${keyFile}" does not match CA cert file "${certFile}"`;
  return undefined;
}

export interface SigningCaSource {
  /** The CA to sign with now. */
  current(): Promise<CertAndKey>;
}

/** A fixed CA (no files to watch). */
export const staticSigningCa = (ca: CertAndKey): SigningCaSource => ({ current: async () => ca });

/** The CA of two PEM files, reloaded on change. */
export class FileSigningCa implements SigningCaSource {
  private checkedAt = -Infinity;
  private lastRejected = '';
  private pending?: Promise<CertAndKey>;

  constructor(
    private ca: CertAndKey,
    private readonly files: { certFile: string; keyFile: string },
    private readonly opts: { nowMs?: () => number; log: (m: string) => void; intervalMs?: number },
  ) {}

  current(): Promise<CertAndKey> {
    const now = (this.opts.nowMs ?? Date.now)();
    if (now - this.checkedAt < (this.opts.intervalMs ?? 1000)) return Promise.resolve(this.ca);
    this.checkedAt = now;
    this.pending ??= this.reload().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async reload(): Promise<CertAndKey> {
    let next: CertAndKey;
    try {
      const [certPem, keyPem] = await Promise.all([
        readFile(this.files.certFile, 'utf8'),
        readFile(this.files.keyFile, 'utf8'),
      ]);
      next = { certPem, keyPem };
    } catch (e) {
      this.reject(`csr signer: keeping the current signing CA: ${(e as Error).message}`, 'read');
      return this.ca;
    }
    if (next.certPem === this.ca.certPem && next.keyPem === this.ca.keyPem) return this.ca;
    const err = signingCaError(next, this.files.certFile, this.files.keyFile);
    if (err) {
      this.reject(`csr signer: keeping the current signing CA: ${err}`, next.certPem + next.keyPem);
      return this.ca;
    }
    this.ca = next;
    this.lastRejected = '';
    const subject = new X509Certificate(next.certPem).subject.replace(/\n/g, ', ');
    this.opts.log(`csr signer: loaded a new signing CA from ${this.files.certFile} (${subject})`);
    return this.ca;
  }

  private reject(msg: string, content: string): void {
    if (content === this.lastRejected) return;
    this.lastRejected = content;
    this.opts.log(msg);
  }
}
