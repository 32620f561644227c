/**
 * @module pki/cert
 *
 * Issues X.509 certificates the way kubeadm's pkiutil does (`cmd/kubeadm/app/util/pkiutil/
 * pki_helpers.go`, `client-go/util/cert`): self-signed CAs (BasicConstraints CA:TRUE critical,
 * KeyUsage digitalSignature|keyEncipherment|keyCertSign critical, 10 years) and leaves signed by a
 * CA (KeyUsage digitalSignature|keyEncipherment, ExtKeyUsage serverAuth and/or clientAuth, SANs,
 * 1 year, never past the CA's own expiry). Every certificate carries a SubjectKeyIdentifier, leaves
 * an AuthorityKeyIdentifier equal to the issuer's SKI, and a random positive 126-bit serial.
 *
 * The signature algorithm follows the issuer's key (RSA or ECDSA, `keys.signatureAlgorithmFor`).
 * Signing goes through WebCrypto (`@peculiar/x509` + node's `webcrypto`), which runs off the event
 * loop. Time and randomness are injected (`now`, `randomBytes`).
 */
import { randomBytes as nodeRandomBytes, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { importSigningKey, importVerifyKey, signatureAlgorithmFor, spkiDer, type KeyPair } from './keys.js';
import { encodeUsages, usagesFromCertificate, type KeyUsage } from './usages.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A certificate and its private key, both PEM. A CA is just one of these. */
export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

/** Subject Alternative Names. IPs may be IPv4 or IPv6 text. */
export interface AltNames {
  dnsNames?: string[];
  ips?: string[];
  emails?: string[];
  uris?: string[];
}

/** Injected clock and randomness shared by every issuing call. */
export interface IssueContext {
  /** Issue time (default: `new Date()`). */
  now?: Date;
  /** Source of random bytes for serial numbers (default: node:crypto). */
  randomBytes?: (n: number) => Buffer;
}

export const DAY_SECONDS = 24 * 3600;
/** kubeadm `constants.CertificateValidityPeriod`: one year. */
export const LEAF_VALIDITY_SECONDS = 365 * DAY_SECONDS;
/** kubeadm `constants.CACertificateValidityPeriod`: ten years. */
export const CA_VALIDITY_SECONDS = 10 * 365 * DAY_SECONDS;
/** kubeadm `constants.CertificateBackdate`: NotBefore is set this far in the past for clock skew. */
export const BACKDATE_SECONDS = 5 * 60;

/** Random positive serial: 16 bytes, top bit clear and second bit set so DER needs no padding. */
export function randomSerial(random: (n: number) => Buffer = nodeRandomBytes): string {
  const b = Buffer.from(random(16));
  b[0] = (b[0] & 0x3f) | 0x40;
  return b.toString('hex');
}

/** Builds a subject Name with Go's attribute order (O before CN, all O values in one RDN). */
export function subjectName(commonName: string, organizations: readonly string[] = []): x509.Name {
  const json: x509.JsonName = [];
  if (organizations.length > 0) json.push({ O: [...organizations] });
  json.push({ CN: [commonName] });
  return new x509.Name(json);
}

function altNamesExtension(alt: AltNames): x509.SubjectAlternativeNameExtension | undefined {
  const names: x509.JsonGeneralNames = [
    ...(alt.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(alt.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(alt.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(alt.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  return names.length ? new x509.SubjectAlternativeNameExtension(names, false) : undefined;
}

/** Options for a self-signed CA. */
export interface CaOptions extends IssueContext {
  commonName: string;
  organizations?: string[];
  keyPair: KeyPair;
  /** Default ten years (kubeadm). */
  validitySeconds?: number;
}

/** Creates a self-signed CA certificate for `keyPair`. Returns the CA as cert + key PEM. */
export async function createSelfSignedCa(opts: CaOptions): Promise<CertAndKey> {
  const now = opts.now ?? new Date();
  const spki = spkiDer(opts.keyPair.publicKeyPem);
  const [signingKey, publicKey] = await Promise.all([
    importSigningKey(opts.keyPair.privateKeyPem),
    importVerifyKey(opts.keyPair.publicKeyPem),
  ]);
  const name = subjectName(opts.commonName, opts.organizations);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(opts.randomBytes),
    subject: name,
    issuer: name,
    notBefore: new Date(now.getTime() - BACKDATE_SECONDS * 1000),
    notAfter: new Date(now.getTime() + (opts.validitySeconds ?? CA_VALIDITY_SECONDS) * 1000),
    signingAlgorithm: signatureAlgorithmFor(signingKey),
    publicKey,
    signingKey,
    extensions: [
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature |
          x509.KeyUsageFlags.keyEncipherment |
          x509.KeyUsageFlags.keyCertSign,
        true,
      ),
      new x509.BasicConstraintsExtension(true, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(spki),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: opts.keyPair.privateKeyPem };
}

/** What a signed leaf contains. `subject` may be a ready Name (CSR signing keeps it verbatim). */
export interface LeafOptions extends IssueContext {
  subject: { commonName: string; organizations?: string[] } | x509.Name;
  /** PEM public key / private key / certificate, or DER SubjectPublicKeyInfo. */
  publicKey: string | Buffer;
  /** certificates.k8s.io usage strings, e.g. `['digital signature','key encipherment','client auth']`. */
  usages: readonly (KeyUsage | string)[];
  altNames?: AltNames;
  /** Default one year; always capped at the CA's NotAfter. */
  durationSeconds?: number;
  /**
   * How validity is laid out. `kubeadm` (default, pkiutil): NotBefore = now - 5 min, NotAfter =
   * now + duration. `csr-signer` (kube-controller-manager's signer.go `PermissiveSigningPolicy`
   * with `Backdate: 5m, Short: 8h`): a lifetime under 8 h is not backdated, otherwise NotBefore =
   * now - 5 min; NotAfter = NotBefore + duration; both capped at the CA's NotAfter.
   */
  validity?: 'kubeadm' | 'csr-signer';
}

/** signer.go: backdating stops below this lifetime ("5 minutes of backdating is roughly 1% of 8 hours"). */
export const SIGNER_SHORT_SECONDS = 8 * 3600;

/** NotBefore/NotAfter of a leaf, per `LeafOptions.validity`, capped at the CA's NotAfter. */
export function leafValidity(
  now: Date,
  durationSeconds: number,
  caNotAfter: Date,
  validity: 'kubeadm' | 'csr-signer' = 'kubeadm',
): { notBefore: Date; notAfter: Date } {
  const cap = caNotAfter.getTime();
  if (validity === 'kubeadm') {
    return {
      notBefore: new Date(now.getTime() - BACKDATE_SECONDS * 1000),
      notAfter: new Date(Math.min(now.getTime() + durationSeconds * 1000, cap)),
    };
  }
  const backdate = durationSeconds < SIGNER_SHORT_SECONDS ? 0 : BACKDATE_SECONDS;
  const nb = now.getTime() - backdate * 1000;
  return {
    notBefore: new Date(Math.min(nb, cap)),
    notAfter: new Date(Math.min(nb + durationSeconds * 1000, cap)),
  };
}

/** Signs a leaf certificate for `publicKey` with `ca`. Returns the certificate PEM. */
export async function signCertificate(ca: CertAndKey, opts: LeafOptions): Promise<string> {
  const now = opts.now ?? new Date();
  const caCert = new x509.X509Certificate(ca.certPem);
  const spki = typeof opts.publicKey === 'string' ? spkiDer(opts.publicKey) : opts.publicKey;
  const { keyUsage, extKeyUsages } = encodeUsages(opts.usages);
  const { notBefore, notAfter } = leafValidity(
    now,
    opts.durationSeconds ?? LEAF_VALIDITY_SECONDS,
    caCert.notAfter,
    opts.validity,
  );
  const caSki = caCert.getExtension(x509.SubjectKeyIdentifierExtension);
  const extensions: x509.Extension[] = [];
  if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
  if (extKeyUsages.length) extensions.push(new x509.ExtendedKeyUsageExtension(extKeyUsages, false));
  extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(spki));
  extensions.push(
    caSki
      ? new x509.AuthorityKeyIdentifierExtension(caSki.keyId)
      : await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  );
  const san = altNamesExtension(opts.altNames ?? {});
  if (san) extensions.push(san);
  const signingKey = await importSigningKey(ca.keyPem);
  const subject =
    opts.subject instanceof x509.Name
      ? opts.subject
      : subjectName(opts.subject.commonName, opts.subject.organizations);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(opts.randomBytes),
    subject,
    issuer: caCert.subjectName,
    notBefore,
    notAfter,
    signingAlgorithm: signatureAlgorithmFor(signingKey),
    publicKey: spki,
    signingKey,
    extensions,
  });
  return cert.toString('pem') + '\n';
}

/** Convenience: sign a leaf for an existing key pair and return both PEMs. */
export async function issueCertAndKey(
  ca: CertAndKey,
  keyPair: KeyPair,
  opts: Omit<LeafOptions, 'publicKey'>,
): Promise<CertAndKey> {
  const certPem = await signCertificate(ca, { ...opts, publicKey: keyPair.publicKeyPem });
  return { certPem, keyPem: keyPair.privateKeyPem };
}

/** A parsed view of a certificate, for inspection, renewal and tests. */
export interface CertInfo {
  subject: string;
  commonName: string;
  organizations: string[];
  issuerCommonName: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  /** Extended key usage OIDs. */
  extKeyUsages: string[];
  keyUsage: number;
  altNames: Required<AltNames>;
  subjectKeyId?: string;
  authorityKeyId?: string;
}

/** Parses a PEM certificate (the first one of a bundle). */
export function inspectCertificate(certPem: string): CertInfo {
  const c = new x509.X509Certificate(certPem);
  const san = c.getExtension(x509.SubjectAlternativeNameExtension);
  const alt: Required<AltNames> = { dnsNames: [], ips: [], emails: [], uris: [] };
  for (const n of san?.names.items ?? []) {
    if (n.type === 'dns') alt.dnsNames.push(n.value);
    else if (n.type === 'ip') alt.ips.push(n.value);
    else if (n.type === 'email') alt.emails.push(n.value);
    else if (n.type === 'url') alt.uris.push(n.value);
  }
  return {
    subject: c.subject,
    commonName: c.subjectName.getField('CN')[0] ?? '',
    organizations: c.subjectName.getField('O'),
    issuerCommonName: c.issuerName.getField('CN')[0] ?? '',
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    isCA: c.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    extKeyUsages: Array.from(c.getExtension(x509.ExtendedKeyUsageExtension)?.usages ?? [], String),
    keyUsage: c.getExtension(x509.KeyUsagesExtension)?.usages ?? 0,
    altNames: alt,
    subjectKeyId: c.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    authorityKeyId: c.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
  };
}

/** True when `certPem` names `caCertPem` as issuer and its signature verifies with the CA key. */
export function isSignedBy(certPem: string, caCertPem: string): boolean {
  const cert = new NodeX509(certPem);
  const ca = new NodeX509(caCertPem);
  return cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

/**
 * Re-issues `oldCertPem` for a (new) public key: same subject (verbatim), SANs, key usages and
 * extended key usages, a fresh serial and validity (kubeadm `certs renew` reads the config back from
 * the existing certificate the same way). Returns the certificate PEM.
 */
export async function reissueCertificate(
  oldCertPem: string,
  ca: CertAndKey,
  publicKey: string | Buffer,
  ctx: IssueContext & { durationSeconds?: number } = {},
): Promise<string> {
  const old = new x509.X509Certificate(oldCertPem);
  const info = inspectCertificate(oldCertPem);
  return signCertificate(ca, {
    ...ctx,
    subject: old.subjectName,
    publicKey,
    usages: usagesFromCertificate(info.keyUsage, info.extKeyUsages),
    altNames: info.altNames,
  });
}
