/**
 * Value transformers of encryption at rest, as upstream's staging/src/k8s.io/apiserver/pkg/storage/
 * value (prefix transformers) and value/encrypt/{aes,identity}:
 *
 * - aesgcm: `k8s:enc:aesgcm:v1:<name>:` + 12-byte random nonce + ciphertext + 16-byte tag; the
 *   authenticated data is the storage key, so a value copied under another key does not decrypt.
 * - aescbc: `k8s:enc:aescbc:v1:<name>:` + 16-byte random IV + AES-CBC ciphertext (PKCS#7 padding).
 * - identity: no prefix, the plaintext. It refuses to read data that starts with `k8s:enc:`.
 *
 * A {@link PrefixTransformers} list encrypts with its first transformer and decrypts with the first
 * whose prefix matches; a value read with any but the first is `stale` (a write would re-encrypt
 * it with the current first key), upstream's `stale || i != 0`.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';

export interface ValueTransformer {
  /** The value's prefix in storage (empty for identity). */
  readonly prefix: Buffer;
  /** Turns the stored bytes after the prefix into the plaintext; throws when they do not decrypt. */
  fromStorage(data: Buffer, key: string): Buffer;
  /** Turns a plaintext into the stored bytes after the prefix. */
  toStorage(data: Buffer, key: string): Buffer;
}

export interface Decoded {
  data: Buffer;
  /** Read with another than the first transformer: the next write re-encrypts it. */
  stale: boolean;
}

const GCM_NONCE = 12;
const GCM_TAG = 16;
const CBC_IV = 16;
const ENCRYPTED = Buffer.from('k8s:enc:');

function keyBits(secret: Buffer): 128 | 192 | 256 {
  if (![16, 24, 32].includes(secret.length)) throw new Error('key size must be 16, 24 or 32 bytes');
  return (secret.length * 8) as 128 | 192 | 256;
}

/** value/encrypt/aes NewGCMTransformer behind the `k8s:enc:aesgcm:v1:<name>:` prefix. */
export function aesGcm(name: string, secret: Buffer): ValueTransformer {
  const alg: CipherGCMTypes = `aes-${keyBits(secret)}-gcm`;
  return {
    prefix: Buffer.from(`k8s:enc:aesgcm:v1:${name}:`),
    toStorage(data, key) {
      const nonce = randomBytes(GCM_NONCE);
      const c = createCipheriv(alg, secret, nonce, { authTagLength: GCM_TAG });
      c.setAAD(Buffer.from(key));
      return Buffer.concat([nonce, c.update(data), c.final(), c.getAuthTag()]);
    },
    fromStorage(data, key) {
      if (data.length < GCM_NONCE + GCM_TAG)
        throw new Error('the stored data was shorter than the required size');
      const d = createDecipheriv(alg, secret, data.subarray(0, GCM_NONCE), { authTagLength: GCM_TAG });
      d.setAAD(Buffer.from(key));
      d.setAuthTag(data.subarray(data.length - GCM_TAG));
      try {
        return Buffer.concat([d.update(data.subarray(GCM_NONCE, data.length - GCM_TAG)), d.final()]);
      } catch {
        throw new Error('cipher: message authentication failed');
      }
    },
  };
}

/** value/encrypt/aes NewCBCTransformer behind the `k8s:enc:aescbc:v1:<name>:` prefix. */
export function aesCbc(name: string, secret: Buffer): ValueTransformer {
  const alg = `aes-${keyBits(secret)}-cbc`;
  return {
    prefix: Buffer.from(`k8s:enc:aescbc:v1:${name}:`),
    toStorage(data) {
      const iv = randomBytes(CBC_IV);
      const c = createCipheriv(alg, secret, iv);
      return Buffer.concat([iv, c.update(data), c.final()]);
    },
    fromStorage(data) {
      if (data.length < CBC_IV) throw new Error('the stored data was shorter than the required size');
      const body = data.subarray(CBC_IV);
      if (body.length % 16 !== 0) throw new Error('the stored data is not a multiple of the block size');
      const d = createDecipheriv(alg, secret, data.subarray(0, CBC_IV));
      try {
        return Buffer.concat([d.update(body), d.final()]);
      } catch {
        throw new Error('invalid PKCS7 data (empty or not padded)');
      }
    },
  };
}

/** value/encrypt/identity: stores the plaintext; refuses to hand encrypted data out as plaintext. */
export const identity: ValueTransformer = {
  prefix: Buffer.alloc(0),
  toStorage: (data) => data,
  fromStorage(data) {
    if (data.subarray(0, ENCRYPTED.length).equals(ENCRYPTED))
      throw new Error('identity transformer tried to read encrypted data');
    return data;
  },
};

/** value.NewPrefixTransformers(fmt.Errorf("no matching prefix found"), ...). */
export class PrefixTransformers {
  constructor(readonly transformers: readonly ValueTransformer[]) {
    if (transformers.length === 0) throw new Error('at least one transformer is required');
  }

  fromStorage(data: Buffer, key: string): Decoded {
    for (let i = 0; i < this.transformers.length; i++) {
      const t = this.transformers[i];
      if (!data.subarray(0, t.prefix.length).equals(t.prefix)) continue;
      if (t.prefix.length === 0) {
        // To migrate away from encryption, identity may be listed before the encrypting provider:
        // encrypted data it cannot read goes on to the later providers (upstream's same rule).
        try {
          return { data: t.fromStorage(data, key), stale: i !== 0 };
        } catch {
          continue;
        }
      }
      return { data: t.fromStorage(data.subarray(t.prefix.length), key), stale: i !== 0 };
    }
    throw new Error('no matching prefix found');
  }

  toStorage(data: Buffer, key: string): Buffer {
    const t = this.transformers[0];
    return Buffer.concat([t.prefix, t.toStorage(data, key)]);
  }
}
