/**
 * @module registry/resources/policy
 *
 * policy/v1 PodDisruptionBudgets (aggregated_v2.json; pkg/registry/policy/poddisruptionbudget/strategy.go:
 * status subresource, generation bumped on spec changes, no unconditional updates).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, emptyStatus, statusSub } from './common.js';
import { podDisruptionBudgetTable } from '../printers/other.js';
import { podDisruptionBudgetStatusZeros, structsAt } from '../defaults/wire.js';

export const poddisruptionbudgets = defineResource({
  group: 'policy',
  versions: ['v1'],
  resource: 'poddisruptionbudgets',
  kind: 'PodDisruptionBudget',
  namespaced: true,
  shortNames: ['pdb'],
  subresources: [statusSub('PodDisruptionBudget')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  // strategy.go: "Status update should only be allowed if version match."
  allowUnconditionalUpdate: false,
  table: podDisruptionBudgetTable,
  defaults: (o) => {
    structsAt(['spec'])(o);
    podDisruptionBudgetStatusZeros(o);
  },
});

export const policyResources: ResourceDescriptor[] = [poddisruptionbudgets];
