/**
 * @module pki/files
 *
 * File-system helpers for key material. Secrets are created with their final mode (the `mode`
 * argument of `open`), never chmod-ed afterwards, so there is no window where a key is readable by
 * others. Replacements (certificate renewal) write a fresh temporary file with the mode and rename
 * it over the old one, which is atomic on POSIX.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

/** Mode for private keys and kubeconfigs (kubeadm writes them 0600). */
export const SECRET_MODE = 0o600;
/** Mode for certificates and public keys. */
export const PUBLIC_MODE = 0o644;
/** Mode for the pki directories. */
export const DIR_MODE = 0o700;

/** Reads a UTF-8 file, or returns undefined when it does not exist. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Creates a directory (and parents) with the given mode if missing. */
export async function ensureDir(path: string, mode: number = DIR_MODE): Promise<void> {
  await mkdir(path, { recursive: true, mode });
}

/** Creates a new file with `mode`; fails with EEXIST if it already exists. */
export async function writeNewFile(path: string, data: string, mode: number): Promise<void> {
  await ensureDir(dirname(path));
  await writeFile(path, data, { mode, flag: 'wx' });
}

/** Atomically replaces (or creates) a file: temp file created with `mode`, then renamed. */
export async function replaceFile(path: string, data: string, mode: number): Promise<void> {
  await ensureDir(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { mode, flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
