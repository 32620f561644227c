/**
 * TransformingStore over a real SqliteStore: the Store contract still holds with every value
 * encrypted, the raw rows never hold the plaintext, and stale values are reported for rewrite.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseEncryptionConfig, type EncryptionConfig } from './encryption-config.js';
import { collector, storeContractSuite } from './contract.test-suite.js';
import { openSqliteStore } from './sqlite.js';
import { TransformingStore } from './transformer.js';

const key = (name: string, secret: Buffer) => `{name: ${name}, secret: ${secret.toString('base64')}}`;
const config = (keys: string[], resources = '["*.*"]'): EncryptionConfig =>
  parseEncryptionConfig(`apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ${resources}
    providers:
      - aesgcm: {keys: [${keys.join(', ')}]}
`);
const k1 = randomBytes(32);
const k2 = randomBytes(16);
const everything = () => ({ group: '', resource: 'secrets' });

storeContractSuite('TransformingStore(aesgcm) over sqlite :memory:', async () => {
  const c = config([key('key1', k1)]);
  return new TransformingStore(await openSqliteStore(':memory:', { compaction: false }), everything, () => c);
});

test('raw values are encrypted; reads, ranges, deletes and watch events are decrypted', async () => {
  const raw = await openSqliteStore(':memory:', { compaction: false });
  const c = config([key('key1', k1)]);
  const s = new TransformingStore(raw, everything, () => c);
  const col = collector();
  const w = s.watch('/registry/', { onEvents: col.onEvents, onError: col.onError });
  const created = await s.create('/registry/secrets/ns/a', Buffer.from('hunter2'));
  assert.equal(Buffer.from(created.value).toString(), 'hunter2');
  const stored = await raw.get('/registry/secrets/ns/a');
  assert.ok(Buffer.from(stored!.value).toString('latin1').startsWith('k8s:enc:aesgcm:v1:key1:'));
  assert.ok(!Buffer.from(stored!.value).includes('hunter2'));
  assert.equal(Buffer.from((await s.get('/registry/secrets/ns/a'))!.value).toString(), 'hunter2');
  const r = await s.range('/registry/secrets/');
  assert.equal(Buffer.from(r.kvs[0].value).toString(), 'hunter2');
  await s.update('/registry/secrets/ns/a', Buffer.from('hunter3'), created.modRevision);
  const d = await s.delete('/registry/secrets/ns/a');
  assert.equal(Buffer.from(d.prev.value).toString(), 'hunter3');
  await col.next(3);
  assert.deepEqual(
    col.events.map((e) => [
      e.type,
      Buffer.from(e.kv.value).toString(),
      e.prevKv && Buffer.from(e.prevKv.value).toString(),
    ]),
    [
      ['PUT', 'hunter2', undefined],
      ['PUT', 'hunter3', 'hunter2'],
      ['DELETE', 'hunter3', 'hunter3'],
    ],
  );
  w.cancel();
  await s.close();
});

test('keys of resources the configuration does not name are stored as is', async () => {
  const raw = await openSqliteStore(':memory:', { compaction: false });
  const c = config([key('key1', k1)], '[secrets]');
  const s = new TransformingStore(
    raw,
    (k) => ({ group: '', resource: k.split('/')[2] }),
    () => c,
  );
  await s.create('/registry/configmaps/ns/a', Buffer.from('plain'));
  assert.equal(Buffer.from((await raw.get('/registry/configmaps/ns/a'))!.value).toString(), 'plain');
  await s.close();
});

test('rotation: needsRewrite after key2 becomes first; a rewrite moves the value to key2', async () => {
  const raw = await openSqliteStore(':memory:', { compaction: false });
  let c = config([key('key1', k1)]);
  const s = new TransformingStore(raw, everything, () => c);
  const kv = await s.create('/registry/secrets/ns/a', Buffer.from('v'));
  assert.equal(await s.needsRewrite(kv.key, kv.modRevision), false);
  c = config([key('key2', k2), key('key1', k1)]);
  assert.equal(Buffer.from((await s.get(kv.key))!.value).toString(), 'v');
  assert.equal(await s.needsRewrite(kv.key, kv.modRevision), true);
  const next = await s.update(kv.key, Buffer.from('v'), kv.modRevision);
  assert.ok(
    Buffer.from((await raw.get(kv.key))!.value)
      .toString('latin1')
      .startsWith('k8s:enc:aesgcm:v1:key2:'),
  );
  assert.equal(await s.needsRewrite(kv.key, next.modRevision), false);
  // Without key1 the old data cannot be read any more: an error, never the ciphertext.
  c = config([key('key3', randomBytes(32))]);
  await assert.rejects(
    s.get(kv.key),
    /unable to transform key "\/registry\/secrets\/ns\/a": no matching prefix found/,
  );
  await s.close();
});
