/** `--encryption-provider-config` flag handling and the key → resource mapping of the decorator. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openSqliteStore } from '../storage/sqlite.js';
import { TransformingStore } from '../storage/transformer.js';
import { FlagError } from './flags.js';
import { encryptionFromFlags, resourceOfKey } from './serve-encryption.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-enc-flags-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('resourceOfKey follows object-store.ts storagePrefix', () => {
  assert.deepEqual(resourceOfKey('/registry/secrets/default/s'), { group: '', resource: 'secrets' });
  assert.deepEqual(resourceOfKey('/registry/namespaces/foo'), { group: '', resource: 'namespaces' });
  assert.deepEqual(resourceOfKey('/registry/apps/deployments/ns/d'), {
    group: 'apps',
    resource: 'deployments',
  });
  assert.deepEqual(resourceOfKey('/registry/stable.example.com/crontabs/ns/c'), {
    group: 'stable.example.com',
    resource: 'crontabs',
  });
  assert.equal(resourceOfKey('/elsewhere/x/y'), undefined);
  assert.equal(resourceOfKey('/registry/'), undefined);
});

test('without the flag the store is not wrapped; reload alone is refused', async () => {
  const store = await openSqliteStore(':memory:', { compaction: false });
  assert.equal(encryptionFromFlags({ 'encryption-provider-config': '' }).wrap(store), store);
  assert.throws(
    () =>
      encryptionFromFlags({
        'encryption-provider-config': '',
        'encryption-provider-config-automatic-reload': true,
      }),
    (e: unknown) => e instanceof FlagError && /must be set with --encryption-provider-config/.test(e.message),
  );
  await store.close();
});

test('a missing or invalid file refuses start-up; a valid one wraps the store', async () => {
  assert.throws(
    () => encryptionFromFlags({ 'encryption-provider-config': path.join(dir, 'nope.yaml') }),
    (e: unknown) => e instanceof FlagError && /--encryption-provider-config: ENOENT/.test(e.message),
  );
  const file = path.join(dir, 'enc.yaml');
  writeFileSync(
    file,
    'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []\n',
  );
  assert.throws(
    () => encryptionFromFlags({ 'encryption-provider-config': file }),
    (e: unknown) =>
      e instanceof FlagError &&
      e.message ===
        `error while parsing encryption provider configuration file "${file}": error while parsing file: resources: Required value: at least one resources is required`,
  );
  writeFileSync(
    file,
    'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers: [{identity: {}}]\n',
  );
  const store = await openSqliteStore(':memory:', { compaction: false });
  const wrapped = encryptionFromFlags({ 'encryption-provider-config': file }).wrap(store);
  assert.ok(wrapped instanceof TransformingStore);
  await wrapped.close();
});
