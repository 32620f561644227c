/**
 * @module registry/resources/autoscaling
 *
 * autoscaling HorizontalPodAutoscalers, served as v2 (preferred, the storage version) and v1
 * (aggregated discovery: both list `hpa`, category `all`, a status subresource). One storage;
 * v1 requests and responses are converted (../autoscaling/convert.ts). Strategy as
 * pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go: status reset on create and kept on
 * update; no metadata.generation (that strategy never sets it).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, statusSub } from './common.js';
import { convertHpa } from '../autoscaling/convert.js';
import { defaultHorizontalPodAutoscaler } from '../defaults/autoscaling.js';
import { horizontalPodAutoscalerTable } from '../printers/autoscaling.js';
import { validateHorizontalPodAutoscaler } from '../validators/autoscaling.js';

export const horizontalpodautoscalers = defineResource({
  group: 'autoscaling',
  versions: ['v2', 'v1'],
  resource: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: [statusSub('HorizontalPodAutoscaler')],
  hasStatus: true,
  // pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go PrepareForCreate resets the status;
  // v2 HorizontalPodAutoscalerStatus writes desiredReplicas and currentMetrics (no omitempty).
  initialStatus: () => ({ currentMetrics: null, desiredReplicas: 0 }),
  table: horizontalPodAutoscalerTable,
  defaults: defaultHorizontalPodAutoscaler,
  validate: validateHorizontalPodAutoscaler,
  convert: convertHpa,
});

export const autoscalingResources: ResourceDescriptor[] = [horizontalpodautoscalers];
