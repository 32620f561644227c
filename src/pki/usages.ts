/**
 * @module pki/usages
 *
 * Key usages as spelled by certificates.k8s.io (`CertificateSigningRequest.spec.usages`) and their
 * X.509 encodings: the KeyUsage bit flags and the ExtendedKeyUsage OIDs. Mirrors
 * `pkg/controller/certificates/authority/policies.go` (`keyUsagesFromStrings`) upstream.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/** The KeyUsage strings accepted by certificates.k8s.io/v1. */
export type KeyUsage =
  | 'signing'
  | 'digital signature'
  | 'content commitment'
  | 'key encipherment'
  | 'key agreement'
  | 'data encipherment'
  | 'cert sign'
  | 'crl sign'
  | 'encipher only'
  | 'decipher only'
  | 'any'
  | 'server auth'
  | 'client auth'
  | 'code signing'
  | 'email protection'
  | 's/mime'
  | 'ipsec end system'
  | 'ipsec tunnel'
  | 'ipsec user'
  | 'timestamping'
  | 'ocsp signing'
  | 'microsoft sgc'
  | 'netscape sgc';

const F = x509.KeyUsageFlags;
const keyUsageBits: Record<string, number> = {
  signing: F.digitalSignature,
  'digital signature': F.digitalSignature,
  'content commitment': F.nonRepudiation,
  'key encipherment': F.keyEncipherment,
  'key agreement': F.keyAgreement,
  'data encipherment': F.dataEncipherment,
  'cert sign': F.keyCertSign,
  'crl sign': F.cRLSign,
  'encipher only': F.encipherOnly,
  'decipher only': F.decipherOnly,
};

/** ExtendedKeyUsage OIDs (RFC 5280 4.2.1.12 and Go's crypto/x509 table). */
export const EKU_OID = {
  any: '2.5.29.37.0',
  'server auth': '1.3.6.1.5.5.7.3.1',
  'client auth': '1.3.6.1.5.5.7.3.2',
  'code signing': '1.3.6.1.5.5.7.3.3',
  'email protection': '1.3.6.1.5.5.7.3.4',
  's/mime': '1.3.6.1.5.5.7.3.4',
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  timestamping: '1.3.6.1.5.5.7.3.8',
  'ocsp signing': '1.3.6.1.5.5.7.3.9',
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
} as const;

/** Reverse map for inspection output (first name wins: `email protection` over `s/mime`). */
const ekuName = new Map<string, KeyUsage>();
for (const [name, oid] of Object.entries(EKU_OID)) if (!ekuName.has(oid)) ekuName.set(oid, name as KeyUsage);

export class UnknownUsageError extends Error {}

/** Splits usage strings into KeyUsage bits and EKU OIDs; throws on unknown strings. */
export function encodeUsages(usages: readonly string[]): { keyUsage: number; extKeyUsages: string[] } {
  let keyUsage = 0;
  const ext: string[] = [];
  for (const u of usages) {
    if (u in keyUsageBits) keyUsage |= keyUsageBits[u];
    else if (u in EKU_OID) {
      const oid = EKU_OID[u as keyof typeof EKU_OID];
      if (!ext.includes(oid)) ext.push(oid);
    } else throw new UnknownUsageError(`unknown key usage "${u}"`);
  }
  return { keyUsage, extKeyUsages: ext };
}

/** Names an EKU OID with its certificates.k8s.io string, or returns the OID itself. */
export function extKeyUsageName(oid: string): string {
  return ekuName.get(oid) ?? oid;
}

/**
 * Turns a certificate's KeyUsage bits and EKU OIDs back into certificates.k8s.io strings, so a
 * certificate can be re-issued with the same usages (certificate renewal).
 */
export function usagesFromCertificate(keyUsage: number, extKeyUsageOids: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  for (const [name, bit] of Object.entries(keyUsageBits)) {
    if (name === 'signing' || seen.has(bit) || (keyUsage & bit) === 0) continue;
    seen.add(bit);
    out.push(name);
  }
  for (const oid of extKeyUsageOids) {
    const name = extKeyUsageName(oid);
    if (name === oid) throw new UnknownUsageError(`unsupported extended key usage ${oid}`);
    out.push(name);
  }
  return out;
}
