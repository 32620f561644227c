/**
 * v1beta1 CertificateSigningRequests: the defaults of pkg/apis/certificates/v1beta1/defaults.go
 * (TestSetDefaultCertificateSigningRequestSpec / DefaultSignerNameFromSpec rows) applied when a
 * v1beta1 body becomes v1, and v1 -> v1beta1 as a rename.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCsr } from '../../pki/csr.js';
import { generateRsaKeyPair } from '../../pki/keys.js';
import { convertCsr, defaultSignerName } from './convert.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
let user = '';
let kubeletClient = '';
let kubeletServing = '';

before(async () => {
  const { privateKeyPem } = await generateRsaKeyPair();
  user = b64(await createCsr({ commonName: 'users:ziwon', organizations: ['cloud-native'], privateKeyPem }));
  kubeletClient = b64(
    await createCsr({ commonName: 'system:node:n1', organizations: ['system:nodes'], privateKeyPem }),
  );
  kubeletServing = b64(
    await createCsr({
      commonName: 'system:node:n1',
      organizations: ['system:nodes'],
      altNames: { dnsNames: ['n1'] },
      privateKeyPem,
    }),
  );
});

test('DefaultSignerNameFromSpec', () => {
  const rows: [string, string, string[], string][] = [
    [
      'a user',
      user,
      ['digital signature', 'key encipherment', 'client auth'],
      'kubernetes.io/legacy-unknown',
    ],
    [
      'a kubelet client',
      kubeletClient,
      ['digital signature', 'key encipherment', 'client auth'],
      'kubernetes.io/kube-apiserver-client-kubelet',
    ],
    [
      'a kubelet client without RSA usage',
      kubeletClient,
      ['digital signature', 'client auth'],
      'kubernetes.io/kube-apiserver-client-kubelet',
    ],
    [
      'kubelet client subject, server usages',
      kubeletClient,
      ['digital signature', 'server auth'],
      'kubernetes.io/legacy-unknown',
    ],
    [
      'a kubelet serving',
      kubeletServing,
      ['digital signature', 'key encipherment', 'server auth'],
      'kubernetes.io/kubelet-serving',
    ],
    ['not a CSR', b64('junk'), ['client auth'], 'kubernetes.io/legacy-unknown'],
  ];
  for (const [name, req, usages, want] of rows) assert.equal(defaultSignerName(req, usages), want, name);
  assert.equal(defaultSignerName(undefined, []), 'kubernetes.io/legacy-unknown');
});

test('v1beta1 -> v1: usages, signerName and condition status defaulted; the input untouched', () => {
  const beta = {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'n' },
    spec: { request: kubeletClient, groups: ['system:authenticated'] },
    status: { conditions: [{ type: 'Approved', reason: 'r' }] },
  };
  const before = JSON.stringify(beta);
  const v1 = convertCsr(beta, 'v1');
  assert.equal(JSON.stringify(beta), before);
  assert.equal(v1.apiVersion, 'certificates.k8s.io/v1');
  assert.deepEqual(v1.spec, {
    request: kubeletClient,
    // The defaulted usages have no `client auth`, so not a kubelet client request: usages are
    // defaulted before the signer name (SetDefaults_CertificateSigningRequestSpec).
    signerName: 'kubernetes.io/legacy-unknown',
    usages: ['digital signature', 'key encipherment'],
    groups: ['system:authenticated'],
  });
  const kubelet = convertCsr(
    { ...beta, spec: { request: kubeletClient, usages: ['digital signature', 'client auth'] } },
    'v1',
  );
  assert.equal(
    (kubelet.spec as { signerName: string }).signerName,
    'kubernetes.io/kube-apiserver-client-kubelet',
  );
  // Go field order in the output (request, signerName, ..., usages, ..., groups).
  assert.deepEqual(Object.keys(v1.spec as object), ['request', 'signerName', 'usages', 'groups']);
  assert.deepEqual((v1.status as { conditions: unknown[] }).conditions, [
    { type: 'Approved', status: 'True', reason: 'r' },
  ]);
  // An explicit signerName and usages are kept (only nil is defaulted).
  const explicit = convertCsr(
    { ...beta, spec: { request: user, signerName: 'example.com/x', usages: ['client auth'] } },
    'v1',
  );
  assert.deepEqual(explicit.spec, { request: user, signerName: 'example.com/x', usages: ['client auth'] });
});

test('v1 -> v1beta1 renames; the same version is the identity', () => {
  const v1 = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'n' },
    spec: { request: user, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] },
  };
  const beta = convertCsr(v1, 'v1beta1');
  assert.deepEqual(beta, { ...v1, apiVersion: 'certificates.k8s.io/v1beta1' });
  assert.deepEqual(Object.keys(beta), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.equal(convertCsr(v1, 'v1'), v1);
});
