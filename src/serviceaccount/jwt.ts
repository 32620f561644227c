/**
 * Signing service-account tokens (pkg/serviceaccount/jwt.go + claims.go + legacy.go) with the
 * `jose` library: RS256 with the --service-account-signing-key-file key (ES256/384/512 for EC
 * keys by curve, as jwt.go signerFromECDSAPrivateKey), `kid` = base64url(SHA-256(PKIX DER of the
 * public key)) (jwt.go keyIDFromPublicKey), registered claims iss/sub/aud/iat/nbf/exp/jti and the
 * private `kubernetes.io` claim (namespace, serviceaccount, optional pod/secret/node/warnafter).
 *
 * The key can be replaced while running (`setKey`, the key file watched by key-files.ts); each
 * token is signed with one consistent {key, kid, alg} snapshot.
 *
 * @module
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';

export interface BoundRef {
  name: string;
  uid: string;
}

export interface ServiceAccountClaims {
  issuer: string;
  audiences: string[];
  namespace: string;
  serviceAccount: BoundRef;
  pod?: BoundRef;
  secret?: BoundRef;
  node?: BoundRef;
  /** Seconds since the epoch. */
  issuedAt: number;
  expirationSeconds: number;
  warnAfter?: number;
}

/** jwt.go keyIDFromPublicKey: base64url (no padding) of SHA-256 over the PKIX DER. */
export function keyId(pub: KeyObject): string {
  return createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest()
    .toString('base64url');
}

interface SigningKey {
  key: KeyObject;
  kid: string;
  alg: 'RS256' | 'ES256' | 'ES384' | 'ES512';
}

/**
 * The signing key of a PEM private key; throws with the reason when it cannot sign (jwt.go
 * JWTTokenGenerator accepts RSA and ECDSA P-256/384/521 keys, with its error texts; jose refuses RSA
 * under 2048 bits, which upstream's go-jose signs with: refused here with the reason).
 */
export function signingKeyFromPem(privateKeyPem: string): SigningKey {
  const key = createPrivateKey(privateKeyPem);
  const type = key.asymmetricKeyType;
  let alg: SigningKey['alg'];
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error(`RSA signing key of ${bits} bits: at least 2048 bits are required`);
    alg = 'RS256';
  } else if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') alg = 'ES256';
    else if (curve === 'secp384r1') alg = 'ES384';
    else if (curve === 'secp521r1') alg = 'ES512';
    else throw new Error('unknown private key curve, must be 256, 384, or 521');
  } else
    throw new Error(`unknown private key type ${String(type)}, must be *rsa.PrivateKey or *ecdsa.PrivateKey`);
  return { key, kid: keyId(createPublicKey(key)), alg };
}

export class TokenSigner {
  private k: SigningKey;

  constructor(privateKeyPem: string) {
    this.k = signingKeyFromPem(privateKeyPem);
  }

  /** The current key's id (the JWS `kid` header of new tokens). */
  get kid(): string {
    return this.k.kid;
  }

  get alg(): string {
    return this.k.alg;
  }

  /** Replaces the signing key; throws (keeping the current key) when `pem` cannot sign. */
  setKey(privateKeyPem: string): void {
    this.k = signingKeyFromPem(privateKeyPem);
  }

  /**
   * A legacy Secret-based token (pkg/serviceaccount/legacy.go LegacyClaims): issuer
   * `kubernetes/serviceaccount`, no expiry, no audience, the four kubernetes.io/serviceaccount/*
   * claims naming the namespace, the Secret and the account.
   */
  signLegacy(namespace: string, serviceAccount: BoundRef, secretName: string): Promise<string> {
    return this.signPayload({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': serviceAccount.name,
      'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.uid,
      sub: `system:serviceaccount:${namespace}:${serviceAccount.name}`,
    });
  }

  /** A bound token (claims.go Claims); `expiresAt` in seconds since the epoch. */
  async sign(c: ServiceAccountClaims): Promise<{ token: string; expiresAt: number }> {
    const exp = c.issuedAt + c.expirationSeconds;
    const k8s: Record<string, unknown> = { namespace: c.namespace, serviceaccount: c.serviceAccount };
    if (c.pod) k8s.pod = c.pod;
    if (c.secret) k8s.secret = c.secret;
    if (c.node) k8s.node = c.node;
    if (c.warnAfter) k8s.warnafter = c.warnAfter;
    const token = await this.signPayload({
      aud: c.audiences,
      exp,
      iat: c.issuedAt,
      iss: c.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: c.issuedAt,
      sub: `system:serviceaccount:${c.namespace}:${c.serviceAccount.name}`,
    });
    return { token, expiresAt: exp };
  }

  /** The protected header is exactly {alg, kid}, as go-jose writes it for upstream's signer. */
  private signPayload(payload: JWTPayload): Promise<string> {
    const { key, kid, alg } = this.k;
    return new SignJWT(payload).setProtectedHeader({ alg, kid }).sign(key);
  }
}
