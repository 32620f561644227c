/**
 * Authorization contracts, after k8s.io/apiserver/pkg/authorization/authorizer/interfaces.go.
 * A decision is Allow, Deny or NoOpinion with a reason; an error with Allow is ignored by the
 * filter, an error with anything else is a 500. Authorizers may answer synchronously (the common,
 * cached case) or with a promise (webhook).
 */
import type { UserInfo } from '../authn/interfaces.js';

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
  fieldSelector?: string;
  labelSelector?: string;
}

export interface AuthzResult {
  decision: Decision;
  reason: string;
  error?: Error;
}

export interface Authorizer {
  /** Name used as the reason prefix in unions ("RBAC", "Node", "Webhook"...). */
  readonly name: string;
  authorize(a: Attributes): AuthzResult | Promise<AuthzResult>;
}

type ResourceFields = Pick<Attributes, 'verb'> &
  Partial<
    Pick<
      Attributes,
      | 'namespace'
      | 'apiGroup'
      | 'apiVersion'
      | 'resource'
      | 'subresource'
      | 'name'
      | 'fieldSelector'
      | 'labelSelector'
    >
  >;

/** Attributes of a resource request (unset fields empty): the one way code builds them by hand. */
export function resourceAttributes(user: UserInfo, f: ResourceFields): Attributes {
  return {
    user,
    isResourceRequest: true,
    path: '',
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
    ...f,
  };
}

/** Attributes of a non-resource request (a URL path such as /healthz). */
export function nonResourceAttributes(user: UserInfo, verb: string, path: string): Attributes {
  return {
    user,
    verb,
    isResourceRequest: false,
    path,
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}
