/**
 * The default ClusterRoles of system components (nodes, kube-proxy, scheduler, controller manager,
 * DNS, aggregator, provisioners), after plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go
 * (`NodeRules()`, `ClusterRoles()`), default feature gates of the 1.36 development line.
 *
 * @module
 */
import { clusterRole } from './objects.js';
import {
  Read,
  ReadUpdate,
  ReadWrite,
  appsGroup,
  authenticationGroup,
  authorizationGroup,
  certificatesGroup,
  coordinationGroup,
  discoveryGroup,
  eventsRule,
  extensionsGroup,
  legacyGroup,
  networkingGroup,
  nodeGroup,
  policyGroup,
  resourceGroup,
  rule,
  storageGroup,
  type RuleBuilder,
} from './rule.js';
import type { ClusterRole } from './types.js';

/** The rules of `system:node`; the Node authorizer narrows them to a node's own objects. */
export function nodeRules(): RuleBuilder[] {
  return [
    // needed to check API access; these creates are non-mutating
    rule('create').groups(authenticationGroup).resources('tokenreviews'),
    rule('create').groups(authorizationGroup).resources('subjectaccessreviews', 'localsubjectaccessreviews'),
    // needed to build serviceLister, to populate env vars for services
    rule(Read).groups(legacyGroup).resources('services'),
    // nodes can register Node API objects and report status; NodeRestriction limits them to their own
    rule('create', 'get', 'list', 'watch').groups(legacyGroup).resources('nodes'),
    rule('update', 'patch').groups(legacyGroup).resources('nodes/status'),
    rule('update', 'patch').groups(legacyGroup).resources('nodes'),
    eventsRule(),
    rule(Read).groups(legacyGroup).resources('pods'),
    // mirror pods, pod status and evictions, limited by NodeRestriction to pods bound to the node
    rule('create', 'delete').groups(legacyGroup).resources('pods'),
    rule('update', 'patch').groups(legacyGroup).resources('pods/status'),
    rule('create').groups(legacyGroup).resources('pods/eviction'),
    // secrets and configmaps for volumes and envs; the Node authorizer limits them to bound pods'
    rule('get', 'list', 'watch').groups(legacyGroup).resources('secrets', 'configmaps'),
    rule('get').groups(legacyGroup).resources('persistentvolumeclaims', 'persistentvolumes'),
    rule('get').groups(legacyGroup).resources('endpoints'),
    // the kubelet rotates its own certificates
    rule('create', 'get', 'list', 'watch').groups(certificatesGroup).resources('certificatesigningrequests'),
    // node heartbeat leases
    rule('get', 'create', 'update', 'patch', 'delete').groups(coordinationGroup).resources('leases'),
    // CSI
    rule('get').groups(storageGroup).resources('volumeattachments'),
    // tokens for service accounts of pods on the node (NodeRestriction)
    rule('create').groups(legacyGroup).resources('serviceaccounts/token'),
    // volume expansion: status of PVCs of pods on the node
    rule('get', 'update', 'patch').groups(legacyGroup).resources('persistentvolumeclaims/status'),
    rule('get', 'watch', 'list').groups(storageGroup).resources('csidrivers'),
    rule('get', 'create', 'update', 'patch', 'delete').groups(storageGroup).resources('csinodes'),
    rule('get', 'list', 'watch').groups(nodeGroup).resources('runtimeclasses'),
    // DynamicResourceAllocation
    rule('get').groups(resourceGroup).resources('resourceclaims'),
    rule('deletecollection').groups(resourceGroup).resources('resourceslices'),
    // service account lookups for pod admission on the node
    rule('get').groups(legacyGroup).resources('serviceaccounts'),
  ];
}

/** The rules of `system:kube-scheduler`. */
function schedulerRules(): RuleBuilder[] {
  return [
    eventsRule(),
    // leader election
    rule('create').groups(coordinationGroup).resources('leases'),
    rule('get', 'update', 'list', 'watch')
      .groups(coordinationGroup)
      .resources('leases')
      .names('kube-scheduler'),
    rule(ReadWrite).groups(coordinationGroup).resources('leasecandidates'),
    // fundamental resources
    rule(Read).groups(legacyGroup).resources('nodes'),
    rule('get', 'list', 'watch', 'delete').groups(legacyGroup).resources('pods'),
    rule('create').groups(legacyGroup).resources('pods/binding', 'bindings'),
    rule('patch', 'update').groups(legacyGroup).resources('pods/status'),
    // things that select pods
    rule(Read).groups(legacyGroup).resources('services', 'replicationcontrollers'),
    rule(Read).groups(appsGroup, extensionsGroup).resources('replicasets'),
    rule(Read).groups(appsGroup).resources('statefulsets'),
    // things that pods use or apply to
    rule(Read).groups(policyGroup).resources('poddisruptionbudgets'),
    rule(Read).groups(legacyGroup).resources('persistentvolumeclaims', 'persistentvolumes'),
    // authn/authz delegation for the secure port
    rule('create').groups(authenticationGroup).resources('tokenreviews'),
    rule('create').groups(authorizationGroup).resources('subjectaccessreviews'),
    // volume limits
    rule(Read).groups(storageGroup).resources('csinodes'),
    rule(Read).groups(storageGroup).resources('volumeattachments'),
    // namespace selectors in pod affinity
    rule(Read).groups(legacyGroup).resources('namespaces'),
    rule(Read).groups(storageGroup).resources('csidrivers'),
    rule(Read).groups(storageGroup).resources('csistoragecapacities'),
    // DynamicResourceAllocation
    rule(Read).groups(resourceGroup).resources('deviceclasses'),
    rule(ReadUpdate).groups(resourceGroup).resources('resourceclaims'),
    rule(ReadUpdate).groups(resourceGroup).resources('resourceclaims/status'),
    rule('update').groups(legacyGroup).resources('pods/finalizers'),
    rule(Read).groups(resourceGroup).resources('resourceslices'),
    rule('create', 'delete').groups(resourceGroup).resources('resourceclaims'),
    rule(Read).groups(resourceGroup).resources('devicetaintrules'),
    rule('update', 'patch').groups(resourceGroup).resources('resourceclaims/binding'),
  ];
}

/** The default ClusterRoles of system components. */
export function componentClusterRoles(): ClusterRole[] {
  return [
    // the role heapster uses to read cluster state
    clusterRole('system:heapster', [
      rule(Read).groups(legacyGroup).resources('events', 'pods', 'nodes', 'namespaces'),
      rule(Read).groups(extensionsGroup).resources('deployments'),
    ]),
    // the role for nodes running pods
    clusterRole('system:node', nodeRules()),
    // the role for the node-problem-detector
    clusterRole('system:node-problem-detector', [
      rule('get').groups(legacyGroup).resources('nodes'),
      rule('patch').groups(legacyGroup).resources('nodes/status'),
      eventsRule(),
    ]),
    // full access to the kubelet API
    clusterRole('system:kubelet-api-admin', [
      // allow read-only access to the Node API objects
      rule('get', 'list', 'watch').groups(legacyGroup).resources('nodes'),
      // allow all API calls to the nodes
      rule('proxy').groups(legacyGroup).resources('nodes'),
      rule('*').groups(legacyGroup).resources('nodes/proxy', 'nodes/metrics', 'nodes/stats', 'nodes/log'),
      rule('*').groups(legacyGroup).resources('nodes/pods', 'nodes/healthz', 'nodes/configz'),
    ]),
    // the role for node TLS bootstrapping
    clusterRole('system:node-bootstrapper', [
      rule('create', 'get', 'list', 'watch')
        .groups(certificatesGroup)
        .resources('certificatesigningrequests'),
    ]),
    // authentication and authorization delegation
    clusterRole('system:auth-delegator', [
      // these creates are non-mutating
      rule('create').groups(authenticationGroup).resources('tokenreviews'),
      rule('create').groups(authorizationGroup).resources('subjectaccessreviews'),
    ]),
    // the API aggregator, summarization and proxy handling
    clusterRole('system:kube-aggregator', [
      // it needs to see all services so that it knows whether the ones it points to exist or not
      rule(Read).groups(legacyGroup).resources('services', 'endpoints'),
    ]),
    // bootstrapping the kube-controller-manager so it can create the shared informers, service
    // accounts and secrets needed to create separate identities for other controllers
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      // leader election
      rule('create').groups(coordinationGroup).resources('leases'),
      rule('get', 'update').groups(coordinationGroup).resources('leases').names('kube-controller-manager'),
      // for creating service account tokens and secrets for controllers
      rule('create').groups(legacyGroup).resources('secrets', 'serviceaccounts'),
      rule('delete').groups(legacyGroup).resources('secrets'),
      rule('get').groups(legacyGroup).resources('namespaces', 'secrets', 'serviceaccounts', 'configmaps'),
      rule('update').groups(legacyGroup).resources('secrets', 'serviceaccounts'),
      // authn/authz delegation for the secure port
      rule('create').groups(authenticationGroup).resources('tokenreviews'),
      rule('create').groups(authorizationGroup).resources('subjectaccessreviews'),
      // shared informers
      rule('list', 'watch').groups('*').resources('*'),
      // controllers using service account tokens
      rule('create').groups(legacyGroup).resources('serviceaccounts/token'),
    ]),
    // kube-dns
    clusterRole('system:kube-dns', [
      rule('list', 'watch').groups(legacyGroup).resources('endpoints', 'services'),
    ]),
    // dynamic persistent volume provisioners
    clusterRole('system:persistent-volume-provisioner', [
      rule('get', 'list', 'watch', 'create', 'delete').groups(legacyGroup).resources('persistentvolumes'),
      // update is needed in order to update the status of the claim
      rule('get', 'list', 'watch', 'update').groups(legacyGroup).resources('persistentvolumeclaims'),
      rule(Read).groups(storageGroup).resources('storageclasses'),
      // the provisioner watches events on the claim and records its own
      rule('watch').groups(legacyGroup).resources('events'),
      eventsRule(),
    ]),
    // the volume binding part of the scheduler
    clusterRole('system:volume-scheduler', [
      rule(ReadUpdate).groups(legacyGroup).resources('persistentvolumes'),
      rule(Read).groups(storageGroup).resources('storageclasses'),
      rule(ReadUpdate).groups(legacyGroup).resources('persistentvolumeclaims'),
    ]),
    clusterRole('system:kube-scheduler', schedulerRules()),
    // kube-proxy
    clusterRole('system:node-proxier', [
      // used to build serviceLister
      rule('list', 'watch').groups(legacyGroup).resources('services', 'endpoints'),
      rule('get', 'list', 'watch').groups(legacyGroup).resources('nodes'),
      eventsRule(),
      rule('list', 'watch').groups(networkingGroup).resources('servicecidrs'),
      rule('list', 'watch').groups(discoveryGroup).resources('endpointslices'),
    ]),
  ];
}
