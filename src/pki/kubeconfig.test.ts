/** Unit tests for pki/kubeconfig: kubeadm shape, YAML round trip, credentials, issuing and writing. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRsaKeyPair, keyMatches, keyPool, type KeyPair } from './keys.js';
import { createSelfSignedCa, inspectCertificate, isSignedBy, type CertAndKey } from './cert.js';
import {
  buildKubeconfig,
  currentCredentials,
  issueClientKubeconfig,
  KubeconfigError,
  parseKubeconfig,
  serializeKubeconfig,
  writeClientKubeconfig,
} from './kubeconfig.js';

let keys: KeyPair[];
let ca: CertAndKey;

before(async () => {
  keys = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: keys[0] });
});

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('serializes in kubeadm/client-go shape and key order', () => {
  const kc = buildKubeconfig({
    server: 'https://127.0.0.1:6443',
    caCertPem: 'CA',
    userName: 'kubernetes-admin',
    clientCertPem: 'CERT',
    clientKeyPem: 'KEY',
  });
  assert.equal(
    serializeKubeconfig(kc),
    [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${b64('CA')}`,
      '    server: https://127.0.0.1:6443',
      '  name: kubernetes',
      'contexts:',
      '- context:',
      '    cluster: kubernetes',
      '    user: kubernetes-admin',
      '  name: kubernetes-admin@kubernetes',
      'current-context: kubernetes-admin@kubernetes',
      'kind: Config',
      'preferences: {}',
      'users:',
      '- name: kubernetes-admin',
      '  user:',
      `    client-certificate-data: ${b64('CERT')}`,
      `    client-key-data: ${b64('KEY')}`,
      '',
    ].join('\n'),
  );
});

test('parse(serialize(x)) round-trips and currentCredentials decodes the PEMs', () => {
  const kc = buildKubeconfig({
    server: 'https://10.0.0.1:6443',
    caCertPem: ca.certPem,
    userName: 'alice',
    clientCertPem: 'C',
    clientKeyPem: 'K',
    clusterName: 'prod',
  });
  const back = parseKubeconfig(serializeKubeconfig(kc));
  assert.deepEqual(back, kc);
  const cred = currentCredentials(back);
  assert.equal(cred.contextName, 'alice@prod');
  assert.equal(cred.server, 'https://10.0.0.1:6443');
  assert.equal(cred.caCertPem, ca.certPem);
  assert.equal(cred.clientCertPem, 'C');
  assert.equal(cred.clientKeyPem, 'K');
});

test('parse accepts the seed-style file (contexts named admin@kubernetes) and rejects non-configs', () => {
  const seed = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${b64('X')}
    server: https://13.125.59.233:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: admin
  name: admin@kubernetes
current-context: admin@kubernetes
kind: Config
preferences: {}
users:
- name: admin
  user:
    client-certificate-data: ${b64('Y')}
    client-key-data: ${b64('Z')}
`;
  const cred = currentCredentials(parseKubeconfig(seed));
  assert.equal(cred.userName, 'admin');
  assert.equal(cred.server, 'https://13.125.59.233:6443');
  assert.equal(cred.clientKeyPem, 'Z');
  assert.throws(() => parseKubeconfig('kind: Pod\n'), KubeconfigError);
  assert.throws(() => parseKubeconfig('clusters: 3\n'), KubeconfigError);
  assert.throws(() => parseKubeconfig(': : :\n  - ['), KubeconfigError);
  assert.throws(() => currentCredentials(parseKubeconfig('current-context: nope\n')), /not found/);
});

test('issueClientKubeconfig: CN=user, O=groups, clientAuth, signed by the CA, key matches', async () => {
  const out = await issueClientKubeconfig({
    ca,
    user: 'alice',
    groups: ['dev', 'ops'],
    server: 'https://127.0.0.1:6443',
    generateKey: keyPool([keys[1]]),
  });
  const cred = currentCredentials(parseKubeconfig(out.yaml));
  const info = inspectCertificate(cred.clientCertPem!);
  assert.equal(info.commonName, 'alice');
  assert.deepEqual(info.organizations, ['dev', 'ops']);
  assert.deepEqual(info.extKeyUsages, ['1.3.6.1.5.5.7.3.2']);
  assert.ok(isSignedBy(cred.clientCertPem!, ca.certPem));
  assert.ok(keyMatches(cred.clientKeyPem!, cred.clientCertPem!));
  assert.equal(cred.caCertPem, ca.certPem);
});

test('writeClientKubeconfig creates the file 0600, reading the CA from a data dir', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubeauth-kc-'));
  try {
    const { writeNewFile } = await import('./files.js');
    await writeNewFile(join(dir, 'pki', 'ca.crt'), ca.certPem, 0o644);
    await writeNewFile(join(dir, 'pki', 'ca.key'), ca.keyPem, 0o600);
    const path = join(dir, 'alice.conf');
    await writeClientKubeconfig({
      dataDir: dir,
      user: 'alice',
      server: 'https://x:6443',
      path,
      generateKey: keyPool([keys[1]]),
    });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const cred = currentCredentials(parseKubeconfig(await readFile(path, 'utf8')));
    assert.equal(inspectCertificate(cred.clientCertPem!).commonName, 'alice');
    assert.deepEqual(inspectCertificate(cred.clientCertPem!).organizations, []);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
