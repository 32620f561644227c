/**
 * @module pki/keys
 *
 * RSA key material for the PKI: asynchronous key generation (node:crypto `generateKeyPair`, run on
 * the libuv thread pool so the event loop never blocks), PEM conversions and import into WebCrypto
 * `CryptoKey`s for signing with `@peculiar/x509`.
 *
 * Formats follow kubeadm (`cmd/kubeadm/app/util/pkiutil/pki_helpers.go`, `keyutil`): private keys
 * are PKCS#1 `RSA PRIVATE KEY` PEM, public keys (`sa.pub`) are PKIX `PUBLIC KEY` PEM. Loading accepts
 * PKCS#1, PKCS#8 and SEC1 (EC) private keys.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A private key and its public half, both PEM encoded. */
export interface KeyPair {
  /** PKCS#1 (`RSA PRIVATE KEY`) for keys we generate; any PEM private key when loaded. */
  privateKeyPem: string;
  /** PKIX / SubjectPublicKeyInfo (`PUBLIC KEY`). */
  publicKeyPem: string;
}

/** Injected key generator (tests pass a pool of pre-generated keys). */
export type KeyGenerator = () => Promise<KeyPair>;

/** RSA modulus size used by kubeadm (`constants.go`: `CertificateKeySize`-era default 2048). */
export const RSA_KEY_BITS = 2048;

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

const signCache = new Map<string, Promise<webcrypto.CryptoKey>>();

/**
 * Imports a PEM RSA private key as a WebCrypto signing key (RSASSA-PKCS1-v1_5 with SHA-256, the
 * algorithm Go's x509 uses for RSA issuers). Imports are memoized per PEM, so a long-lived signer
 * (the CSR controller) pays for the import once.
 */
export function importSigningKey(privateKeyPem: string): Promise<webcrypto.CryptoKey> {
  let key = signCache.get(privateKeyPem);
  if (!key) {
    const der = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
    key = webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    if (signCache.size > 64) signCache.clear();
    signCache.set(privateKeyPem, key);
    key.catch(() => signCache.delete(privateKeyPem));
  }
  return key;
}

/** Imports a PEM public key (RSA) as a WebCrypto verification key, for self-signing. */
export function importVerifyKey(publicKeyPem: string): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey(
    'spki',
    spkiDer(publicKeyPem),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
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
