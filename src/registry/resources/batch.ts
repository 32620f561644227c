/**
 * @module registry/resources/batch
 *
 * batch/v1 jobs and cronjobs (aggregated_v2.json; pkg/registry/batch/{job,cronjob}/strategy.go:
 * status subresource, generation bumped on spec changes).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, emptyStatus, statusSub } from './common.js';
import { cronJobTable, jobTable } from '../printers/workloads.js';
import { defaultCronJob, defaultJob } from '../defaults/workloads.js';
import { validateCronJob, validateJob } from '../validators/apps.js';
import { jobFields } from '../fields.js';

export const cronjobs = defineResource({
  group: 'batch',
  versions: ['v1'],
  resource: 'cronjobs',
  kind: 'CronJob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: [statusSub('CronJob')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: cronJobTable,
  defaults: defaultCronJob,
  validate: validateCronJob,
});

export const jobs = defineResource({
  group: 'batch',
  versions: ['v1'],
  resource: 'jobs',
  kind: 'Job',
  namespaced: true,
  categories: ['all'],
  subresources: [statusSub('Job')],
  hasStatus: true,
  tracksGeneration: true,
  initialStatus: emptyStatus,
  table: jobTable,
  defaults: defaultJob,
  validate: validateJob,
  fieldSelectors: jobFields,
});

export const batchResources: ResourceDescriptor[] = [cronjobs, jobs];
