/**
 * `--encryption-provider-config` and `--encryption-provider-config-automatic-reload` (issue #10):
 * wraps the opened {@link Store} in a {@link TransformingStore}. An invalid file refuses start-up
 * with upstream's `error while parsing encryption provider configuration file "<path>": ...`; with
 * automatic reload the file is polled (authn/dynamic-file.ts) and a new valid file swaps the
 * providers, while a bad one keeps the old providers and is logged (never the key material).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { DynamicFileContent } from '../authn/dynamic-file.js';
import { GROUP_ORDER } from '../registry/index.js';
import {
  parseEncryptionConfig,
  type EncryptionConfig,
  type GroupResource,
} from '../storage/encryption-config.js';
import type { Store } from '../storage/interfaces.js';
import { TransformingStore } from '../storage/transformer.js';
import { FlagError, type FlagValues } from './flags.js';

const GROUPS = new Set(GROUP_ORDER.filter((g) => g !== ''));

/**
 * The resource of a registry key (object-store.ts storagePrefix): `/registry/<resource>/...` in the
 * core group, `/registry/<group>/<resource>/...` otherwise (a group has a dot or is a built-in one).
 */
export function resourceOfKey(key: string): GroupResource | undefined {
  if (!key.startsWith('/registry/')) return undefined;
  const seg = key.slice('/registry/'.length).split('/');
  if (seg.length < 2 || !seg[0]) return undefined;
  if (GROUPS.has(seg[0]) || seg[0].includes('.')) return { group: seg[0], resource: seg[1] };
  return { group: '', resource: seg[0] };
}

export interface EncryptionSetup {
  /**
   * Wraps the store; a no-op without --encryption-provider-config. `root`: what the engine stores
   * in place of the keys' `/registry` root (--etcd-prefix for etcd), for the authenticated data.
   */
  wrap(store: Store, root?: string): Store;
}

/** Reads and validates the flags before the store is opened. @throws FlagError */
export function encryptionFromFlags(
  f: FlagValues,
  log: (m: string) => void = (m) => process.stderr.write(`${m}\n`),
): EncryptionSetup {
  const file = String(f['encryption-provider-config'] ?? '');
  const reload = Boolean(f['encryption-provider-config-automatic-reload']);
  if (!file) {
    if (reload)
      throw new FlagError(
        '--encryption-provider-config-automatic-reload must be set with --encryption-provider-config',
      );
    return { wrap: (s) => s };
  }
  const parseOne = (contents: string[]): EncryptionConfig => parseEncryptionConfig(contents[0]);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlagError(`--encryption-provider-config: ${(e as Error).message}`);
  }
  let dyn: DynamicFileContent<EncryptionConfig>;
  try {
    dyn = new DynamicFileContent<EncryptionConfig>({
      name: `encryption-provider-config::${file}`,
      files: [file],
      parse: parseOne,
      what: 'encryption provider configuration',
      loaded: 'Loaded new encryption provider configuration',
      initial: [text],
      log,
    });
  } catch (e) {
    throw new FlagError(
      `error while parsing encryption provider configuration file "${file}": ${(e as Error).message}`,
    );
  }
  if (reload) dyn.start();
  return {
    wrap: (s, root = '/registry') =>
      new TransformingStore(
        s,
        resourceOfKey,
        () => dyn.current(),
        (k) => (k.startsWith('/registry/') ? root + k.slice('/registry'.length) : k),
      ),
  };
}
