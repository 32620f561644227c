/**
 * Service-account token authentication, after pkg/serviceaccount/jwt.go, claims.go and legacy.go.
 *
 * Two authenticators share one implementation, as in kube-apiserver's authenticator config:
 * - bound tokens (TokenRequest, projected volumes): `iss` is one of --service-account-issuer,
 *   registered claims iss/sub/aud/iat/nbf/exp/jti, the `kubernetes.io` private claim; the service
 *   account and the bound Pod, Secret or Node must still exist with the same uid;
 * - legacy Secret tokens: `iss` = `kubernetes/serviceaccount`, the four
 *   `kubernetes.io/serviceaccount/*` claims; with --service-account-lookup the Secret must still
 *   hold this very token and the account must exist with the claimed uid.
 *
 * The flow is upstream's: a cheap look at the unverified payload decides whether the token is ours
 * at all (three parts, not JSON, an accepted issuer; otherwise "not mine", so OIDC can try it);
 * the signature is verified with the `jose` library against the configured public keys (chosen by
 * `kid`, all when none matches), accepting only asymmetric algorithms (no `none`, no HMAC); then
 * the issuer is re-checked, audiences intersected with the request's, times checked with go-jose's
 * one-minute leeway, and the objects looked up in memory (the watch caches).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify, errors as joseErrors } from 'jose';
import type { KubeObject } from '../api/types.js';
import { keyId } from '../serviceaccount/jwt.js';
import type { AuthResult, TokenAuthenticator, UserInfo } from './interfaces.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** go-jose's jwt.DefaultLeeway. */
const LEEWAY_SECONDS = 60;
/** Upstream's allowed signature algorithms (jwt.go): asymmetric only. */
export const SIGNATURE_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
];

export const EXTRA_POD_NAME = 'authentication.kubernetes.io/pod-name';
export const EXTRA_POD_UID = 'authentication.kubernetes.io/pod-uid';
export const EXTRA_NODE_NAME = 'authentication.kubernetes.io/node-name';
export const EXTRA_NODE_UID = 'authentication.kubernetes.io/node-uid';
export const EXTRA_CREDENTIAL_ID = 'authentication.kubernetes.io/credential-id';

/** In-memory look-ups of the objects a token is bound to (kept current by watches). */
export interface ServiceAccountGetter {
  serviceAccount(namespace: string, name: string): KubeObject | undefined;
  secret(namespace: string, name: string): KubeObject | undefined;
  pod(namespace: string, name: string): KubeObject | undefined;
  node(name: string): KubeObject | undefined;
}

export interface PublicKeyEntry {
  key: KeyObject;
  kid: string;
}

/** Every public key in PEM text (public keys, private keys, certificates; RSA and ECDSA). */
export function parsePublicKeysPem(pem: string, source = 'key file'): PublicKeyEntry[] {
  const blocks = pem.match(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
  const out: PublicKeyEntry[] = [];
  for (const block of blocks) {
    const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(block)![1];
    if (!/PUBLIC KEY|PRIVATE KEY|CERTIFICATE/.test(label)) continue;
    if (label === 'ENCRYPTED PRIVATE KEY')
      throw new Error(`${source}: encrypted private keys are not supported`);
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch (e) {
      throw new Error(`${source}: cannot parse ${label}: ${(e as Error).message}`, { cause: e });
    }
    const type = key.asymmetricKeyType;
    if (type !== 'rsa' && type !== 'ec' && type !== 'rsa-pss')
      throw new Error(`${source}: unsupported key type ${String(type)} (RSA or ECDSA keys only)`);
    out.push({ key, kid: keyId(key) });
  }
  if (!out.length) throw new Error(`${source}: data does not contain any valid RSA or ECDSA public keys`);
  return out;
}

export interface ServiceAccountAuthOptions {
  /** Issuers this authenticator accepts: the --service-account-issuer values, or [LEGACY_ISSUER]. */
  issuers: string[];
  /** The verification keys, or where to read the current ones (the key files are reloaded). */
  keys: readonly PublicKeyEntry[] | (() => readonly PublicKeyEntry[]);
  /** The API audiences: what a token without `aud`, or a request without audiences, means. */
  implicitAudiences: string[];
  getter: ServiceAccountGetter;
  /** Legacy tokens only: check the Secret and the account (--service-account-lookup, default true). */
  lookup: boolean;
  now?: () => Date;
}

interface BoundClaims {
  namespace?: string;
  serviceaccount?: { name?: string; uid?: string };
  pod?: { name?: string; uid?: string };
  secret?: { name?: string; uid?: string };
  node?: { name?: string; uid?: string };
  warnafter?: number;
}

type Payload = Record<string, unknown>;

/** The unverified payload's issuer when the token looks like a JWT (upstream hasCorrectIssuer). */
function unverifiedIssuer(token: string): string | undefined {
  if (token.trimStart().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    const iss = (claims as { iss?: unknown } | null)?.iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** The protected header's `kid`, without verifying anything. */
function unverifiedKid(token: string): string {
  try {
    const h = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof h.kid === 'string' ? h.kid : '';
  } catch {
    return '';
  }
}

const fail = (message: string): AuthResult => ({ ok: false, error: new Error(message) });
const goList = (xs: readonly string[]): string => `[${xs.join(' ')}]`;

export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  private readonly issuers: Set<string>;
  private readonly legacy: boolean;
  private readonly now: () => Date;

  constructor(private readonly o: ServiceAccountAuthOptions) {
    this.issuers = new Set(o.issuers);
    this.legacy = o.issuers.length === 1 && o.issuers[0] === LEGACY_ISSUER;
    this.now = o.now ?? (() => new Date());
  }

  async authenticateToken(token: string, audiences: string[]): Promise<AuthResult> {
    const iss = unverifiedIssuer(token);
    if (iss === undefined || !this.issuers.has(iss)) return { ok: false };
    const payload = await this.verify(token);
    if ('error' in payload) return fail(payload.error);
    const claims = payload.claims;
    if (typeof claims.iss !== 'string' || !this.issuers.has(claims.iss))
      return fail(`token issuer "${String(claims.iss)}" is invalid`);
    const tokenAuds = audienceList(claims.aud);
    const tokenAudiences = tokenAuds.length ? tokenAuds : this.o.implicitAudiences;
    const requested = audiences.length ? audiences : this.o.implicitAudiences;
    const auds = tokenAudiences.filter((a) => requested.includes(a));
    if (auds.length === 0 && this.o.implicitAudiences.length)
      return fail(
        `token audiences ${JSON.stringify(goList(tokenAudiences))} is invalid for the target audiences ${JSON.stringify(goList(requested))}`,
      );
    const user = this.legacy ? this.validateLegacy(token, claims) : this.validateBound(claims);
    if ('error' in user) return fail(user.error);
    return { ok: true, response: { user, audiences: auds } };
  }

  /** Signature verification: keys with the token's kid, else every key. */
  private async verify(token: string): Promise<{ claims: Payload } | { error: string }> {
    const kid = unverifiedKid(token);
    const all = typeof this.o.keys === 'function' ? this.o.keys() : this.o.keys;
    const byKid = kid ? all.filter((k) => k.kid === kid) : [];
    const keys = byKid.length ? byKid : all;
    if (!keys.length) return { error: 'invalid signature, no keys found' };
    const errs: string[] = [];
    for (const { key } of keys) {
      try {
        const { payload } = await compactVerify(token, key, { algorithms: SIGNATURE_ALGORITHMS });
        const claims = JSON.parse(new TextDecoder().decode(payload)) as unknown;
        if (!claims || typeof claims !== 'object' || Array.isArray(claims))
          return { error: 'invalid claims' };
        return { claims: claims as Payload };
      } catch (e) {
        errs.push(
          e instanceof joseErrors.JOSEAlgNotAllowed
            ? 'unexpected signature algorithm'
            : e instanceof joseErrors.JWSSignatureVerificationFailed
              ? 'square/go-jose: error in cryptographic primitive'
              : (e as Error).message,
        );
      }
    }
    const unique = [...new Set(errs)];
    return { error: unique.length === 1 ? unique[0] : `[${unique.join(', ')}]` };
  }

  /** claims.go Validate: times, then the account and the bound object. */
  private validateBound(c: Payload): UserInfo | { error: string } {
    const nowS = Math.floor(this.now().getTime() / 1000);
    const nbf = numericDate(c.nbf);
    const exp = numericDate(c.exp);
    const iat = numericDate(c.iat);
    if (nbf !== undefined && nowS + LEEWAY_SECONDS < nbf)
      return { error: 'service account token is not valid yet' };
    if (exp !== undefined && nowS - LEEWAY_SECONDS > exp)
      return { error: 'service account token has expired' };
    if (iat !== undefined && nowS + LEEWAY_SECONDS < iat)
      return {
        error: 'service account token claims could not be validated due to unexpected validation error',
      };
    const k8s = (c['kubernetes.io'] ?? {}) as BoundClaims;
    const namespace = k8s.namespace ?? '';
    const saRef = k8s.serviceaccount ?? {};
    const deletedBefore = nowS - LEEWAY_SECONDS;
    const sa = this.o.getter.serviceAccount(namespace, saRef.name ?? '');
    if (!sa) return { error: `serviceaccounts "${saRef.name ?? ''}" not found` };
    if (deletedSince(sa, deletedBefore))
      return { error: `service account ${namespace}/${saRef.name} has been deleted` };
    if ((sa.metadata?.uid ?? '') !== (saRef.uid ?? ''))
      return {
        error: `service account UID (${sa.metadata?.uid ?? ''}) does not match claim (${saRef.uid ?? ''})`,
      };
    const extra: Record<string, string[]> = {};
    if (k8s.secret) {
      const s = this.o.getter.secret(namespace, k8s.secret.name ?? '');
      if (!s || deletedSince(s, deletedBefore))
        return { error: 'service account token has been invalidated' };
      if ((k8s.secret.uid ?? '') !== (s.metadata?.uid ?? ''))
        return {
          error: `secret UID (${s.metadata?.uid ?? ''}) does not match service account secret ref claim (${k8s.secret.uid ?? ''})`,
        };
    }
    if (k8s.pod) {
      const p = this.o.getter.pod(namespace, k8s.pod.name ?? '');
      if (!p || deletedSince(p, deletedBefore))
        return { error: 'service account token has been invalidated' };
      if ((k8s.pod.uid ?? '') !== (p.metadata?.uid ?? ''))
        return {
          error: `pod UID (${p.metadata?.uid ?? ''}) does not match service account pod ref claim (${k8s.pod.uid ?? ''})`,
        };
      extra[EXTRA_POD_NAME] = [k8s.pod.name ?? ''];
      extra[EXTRA_POD_UID] = [k8s.pod.uid ?? ''];
    }
    if (k8s.node) {
      // A token bound to a Node (TokenRequest boundObjectRef kind Node), or a pod token that names
      // its node: the node must still exist; a node-bound token also needs the same uid.
      const n = this.o.getter.node(k8s.node.name ?? '');
      if (!k8s.pod) {
        if (!n || deletedSince(n, deletedBefore))
          return { error: 'service account token has been invalidated' };
        if ((k8s.node.uid ?? '') !== (n.metadata?.uid ?? ''))
          return {
            error: `node UID (${n.metadata?.uid ?? ''}) does not match service account node ref claim (${k8s.node.uid ?? ''})`,
          };
      }
      extra[EXTRA_NODE_NAME] = [k8s.node.name ?? ''];
      if (k8s.node.uid) extra[EXTRA_NODE_UID] = [k8s.node.uid];
    }
    if (typeof c.jti === 'string' && c.jti) extra[EXTRA_CREDENTIAL_ID] = [`JTI=${c.jti}`];
    return saUser(namespace, saRef.name ?? '', saRef.uid ?? '', extra);
  }

  /** legacy.go Validate. */
  private validateLegacy(token: string, c: Payload): UserInfo | { error: string } {
    const str = (k: string): string => (typeof c[k] === 'string' ? (c[k] as string) : '');
    const sub = str('sub');
    if (!sub) return { error: 'sub claim is missing' };
    const namespace = str('kubernetes.io/serviceaccount/namespace');
    if (!namespace) return { error: 'namespace claim is missing' };
    const secretName = str('kubernetes.io/serviceaccount/secret.name');
    if (!secretName) return { error: 'secretName claim is missing' };
    const saName = str('kubernetes.io/serviceaccount/service-account.name');
    if (!saName) return { error: 'serviceAccountName claim is missing' };
    const saUid = str('kubernetes.io/serviceaccount/service-account.uid');
    if (!saUid) return { error: 'serviceAccountUID claim is missing' };
    const split = splitServiceAccountUsername(sub);
    if (!split || split.namespace !== namespace || split.name !== saName)
      return { error: 'sub claim is invalid' };
    if (this.o.lookup) {
      const secret = this.o.getter.secret(namespace, secretName);
      if (!secret || secret.metadata?.deletionTimestamp) return { error: 'Token has been invalidated' };
      const stored = (secret.data as Record<string, string> | undefined)?.token;
      if (!stored || Buffer.from(stored, 'base64').toString('utf8') !== token)
        return { error: "Token does not match server's copy" };
      const sa = this.o.getter.serviceAccount(namespace, saName);
      if (!sa) return { error: `serviceaccounts "${saName}" not found` };
      if (sa.metadata?.deletionTimestamp)
        return { error: `ServiceAccount ${namespace}/${saName} has been deleted` };
      if (sa.metadata?.uid !== saUid)
        return { error: `ServiceAccount UID (${sa.metadata?.uid ?? ''}) does not match claim (${saUid})` };
    }
    return saUser(namespace, saName, saUid, {});
  }
}

function saUser(namespace: string, name: string, uid: string, extra: Record<string, string[]>): UserInfo {
  return {
    name: `system:serviceaccount:${namespace}:${name}`,
    uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
    extra,
  };
}

function audienceList(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

function numericDate(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function deletedSince(o: KubeObject, beforeSeconds: number): boolean {
  const ts = o.metadata?.deletionTimestamp;
  return typeof ts === 'string' && Date.parse(ts) / 1000 < beforeSeconds;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** apiserver serviceaccount.SplitUsername. */
export function splitServiceAccountUsername(u: string): { namespace: string; name: string } | undefined {
  const prefix = 'system:serviceaccount:';
  if (!u.startsWith(prefix)) return undefined;
  const parts = u.slice(prefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}
