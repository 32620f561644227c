/**
 * @module registry/resources/networking
 *
 * networking.k8s.io/v1 (aggregated_v2.json). Ingress and NetworkPolicy bump generation on spec
 * changes (pkg/registry/networking/{ingress,networkpolicy}/strategy.go); only Ingress has status.
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, statusSub } from './common.js';
import { ingressClassTable, ingressTable, networkPolicyTable } from '../printers/other.js';
import { defaultNetworkPolicy } from '../defaults/core.js';
import { structsAt } from '../defaults/wire.js';

const group = 'networking.k8s.io';

export const ingressclasses = defineResource({
  group,
  versions: ['v1'],
  resource: 'ingressclasses',
  kind: 'IngressClass',
  namespaced: false,
  tracksGeneration: true,
  table: ingressClassTable,
});

export const ingresses = defineResource({
  group,
  versions: ['v1'],
  resource: 'ingresses',
  kind: 'Ingress',
  namespaced: true,
  shortNames: ['ing'],
  subresources: [statusSub('Ingress')],
  hasStatus: true,
  tracksGeneration: true,
  // ingress/strategy.go: Status = IngressStatus{}; Go writes its LoadBalancer struct always.
  initialStatus: () => ({ loadBalancer: {} }),
  table: ingressTable,
});

export const networkpolicies = defineResource({
  group,
  versions: ['v1'],
  resource: 'networkpolicies',
  kind: 'NetworkPolicy',
  namespaced: true,
  shortNames: ['netpol'],
  tracksGeneration: true,
  table: networkPolicyTable,
  defaults: (o) => {
    structsAt(['spec', 'podSelector'])(o);
    defaultNetworkPolicy(o);
  },
});

export const networkingResources: ResourceDescriptor[] = [ingressclasses, ingresses, networkpolicies];
