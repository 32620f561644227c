/**
 * x509 client-certificate authentication, after
 * k8s.io/apiserver/pkg/authentication/request/x509/x509.go with CommonNameUserConversion:
 * the chain must verify against --client-ca-file with the ClientAuth key usage; user = subject CN,
 * groups = subject O values in order, extra authentication.kubernetes.io/credential-id =
 * X509SHA256=<hex sha256 of the leaf>. A certificate that fails verification is an error (401),
 * never anonymous. An empty CN is "not mine".
 *
 * Verification (signatures, issuer chain) is done once per TLS connection and cached; the validity
 * window is re-checked on every request because connections outlive certificates.
 */
import { X509Certificate, createHash } from 'node:crypto';
import 'reflect-metadata';
import * as px509 from '@peculiar/x509';
import type { AuthRequest, AuthResult, RequestAuthenticator, UserInfo } from './interfaces.js';

const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const OID_ANY_EKU = '2.5.29.37.0';

interface Verified {
  user?: UserInfo;
  error?: Error;
  notBefore: number;
  notAfter: number;
  leaf: X509Certificate;
}

/** Go renders time.Time in x509 errors as RFC3339. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function colonHex(hex: string | undefined): string {
  if (!hex) return '';
  return (
    hex
      .replace(/:/g, '')
      .toUpperCase()
      .match(/.{1,2}/g)
      ?.join(':') ?? ''
  );
}

function decimalSerial(hexSerial: string): string {
  return BigInt('0x' + hexSerial).toString(10);
}

/** Subject and authority key identifiers (hex), read with @peculiar/x509 on the error path only. */
function keyIds(cert: X509Certificate): { skid: string; akid: string } {
  try {
    const c = new px509.X509Certificate(cert.raw);
    const s = c.getExtension(px509.SubjectKeyIdentifierExtension);
    const a = c.getExtension(px509.AuthorityKeyIdentifierExtension);
    return { skid: s?.keyId ?? '', akid: a?.keyId ?? '' };
  } catch {
    return { skid: '', akid: '' };
  }
}

export interface X509Options {
  /** PEM bundle of trusted client CAs (--client-ca-file). */
  caPem: string;
  now?: () => number;
}

export class X509Authenticator implements RequestAuthenticator {
  private roots: X509Certificate[];
  private cache = new WeakMap<object, Verified>();
  private readonly now: () => number;

  constructor(opts: X509Options) {
    this.roots = splitPem(opts.caPem).map((p) => new X509Certificate(p));
    this.now = opts.now ?? Date.now;
  }

  /** A reloaded --client-ca-file: later requests verify against it (per-connection results dropped). */
  setCaPem(caPem: string): void {
    this.roots = splitPem(caPem).map((p) => new X509Certificate(p));
    this.cache = new WeakMap();
  }

  authenticate(req: AuthRequest): AuthResult {
    const peer = req.peerCertificates?.();
    if (!peer || peer.chain.length === 0) return { ok: false };
    let v = this.cache.get(peer.connection);
    if (!v) {
      v = this.verifyChain(peer.chain);
      this.cache.set(peer.connection, v);
    }
    if (v.error) return { ok: false, error: v.error };
    const now = this.now();
    if (now < v.notBefore || now > v.notAfter) {
      const detail =
        now > v.notAfter
          ? `current time ${rfc3339(now)} is after ${rfc3339(v.notAfter)}`
          : `current time ${rfc3339(now)} is before ${rfc3339(v.notBefore)}`;
      return {
        ok: false,
        error: this.failure(v.leaf, `x509: certificate has expired or is not yet valid: ${detail}`),
      };
    }
    if (!v.user) return { ok: false };
    return { ok: true, response: { user: v.user } };
  }

  private failure(leaf: X509Certificate, msg: string): Error {
    const ids = keyIds(leaf);
    return new Error(
      `verifying certificate SN=${decimalSerial(leaf.serialNumber)}, SKID=${colonHex(ids.skid)}, AKID=${colonHex(ids.akid)} failed: ${msg}`,
    );
  }

  private verifyChain(chainDer: Buffer[]): Verified {
    const certs = chainDer.map((d) => new X509Certificate(d));
    const leaf = certs[0];
    const base = { leaf, notBefore: Date.parse(leaf.validFrom), notAfter: Date.parse(leaf.validTo) };
    const eku = leaf.keyUsage;
    if (eku && eku.length > 0 && !eku.includes(OID_CLIENT_AUTH) && !eku.includes(OID_ANY_EKU)) {
      return { ...base, error: this.failure(leaf, 'x509: certificate specifies an incompatible key usage') };
    }
    if (!this.chainsToRoot(leaf, certs.slice(1), 0)) {
      return { ...base, error: this.failure(leaf, 'x509: certificate signed by unknown authority') };
    }
    // Read CN and O from the DER subject: multi-valued RDNs (O=a + O=b, as Go writes several
    // organizations) are not reliably split from node's text form.
    const subject = new px509.X509Certificate(leaf.raw).subjectName;
    const cn = subject.getField('CN')[0] ?? '';
    if (cn === '') return base;
    const id = createHash('sha256').update(leaf.raw).digest('hex');
    const user: UserInfo = Object.freeze({
      name: cn,
      uid: '',
      groups: subject.getField('O'),
      extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${id}`] },
    });
    return { ...base, user };
  }

  private chainsToRoot(cert: X509Certificate, intermediates: X509Certificate[], depth: number): boolean {
    if (depth > 8) return false;
    for (const root of this.roots) {
      if (cert.checkIssued(root) && safeVerify(cert, root) && withinValidity(root, this.now())) return true;
    }
    for (const mid of intermediates) {
      if (mid.ca && cert.checkIssued(mid) && safeVerify(cert, mid) && withinValidity(mid, this.now())) {
        if (
          this.chainsToRoot(
            mid,
            intermediates.filter((m) => m !== mid),
            depth + 1,
          )
        )
          return true;
      }
    }
    return false;
  }
}

function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function withinValidity(c: X509Certificate, now: number): boolean {
  return now >= Date.parse(c.validFrom) && now <= Date.parse(c.validTo);
}

export function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
