/**
 * TransformingStore over a real etcd (Debian's /usr/bin/etcd) under a custom --etcd-prefix: the
 * raw etcd value is `k8s:enc:aesgcm:v1:key1:` ciphertext whose authenticated data is the etcd key
 * itself (upstream storage/etcd3's AAD), and reads/watches come back decrypted.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { resourceOfKey } from '../cli/serve-encryption.js';
import { collector } from './contract.test-suite.js';
import { parseEncryptionConfig } from './encryption-config.js';
import { startReadyEtcd, type EtcdServer } from './etcd-server.test-util.js';
import { openEtcdStore } from './etcd.js';
import { TransformingStore } from './transformer.js';
import { aesGcm, PrefixTransformers } from './value-transformers.js';

let etcd: EtcdServer;
before(async () => {
  etcd = await startReadyEtcd();
});
after(() => etcd?.stop());

test('etcd: secrets encrypted with the prefixed etcd key as authenticated data', async () => {
  const secret = randomBytes(32);
  const c = parseEncryptionConfig(`apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aesgcm: {keys: [{name: key1, secret: ${secret.toString('base64')}}]}
`);
  const inner = await openEtcdStore({ servers: [etcd.url], prefix: '/custom', compaction: false });
  const s = new TransformingStore(
    inner,
    resourceOfKey,
    () => c,
    (k) => '/custom' + k.slice('/registry'.length),
  );
  const raw = new Etcd3({ hosts: [etcd.url] });
  const col = collector();
  const w = s.watch('/registry/secrets/', { onEvents: col.onEvents, onError: col.onError });
  try {
    await s.create('/registry/secrets/ns/a', Buffer.from('hunter2'));
    await s.create('/registry/configmaps/ns/a', Buffer.from('plain'));
    const stored = (await raw.get('/custom/secrets/ns/a').buffer())!;
    assert.ok(stored.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key1:'));
    assert.ok(!stored.includes('hunter2'));
    assert.equal(await raw.get('/custom/configmaps/ns/a').string(), 'plain');
    const t = new PrefixTransformers([aesGcm('key1', secret)]);
    assert.equal(t.fromStorage(stored, '/custom/secrets/ns/a').data.toString(), 'hunter2');
    assert.throws(() => t.fromStorage(stored, '/registry/secrets/ns/a'));
    assert.equal(Buffer.from((await s.get('/registry/secrets/ns/a'))!.value).toString(), 'hunter2');
    await col.next(1);
    assert.equal(Buffer.from(col.events[0].kv.value).toString(), 'hunter2');
  } finally {
    w.cancel();
    raw.close();
    await s.close();
  }
});
