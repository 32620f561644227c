/**
 * The rbac.authorization.k8s.io/v1 object shapes the engine consumes (k8s.io/api/rbac/v1/types.go),
 * as plain JSON: arrays may be absent or null, exactly as they arrive from the watch cache.
 *
 * @module
 */

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const VERB_ALL = '*';
export const API_GROUP_ALL = '*';
export const RESOURCE_ALL = '*';
export const NON_RESOURCE_ALL = '*';
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[] | null;
  resources?: string[] | null;
  resourceNames?: string[] | null;
  nonResourceURLs?: string[] | null;
}

/** A binding subject: User, Group or ServiceAccount (anything else never matches). */
export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface RbacObjectMeta {
  name: string;
  namespace?: string;
  [k: string]: unknown;
}

export interface AggregationRule {
  clusterRoleSelectors?: Array<Record<string, unknown>> | null;
}

export interface Role {
  apiVersion?: string;
  kind: 'Role';
  metadata: RbacObjectMeta;
  rules?: PolicyRule[] | null;
}

export interface ClusterRole {
  apiVersion?: string;
  kind: 'ClusterRole';
  metadata: RbacObjectMeta;
  rules?: PolicyRule[] | null;
  aggregationRule?: AggregationRule | null;
}

export interface RoleBinding {
  apiVersion?: string;
  kind: 'RoleBinding';
  metadata: RbacObjectMeta;
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

export interface ClusterRoleBinding {
  apiVersion?: string;
  kind: 'ClusterRoleBinding';
  metadata: RbacObjectMeta;
  subjects?: Subject[] | null;
  roleRef: RoleRef;
}

export type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;
export type RbacKind = RbacObject['kind'];
export type AnyBinding = RoleBinding | ClusterRoleBinding;
export type AnyRole = Role | ClusterRole;

/** The user attributes RBAC looks at (a subset of authn UserInfo). */
export interface RbacUser {
  name: string;
  groups: readonly string[];
}
