/**
 * checkCsr against requests made by openssl (RSA, RSA-PSS, ECDSA, Ed25519): good ones verify,
 * a flipped bit in the subject gives Go's CheckSignature error of the key type, and what is not
 * a CSR gives ParseCSR's text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCsr, firstPemBlock } from './csr-verify.js';

/** A CSR for CN=users:ziwon made by openssl with the given key options. */
function opensslCsr(keyArgs: string[], reqArgs: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'csr-verify-'));
  try {
    execFileSync('openssl', ['genpkey', ...keyArgs, '-out', join(dir, 'k.pem')], { stdio: 'ignore' });
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-key',
        join(dir, 'k.pem'),
        '-subj',
        '/CN=users:ziwon/O=cloud-native',
        '-out',
        join(dir, 'r.csr'),
        ...reqArgs,
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(join(dir, 'r.csr'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same PEM with one bit of the subject's CN flipped. */
function tamper(pem: string): string {
  const der = firstPemBlock(pem)!.der;
  const at = der.indexOf(Buffer.from('ziwon'));
  der[at] = der[at]! ^ 1;
  return `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
}

const kinds: [string, string[], string[], string][] = [
  ['RSA', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], [], 'crypto/rsa: verification error'],
  [
    'RSA-PSS signature',
    ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    ['-sigopt', 'rsa_padding_mode:pss', '-sha256'],
    'crypto/rsa: verification error',
  ],
  [
    'ECDSA P-256',
    ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
    [],
    'x509: ECDSA verification failure',
  ],
  ['Ed25519', ['-algorithm', 'ED25519'], [], 'x509: Ed25519 verification failure'],
];

for (const [name, keyArgs, reqArgs, tamperedError] of kinds) {
  test(`${name}: verifies; tampered gives ${JSON.stringify(tamperedError)}`, () => {
    const pem = opensslCsr(keyArgs, reqArgs);
    const ok = checkCsr(pem);
    assert.equal(ok.ok, true, JSON.stringify(ok));
    if (ok.ok) assert.equal(ok.value.csr.subjectName.getField('CN')[0], 'users:ziwon');
    assert.deepEqual(checkCsr(tamper(pem)), { ok: false, error: tamperedError });
  });
}

test('not a CSR', () => {
  const type = { ok: false, error: 'PEM block type must be CERTIFICATE REQUEST' };
  assert.deepEqual(checkCsr(''), type);
  assert.deepEqual(checkCsr('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), type);
  assert.deepEqual(
    checkCsr('-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----\n'),
    type,
  );
  assert.deepEqual(
    checkCsr('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'),
    {
      ok: false,
      error: 'x509: malformed certificate request',
    },
  );
  // Trailing bytes after the DER are refused (Go: asn1 "trailing data").
  const pem = opensslCsr(['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  const der = Buffer.concat([firstPemBlock(pem)!.der, Buffer.from([0])]);
  assert.equal(
    checkCsr(
      `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`,
    ).ok,
    false,
  );
});
