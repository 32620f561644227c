/**
 * @module pki/csr-verify
 *
 * Synchronous parsing and self-signature check of a PEM certificate request, as the API server's
 * validation does at every write (pkg/apis/certificates/validation/validation.go `validateCSR`:
 * `certificates.ParseCSR` then `csr.CheckSignature()`). Synchronous so that it runs inside the
 * registry's validators; the signature is checked with node:crypto over the request's own
 * `certificationRequestInfo` bytes (sliced from the DER, never re-encoded).
 *
 * Error texts are Go's: `PEM block type must be CERTIFICATE REQUEST` (pkg/apis/certificates
 * helpers.go ParseCSR), `crypto/rsa: verification error` (rsa.ErrVerification),
 * `x509: ECDSA verification failure`, `x509: Ed25519 verification failure` and
 * `x509: cannot verify signature: algorithm unimplemented` (crypto/x509 checkSignature).
 * Deliberate difference: a DER that does not parse gives `x509: malformed certificate request`
 * rather than Go's encoding/asn1 error detail (`asn1: structure error: ...`).
 */
import 'reflect-metadata';
import { constants, createPublicKey, verify } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export const PEM_TYPE_ERROR = 'PEM block type must be CERTIFICATE REQUEST';
export const MALFORMED_ERROR = 'x509: malformed certificate request';

/** The first PEM block as Go's pem.Decode finds it, or undefined when there is none. */
export function firstPemBlock(text: string): { type: string; der: Buffer } | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2]!;
  // Go's pem.Decode refuses a block with headers it cannot read or bad base64; headers
  // (`Key: value` lines) are skipped like Go does.
  const lines = body.split(/\r?\n/).filter((l) => l !== '' && !l.includes(':'));
  const b64 = lines.join('');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return undefined;
  return { type: m[1]!, der: Buffer.from(b64, 'base64') };
}

/** Header length and content length of the DER element at `off`, or undefined when malformed. */
function derElement(buf: Buffer, off: number): { header: number; length: number } | undefined {
  if (off + 2 > buf.length) return undefined;
  const first = buf[off + 1]!;
  if (first < 0x80) return { header: 2, length: first };
  const n = first & 0x7f;
  if (n === 0 || n > 4 || off + 2 + n > buf.length) return undefined;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + buf[off + 2 + i]!;
  return { header: 2 + n, length };
}

/** The raw certificationRequestInfo and the signature bits of a CSR's DER. */
function splitCsr(der: Buffer): { tbs: Buffer; signature: Buffer } | undefined {
  const outer = derElement(der, 0);
  if (!outer || der[0] !== 0x30 || outer.header + outer.length !== der.length) return undefined;
  let off = outer.header;
  const info = derElement(der, off);
  if (!info || der[off] !== 0x30) return undefined;
  const tbs = der.subarray(off, off + info.header + info.length);
  off += info.header + info.length;
  const alg = derElement(der, off);
  if (!alg || der[off] !== 0x30) return undefined;
  off += alg.header + alg.length;
  const sig = derElement(der, off);
  if (!sig || der[off] !== 0x03 || sig.length < 1) return undefined;
  const bits = der.subarray(off + sig.header, off + sig.header + sig.length);
  if (bits.length !== sig.length || bits[0] !== 0) return undefined;
  return { tbs, signature: bits.subarray(1) };
}

const HASHES: Record<string, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** A request parsed and checked: its library object, for subject and extension reads. */
export interface CheckedCsr {
  csr: x509.Pkcs10CertificateRequest;
}

/**
 * Parses `pem` (the decoded `spec.request`) and verifies its self-signature. Returns the parsed
 * request, or the Go error text of the first problem.
 */
export function checkCsr(pem: string): CheckResult {
  const hit = memo.get(pem);
  if (hit) return hit;
  const r = checkUncached(pem);
  memo.set(pem, r);
  if (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
  return r;
}

type CheckResult = { ok: true; value: CheckedCsr } | { ok: false; error: string };

/**
 * Results by request text. A CSR's spec never changes after create, yet validation checks the
 * request at every write (create, approval, status: upstream's `validateCSR` runs each time), and
 * the CertificateSubjectRestriction admission reads it too: the parse and the signature check
 * (~0.7 ms of the event loop) are done once per request. Requests are public data (no secret is
 * kept by keying on them); the memo is bounded, oldest first out.
 */
const memo = new Map<string, CheckResult>();
const MEMO_ENTRIES = 1024;

function checkUncached(pem: string): CheckResult {
  const block = firstPemBlock(pem);
  if (!block || block.type !== 'CERTIFICATE REQUEST') return { ok: false, error: PEM_TYPE_ERROR };
  const parts = splitCsr(block.der);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    if (!parts) throw new Error('malformed');
    csr = new x509.Pkcs10CertificateRequest(block.der);
  } catch {
    return { ok: false, error: MALFORMED_ERROR };
  }
  let alg: { name: string; hash?: { name: string } };
  let key;
  try {
    alg = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
    key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    return { ok: false, error: 'x509: cannot verify signature: algorithm unimplemented' };
  }
  const hash = alg.hash ? HASHES[alg.hash.name] : undefined;
  const { tbs, signature } = parts!;
  const check = (fn: () => boolean): boolean => {
    try {
      return fn();
    } catch {
      return false;
    }
  };
  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5':
      if (!hash) break;
      return check(() => verify(hash, tbs, key, signature))
        ? { ok: true, value: { csr } }
        : { ok: false, error: 'crypto/rsa: verification error' };
    case 'RSA-PSS':
      if (!hash) break;
      return check(() =>
        verify(
          hash,
          tbs,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        ),
      )
        ? { ok: true, value: { csr } }
        : { ok: false, error: 'crypto/rsa: verification error' };
    case 'ECDSA':
      if (!hash) break;
      return check(() => verify(hash, tbs, key, signature))
        ? { ok: true, value: { csr } }
        : { ok: false, error: 'x509: ECDSA verification failure' };
    case 'Ed25519':
      return check(() => verify(null, tbs, key, signature))
        ? { ok: true, value: { csr } }
        : { ok: false, error: 'x509: Ed25519 verification failure' };
  }
  return { ok: false, error: 'x509: cannot verify signature: algorithm unimplemented' };
}
