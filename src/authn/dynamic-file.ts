/**
 * @module authn/dynamic-file
 *
 * Content read from one or more files and re-read when they change: the polling core shared by
 * upstream's dynamiccertificates providers (staging/src/k8s.io/apiserver/pkg/server/
 * dynamiccertificates/: DynamicFileCAContent for CA bundles, DynamicCertKeyPairContent for a
 * serving cert + key). The files are checked every second and compared by content, not only mtime,
 * so a same-second replace is seen. New content that does not parse (`parse` throws) keeps the old
 * value and is logged; listeners run only when the content really changed.
 *
 * Upstream watches with fsnotify plus a one-minute resync; a 1 s poll of a few small files is
 * cheaper than a watcher per file here and also catches replace-by-rename, which is how
 * `kubeauth certs renew` (pki/files.ts replaceFile) and most tools write.
 *
 * Contract: `current()` is always a value that parsed; `onChange` listeners are called with it.
 */
import { readFileSync } from 'node:fs';

export type ContentListener<T> = (value: T) => void;

export interface DynamicFileOptions<T> {
  /** Upstream's controller name, e.g. `client-ca-bundle::/path/ca.crt` (used in log lines). */
  name: string;
  files: readonly string[];
  /** Turns the files' contents (same order as `files`) into the value; throws when invalid. */
  parse: (contents: string[]) => T;
  /** What the log lines call the content ("CA bundle", "cert/key pair"). */
  what: string;
  /** The success log line's message (default `Loaded a new <what>`). */
  loaded?: string;
  log?: (msg: string) => void;
  /** Contents already read by the caller (so start-up reads each file once). */
  initial?: string[];
}

export class DynamicFileContent<T> {
  readonly name: string;
  readonly files: readonly string[];
  private raw: string[];
  private value: T;
  private readonly listeners: ContentListener<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly parse: (contents: string[]) => T;
  private readonly what: string;
  private readonly loaded: string;
  protected readonly log: (msg: string) => void;

  /** Reads and parses the files; throws (for the caller to refuse the flag) when they are invalid. */
  constructor(o: DynamicFileOptions<T>) {
    this.name = o.name;
    this.files = o.files;
    this.parse = o.parse;
    this.what = o.what;
    this.loaded = o.loaded ?? `Loaded a new ${o.what}`;
    this.log = o.log ?? ((m) => process.stderr.write(`${m}\n`));
    this.raw = o.initial ?? o.files.map((f) => readFileSync(f, 'utf8'));
    this.value = this.parse(this.raw);
  }

  current(): T {
    return this.value;
  }

  onChange(l: ContentListener<T>): void {
    this.listeners.push(l);
  }

  /** Re-reads the files now; true when new valid content was taken. */
  check(): boolean {
    let next: string[];
    let value: T;
    try {
      next = this.files.map((f) => readFileSync(f, 'utf8'));
      if (next.every((c, i) => c === this.raw[i])) return false;
      value = this.parse(next);
    } catch (e) {
      this.log(
        `E "Failed to load ${this.what}, keeping the previous one" controller="${this.name}" err="${(e as Error).message}"`,
      );
      return false;
    }
    this.raw = next;
    this.value = value;
    this.log(`I "${this.loaded}" name="${this.name}"`);
    for (const l of this.listeners) {
      try {
        l(value);
      } catch (e) {
        this.log(`E "${this.what} listener failed" name="${this.name}" err="${(e as Error).message}"`);
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
