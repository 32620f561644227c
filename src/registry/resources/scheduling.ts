/**
 * @module registry/resources/scheduling
 *
 * scheduling.k8s.io/v1 PriorityClasses (aggregated_v2.json).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';
import { priorityClassTable } from '../printers/other.js';
import { defaultPriorityClass } from '../defaults/core.js';
import { validatePriorityClass } from '../validators/other.js';

export const priorityclasses = defineResource({
  group: 'scheduling.k8s.io',
  versions: ['v1'],
  resource: 'priorityclasses',
  kind: 'PriorityClass',
  namespaced: false,
  shortNames: ['pc'],
  table: priorityClassTable,
  defaults: defaultPriorityClass,
  validate: validatePriorityClass,
});

export const schedulingResources: ResourceDescriptor[] = [priorityclasses];
