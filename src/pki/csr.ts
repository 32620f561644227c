/**
 * @module pki/csr
 *
 * PKCS#10 certificate signing requests: parsing (with signature check) and signing by a CA, as the
 * certificates.k8s.io signer controller does (`pkg/controller/certificates/signer/signer.go` and
 * `authority/policies.go` upstream): the subject is copied verbatim from the CSR, the SANs (DNS,
 * IP, email, URI) come from the CSR's extensionRequest, key usages come from the CSR object's
 * `spec.usages` (not from the CSR's own extensions), and the lifetime is `expirationSeconds`
 * (default one year) capped at the CA's expiry. Also creates CSRs, for tests and TLS bootstrap.
 */
import 'reflect-metadata';
import { createPrivateKey } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { signCertificate, type AltNames, type CertAndKey, type IssueContext } from './cert.js';
import { importSigningKey, publicKeyPemFromPrivate, importVerifyKey, signatureAlgorithmFor } from './keys.js';
import type { KeyUsage } from './usages.js';

/** A CSR could not be parsed or its self-signature does not verify. */
export class CsrError extends Error {}

/** What a CSR asks for. */
export interface CsrInfo {
  /** RFC 4514-ish subject string, e.g. `O=system:nodes, CN=system:node:n1`. */
  subject: string;
  commonName: string;
  organizations: string[];
  altNames: Required<AltNames>;
  /** `RSA`, `EC` or the public key algorithm OID. */
  publicKeyAlgorithm: string;
  /** DER SubjectPublicKeyInfo of the requested key. */
  publicKeySpki: Buffer;
}

function load(csrPem: string): x509.Pkcs10CertificateRequest {
  try {
    return new x509.Pkcs10CertificateRequest(csrPem);
  } catch (err) {
    throw new CsrError(`invalid certificate request: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function algorithmName(csr: x509.Pkcs10CertificateRequest): string {
  const name = csr.publicKey.algorithm.name;
  if (name === 'RSASSA-PKCS1-v1_5' || name === 'RSA-PSS' || name === 'RSA-OAEP') return 'RSA';
  if (name === 'ECDSA' || name === 'ECDH') return 'EC';
  return name;
}

/**
 * Parses a PEM CSR and verifies its self-signature (proof of possession). Throws `CsrError` when the
 * input is not a CSR or the signature is bad.
 */
export async function parseCsr(csrPem: string): Promise<CsrInfo> {
  return (await parseCsrWithName(csrPem)).info;
}

/** `parseCsr` plus the subject as a ready Name, so signing does not parse the CSR again. */
export async function parseCsrWithName(csrPem: string): Promise<{ info: CsrInfo; subject: x509.Name }> {
  const csr = load(csrPem);
  let ok: boolean;
  try {
    ok = await csr.verify();
  } catch {
    ok = false;
  }
  if (!ok) throw new CsrError('certificate request signature does not verify');
  return { info: csrInfo(csr), subject: csr.subjectName };
}

/** What a parsed request asks for (its signature is not checked here). */
export function csrInfo(csr: x509.Pkcs10CertificateRequest): CsrInfo {
  const alt: Required<AltNames> = { dnsNames: [], ips: [], emails: [], uris: [] };
  const sanExt = csr.getExtension('2.5.29.17');
  const san = sanExt ? new x509.SubjectAlternativeNameExtension(sanExt.rawData) : undefined;
  for (const n of san?.names.items ?? []) {
    if (n.type === 'dns') alt.dnsNames.push(n.value);
    else if (n.type === 'ip') alt.ips.push(n.value);
    else if (n.type === 'email') alt.emails.push(n.value);
    else if (n.type === 'url') alt.uris.push(n.value);
  }
  const info: CsrInfo = {
    subject: csr.subject,
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    organizations: csr.subjectName.getField('O'),
    altNames: alt,
    publicKeyAlgorithm: algorithmName(csr),
    publicKeySpki: Buffer.from(csr.publicKey.rawData),
  };
  return info;
}

/** Options for `signCsr`. */
export interface SignCsrOptions extends IssueContext {
  /** certificates.k8s.io usages, e.g. `['digital signature', 'key encipherment', 'client auth']`. */
  usages: readonly (KeyUsage | string)[];
  /** `spec.expirationSeconds`; default one year; capped at the CA's NotAfter. */
  durationSeconds?: number;
  /** See `LeafOptions.validity`; the CSR signer controller passes `csr-signer`. */
  validity?: 'kubeadm' | 'csr-signer';
}

/**
 * Signs a PEM CSR with `ca`, keeping the CSR's subject and SANs. Returns the certificate PEM.
 * Throws `CsrError` for an invalid CSR and `UnknownUsageError` for an unknown usage string.
 */
export async function signCsr(csrPem: string, ca: CertAndKey, opts: SignCsrOptions): Promise<string> {
  return signParsedCsr(await parseCsrWithName(csrPem), ca, opts);
}

/** Signs a CSR already parsed (and verified) by `parseCsrWithName`. */
export function signParsedCsr(
  parsed: { info: CsrInfo; subject: x509.Name },
  ca: CertAndKey,
  opts: SignCsrOptions,
): Promise<string> {
  const { info } = parsed;
  return signCertificate(ca, {
    subject: parsed.subject,
    publicKey: info.publicKeySpki,
    usages: opts.usages,
    altNames: info.altNames,
    durationSeconds: opts.durationSeconds,
    validity: opts.validity,
    now: opts.now,
    randomBytes: opts.randomBytes,
  });
}

/** Options for `createCsr`. */
export interface CreateCsrOptions {
  commonName: string;
  organizations?: string[];
  altNames?: AltNames;
  /** PEM private key (RSA or ECDSA) of the requester. */
  privateKeyPem: string;
}

/** Creates a PEM CSR signed with the requester's key (RSA/SHA-256 or ECDSA), as kubelet's TLS bootstrap does. */
export async function createCsr(opts: CreateCsrOptions): Promise<string> {
  createPrivateKey(opts.privateKeyPem); // validates early with a clear node:crypto error
  const [privateKey, publicKey] = await Promise.all([
    importSigningKey(opts.privateKeyPem),
    importVerifyKey(publicKeyPemFromPrivate(opts.privateKeyPem)),
  ]);
  const name: x509.JsonName = [];
  if (opts.organizations?.length) name.push({ O: [...opts.organizations] });
  name.push({ CN: [opts.commonName] });
  const alt = opts.altNames ?? {};
  const names: x509.JsonGeneralNames = [
    ...(alt.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(alt.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(alt.emails ?? []).map((value) => ({ type: 'email' as const, value })),
    ...(alt.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: new x509.Name(name),
    keys: { privateKey, publicKey },
    signingAlgorithm: signatureAlgorithmFor(privateKey),
    extensions: names.length ? [new x509.SubjectAlternativeNameExtension(names)] : [],
  });
  return csr.toString('pem') + '\n';
}
