/**
 * @module cli/serve-signing
 *
 * The CSR signer's flags, kube-controller-manager's (cmd/kube-controller-manager/app/options/
 * csrsigningcontroller.go): `--cluster-signing-{cert,key}-file` (one CA for every built-in signer;
 * default the cluster CA, as kubeadm configures it), or per signer
 * `--cluster-signing-{kubelet-serving,kubelet-client,kube-apiserver-client,legacy-unknown}-{cert,key}-file`,
 * which exclude the first pair (Validate: `cannot specify --cluster-signing-{cert,key}-file and
 * other --cluster-signing-*-file flags at the same time`; each pair together: `cannot specify key
 * without cert` / `cannot specify cert without key`). When per-signer files are given, a signer
 * without its own pair is not run (startCSRSigningController skips it), as upstream.
 * `--cluster-signing-duration` caps the lifetime of issued certificates.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CertAndKey } from '../pki/cert.js';
import { signingCaError } from '../controllers/csr-signing-ca.js';
import { FlagError, type FlagSpec, type FlagValues } from './flags.js';

/** Flag infix -> signerName. */
const SIGNERS: Record<string, string> = {
  'kubelet-serving': 'kubernetes.io/kubelet-serving',
  'kubelet-client': 'kubernetes.io/kube-apiserver-client-kubelet',
  'kube-apiserver-client': 'kubernetes.io/kube-apiserver-client',
  'legacy-unknown': 'kubernetes.io/legacy-unknown',
};

export const signingFlags: FlagSpec[] = [
  {
    name: 'cluster-signing-cert-file',
    type: 'string',
    default: '',
    help: 'Filename containing a PEM-encoded X509 CA certificate used to issue cluster-scoped certificates (kube-controller-manager flag; default <data-dir>/pki/ca.crt). If specified, no more specific --cluster-signing-* flag may be specified.',
  },
  {
    name: 'cluster-signing-key-file',
    type: 'string',
    default: '',
    help: 'Filename containing a PEM-encoded RSA or ECDSA private key used to sign cluster-scoped certificates (default <data-dir>/pki/ca.key). If specified, no more specific --cluster-signing-* flag may be specified.',
  },
  ...Object.entries(SIGNERS).flatMap(([infix, signer]): FlagSpec[] => [
    {
      name: `cluster-signing-${infix}-cert-file`,
      type: 'string',
      default: '',
      help: `Filename containing a PEM-encoded X509 CA certificate used to issue certificates for the ${signer} signer.  If specified, --cluster-signing-{cert,key}-file must not be set.`,
    },
    {
      name: `cluster-signing-${infix}-key-file`,
      type: 'string',
      default: '',
      help: `Filename containing a PEM-encoded RSA or ECDSA private key used to sign certificates for the ${signer} signer.  If specified, --cluster-signing-{cert,key}-file must not be set.`,
    },
  ]),
  {
    name: 'cluster-signing-duration',
    type: 'duration',
    default: '8760h0m0s',
    help: 'The max length of duration signed certificates will be given. Individual CSRs may request shorter certs by setting spec.expirationSeconds.',
  },
];

/** A signer's CA and the files it came from (re-read when they change: controllers/csr-signing-ca.ts). */
export interface SigningCaFiles {
  ca: CertAndKey;
  certFile: string;
  keyFile: string;
}

/** Signer name -> its CA; the signers missing from it are not run. One object for all with one CA. */
export type SignerCaFiles = Partial<Record<string, SigningCaFiles>>;

/** Reads a CA pair; a missing file, a bad PEM or a key that is not the certificate's refuses start-up. */
function loadPair(certFile: string, keyFile: string, what: string): SigningCaFiles {
  let certPem: string;
  let keyPem: string;
  try {
    certPem = readFileSync(certFile, 'utf8');
    keyPem = readFileSync(keyFile, 'utf8');
  } catch (e) {
    throw new FlagError(`${what}: ${(e as Error).message}`);
  }
  try {
    const cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem)))
      throw new Error('tls: private key does not match public key');
  } catch (e) {
    throw new FlagError(`${what}: ${(e as Error).message}`);
  }
  // The rules a reloaded pair must pass too (exactly one certificate, ca_provider.go setCA).
  const err = signingCaError({ certPem, keyPem }, certFile, keyFile);
  if (err) throw new FlagError(`${what}: ${err}`);
  return { ca: { certPem, keyPem }, certFile, keyFile };
}

/** The signer CAs the flags give; `clusterCa` (pki/ca.*) is the default of --cluster-signing-{cert,key}-file. */
export function signerCasFromFlags(
  f: FlagValues,
  clusterCa: CertAndKey & { certPath: string; keyPath: string },
): SignerCaFiles {
  const get = (n: string) => String(f[n] ?? '');
  const errs: string[] = [];
  for (const infix of Object.keys(SIGNERS)) {
    const cert = get(`cluster-signing-${infix}-cert-file`);
    const key = get(`cluster-signing-${infix}-key-file`);
    if (!cert && key) errs.push(`"cluster-signing-${infix}": cannot specify key without cert`);
    if (cert && !key) errs.push(`"cluster-signing-${infix}": cannot specify cert without key`);
  }
  const single = get('cluster-signing-cert-file') || get('cluster-signing-key-file');
  const specific = Object.keys(SIGNERS).some(
    (i) => get(`cluster-signing-${i}-cert-file`) || get(`cluster-signing-${i}-key-file`),
  );
  if (single && specific) {
    errs.push(
      'cannot specify --cluster-signing-{cert,key}-file and other --cluster-signing-*-file flags at the same time',
    );
  }
  if (!specific) {
    const cert = get('cluster-signing-cert-file');
    const key = get('cluster-signing-key-file');
    if (cert && !key) errs.push('--cluster-signing-key-file must be given with --cluster-signing-cert-file');
    if (!cert && key) errs.push('--cluster-signing-cert-file must be given with --cluster-signing-key-file');
  }
  if (errs.length) throw new FlagError(errs.join(', '));
  if (!specific) {
    const cert = get('cluster-signing-cert-file');
    const one = cert
      ? loadPair(
          path.resolve(cert),
          path.resolve(get('cluster-signing-key-file')),
          '--cluster-signing-cert-file',
        )
      : {
          ca: { certPem: clusterCa.certPem, keyPem: clusterCa.keyPem },
          certFile: clusterCa.certPath,
          keyFile: clusterCa.keyPath,
        };
    return Object.fromEntries(Object.values(SIGNERS).map((signer) => [signer, one]));
  }
  const cas: SignerCaFiles = {};
  for (const [infix, signer] of Object.entries(SIGNERS)) {
    const cert = get(`cluster-signing-${infix}-cert-file`);
    if (cert)
      cas[signer] = loadPair(
        path.resolve(cert),
        path.resolve(get(`cluster-signing-${infix}-key-file`)),
        `--cluster-signing-${infix}-cert-file`,
      );
  }
  return cas;
}
