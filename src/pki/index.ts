/**
 * @module pki
 *
 * Public surface of the PKI module: key generation, certificate issuing and CSR signing, the
 * kubeadm-style `pki/` layout with `ensurePki`, kubeconfigs, and expiration/renewal.
 */
export { generateRsaKeyPair, publicKeyPemFromPrivate, keyMatches, keyPool, RSA_KEY_BITS } from './keys.js';
export type { KeyPair, KeyGenerator } from './keys.js';
export {
  createSelfSignedCa,
  signCertificate,
  issueCertAndKey,
  reissueCertificate,
  inspectCertificate,
  isSignedBy,
  randomSerial,
  CA_VALIDITY_SECONDS,
  LEAF_VALIDITY_SECONDS,
  BACKDATE_SECONDS,
} from './cert.js';
export type { CertAndKey, AltNames, IssueContext, CaOptions, LeafOptions, CertInfo } from './cert.js';
export { parseCsr, signCsr, createCsr, CsrError } from './csr.js';
export type { CsrInfo, SignCsrOptions, CreateCsrOptions } from './csr.js';
export { encodeUsages, usagesFromCertificate, EKU_OID, UnknownUsageError } from './usages.js';
export type { KeyUsage } from './usages.js';
export {
  CA_SPECS,
  LEAF_SPECS,
  MASTERS_GROUP,
  apiServerAltNames,
  etcdAltNames,
  indexedIp,
} from './certlist.js';
export type { PkiConfig, CaName, LeafName, CaSpec, LeafSpec } from './certlist.js';
export { ensurePki, pkiPaths, resolvePkiConfig, defaultAdvertiseAddress } from './layout.js';
export type { EnsurePkiOptions, Pki, PkiEntry } from './layout.js';
export {
  buildKubeconfig,
  serializeKubeconfig,
  parseKubeconfig,
  currentCredentials,
  issueClientKubeconfig,
  writeClientKubeconfig,
  KubeconfigError,
} from './kubeconfig.js';
export type {
  Kubeconfig,
  KubeconfigCredentials,
  ClientKubeconfigOptions,
  ClientKubeconfig,
} from './kubeconfig.js';
export {
  checkExpiration,
  formatExpirationTable,
  renewCertificates,
  shortHumanDuration,
  RENEWABLE,
  RenewError,
} from './renew.js';
export type { ExpirationReport, ExpirationRow, RenewOptions } from './renew.js';
