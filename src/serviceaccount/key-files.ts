/**
 * The service-account key files, re-read while the server runs: --service-account-key-file
 * (verification keys, repeatable) and --service-account-signing-key-file (the key new tokens are
 * signed with). Issue #8 asks that renewed files are picked up without a restart; upstream
 * kube-apiserver reads these files once at start — a deliberate difference, kept in the shape of
 * dynamic-ca.ts (after dynamiccertificates.DynamicFileCAContent): every file is checked each
 * second by content (a same-second replace is seen); a file that no longer parses keeps that
 * file's previous keys and is logged; listeners run only when something really changed.
 *
 * Contract: `verificationKeys()` is always the union of the last good parse of every key file;
 * `signingKeyPem()` always a key that can sign. The constructor throws on a bad initial file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parsePublicKeysPem, type PublicKeyEntry } from '../authn/service-account.js';
import { signingKeyFromPem } from './jwt.js';

export interface KeyFilesChange {
  /** The verification keys changed (the JWKS document follows). */
  verification: boolean;
  /** The signing key changed (new tokens carry its kid). */
  signing: boolean;
}

export type KeyFilesListener = (change: KeyFilesChange) => void;

interface Watched<T> {
  file: string;
  text: string;
  value: T;
}

export class ServiceAccountKeyFiles {
  private readonly verify: Watched<PublicKeyEntry[]>[];
  private readonly signing?: Watched<string>;
  private readonly listeners: KeyFilesListener[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param keyFiles the verification key files (PEM public keys, private keys or certificates)
   * @param signingKeyFile the private key file new tokens are signed with, if this server signs
   * @throws when a file cannot be read or parsed (the flag is refused at start-up)
   */
  constructor(
    keyFiles: readonly string[],
    signingKeyFile: string | undefined,
    private readonly log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
  ) {
    this.verify = keyFiles.map((file) => {
      const text = readFileSync(file, 'utf8');
      return { file, text, value: parsePublicKeysPem(text, file) };
    });
    if (signingKeyFile) {
      const text = readFileSync(signingKeyFile, 'utf8');
      try {
        signingKeyFromPem(text);
      } catch (e) {
        throw new Error(`${signingKeyFile}: ${(e as Error).message}`, { cause: e });
      }
      this.signing = { file: signingKeyFile, text, value: text };
    }
  }

  verificationKeys(): PublicKeyEntry[] {
    return this.verify.flatMap((w) => w.value);
  }

  signingKeyPem(): string | undefined {
    return this.signing?.value;
  }

  onChange(l: KeyFilesListener): void {
    this.listeners.push(l);
  }

  /** Re-reads every file now; the change (undefined when nothing new was taken). */
  check(): KeyFilesChange | undefined {
    let verification = false;
    for (const w of this.verify)
      verification =
        this.reload(w, (text) => parsePublicKeysPem(text, w.file), 'service account key file') ||
        verification;
    const signing = this.signing
      ? this.reload(
          this.signing,
          (text) => (signingKeyFromPem(text), text),
          'service account signing key file',
        )
      : false;
    if (!verification && !signing) return undefined;
    const change = { verification, signing };
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (e) {
        this.log(`E "Service account key listener failed" err="${(e as Error).message}"`);
      }
    }
    return change;
  }

  private reload<T>(w: Watched<T>, parse: (text: string) => T, what: string): boolean {
    let text: string;
    try {
      text = readFileSync(w.file, 'utf8');
    } catch (e) {
      this.log(
        `E "Failed to read ${what}, keeping the previous keys" file="${w.file}" err="${(e as Error).message}"`,
      );
      return false;
    }
    if (text === w.text) return false;
    // Remembered even when bad: logged once per distinct content, not every second.
    w.text = text;
    try {
      w.value = parse(text);
    } catch (e) {
      this.log(
        `E "Failed to load ${what}, keeping the previous keys" file="${w.file}" err="${(e as Error).message}"`,
      );
      return false;
    }
    this.log(`I "Loaded a new ${what}" file="${w.file}"`);
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
