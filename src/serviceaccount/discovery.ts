/**
 * Service-account issuer discovery (pkg/serviceaccount/openidmetadata.go): the OpenID provider
 * configuration at `/.well-known/openid-configuration` and the verification keys at
 * `/openid/v1/jwks`, so that outside relying parties (a cloud IAM, Vault) can check service-account
 * tokens. Both are JSON built at start and rebuilt when the key files change; RBAC's
 * `system:service-account-issuer-discovery` ClusterRole (bound to system:serviceaccounts) grants
 * reading them.
 */
import { exportJWK } from 'jose';
import type { PublicKeyEntry } from '../authn/service-account.js';
import type { TokenSigner } from './jwt.js';
import type { ServiceAccountKeyFiles } from './key-files.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

export interface IssuerDiscoveryDocs {
  /** application/json */
  openidConfiguration: string;
  /** application/jwk-set+json */
  jwks: string;
}

function algOf(k: PublicKeyEntry): string {
  const type = k.key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = k.key.asymmetricKeyDetails?.namedCurve;
    return curve === 'secp384r1' ? 'ES384' : curve === 'secp521r1' ? 'ES512' : 'ES256';
  }
  return 'RS256';
}

/** The two documents for `issuer` and the public keys that verify its tokens. */
export async function issuerDiscoveryDocs(
  issuer: string,
  jwksUri: string,
  keys: readonly PublicKeyEntry[],
): Promise<IssuerDiscoveryDocs> {
  const jwks = await Promise.all(
    keys.map(async (k) => ({ use: 'sig', ...(await exportJWK(k.key)), kid: k.kid, alg: algOf(k) })),
  );
  const algs = [...new Set(keys.map(algOf))].sort();
  return {
    openidConfiguration: JSON.stringify({
      issuer,
      jwks_uri: jwksUri,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: algs,
    }),
    jwks: JSON.stringify({ keys: jwks }),
  };
}

export interface FollowKeysOptions {
  /** The issuer whose documents are published; none (no https issuer): nothing published. */
  issuer?: string;
  jwksUri: string;
  keys: readonly PublicKeyEntry[] | (() => readonly PublicKeyEntry[]);
  publish: (docs: IssuerDiscoveryDocs) => void;
  /** The watched key files: a new signing key goes to `signer`, new keys to the documents. */
  keyFiles?: ServiceAccountKeyFiles;
  signer?: TokenSigner;
  log: (m: string) => void;
}

/**
 * Publishes the discovery documents now and again whenever the verification keys change, and
 * hands a changed signing key to the signer; starts the key files' watch.
 */
export async function followServiceAccountKeys(o: FollowKeysOptions): Promise<void> {
  const publish = async (): Promise<void> => {
    if (!o.issuer) return;
    const keys = typeof o.keys === 'function' ? o.keys() : o.keys;
    o.publish(await issuerDiscoveryDocs(o.issuer, o.jwksUri, keys));
  };
  await publish();
  const files = o.keyFiles;
  if (!files) return;
  let chain = Promise.resolve();
  files.onChange((change) => {
    const pem = files.signingKeyPem();
    if (change.signing && pem) o.signer?.setKey(pem);
    // Chained, so that two quick changes are published in order.
    if (change.verification)
      chain = chain
        .then(publish)
        .catch((e: Error) => o.log(`service account issuer discovery: ${e.message}`));
  });
  files.start();
}
