/**
 * Signing bound service-account tokens (pkg/serviceaccount/jwt.go + claims.go): RS256 with the
 * --service-account-signing-key-file key (ES256/384/512 for EC keys), `kid` =
 * base64url(SHA-256(PKIX DER of the public key)), registered claims iss/sub/aud/iat/nbf/exp/jti
 * and the private `kubernetes.io` claim (namespace, serviceaccount, optional pod/secret/node).
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject } from 'node:crypto';

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

function b64url(b: Buffer | string): string {
  return Buffer.from(b).toString('base64url');
}

export function keyId(pub: KeyObject): string {
  return b64url(
    createHash('sha256')
      .update(pub.export({ type: 'spki', format: 'der' }))
      .digest(),
  );
}

export class TokenSigner {
  private readonly key: KeyObject;
  readonly kid: string;
  private readonly alg: string;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    this.kid = keyId(createPublicKey(this.key));
    const type = this.key.asymmetricKeyType;
    if (type === 'rsa') this.alg = 'RS256';
    else if (type === 'ec') {
      const curve = this.key.asymmetricKeyDetails?.namedCurve;
      this.alg = curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : 'ES256';
    } else throw new Error(`unsupported service account signing key type ${type}`);
  }

  /**
   * A legacy Secret-based token (pkg/serviceaccount/legacy.go LegacyClaims): issuer
   * `kubernetes/serviceaccount`, no expiry, no audience, the four kubernetes.io/serviceaccount/*
   * claims naming the namespace, the Secret and the account.
   */
  signLegacy(namespace: string, serviceAccount: BoundRef, secretName: string): string {
    return this.signPayload({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': serviceAccount.name,
      'kubernetes.io/serviceaccount/service-account.uid': serviceAccount.uid,
      sub: `system:serviceaccount:${namespace}:${serviceAccount.name}`,
    });
  }

  private signPayload(payload: Record<string, unknown>): string {
    const signingInput = `${b64url(JSON.stringify({ alg: this.alg, kid: this.kid }))}.${b64url(JSON.stringify(payload))}`;
    const hash = this.alg.endsWith('384') ? 'sha384' : this.alg.endsWith('512') ? 'sha512' : 'sha256';
    const sig = this.alg.startsWith('ES')
      ? sign(hash, Buffer.from(signingInput), { key: this.key, dsaEncoding: 'ieee-p1363' })
      : sign(hash, Buffer.from(signingInput), this.key);
    return `${signingInput}.${b64url(sig)}`;
  }

  sign(c: ServiceAccountClaims): { token: string; expiresAt: number } {
    const exp = c.issuedAt + c.expirationSeconds;
    const k8s: Record<string, unknown> = { namespace: c.namespace, serviceaccount: c.serviceAccount };
    if (c.pod) k8s.pod = c.pod;
    if (c.secret) k8s.secret = c.secret;
    if (c.node) k8s.node = c.node;
    if (c.warnAfter) k8s.warnafter = c.warnAfter;
    const payload = {
      aud: c.audiences,
      exp,
      iat: c.issuedAt,
      iss: c.issuer,
      jti: randomUUID(),
      'kubernetes.io': k8s,
      nbf: c.issuedAt,
      sub: `system:serviceaccount:${c.namespace}:${c.serviceAccount.name}`,
    };
    return { token: this.signPayload(payload), expiresAt: exp };
  }
}
