/**
 * The default ClusterRoles and ClusterRoleBindings of kube-apiserver, after
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (`ClusterRoles()`,
 * `ClusterRoleBindings()`). They equal upstream's testdata/cluster-roles.yaml and
 * cluster-role-bindings.yaml (default feature gates, 1.36 development line), rule for rule; see
 * policy.test.ts. The system component roles live in component-policy.ts.
 *
 * @module
 */
import { componentClusterRoles } from './component-policy.js';
import {
  AGGREGATE_TO_ADMIN,
  AGGREGATE_TO_EDIT,
  AGGREGATE_TO_VIEW,
  aggregatedClusterRole,
  clusterBinding,
  clusterRole,
  group,
  serviceAccount,
  user,
} from './objects.js';
import {
  Read,
  ReadWrite,
  Write,
  appsGroup,
  authenticationGroup,
  authorizationGroup,
  autoscalingGroup,
  batchGroup,
  certificatesGroup,
  coordinationGroup,
  discoveryGroup,
  eventsGroup,
  extensionsGroup,
  legacyGroup,
  networkingGroup,
  policyGroup,
  rbacGroup,
  resourceGroup,
  rule,
} from './rule.js';
import type { ClusterRole, ClusterRoleBinding } from './types.js';

/** Well-known users and groups (k8s.io/apiserver/pkg/authentication/user). */
export const SystemPrivilegedGroup = 'system:masters';
export const AllAuthenticated = 'system:authenticated';
export const AllUnauthenticated = 'system:unauthenticated';
export const MonitoringGroup = 'system:monitoring';
export const AllServiceAccounts = 'system:serviceaccounts';
export const KubeProxy = 'system:kube-proxy';
export const KubeControllerManager = 'system:kube-controller-manager';
export const KubeScheduler = 'system:kube-scheduler';

/** The user-facing roles: cluster-admin, admin/edit/view and their aggregated parts. */
function userFacingRoles(): ClusterRole[] {
  return [
    // a "root" role which can do absolutely anything
    clusterRole('cluster-admin', [rule('*').groups('*').resources('*'), rule('*').urls('*')]),

    // a role for a namespace level admin: `edit` plus the power to grant permissions to other users
    aggregatedClusterRole('admin', AGGREGATE_TO_ADMIN),
    // a role for a namespace level editor: all user level actions in a namespace, but not the
    // "privileged" resources of the system (`/status` subresources, quota and limits)
    aggregatedClusterRole('edit', AGGREGATE_TO_EDIT, { [AGGREGATE_TO_ADMIN]: 'true' }),
    // a role for namespace level viewing: read-only access to non-escalating resources
    aggregatedClusterRole('view', AGGREGATE_TO_VIEW, { [AGGREGATE_TO_EDIT]: 'true' }),

    clusterRole(
      'system:aggregate-to-admin',
      [
        // additional admin powers
        rule('create').groups(authorizationGroup).resources('localsubjectaccessreviews'),
        rule(ReadWrite).groups(rbacGroup).resources('roles', 'rolebindings'),
      ],
      { labels: { [AGGREGATE_TO_ADMIN]: 'true' } },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        // allow read on escalating resources
        rule(Read)
          .groups(legacyGroup)
          .resources(
            'pods/attach',
            'pods/proxy',
            'pods/exec',
            'pods/portforward',
            'secrets',
            'services/proxy',
          ),
        rule('impersonate').groups(legacyGroup).resources('serviceaccounts'),
        rule(Write)
          .groups(legacyGroup)
          .resources('pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward'),
        rule('create').groups(legacyGroup).resources('pods/eviction'),
        // endpoints write was removed (CVE-2021-25740): it lets a user redirect a Service
        rule(Write)
          .groups(legacyGroup)
          .resources(
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'serviceaccounts',
            'services',
            'services/proxy',
            'persistentvolumeclaims',
            'configmaps',
            'secrets',
          ),
        rule('create').groups(legacyGroup).resources('serviceaccounts/token'),
        rule(Write).groups(legacyGroup, eventsGroup).resources('events'),
        rule(Write)
          .groups(appsGroup)
          .resources(
            'statefulsets',
            'statefulsets/scale',
            'daemonsets',
            'deployments',
            'deployments/scale',
            'deployments/rollback',
            'replicasets',
            'replicasets/scale',
          ),
        rule(Write).groups(autoscalingGroup).resources('horizontalpodautoscalers'),
        rule(Write).groups(batchGroup).resources('jobs', 'cronjobs'),
        rule(Write)
          .groups(extensionsGroup)
          .resources(
            'daemonsets',
            'deployments',
            'deployments/scale',
            'deployments/rollback',
            'ingresses',
            'replicasets',
            'replicasets/scale',
            'replicationcontrollers/scale',
            'networkpolicies',
          ),
        rule(Write).groups(policyGroup).resources('poddisruptionbudgets'),
        rule(Write).groups(networkingGroup).resources('networkpolicies', 'ingresses'),
        rule(ReadWrite).groups(coordinationGroup).resources('leases'),
        // DynamicResourceAllocation
        rule(Write).groups(resourceGroup).resources('resourceclaims', 'resourceclaimtemplates'),
      ],
      { labels: { [AGGREGATE_TO_EDIT]: 'true' } },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        rule(Read)
          .groups(legacyGroup)
          .resources(
            'pods',
            'replicationcontrollers',
            'replicationcontrollers/scale',
            'serviceaccounts',
            'services',
            'services/status',
            'endpoints',
            'persistentvolumeclaims',
            'persistentvolumeclaims/status',
            'configmaps',
          ),
        rule(Read)
          .groups(legacyGroup)
          .resources(
            'limitranges',
            'resourcequotas',
            'bindings',
            'pods/status',
            'resourcequotas/status',
            'namespaces/status',
            'replicationcontrollers/status',
            'pods/log',
          ),
        // read access to namespaces at the namespace scope means you can read *this* namespace;
        // this can be used as an indicator of which namespaces you have access to
        rule(Read).groups(legacyGroup).resources('namespaces'),
        rule(Read).groups(legacyGroup, eventsGroup).resources('events'),
        rule(Read).groups(discoveryGroup).resources('endpointslices'),
        rule(Read)
          .groups(appsGroup)
          .resources(
            'controllerrevisions',
            'statefulsets',
            'statefulsets/status',
            'statefulsets/scale',
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/status',
            'deployments/scale',
            'replicasets',
            'replicasets/status',
            'replicasets/scale',
          ),
        rule(Read)
          .groups(autoscalingGroup)
          .resources('horizontalpodautoscalers', 'horizontalpodautoscalers/status'),
        rule(Read).groups(batchGroup).resources('jobs', 'cronjobs', 'cronjobs/status', 'jobs/status'),
        rule(Read)
          .groups(extensionsGroup)
          .resources(
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'ingresses',
            'ingresses/status',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'replicationcontrollers/scale',
            'networkpolicies',
          ),
        rule(Read).groups(policyGroup).resources('poddisruptionbudgets', 'poddisruptionbudgets/status'),
        rule(Read).groups(networkingGroup).resources('networkpolicies', 'ingresses', 'ingresses/status'),
        // DynamicResourceAllocation
        rule(Read)
          .groups(resourceGroup)
          .resources('resourceclaims', 'resourceclaims/status', 'resourceclaimtemplates'),
      ],
      { labels: { [AGGREGATE_TO_VIEW]: 'true' } },
    ),
  ];
}

/** Roles for discovery, self-review, health and metrics endpoints. */
function infoRoles(): ClusterRole[] {
  return [
    // just enough power to determine if the server is ready and discover API versions for negotiation
    clusterRole('system:discovery', [
      rule('get').urls(
        '/livez',
        '/readyz',
        '/healthz',
        '/version',
        '/version/',
        '/openapi',
        '/openapi/*',
        '/api',
        '/api/*',
        '/apis',
        '/apis/*',
      ),
    ]),
    // access to the monitoring endpoints
    clusterRole('system:monitoring', [
      rule('get').urls(
        '/metrics',
        '/metrics/slis',
        '/livez',
        '/readyz',
        '/healthz',
        '/livez/*',
        '/readyz/*',
        '/healthz/*',
        '/statusz',
        '/flagz',
      ),
      rule('get').groups(legacyGroup).resources('nodes/metrics'),
    ]),
    // minimal resource access to allow a "normal" user to learn information about themselves
    clusterRole('system:basic-user', [
      rule('create')
        .groups(authorizationGroup)
        .resources('selfsubjectaccessreviews', 'selfsubjectrulesreviews'),
      rule('create').groups(authenticationGroup).resources('selfsubjectreviews'),
    ]),
    // just enough power to read insensitive cluster information
    clusterRole('system:public-info-viewer', [
      rule('get').urls('/livez', '/readyz', '/healthz', '/version', '/version/'),
    ]),
    // the service account issuer's OIDC discovery documents
    clusterRole('system:service-account-issuer-discovery', [
      rule('get').urls(
        '/.well-known/openid-configuration',
        '/.well-known/openid-configuration/',
        '/openid/v1/jwks',
        '/openid/v1/jwks/',
      ),
    ]),
  ];
}

/** Roles that let the CSR approver and signers act on certificate signing requests. */
function certificateRoles(): ClusterRole[] {
  const approver = (name: string, signer: string): ClusterRole =>
    clusterRole(`system:certificates.k8s.io:${name}`, [
      rule('approve').groups(certificatesGroup).resources('signers').names(signer),
    ]);
  return [
    // a node may request a client certificate for itself (nodeclient: bootstrap tokens)
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [
      rule('create').groups(certificatesGroup).resources('certificatesigningrequests/nodeclient'),
    ]),
    // ... and renew its own client certificate
    clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [
      rule('create').groups(certificatesGroup).resources('certificatesigningrequests/selfnodeclient'),
    ]),
    approver('legacy-unknown-approver', 'kubernetes.io/legacy-unknown'),
    approver('kubelet-serving-approver', 'kubernetes.io/kubelet-serving'),
    approver('kube-apiserver-client-approver', 'kubernetes.io/kube-apiserver-client'),
    approver('kube-apiserver-client-kubelet-approver', 'kubernetes.io/kube-apiserver-client-kubelet'),
  ];
}

/** The default ClusterRoles (upstream `ClusterRoles()`), without the controller roles. */
export function clusterRoles(): ClusterRole[] {
  return [...userFacingRoles(), ...infoRoles(), ...componentClusterRoles(), ...certificateRoles()];
}

/** The default ClusterRoleBindings (upstream `ClusterRoleBindings()`), without the controllers'. */
export function clusterRoleBindings(): ClusterRoleBinding[] {
  return [
    clusterBinding('cluster-admin', [group(SystemPrivilegedGroup)]),
    clusterBinding('system:monitoring', [group(MonitoringGroup)]),
    clusterBinding('system:discovery', [group(AllAuthenticated)]),
    clusterBinding('system:basic-user', [group(AllAuthenticated)]),
    clusterBinding('system:public-info-viewer', [group(AllAuthenticated), group(AllUnauthenticated)]),
    clusterBinding('system:node-proxier', [user(KubeProxy)]),
    clusterBinding('system:kube-controller-manager', [user(KubeControllerManager)]),
    clusterBinding('system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterBinding('system:kube-scheduler', [user(KubeScheduler)]),
    clusterBinding('system:volume-scheduler', [user(KubeScheduler)]),
    // system:node is bound to nobody: nodes are authorized by the Node authorizer with its rules.
    clusterBinding('system:node', []),
    clusterBinding('system:service-account-issuer-discovery', [group(AllServiceAccounts)]),
  ];
}
