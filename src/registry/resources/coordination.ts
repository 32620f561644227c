/**
 * @module registry/resources/coordination
 *
 * coordination.k8s.io/v1 leases (api/discovery/apis__coordination.k8s.io__v1.json).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';
import { structsAt } from '../defaults/wire.js';
import { leaseTable } from '../printers/other.js';
import { validateLease } from '../validators/other.js';

export const leases = defineResource({
  group: 'coordination.k8s.io',
  versions: ['v1'],
  resource: 'leases',
  kind: 'Lease',
  namespaced: true,
  table: leaseTable,
  // Lease.spec is a struct Go always writes.
  defaults: structsAt(['spec']),
  // pkg/registry/coordination/lease/strategy.go: AllowUnconditionalUpdate() is false.
  allowUnconditionalUpdate: false,
  validate: validateLease,
});

export const coordinationResources: ResourceDescriptor[] = [leases];
