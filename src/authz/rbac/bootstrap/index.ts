/**
 * The default RBAC policy and its startup reconciliation. `bootstrapObjects()` lists every object
 * in the order the `rbac/bootstrap-roles` post-start hook (pkg/registry/rbac/rest/storage_rbac.go)
 * reconciles them: cluster roles (`ClusterRoles()` + `ControllerRoles()`), cluster role bindings
 * (`ClusterRoleBindings()` + `ControllerRoleBindings()`), then namespaced roles and role bindings.
 *
 * @module
 */
import { controllerRoleBindings, controllerRoles } from './controller-policy.js';
import { apiserverKubeletClientBinding, kubeadmObjects } from './kubeadm.js';
import { namespaceRoleBindings, namespaceRoles } from './namespace-policy.js';
import { clusterRoleBindings, clusterRoles } from './policy.js';
import type { ClusterRole, ClusterRoleBinding, RbacObject, Role, RoleBinding } from './types.js';

export interface BootstrapPolicy {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roles: Role[];
  roleBindings: RoleBinding[];
}

export interface BootstrapOptions {
  /** Append the objects `kubeadm init` creates (kubeadm.ts), as `kubeauth init` would. */
  kubeadm?: boolean;
}

/** The default policy grouped by kind, each group in reconciliation order. */
export function bootstrapPolicy(opts: BootstrapOptions = {}): BootstrapPolicy {
  const byNamespace = <T>(m: Record<string, T[]>): T[] =>
    Object.keys(m)
      .sort()
      .flatMap((ns) => m[ns]);
  const policy: BootstrapPolicy = {
    clusterRoles: [...clusterRoles(), ...controllerRoles()],
    clusterRoleBindings: [...clusterRoleBindings(), ...controllerRoleBindings()],
    roles: byNamespace(namespaceRoles()),
    roleBindings: byNamespace(namespaceRoleBindings()),
  };
  if (opts.kubeadm) {
    const k = kubeadmObjects();
    policy.clusterRoles.push(...k.clusterRoles);
    policy.clusterRoleBindings.push(...k.clusterRoleBindings, apiserverKubeletClientBinding());
    policy.roles.push(...k.roles);
    policy.roleBindings.push(...k.roleBindings);
  }
  return policy;
}

/** Every default object, in the order the post-start hook reconciles them. */
export function bootstrapObjects(opts: BootstrapOptions = {}): RbacObject[] {
  const p = bootstrapPolicy(opts);
  return [...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings];
}

export { clusterRoleBindings, clusterRoles } from './policy.js';
export { controllerRoleBindings, controllerRoles } from './controller-policy.js';
export { namespaceRoleBindings, namespaceRoles } from './namespace-policy.js';
export { kubeadmObjects } from './kubeadm.js';
export { reconcileBinding, reconcileRole } from './reconcile.js';
export type {
  BindingReconcileResult,
  ReconcileBindingOptions,
  ReconcileRoleOptions,
  RoleReconcileResult,
} from './reconcile.js';
export { semanticEqual } from './semantic.js';
export { rule, RuleBuilder } from './rule.js';
export type * from './types.js';
export { AUTOUPDATE_ANNOTATION, BOOTSTRAPPING_LABEL, RBAC_API_VERSION, RBAC_GROUP } from './types.js';
