/**
 * @module pki/keys
 *
 * Key material for the PKI: asynchronous key generation (node:crypto `generateKeyPair`, run on
 * the libuv thread pool so the event loop never blocks) for each of kubeadm's
 * `EncryptionAlgorithmType`s (cmd/kubeadm/app/apis/kubeadm/types.go: RSA-2048, the default,
 * RSA-3072, RSA-4096, ECDSA-P256, and ECDSA-P384 of newer kubeadm), PEM conversions and import into
 * WebCrypto `CryptoKey`s for signing with `@peculiar/x509` (RSA: PKCS#1 v1.5 with SHA-256; ECDSA:
 * SHA-256 on P-256, SHA-384 on P-384, the hashes Go's x509 picks for those keys).
 *
 * Formats follow kubeadm (`cmd/kubeadm/app/util/pkiutil/pki_helpers.go`, `keyutil`): private keys
 * are PKCS#1 `RSA PRIVATE KEY` or SEC1 `EC PRIVATE KEY` PEM, public keys (`sa.pub`) are PKIX
 * `PUBLIC KEY` PEM. Loading accepts PKCS#1, PKCS#8 and SEC1 (EC) private keys.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, webcrypto, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A private key and its public half, both PEM encoded. */
export interface KeyPair {
  /** PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`) for keys we generate; any PEM private key when loaded. */
  privateKeyPem: string;
  /** PKIX / SubjectPublicKeyInfo (`PUBLIC KEY`). */
  publicKeyPem: string;
}

/** Injected key generator (tests pass a pool of pre-generated keys). */
export type KeyGenerator = () => Promise<KeyPair>;

/** RSA modulus size used by kubeadm (`constants.go`: `CertificateKeySize`-era default 2048). */
export const RSA_KEY_BITS = 2048;

/** kubeadm's `EncryptionAlgorithmType` values (types.go; ECDSA-P384 since kubeadm 1.31). */
export const ENCRYPTION_ALGORITHMS = [
  'ECDSA-P256',
  'ECDSA-P384',
  'RSA-2048',
  'RSA-3072',
  'RSA-4096',
] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];
/** kubeadm's default (`EncryptionAlgorithmRSA2048`). */
export const DEFAULT_ENCRYPTION_ALGORITHM: EncryptionAlgorithm = 'RSA-2048';

/**
 * Checks a `--encryption-algorithm` value; the error text is kubeadm's ValidateEncryptionAlgorithm
 * (cmd/kubeadm/app/apis/kubeadm/validation/validation.go), the list sorted as `sets.List` sorts it.
 */
export function parseEncryptionAlgorithm(value: string): EncryptionAlgorithm {
  if ((ENCRYPTION_ALGORITHMS as readonly string[]).includes(value)) return value as EncryptionAlgorithm;
  throw new Error(
    `Invalid encryption algorithm ${JSON.stringify(value)}. Must be one of [${ENCRYPTION_ALGORITHMS.join(' ')}]`,
  );
}

/**
 * The algorithm of a key or certificate (kubeadm's pkiutil DetectEncryptionAlgorithm): undefined for
 * other types and sizes.
 */
export function encryptionAlgorithmOf(pem: string): EncryptionAlgorithm | undefined {
  const k = /PRIVATE KEY-----/.test(pem) ? createPrivateKey(pem) : createPublicKey(pem);
  const d = k.asymmetricKeyDetails;
  if (k.asymmetricKeyType === 'rsa') {
    const bits = d?.modulusLength;
    return bits === 2048 ? 'RSA-2048' : bits === 3072 ? 'RSA-3072' : bits === 4096 ? 'RSA-4096' : undefined;
  }
  if (k.asymmetricKeyType === 'ec')
    return d?.namedCurve === 'prime256v1'
      ? 'ECDSA-P256'
      : d?.namedCurve === 'secp384r1'
        ? 'ECDSA-P384'
        : undefined;
  return undefined;
}

/**
 * Generates a key pair of `algorithm` without blocking the event loop (pkiutil.NewPrivateKey):
 * RSA as PKCS#1, ECDSA as SEC1 `EC PRIVATE KEY`, as kubeadm's keyutil.MarshalPrivateKeyToPEM writes.
 */
export async function generateKeyPairFor(algorithm: EncryptionAlgorithm): Promise<KeyPair> {
  if (algorithm === 'ECDSA-P256' || algorithm === 'ECDSA-P384') {
    const { privateKey, publicKey } = await generateKeyPairAsync('ec', {
      namedCurve: algorithm === 'ECDSA-P256' ? 'prime256v1' : 'secp384r1',
      privateKeyEncoding: { type: 'sec1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    return { privateKeyPem: privateKey, publicKeyPem: publicKey };
  }
  return generateRsaKeyPair(Number(algorithm.slice(4)));
}

/** A `KeyGenerator` for `algorithm` (default RSA-2048). */
export function keyGeneratorFor(algorithm: EncryptionAlgorithm = DEFAULT_ENCRYPTION_ALGORITHM): KeyGenerator {
  return () => generateKeyPairFor(algorithm);
}

/**
 * Generates an RSA key pair without blocking the event loop. Call several at once with
 * `Promise.all` to use every core.
 */
export async function generateRsaKeyPair(bits: number = RSA_KEY_BITS): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** Derives the PKIX public key PEM of a PEM private key. */
export function publicKeyPemFromPrivate(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** DER SubjectPublicKeyInfo of a PEM public key, private key or certificate. */
export function spkiDer(pem: string): Buffer {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' });
}

/** Returns true when the private key matches the given public key / certificate PEM. */
export function keyMatches(privateKeyPem: string, publicPem: string): boolean {
  return spkiDer(privateKeyPem).equals(spkiDer(publicPem));
}

/** WebCrypto import parameters for a key: RSASSA-PKCS1-v1_5/SHA-256 or ECDSA on its curve. */
function importParams(k: KeyObject): webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams {
  if (k.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  if (k.asymmetricKeyType === 'ec') {
    const curve = k.asymmetricKeyDetails?.namedCurve;
    const namedCurve =
      curve === 'prime256v1'
        ? 'P-256'
        : curve === 'secp384r1'
          ? 'P-384'
          : curve === 'secp521r1'
            ? 'P-521'
            : '';
    if (namedCurve) return { name: 'ECDSA', namedCurve };
  }
  throw new Error(
    `unsupported key type ${k.asymmetricKeyType}${k.asymmetricKeyDetails?.namedCurve ? ` (${k.asymmetricKeyDetails.namedCurve})` : ''}: only RSA and ECDSA P-256/P-384/P-521`,
  );
}

/**
 * The signature algorithm for a signing key, as Go's x509 picks it for the issuer's key
 * (crypto/x509 signingParamsForKey): SHA256WithRSA; ECDSAWithSHA256 on P-256, SHA384 on P-384,
 * SHA512 on P-521.
 */
export function signatureAlgorithmFor(
  key: webcrypto.CryptoKey,
): webcrypto.RsaHashedImportParams | webcrypto.EcdsaParams {
  if (key.algorithm.name === 'ECDSA') {
    const curve = (key.algorithm as webcrypto.EcKeyAlgorithm).namedCurve;
    return { name: 'ECDSA', hash: curve === 'P-384' ? 'SHA-384' : curve === 'P-521' ? 'SHA-512' : 'SHA-256' };
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

const signCache = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * Imports a PEM private key (RSA or ECDSA) as a WebCrypto signing key. Imports are memoized per
 * PEM, so a long-lived signer (the CSR controller) pays for the import once.
 */
export function importSigningKey(privateKeyPem: string): Promise<webcrypto.CryptoKey> {
  let key = signCache.get(privateKeyPem);
  if (!key) {
    const k = createPrivateKey(privateKeyPem);
    const der = k.export({ type: 'pkcs8', format: 'der' });
    key = webcrypto.subtle.importKey('pkcs8', der, importParams(k), false, ['sign']);
    if (signCache.size > 64) signCache.clear();
    signCache.set(privateKeyPem, key);
    key.catch(() => signCache.delete(privateKeyPem));
  }
  return key;
}

/** Imports a PEM public key (RSA or ECDSA) as a WebCrypto verification key, for self-signing. */
export function importVerifyKey(publicKeyPem: string): Promise<webcrypto.CryptoKey> {
  const k = createPublicKey(publicKeyPem);
  return webcrypto.subtle.importKey(
    'spki',
    k.export({ type: 'spki', format: 'der' }),
    importParams(k),
    true,
    ['verify'],
  );
}

/**
 * A `KeyGenerator` that hands out pre-generated keys round-robin. For tests and benchmarks, where
 * RSA generation (~0.2 s per key here) would dominate; never for real clusters.
 */
export function keyPool(keys: readonly KeyPair[]): KeyGenerator {
  if (keys.length === 0) throw new Error('keyPool needs at least one key');
  let i = 0;
  return async () => keys[i++ % keys.length];
}
