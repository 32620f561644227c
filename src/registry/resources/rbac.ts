/**
 * @module registry/resources/rbac
 *
 * rbac.authorization.k8s.io/v1 (api/discovery/apis__rbac.authorization.k8s.io__v1.json). RBAC
 * names are path segments (pkg/apis/rbac/validation ValidateRBACName), so `system:node` is valid.
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';
import { clusterRoleBindingTable, roleBindingTable } from '../printers/other.js';
import { defaultBinding } from '../defaults/core.js';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from '../validators/other.js';

export const clusterrolebindings = defineResource({
  group: 'rbac.authorization.k8s.io',
  versions: ['v1'],
  resource: 'clusterrolebindings',
  kind: 'ClusterRoleBinding',
  namespaced: false,
  nameValidation: 'path',
  table: clusterRoleBindingTable,
  defaults: defaultBinding,
  validate: validateClusterRoleBinding,
});

export const clusterroles = defineResource({
  group: 'rbac.authorization.k8s.io',
  versions: ['v1'],
  resource: 'clusterroles',
  kind: 'ClusterRole',
  namespaced: false,
  nameValidation: 'path',
  validate: validateClusterRole,
});

export const rolebindings = defineResource({
  group: 'rbac.authorization.k8s.io',
  versions: ['v1'],
  resource: 'rolebindings',
  kind: 'RoleBinding',
  namespaced: true,
  nameValidation: 'path',
  table: roleBindingTable,
  defaults: defaultBinding,
  validate: validateRoleBinding,
});

export const roles = defineResource({
  group: 'rbac.authorization.k8s.io',
  versions: ['v1'],
  resource: 'roles',
  kind: 'Role',
  namespaced: true,
  nameValidation: 'path',
  validate: validateRole,
});

export const rbacResources: ResourceDescriptor[] = [clusterrolebindings, clusterroles, rolebindings, roles];
