/**
 * Constructors for the default RBAC objects: roles and bindings with the bootstrap label and
 * autoupdate annotation (bootstrappolicy.addDefaultMetadata), and subject helpers after the
 * binding builders in pkg/apis/rbac/v1/helpers.go (`NewClusterBinding(...).Groups(...)`).
 *
 * @module
 */
import { buildRules, type RuleLike } from './rule.js';
import {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAPPING_LABEL,
  RBAC_API_VERSION,
  RBAC_GROUP,
  type ClusterRole,
  type ClusterRoleBinding,
  type LabelSelector,
  type RbacMeta,
  type Role,
  type RoleBinding,
  type Subject,
} from './types.js';

export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/** Metadata of a default object: extra labels plus the bootstrap label and autoupdate "true". */
export function defaultMeta(name: string, labels: Record<string, string> = {}): RbacMeta {
  return {
    name,
    labels: { ...labels, [BOOTSTRAPPING_LABEL]: 'rbac-defaults' },
    annotations: { [AUTOUPDATE_ANNOTATION]: 'true' },
  };
}

export interface ClusterRoleOptions {
  /** Extra labels, e.g. `{ [AGGREGATE_TO_ADMIN]: 'true' }`. */
  labels?: Record<string, string>;
  /** Aggregation selectors; the role's rules are then `null` until the controller fills them. */
  aggregate?: LabelSelector[];
}

/** A default ClusterRole with the given rules. */
export function clusterRole(name: string, rules: RuleLike[], opts: ClusterRoleOptions = {}): ClusterRole {
  const role: ClusterRole = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: defaultMeta(name, opts.labels),
    rules: opts.aggregate ? null : buildRules(rules),
  };
  if (opts.aggregate) role.aggregationRule = { clusterRoleSelectors: opts.aggregate };
  return role;
}

/** A default aggregated ClusterRole selecting roles labelled `aggregateLabel: "true"`. */
export function aggregatedClusterRole(
  name: string,
  aggregateLabel: string,
  labels?: Record<string, string>,
): ClusterRole {
  return clusterRole(name, [], { labels, aggregate: [{ matchLabels: { [aggregateLabel]: 'true' } }] });
}

/** A default namespaced Role. */
export function role(namespace: string, name: string, rules: RuleLike[]): Role {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: { ...defaultMeta(name), namespace },
    rules: buildRules(rules),
  };
}

export function user(name: string): Subject {
  return { apiGroup: RBAC_GROUP, kind: 'User', name };
}

export function group(name: string): Subject {
  return { apiGroup: RBAC_GROUP, kind: 'Group', name };
}

export function serviceAccount(namespace: string, name: string): Subject {
  return { kind: 'ServiceAccount', name, namespace };
}

/**
 * A default ClusterRoleBinding named like its ClusterRole (upstream `NewClusterBinding`). Unlike
 * upstream's builder, no subjects is allowed: `system:node` is bound to nobody.
 */
export function clusterBinding(roleName: string, subjects: Subject[]): ClusterRoleBinding {
  const b: ClusterRoleBinding = {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: defaultMeta(roleName),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
  };
  if (subjects.length) b.subjects = subjects;
  return b;
}

/** A default RoleBinding to a Role (upstream `NewRoleBinding`); `bindingName` defaults to the role. */
export function roleBinding(
  namespace: string,
  roleName: string,
  subjects: Subject[],
  bindingName = roleName,
): RoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { ...defaultMeta(bindingName), namespace },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName },
    subjects,
  };
}
