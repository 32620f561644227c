/**
 * RequestScope: what a REST handler needs for one request — the resource descriptor, the version
 * the client addressed, the object store, the negotiated output and the server environment.
 */
import type { KubeletClient } from './kubelet-client.js';
import type { TokenAuthenticator, UserInfo } from '../../authn/interfaces.js';
import type { Randomness } from '../../api/meta.js';
import { apiVersionOf, type KubeObject } from '../../api/types.js';
import type { ResourceDescriptor } from '../../registry/types.js';
import type { RequestContext } from '../context.js';
import type { ProtobufDecoder } from '../body.js';
import type { Negotiated } from './negotiate.js';
import type { ObjectStore } from './object-store.js';
import type { Authorizer } from '../../authz/interfaces.js';
import type { TokenSigner } from '../../serviceaccount/jwt.js';
import type { RbacStore } from '../../authz/rbac/store.js';
import type { RbacAuthorizer } from '../../authz/rbac/authorizer.js';

export interface ServerEnv {
  now(): Date;
  rnd: Randomness;
  protobuf?: ProtobufDecoder;
  authorizer: Authorizer;
  tokenAuthenticator?: TokenAuthenticator;
  /** The RBAC engine, when RBAC is an authorization mode (escalation checks, rules, explanations). */
  rbac?: { store: RbacStore; authorizer: RbacAuthorizer };
  /** SelfSubjectRulesReview: the rules the user has in a namespace (RBAC's rule resolver). */
  rulesResolver?: (user: UserInfo, namespace: string) => Record<string, unknown>;
  /** Service-account token issuing (TokenRequest). */
  tokens?: {
    signer: TokenSigner;
    issuer: string;
    apiAudiences: string[];
    /** --service-account-max-token-expiration in seconds; 0 = no cap. */
    maxExpirationSeconds?: number;
    /** --service-account-extend-token-expiration. */
    extendExpiration?: boolean;
  };
  /** Picks a free service cluster IP from --service-cluster-ip-range. */
  allocateClusterIp?(taken: Set<string>): string | undefined;
  /** The client towards kubelets (nodes/proxy, pods/log, exec, attach, portforward). */
  kubelet?: KubeletClient;
  /** Looks up the store of another resource (namespaces for lifecycle checks, etc.). */
  storeFor(group: string, resource: string): ObjectStore | undefined;
}

export interface RequestScope {
  ctx: RequestContext;
  desc: ResourceDescriptor;
  version: string;
  store: ObjectStore;
  out: Negotiated;
  env: ServerEnv;
}

/** The apiVersion to show for this request (multi-version resources answer in the URL's version). */
export function servedApiVersion(s: RequestScope): string {
  return apiVersionOf(s.desc.group, s.version);
}

/** A stored object as the request's version shows it (converted for multi-version kinds). */
export function asServedVersion(s: RequestScope, obj: KubeObject): KubeObject {
  const av = servedApiVersion(s);
  if (obj.apiVersion === av) return obj;
  return s.desc.convert ? s.desc.convert(obj, s.version) : { ...obj, apiVersion: av };
}
