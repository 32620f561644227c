/**
 * @module apiserver/dynamic-serving
 *
 * A serving certificate and key read from their files and re-read when they change, after
 * upstream's DynamicCertKeyPairContent (staging/src/k8s.io/apiserver/pkg/server/dynamiccertificates/
 * dynamic_serving_content.go, NewDynamicServingContentFromFiles; SNI pairs use
 * NewDynamicSNIContentFromFiles with purpose `sni-serving-cert`). The pair is taken only when both
 * files are non-empty, the certificate parses and the key matches it (Go's tls.X509KeyPair); else
 * the previous pair stays and the failure is logged. Because the two files are replaced one after
 * the other, a check between the two sees a mismatch, keeps the old pair, and takes the new one on
 * the next tick, as upstream's handleWatchEvent describes.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { DynamicFileContent } from '../authn/dynamic-file.js';
import { splitPem } from '../authn/x509.js';
import { keyMatches } from '../pki/keys.js';

export interface CertKey {
  /** PEM certificate, optionally followed by its chain. */
  cert: string;
  key: string;
}

/** Throws with Go's tls.X509KeyPair-like text when `cert`/`key` are not a usable pair. */
export function validateCertKeyPair(pair: CertKey, name: string): CertKey {
  if (!pair.cert.trim() || !pair.key.trim()) throw new Error(`missing content for serving cert "${name}"`);
  const blocks = splitPem(pair.cert);
  if (!blocks.length) throw new Error('tls: failed to find any PEM data in certificate input');
  new X509Certificate(blocks[0]);
  try {
    createPrivateKey(pair.key);
  } catch {
    throw new Error('tls: failed to find any PEM data in key input');
  }
  if (!keyMatches(pair.key, blocks[0])) throw new Error('tls: private key does not match public key');
  return pair;
}

export class DynamicCertKeyPair extends DynamicFileContent<CertKey> {
  constructor(
    readonly certFile: string,
    readonly keyFile: string,
    o: {
      purpose?: 'serving-cert' | 'sni-serving-cert';
      log?: (msg: string) => void;
      initial?: CertKey;
    } = {},
  ) {
    const name = `${o.purpose ?? 'serving-cert'}::${certFile}::${keyFile}`;
    super({
      name,
      files: [certFile, keyFile],
      what: 'cert/key pair',
      log: o.log,
      initial: o.initial ? [o.initial.cert, o.initial.key] : undefined,
      parse: ([cert, key]) => validateCertKeyPair({ cert, key }, name),
    });
  }
}
