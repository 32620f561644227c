/**
 * CertificateSigningRequest validation, the rows of pkg/apis/certificates/validation/
 * validation_test.go (TestValidateCertificateSigningRequestCreate, TestValidateCertificateSigningRequestUpdate
 * and the status/approval variants) that kubeauth reproduces, checked as field.Error strings.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { createSelfSignedCa, type CertAndKey } from '../../pki/cert.js';
import { createCsr, signCsr } from '../../pki/csr.js';
import { generateRsaKeyPair } from '../../pki/keys.js';
import type { ValidationContext } from '../types.js';
import { validateCertificateSigningRequest } from './certificates.js';

let request = '';
let tampered = '';
let certificate = '';
let ca: CertAndKey;

before(async () => {
  const [caKeys, keys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = await createSelfSignedCa({ commonName: 'kubernetes', keyPair: caKeys });
  const pem = await createCsr({
    commonName: 'users:ziwon',
    organizations: ['cloud-native'],
    privateKeyPem: keys.privateKeyPem,
  });
  request = Buffer.from(pem).toString('base64');
  // One bit of the subject flipped: the DER still parses, the signature no longer matches.
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  const at = der.indexOf(Buffer.from('ziwon'));
  der[at] = der[at]! ^ 1;
  tampered = Buffer.from(
    `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
  ).toString('base64');
  const crt = await signCsr(pem, ca, { usages: ['client auth'] });
  certificate = Buffer.from(crt).toString('base64');
});

const csr = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'x' },
  spec: { request, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec },
  ...(status ? { status } : {}),
});
const v = (o: KubeObject, ctx: ValidationContext = {}) =>
  validateCertificateSigningRequest(o, ctx).map(fieldErrorString);
const approved = { type: 'Approved', status: 'True', reason: 'KubectlApprove' };
const denied = { type: 'Denied', status: 'True', reason: 'KubectlDeny' };

describe('create', () => {
  test('a valid request', () => assert.deepEqual(v(csr()), []));

  test('a tampered request: 422 with the signature error, the request shown as Go %#v of []byte', () => {
    const [e, ...rest] = v(csr({ request: tampered }));
    assert.deepEqual(rest, []);
    assert.match(e!, /^spec\.request: Invalid value: \[\]byte\{0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x42, 0x45, /);
    assert.match(e!, /\}: crypto\/rsa: verification error$/);
  });

  test('not a PEM CSR', () => {
    const bad = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const [e] = v(csr({ request: bad.toString('base64') }));
    assert.match(
      e!,
      /^spec\.request: Invalid value: \[\]byte\{0x2d, .*\}: PEM block type must be CERTIFICATE REQUEST$/,
    );
    assert.deepEqual(v(csr({ request: undefined })), [
      'spec.request: Invalid value: []byte(nil): PEM block type must be CERTIFICATE REQUEST',
    ]);
  });

  test('usages, signerName, expirationSeconds', () => {
    assert.deepEqual(
      v(
        csr({
          usages: ['client auth', 'bogus', 'client auth'],
          signerName: undefined,
          expirationSeconds: 599,
        }),
      ),
      [
        'spec.usages[1]: Unsupported value: "bogus": supported values: "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only", "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement", "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping"',
        'spec.usages[2]: Duplicate value: "client auth"',
        'spec.signerName: Required value',
        'spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
      ],
    );
    assert.deepEqual(v(csr({ usages: [] })), ['spec.usages: Required value']);
    assert.deepEqual(v(csr({ expirationSeconds: 600 })), []);
    assert.deepEqual(v(csr({ signerName: 'example' })), [
      `spec.signerName: Invalid value: "example": must be a fully qualified domain and path of the form 'example.com/signer-name'`,
    ]);
    assert.deepEqual(v(csr({ signerName: 'local/signer' })), [
      'spec.signerName: Invalid value: "local": should be a domain with at least two segments separated by dots',
    ]);
  });

  test('legacy-unknown: refused through v1, accepted through v1beta1', () => {
    const legacy = csr({ signerName: 'kubernetes.io/legacy-unknown' });
    assert.deepEqual(v(legacy, { version: 'v1' }), [
      'spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
    ]);
    assert.deepEqual(v(legacy, { version: 'v1beta1' }), []);
    // An update of a stored legacy-unknown CSR through v1 is fine (compatibility with existing data).
    assert.deepEqual(v(legacy, { version: 'v1', old: legacy }), []);
  });

  test('conditions', () => {
    assert.deepEqual(
      v(
        csr(
          {},
          {
            conditions: [
              { type: 'Approved', status: 'False' },
              { type: 'Denied', status: 'True' },
              { type: '', status: 'Maybe' },
              { type: 'Denied', status: '' },
            ],
          },
        ),
      ),
      [
        'status.conditions[0].status: Unsupported value: "False": supported values: "True"',
        'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
        'status.conditions[2].type: Required value',
        'status.conditions[2].status: Unsupported value: "Maybe": supported values: "False", "True", "Unknown"',
        'status.conditions[3].status: Required value',
        'status.conditions[3].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
        'status.conditions[3].type: Duplicate value: "Denied"',
      ],
    );
  });
});

describe('update', () => {
  test('main resource: conditions and certificate cannot be set', () => {
    const old = csr();
    assert.deepEqual(v(csr({}, { conditions: [approved] }), { old }), [
      'status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    ]);
    assert.deepEqual(v(csr({}, { certificate }), { old }), [
      'status.certificate: Forbidden: updates may not set certificate content',
    ]);
  });

  test('approval: Approved or Denied, never both; never removed', () => {
    const old = csr();
    assert.deepEqual(v(csr({}, { conditions: [approved] }), { old, subresource: 'approval' }), []);
    assert.deepEqual(v(csr({}, { conditions: [approved, denied] }), { old, subresource: 'approval' }), [
      'status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    ]);
    const wasApproved = csr({}, { conditions: [approved] });
    assert.deepEqual(v(csr({}, { conditions: [] }), { old: wasApproved, subresource: 'approval' }), [
      'status.conditions: Forbidden: updates may not remove a condition of type "Approved"',
    ]);
    assert.deepEqual(v(csr({}, { conditions: [approved], certificate }), { old, subresource: 'approval' }), [
      'status.certificate: Forbidden: updates may not set certificate content',
    ]);
  });

  test('status: certificate once, valid PEM; no Approved/Denied', () => {
    const old = csr({}, { conditions: [approved] });
    assert.deepEqual(v(csr({}, { conditions: [approved], certificate }), { old, subresource: 'status' }), []);
    const issued = csr({}, { conditions: [approved], certificate });
    assert.deepEqual(
      v(csr({}, { conditions: [approved], certificate: Buffer.from('x').toString('base64') }), {
        old: issued,
        subresource: 'status',
      }),
      [
        'status.certificate: Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block',
        'status.certificate: Forbidden: updates may not modify existing certificate content',
      ],
    );
    const pending = csr();
    assert.deepEqual(v(csr({}, { conditions: [approved] }), { old: pending, subresource: 'status' }), [
      'status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    ]);
    assert.deepEqual(
      v(csr({}, { conditions: [{ ...approved, reason: 'Other' }] }), { old, subresource: 'status' }),
      ['status.conditions: Forbidden: updates may not modify a condition of type "Approved"'],
    );
    assert.deepEqual(
      v(csr({}, { conditions: [approved, { type: 'Failed', status: 'True' }] }), {
        old,
        subresource: 'status',
      }),
      [],
    );
    const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    assert.deepEqual(
      v(csr({}, { conditions: [approved], certificate: key.toString('base64') }), {
        old,
        subresource: 'status',
      }),
      [
        'status.certificate: Invalid value: "<certificate data>": only CERTIFICATE PEM blocks are allowed, found "PRIVATE KEY"',
      ],
    );
  });
});
