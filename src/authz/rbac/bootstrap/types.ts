/**
 * The `rbac.authorization.k8s.io/v1` object shapes used by the bootstrap policy, reconciliation
 * and the aggregation controller (k8s.io/api/rbac/v1/types.go, metav1.LabelSelector). Objects are
 * plain JSON values as they travel on the wire. These are the exact shapes the server *produces*
 * (lists never null except aggregated rules); ../types.ts has the looser shapes the authorizer
 * *consumes* from storage, where any list may be null or missing.
 *
 * @module
 */
import type { ObjectMeta } from '../../../api/types.js';

import { RBAC_GROUP } from '../types.js';

export { RBAC_GROUP };
export const RBAC_API_VERSION = 'rbac.authorization.k8s.io/v1';
/** rbacv1.AutoUpdateAnnotationKey: "false" on an object opts it out of startup reconciliation. */
export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
/** The label every default object carries (bootstrappolicy.Label). */
export const BOOTSTRAPPING_LABEL = 'kubernetes.io/bootstrapping';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

/** metav1.LabelSelector: matchLabels and matchExpressions, AND-ed. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelector[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount' | (string & {});
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole' | (string & {});
  name: string;
}

/** Metadata with a name: every RBAC object is named. */
export type RbacMeta = ObjectMeta & { name: string };

export interface ClusterRole {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'ClusterRole';
  metadata: RbacMeta;
  /** `null` on aggregated roles until the aggregation controller fills it (no omitempty upstream). */
  rules: PolicyRule[] | null;
  aggregationRule?: AggregationRule;
}

export interface Role {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'Role';
  metadata: RbacMeta & { namespace: string };
  rules: PolicyRule[] | null;
}

export interface ClusterRoleBinding {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'ClusterRoleBinding';
  metadata: RbacMeta;
  roleRef: RoleRef;
  subjects?: Subject[];
}

export interface RoleBinding {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'RoleBinding';
  metadata: RbacMeta & { namespace: string };
  roleRef: RoleRef;
  subjects?: Subject[];
}

export type AnyRole = ClusterRole | Role;
export type AnyBinding = ClusterRoleBinding | RoleBinding;
export type RbacObject = AnyRole | AnyBinding;
