/**
 * The default namespaced Roles and RoleBindings in kube-system and kube-public, after
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/namespace_policy.go (`NamespaceRoles()`,
 * `NamespaceRoleBindings()`); they equal testdata/namespace-roles.yaml and
 * namespace-role-bindings.yaml.
 *
 * @module
 */
import { KubeControllerManager, KubeScheduler } from './policy.js';
import { role, roleBinding, serviceAccount, user } from './objects.js';
import { Read, coordinationGroup, eventsRule, legacyGroup, rule } from './rule.js';
import type { Role, RoleBinding } from './types.js';

export const NamespaceSystem = 'kube-system';
export const NamespacePublic = 'kube-public';

/** The default Roles by namespace. */
export function namespaceRoles(): Record<string, Role[]> {
  const leaderLocking = (component: string): Role =>
    role(NamespaceSystem, `system::leader-locking-${component}`, [
      rule('watch', 'get', 'list', 'create', 'update').groups(coordinationGroup).resources('leases'),
      rule('watch', 'get', 'list', 'create', 'update').groups(coordinationGroup).resources('leasecandidates'),
    ]);
  return {
    [NamespaceSystem]: [
      // reads the configmap with the client CA and request-header settings of the authentication
      role(NamespaceSystem, 'extension-apiserver-authentication-reader', [
        rule(Read).groups(legacyGroup).resources('configmaps').names('extension-apiserver-authentication'),
      ]),
      // leader election of the controller manager and the scheduler
      leaderLocking('kube-controller-manager'),
      leaderLocking('kube-scheduler'),
      // the bootstrap signer reads bootstrap token secrets
      role(NamespaceSystem, 'system:controller:bootstrap-signer', [
        rule(Read).groups(legacyGroup).resources('secrets'),
      ]),
      // the cloud provider keeps its state in configmaps
      role(NamespaceSystem, 'system:controller:cloud-provider', [
        rule('create', 'get', 'list', 'watch').groups(legacyGroup).resources('configmaps'),
      ]),
      // the token cleaner deletes expired bootstrap token secrets
      role(NamespaceSystem, 'system:controller:token-cleaner', [
        rule('delete', 'get', 'list', 'watch').groups(legacyGroup).resources('secrets'),
        eventsRule(),
      ]),
    ],
    [NamespacePublic]: [
      // the bootstrap signer signs the cluster-info configmap
      role(NamespacePublic, 'system:controller:bootstrap-signer', [
        rule(Read).groups(legacyGroup).resources('configmaps'),
        rule('update').groups(legacyGroup).resources('configmaps').names('cluster-info'),
        eventsRule(),
      ]),
    ],
  };
}

/** The default RoleBindings by namespace. */
export function namespaceRoleBindings(): Record<string, RoleBinding[]> {
  const sa = (name: string) => serviceAccount(NamespaceSystem, name);
  return {
    [NamespaceSystem]: [
      roleBinding(NamespaceSystem, 'system::leader-locking-kube-controller-manager', [
        user(KubeControllerManager),
        sa('kube-controller-manager'),
        sa('leader-election-controller'),
      ]),
      roleBinding(NamespaceSystem, 'system::leader-locking-kube-scheduler', [
        user(KubeScheduler),
        sa('kube-scheduler'),
      ]),
      roleBinding(NamespaceSystem, 'system:controller:bootstrap-signer', [sa('bootstrap-signer')]),
      roleBinding(NamespaceSystem, 'system:controller:cloud-provider', [sa('cloud-provider')]),
      roleBinding(NamespaceSystem, 'system:controller:token-cleaner', [sa('token-cleaner')]),
      roleBinding(
        NamespaceSystem,
        'extension-apiserver-authentication-reader',
        [user(KubeControllerManager), user(KubeScheduler)],
        'system::extension-apiserver-authentication-reader',
      ),
    ],
    [NamespacePublic]: [
      roleBinding(NamespacePublic, 'system:controller:bootstrap-signer', [sa('bootstrap-signer')]),
    ],
  };
}
