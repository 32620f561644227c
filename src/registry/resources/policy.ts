/**
 * @module registry/resources/policy
 *
 * policy/v1 PodDisruptionBudgets (aggregated_v2.json; pkg/registry/policy/poddisruptionbudget/strategy.go:
 * status subresource, generation bumped on spec changes).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, statusSub } from './common.js';
import { podDisruptionBudgetTable } from '../printers/other.js';

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
  table: podDisruptionBudgetTable,
});

export const policyResources: ResourceDescriptor[] = [poddisruptionbudgets];
