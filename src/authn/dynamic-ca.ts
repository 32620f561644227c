/**
 * A CA bundle read from a file and re-read when the file changes, after upstream's
 * dynamiccertificates.DynamicFileCAContent (staging/src/k8s.io/apiserver/pkg/server/
 * dynamiccertificates/dynamic_cafile_content.go): the file is checked every second (content, not
 * only mtime, so a same-second replace is seen); a new bundle that does not parse as one or more
 * certificates keeps the old one and is logged; listeners run only when the bundle really changed.
 *
 * Contract: `current()` is always a bundle that parsed; `onChange` listeners are called with it.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { splitPem } from './x509.js';

export type CaListener = (pem: string) => void;

/** Throws when `pem` holds no certificate or one that does not parse. */
export function validateCaBundle(pem: string, file: string): void {
  const blocks = splitPem(pem);
  if (!blocks.length)
    throw new Error(`unable to load "${file}": data does not contain any valid RSA or ECDSA certificates`);
  for (const b of blocks) new X509Certificate(b);
}

export class DynamicCaBundle {
  private pem: string;
  private readonly listeners: CaListener[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly file: string,
    private readonly log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
    initialPem?: string,
  ) {
    this.pem = initialPem ?? readFileSync(file, 'utf8');
    validateCaBundle(this.pem, file);
  }

  current(): string {
    return this.pem;
  }

  onChange(l: CaListener): void {
    this.listeners.push(l);
  }

  /** Re-reads the file now; true when a new valid bundle was taken. */
  check(): boolean {
    let next: string;
    try {
      next = readFileSync(this.file, 'utf8');
      if (next === this.pem) return false;
      validateCaBundle(next, this.file);
    } catch (e) {
      this.log(
        `E "Failed to load CA bundle, keeping the previous one" controller="client-ca-bundle::${this.file}" err="${(e as Error).message}"`,
      );
      return false;
    }
    this.pem = next;
    this.log(`I "Loaded a new CA Bundle and Verifier" name="client-ca-bundle::${this.file}"`);
    for (const l of this.listeners) {
      try {
        l(next);
      } catch (e) {
        this.log(`E "CA bundle listener failed" err="${(e as Error).message}"`);
      }
    }
    return true;
  }

  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
