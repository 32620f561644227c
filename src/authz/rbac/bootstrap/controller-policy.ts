/**
 * The ClusterRoles and ClusterRoleBindings of the kube-controller-manager's controllers, after
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/controller_policy.go (`ControllerRoles()`,
 * `ControllerRoleBindings()`, `addControllerRole`): each controller runs as the service account
 * `kube-system/<name>` bound to `system:controller:<name>`. Default feature gates of the 1.36
 * development line; they equal testdata/controller-roles.yaml and controller-role-bindings.yaml.
 *
 * @module
 */
import { clusterBinding, clusterRole, serviceAccount } from './objects.js';
import {
  Read,
  ReadUpdate,
  admissionRegistrationGroup,
  apiExtensionsGroup,
  appsGroup,
  authorizationGroup,
  autoscalingGroup,
  batchGroup,
  certificatesGroup,
  coordinationGroup,
  customMetricsGroup,
  discoveryGroup,
  eventsRule,
  extensionsGroup,
  externalMetricsGroup,
  legacyGroup,
  networkingGroup,
  policyGroup,
  rbacGroup,
  resMetricsGroup,
  resourceGroup,
  rule,
  storageGroup,
  storageMigrationGroup,
  type RuleBuilder,
} from './rule.js';
import type { ClusterRole, ClusterRoleBinding } from './types.js';

/** The prefix of controller role names (bootstrappolicy.saRolePrefix). */
export const controllerRolePrefix = 'system:controller:';
/** The namespace of the controllers' service accounts. */
export const controllerNamespace = 'kube-system';

interface ControllerPolicy {
  name: string;
  rules: RuleBuilder[];
}

function c(name: string, rules: RuleBuilder[]): ControllerPolicy {
  return { name, rules };
}

function controllerPolicies(): ControllerPolicy[] {
  return [
    c('attachdetach-controller', [
      rule('list', 'watch').groups(legacyGroup).resources('persistentvolumeclaims', 'persistentvolumes'),
      rule(Read).groups(legacyGroup).resources('nodes'),
      rule('patch', 'update').groups(legacyGroup).resources('nodes/status'),
      rule('list', 'watch').groups(legacyGroup).resources('pods'),
      eventsRule(),
      rule('create', 'delete', 'get', 'list', 'watch').groups(storageGroup).resources('volumeattachments'),
      rule(Read).groups(storageGroup).resources('csidrivers'),
      rule(Read).groups(storageGroup).resources('csinodes'),
    ]),
    c('certificate-controller', [
      rule('delete', 'get', 'list', 'watch')
        .groups(certificatesGroup)
        .resources('certificatesigningrequests'),
      rule('update')
        .groups(certificatesGroup)
        .resources('certificatesigningrequests/approval', 'certificatesigningrequests/status'),
      rule('approve')
        .groups(certificatesGroup)
        .resources('signers')
        .names('kubernetes.io/kube-apiserver-client-kubelet'),
      rule('sign')
        .groups(certificatesGroup)
        .resources('signers')
        .names(
          'kubernetes.io/kube-apiserver-client',
          'kubernetes.io/kube-apiserver-client-kubelet',
          'kubernetes.io/kubelet-serving',
          'kubernetes.io/legacy-unknown',
        ),
      rule('create').groups(authorizationGroup).resources('subjectaccessreviews'),
      eventsRule(),
    ]),
    c('clusterrole-aggregation-controller', [
      rule('escalate', 'get', 'list', 'patch', 'update', 'watch').groups(rbacGroup).resources('clusterroles'),
    ]),
    c('cronjob-controller', [
      rule('get', 'list', 'update', 'watch').groups(batchGroup).resources('cronjobs'),
      rule('create', 'delete', 'get', 'list', 'patch', 'update', 'watch')
        .groups(batchGroup)
        .resources('jobs'),
      rule('update').groups(batchGroup).resources('cronjobs/status'),
      rule('update').groups(batchGroup).resources('cronjobs/finalizers'),
      rule('delete', 'list', 'watch').groups(legacyGroup).resources('pods'),
      eventsRule(),
    ]),
    c('daemon-set-controller', [
      rule(Read).groups(appsGroup, extensionsGroup).resources('daemonsets'),
      rule('update').groups(appsGroup, extensionsGroup).resources('daemonsets/status'),
      rule('update').groups(appsGroup, extensionsGroup).resources('daemonsets/finalizers'),
      rule('list', 'watch').groups(legacyGroup).resources('nodes'),
      rule('create', 'delete', 'list', 'patch', 'watch').groups(legacyGroup).resources('pods'),
      rule('create').groups(legacyGroup).resources('pods/binding'),
      rule('create', 'delete', 'get', 'list', 'patch', 'update', 'watch')
        .groups(appsGroup)
        .resources('controllerrevisions'),
      eventsRule(),
    ]),
    c('deployment-controller', [
      rule('get', 'list', 'update', 'watch').groups(appsGroup, extensionsGroup).resources('deployments'),
      rule('update').groups(appsGroup, extensionsGroup).resources('deployments/status'),
      rule('update').groups(appsGroup, extensionsGroup).resources('deployments/finalizers'),
      rule('create', 'delete', 'get', 'list', 'patch', 'update', 'watch')
        .groups(appsGroup, extensionsGroup)
        .resources('replicasets'),
      rule('get', 'list', 'update', 'watch').groups(legacyGroup).resources('pods'),
      eventsRule(),
    ]),
    c('device-taint-eviction-controller', [
      rule('delete', 'get', 'list', 'watch').groups(legacyGroup).resources('pods'),
      rule('patch', 'update').groups(legacyGroup).resources('pods/status'),
      rule(Read).groups(resourceGroup).resources('resourceclaims'),
      rule(Read).groups(resourceGroup).resources('resourceslices'),
      rule(Read).groups(resourceGroup).resources('deviceclasses'),
      eventsRule(),
      rule('patch', 'update').groups(resourceGroup).resources('devicetaintrules/status'),
      rule(Read).groups(resourceGroup).resources('devicetaintrules'),
    ]),
    c('disruption-controller', [
      rule(Read).groups(appsGroup, extensionsGroup).resources('deployments'),
      rule(Read).groups(appsGroup, extensionsGroup).resources('replicasets'),
      rule(Read).groups(legacyGroup).resources('replicationcontrollers'),
      rule(Read).groups(policyGroup).resources('poddisruptionbudgets'),
      rule(Read).groups(appsGroup).resources('statefulsets'),
      rule('update').groups(policyGroup).resources('poddisruptionbudgets/status'),
      rule('patch', 'update').groups(legacyGroup).resources('pods/status'),
      rule('get').groups('*').resources('*/scale'),
      eventsRule(),
    ]),
    c('endpoint-controller', [
      rule(Read).groups(legacyGroup).resources('pods', 'services'),
      rule('create', 'delete', 'get', 'list', 'update', 'watch').groups(legacyGroup).resources('endpoints'),
      rule('create').groups(legacyGroup).resources('endpoints/restricted'),
      eventsRule(),
    ]),
    c('endpointslice-controller', [
      rule(Read).groups(legacyGroup).resources('nodes', 'pods', 'services'),
      rule('update').groups(legacyGroup).resources('services/finalizers'),
      rule('create', 'delete', 'get', 'list', 'update', 'watch')
        .groups(discoveryGroup)
        .resources('endpointslices'),
      eventsRule(),
    ]),
    c('endpointslicemirroring-controller', [
      rule(Read).groups(legacyGroup).resources('endpoints', 'services'),
      rule('update').groups(legacyGroup).resources('services/finalizers'),
      rule('update').groups(legacyGroup).resources('endpoints/finalizers'),
      rule('create', 'delete', 'get', 'list', 'update', 'watch')
        .groups(discoveryGroup)
        .resources('endpointslices'),
      eventsRule(),
    ]),
    c('ephemeral-volume-controller', [
      rule(Read).groups(legacyGroup).resources('pods'),
      rule('update').groups(legacyGroup).resources('pods/finalizers'),
      rule('create', 'get', 'list', 'watch').groups(legacyGroup).resources('persistentvolumeclaims'),
      eventsRule(),
    ]),
    c('expand-controller', [
      rule(ReadUpdate).groups(legacyGroup).resources('persistentvolumes'),
      rule('patch', 'update').groups(legacyGroup).resources('persistentvolumeclaims/status'),
      rule(Read).groups(legacyGroup).resources('persistentvolumeclaims'),
      eventsRule(),
    ]),
    c('generic-garbage-collector', [
      rule('delete', 'get', 'list', 'patch', 'update', 'watch').groups('*').resources('*'),
      eventsRule(),
    ]),
    c('horizontal-pod-autoscaler', [
      rule(Read).groups(autoscalingGroup).resources('horizontalpodautoscalers'),
      rule('update').groups(autoscalingGroup).resources('horizontalpodautoscalers/status'),
      rule('get', 'update').groups('*').resources('*/scale'),
      rule('list', 'watch').groups(legacyGroup).resources('pods'),
      rule('list', 'watch').groups(resMetricsGroup).resources('pods'),
      rule(Read).groups(customMetricsGroup).resources('*'),
      rule(Read).groups(externalMetricsGroup).resources('*'),
      eventsRule(),
    ]),
    c('job-controller', [
      rule(ReadUpdate).groups(batchGroup).resources('jobs'),
      rule('update').groups(batchGroup).resources('jobs/status'),
      rule('update').groups(batchGroup).resources('jobs/finalizers'),
      rule('create', 'delete', 'list', 'patch', 'watch').groups(legacyGroup).resources('pods'),
      eventsRule(),
    ]),
    c('legacy-service-account-token-cleaner', [
      rule('get')
        .groups(legacyGroup)
        .resources('configmaps')
        .names('kube-apiserver-legacy-service-account-token-tracking'),
      rule('delete', 'patch').groups(legacyGroup).resources('secrets'),
    ]),
    c('namespace-controller', [
      rule('delete', 'get', 'list', 'watch').groups(legacyGroup).resources('namespaces'),
      rule('update').groups(legacyGroup).resources('namespaces/finalize', 'namespaces/status'),
      rule('delete', 'deletecollection', 'get', 'list', 'watch').groups('*').resources('*'),
    ]),
    c('node-controller', [
      rule('delete', 'get', 'list', 'patch', 'update', 'watch').groups(legacyGroup).resources('nodes'),
      rule('patch', 'update').groups(legacyGroup).resources('nodes/status'),
      rule('patch', 'update').groups(legacyGroup).resources('pods/status'),
      rule('delete', 'get', 'list', 'watch').groups(legacyGroup).resources('pods'),
      rule(Read).groups(coordinationGroup).resources('leases'),
      eventsRule(),
    ]),
    c('persistent-volume-binder', [
      rule('create', 'delete', 'get', 'list', 'update', 'watch')
        .groups(legacyGroup)
        .resources('persistentvolumes'),
      rule('update').groups(legacyGroup).resources('persistentvolumes/status'),
      rule('get', 'list', 'update', 'watch').groups(legacyGroup).resources('persistentvolumeclaims'),
      rule('update').groups(legacyGroup).resources('persistentvolumeclaims/status'),
      rule('create', 'delete', 'get', 'list', 'watch').groups(legacyGroup).resources('pods'),
      rule(Read).groups(storageGroup).resources('storageclasses'),
      rule('list', 'watch').groups(legacyGroup).resources('nodes'),
      eventsRule(),
      rule('watch').groups(legacyGroup).resources('events'),
    ]),
    c('pod-garbage-collector', [
      rule('delete', 'list', 'watch').groups(legacyGroup).resources('pods'),
      rule(Read).groups(legacyGroup).resources('nodes'),
      rule('patch').groups(legacyGroup).resources('pods/status'),
    ]),
    c('pv-protection-controller', [
      rule('get', 'list', 'update', 'watch').groups(legacyGroup).resources('persistentvolumes'),
      eventsRule(),
    ]),
    c('pvc-protection-controller', [
      rule('get', 'list', 'update', 'watch').groups(legacyGroup).resources('persistentvolumeclaims'),
      rule('update').groups(legacyGroup).resources('persistentvolumeclaims/status'),
      rule(Read).groups(legacyGroup).resources('pods'),
      eventsRule(),
    ]),
    c('replicaset-controller', [
      rule('get', 'list', 'update', 'watch').groups(appsGroup, extensionsGroup).resources('replicasets'),
      rule('update').groups(appsGroup, extensionsGroup).resources('replicasets/status'),
      rule('update').groups(appsGroup, extensionsGroup).resources('replicasets/finalizers'),
      rule('create', 'delete', 'list', 'patch', 'watch').groups(legacyGroup).resources('pods'),
      eventsRule(),
    ]),
    c('replication-controller', [
      rule('get', 'list', 'update', 'watch').groups(legacyGroup).resources('replicationcontrollers'),
      rule('update').groups(legacyGroup).resources('replicationcontrollers/status'),
      rule('update').groups(legacyGroup).resources('replicationcontrollers/finalizers'),
      rule('create', 'delete', 'list', 'patch', 'watch').groups(legacyGroup).resources('pods'),
      eventsRule(),
    ]),
    c('resource-claim-controller', [
      rule(Read).groups(legacyGroup).resources('pods'),
      rule('update').groups(legacyGroup).resources('pods/finalizers'),
      rule('create', 'delete', 'get', 'list', 'watch').groups(resourceGroup).resources('resourceclaims'),
      rule('patch', 'update').groups(resourceGroup).resources('resourceclaims', 'resourceclaims/status'),
      rule('patch', 'update').groups(legacyGroup).resources('pods/status'),
      eventsRule(),
      rule('patch', 'update').groups(resourceGroup).resources('resourceclaims/binding'),
    ]),
    c('resourcequota-controller', [
      rule('list', 'watch').groups('*').resources('*'),
      rule('update').groups(legacyGroup).resources('resourcequotas/status'),
      eventsRule(),
    ]),
    c('root-ca-cert-publisher', [
      rule('create', 'update').groups(legacyGroup).resources('configmaps'),
      eventsRule(),
    ]),
    c('route-controller', [
      rule('list', 'watch').groups(legacyGroup).resources('nodes'),
      rule('patch').groups(legacyGroup).resources('nodes/status'),
      eventsRule(),
    ]),
    c('selinux-warning-controller', [
      eventsRule(),
      rule(Read).groups(legacyGroup).resources('persistentvolumes'),
      rule(Read).groups(legacyGroup).resources('persistentvolumeclaims'),
      rule(Read).groups(legacyGroup).resources('pods'),
      rule(Read).groups(storageGroup).resources('csidrivers'),
    ]),
    c('service-account-controller', [
      rule('create').groups(legacyGroup).resources('serviceaccounts'),
      eventsRule(),
    ]),
    c('service-cidrs-controller', [
      rule(ReadUpdate).groups(networkingGroup).resources('servicecidrs'),
      rule('patch', 'update').groups(networkingGroup).resources('servicecidrs/finalizers'),
      rule('patch', 'update').groups(networkingGroup).resources('servicecidrs/status'),
      rule(Read).groups(networkingGroup).resources('ipaddresses'),
      eventsRule(),
    ]),
    c('service-controller', [
      rule(Read).groups(legacyGroup).resources('services'),
      rule('patch', 'update').groups(legacyGroup).resources('services/status'),
      rule('list', 'watch').groups(legacyGroup).resources('nodes'),
      eventsRule(),
    ]),
    c('statefulset-controller', [
      rule('list', 'watch').groups(legacyGroup).resources('pods'),
      rule(Read).groups(appsGroup).resources('statefulsets'),
      rule('update').groups(appsGroup).resources('statefulsets/status'),
      rule('update').groups(appsGroup).resources('statefulsets/finalizers'),
      rule('create', 'delete', 'get', 'patch', 'update').groups(legacyGroup).resources('pods'),
      rule('create', 'delete', 'get', 'list', 'patch', 'update', 'watch')
        .groups(appsGroup)
        .resources('controllerrevisions'),
      rule('create', 'get', 'list', 'watch').groups(legacyGroup).resources('persistentvolumeclaims'),
      rule('delete', 'update').groups(legacyGroup).resources('persistentvolumeclaims'),
      rule('update').groups(legacyGroup).resources('pods/finalizers'),
      eventsRule(),
    ]),
    c('storage-version-migrator-controller', [
      rule('list', 'patch').groups('*').resources('*'),
      rule('get').groups(apiExtensionsGroup).resources('customresourcedefinitions'),
      rule('patch').groups(apiExtensionsGroup).resources('customresourcedefinitions/status'),
      rule('update').groups(storageMigrationGroup).resources('storageversionmigrations/status'),
    ]),
    c('ttl-after-finished-controller', [
      rule('delete', 'get', 'list', 'watch').groups(batchGroup).resources('jobs'),
      eventsRule(),
    ]),
    c('ttl-controller', [
      rule('list', 'patch', 'update', 'watch').groups(legacyGroup).resources('nodes'),
      eventsRule(),
    ]),
    c('validatingadmissionpolicy-status-controller', [
      rule(Read).groups(admissionRegistrationGroup).resources('validatingadmissionpolicies'),
      rule('get', 'patch', 'update')
        .groups(admissionRegistrationGroup)
        .resources('validatingadmissionpolicies/status'),
      eventsRule(),
    ]),
    c('volumeattributesclass-protection-controller', [
      rule(Read).groups(legacyGroup).resources('persistentvolumeclaims'),
      rule(Read).groups(legacyGroup).resources('persistentvolumes'),
      rule('get', 'list', 'update', 'watch').groups(storageGroup).resources('volumeattributesclasses'),
      eventsRule(),
    ]),
  ];
}

/** The controllers' ClusterRoles, `system:controller:<name>`. */
export function controllerRoles(): ClusterRole[] {
  return controllerPolicies().map((p) => clusterRole(controllerRolePrefix + p.name, p.rules));
}

/** The controllers' ClusterRoleBindings: `system:controller:<name>` → SA `kube-system/<name>`. */
export function controllerRoleBindings(): ClusterRoleBinding[] {
  return controllerPolicies().map((p) =>
    clusterBinding(controllerRolePrefix + p.name, [serviceAccount(controllerNamespace, p.name)]),
  );
}
