/**
 * Encryption at rest on the etcd engine: `kubeauth serve --etcd-servers ... --etcd-prefix
 * /enc-e2e --encryption-provider-config` against a real etcd 3.4. The raw etcd value of the Secret
 * is `k8s:enc:aesgcm:v1:key1:` ciphertext bound to its etcd key (upstream's authenticated data),
 * with no trace of the plaintext; kubectl reads it back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '../../src/storage/etcd-server.test-util.js';
import { aesGcm, PrefixTransformers } from '../../src/storage/value-transformers.js';
import { startServer } from './harness.js';

let etcd: EtcdServer;
let dir: string;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-enc-etcd-'));
  etcd = await startEtcd();
});
after(async () => {
  await etcd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('etcd: the Secret is stored as k8s:enc:aesgcm:v1:key1: under --etcd-prefix', async () => {
  const secret = randomBytes(32);
  const cfg = path.join(dir, 'enc.yaml');
  writeFileSync(
    cfg,
    `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aesgcm: {keys: [{name: key1, secret: ${secret.toString('base64')}}]}
      - identity: {}
`,
    { mode: 0o600 },
  );
  const srv = await startServer({
    args: ['--etcd-servers', etcd.url, '--etcd-prefix', '/enc-e2e', '--encryption-provider-config', cfg],
  });
  const raw = new Etcd3({ hosts: [etcd.url] });
  try {
    const c = await srv.kubectl('1.33', [
      'create',
      'secret',
      'generic',
      's',
      '--from-literal=password=hunter2',
    ]);
    assert.equal(c.code, 0, c.stderr);
    const stored = (await raw.get('/enc-e2e/secrets/default/s').buffer())!;
    assert.ok(stored, 'the key exists in etcd');
    assert.ok(stored.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key1:'));
    assert.ok(!stored.includes('hunter2') && !stored.includes(Buffer.from('hunter2').toString('base64')));
    // The authenticated data is the etcd key, as a kube-apiserver with the same file expects.
    const plain = new PrefixTransformers([aesGcm('key1', secret)]).fromStorage(
      stored,
      '/enc-e2e/secrets/default/s',
    );
    assert.match(plain.data.toString(), /"password":"aHVudGVyMg=="/);
    const g = await srv.kubectl('1.33', ['get', 'secret', 's', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(g.stdout, 'base64').toString(), 'hunter2', g.stderr);
  } finally {
    raw.close();
    await srv.stop();
  }
});
