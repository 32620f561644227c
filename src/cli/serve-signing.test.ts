/**
 * The CSR signer flags (cmd/kube-controller-manager/app/options/csrsigningcontroller.go Validate
 * and app/certificates.go): one CA for all signers, or one per signer and then only those signers;
 * the two forms exclude each other; a pair must be whole; a key that is not the certificate's, or a
 * missing file, refuses start-up.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSelfSignedCa, type CertAndKey } from '../pki/cert.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import { FlagError } from './flags.js';
import { signerCasFromFlags } from './serve-signing.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-signing-'));
let cluster: CertAndKey;
let other: CertAndKey;
const file = (name: string, body: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, body, { mode: 0o600 });
  return p;
};

before(async () => {
  const [a, b] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  cluster = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: a });
  other = await createSelfSignedCa({ commonName: 'legacy-ca', keyPair: b });
  file('other.crt', other.certPem);
  file('other.key', other.keyPem);
  file('cluster.key', cluster.keyPem);
});

const SIGNERS = [
  'kubernetes.io/kubelet-serving',
  'kubernetes.io/kube-apiserver-client-kubelet',
  'kubernetes.io/kube-apiserver-client',
  'kubernetes.io/legacy-unknown',
];
const clusterFiles = () => ({
  ...cluster,
  certPath: path.join(dir, 'cluster.crt'),
  keyPath: path.join(dir, 'cluster.key'),
});

const refuses = (f: Record<string, string>, message: string | RegExp) =>
  assert.throws(
    () => signerCasFromFlags(f, clusterFiles()),
    (e: unknown) =>
      e instanceof FlagError &&
      (typeof message === 'string' ? e.message === message : message.test(e.message)),
  );

test('no flags: the cluster CA signs for every signer, followed in pki/ca.*', () => {
  const cas = signerCasFromFlags({}, clusterFiles());
  assert.deepEqual(Object.keys(cas).sort(), [...SIGNERS].sort());
  for (const s of SIGNERS) {
    assert.deepEqual(cas[s]!.ca, { certPem: cluster.certPem, keyPem: cluster.keyPem });
    assert.equal(cas[s]!.certFile, path.join(dir, 'cluster.crt'));
    assert.equal(cas[s], cas[SIGNERS[0]]); // one CA, one reloading source
  }
});

test('--cluster-signing-{cert,key}-file: that CA for every signer', () => {
  const cas = signerCasFromFlags(
    {
      'cluster-signing-cert-file': path.join(dir, 'other.crt'),
      'cluster-signing-key-file': path.join(dir, 'other.key'),
    },
    clusterFiles(),
  );
  for (const s of SIGNERS) {
    assert.deepEqual(cas[s]!.ca, other);
    assert.equal(cas[s]!.keyFile, path.join(dir, 'other.key'));
  }
});

test('per-signer files: only the signers given', () => {
  const cas = signerCasFromFlags(
    {
      'cluster-signing-legacy-unknown-cert-file': path.join(dir, 'other.crt'),
      'cluster-signing-legacy-unknown-key-file': path.join(dir, 'other.key'),
    },
    clusterFiles(),
  );
  assert.deepEqual(Object.keys(cas), ['kubernetes.io/legacy-unknown']);
  assert.deepEqual(cas['kubernetes.io/legacy-unknown']!.ca, other);
});

test('refusals', () => {
  refuses(
    {
      'cluster-signing-cert-file': path.join(dir, 'other.crt'),
      'cluster-signing-key-file': path.join(dir, 'other.key'),
      'cluster-signing-legacy-unknown-cert-file': path.join(dir, 'other.crt'),
      'cluster-signing-legacy-unknown-key-file': path.join(dir, 'other.key'),
    },
    'cannot specify --cluster-signing-{cert,key}-file and other --cluster-signing-*-file flags at the same time',
  );
  refuses(
    { 'cluster-signing-legacy-unknown-cert-file': path.join(dir, 'other.crt') },
    '"cluster-signing-legacy-unknown": cannot specify cert without key',
  );
  refuses(
    { 'cluster-signing-kubelet-serving-key-file': path.join(dir, 'other.key') },
    '"cluster-signing-kubelet-serving": cannot specify key without cert',
  );
  refuses(
    {
      'cluster-signing-legacy-unknown-cert-file': path.join(dir, 'other.crt'),
      'cluster-signing-legacy-unknown-key-file': path.join(dir, 'cluster.key'),
    },
    '--cluster-signing-legacy-unknown-cert-file: tls: private key does not match public key',
  );
  refuses(
    {
      'cluster-signing-cert-file': path.join(dir, 'missing.crt'),
      'cluster-signing-key-file': path.join(dir, 'other.key'),
    },
    /^--cluster-signing-cert-file: ENOENT/,
  );
});
