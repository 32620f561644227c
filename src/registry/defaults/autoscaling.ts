/**
 * @module registry/defaults/autoscaling
 *
 * HorizontalPodAutoscaler defaults in the autoscaling/v2 storage shape, after
 * pkg/apis/autoscaling/v2/defaults.go: minReplicas 1, a CPU utilization metric of 80% when no
 * metric is given, and, only when `spec.behavior` is set, every unset scaling rule filled from the
 * default scale-up (0 s window, Max of 4 pods / 100% per 15 s) and scale-down (Max of 100% per
 * 15 s, window left to the controller's --horizontal-pod-autoscaler-downscale-stabilization) rules.
 * The empty status is upstream's zero HorizontalPodAutoscalerStatus as Go encodes it.
 */
import type { KubeObject } from '../../api/types.js';
import { DEFAULT_CPU_UTILIZATION } from '../autoscaling/convert.js';
import { child, isSet, obj } from '../util.js';

type Obj = Record<string, unknown>;

const scaleUpDefaults = (): Obj => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});

const scaleDownDefaults = (): Obj => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** copyHPAScalingRules: the set fields of `from` over the defaults. */
function rules(from: unknown, defaults: Obj): Obj {
  if (!isSet(from)) return defaults;
  const f = obj(from);
  const out: Obj = { ...defaults };
  // `tolerance` is dropped: the HPAConfigurableTolerance feature gate is off by default in 1.33
  // (the strategy's dropDisabledFields).
  for (const k of ['stabilizationWindowSeconds', 'selectPolicy', 'policies'])
    if (f[k] !== undefined && f[k] !== null) out[k] = f[k];
  // upstream's JSON field order: stabilizationWindowSeconds, selectPolicy, policies
  const ordered: Obj = {};
  for (const k of ['stabilizationWindowSeconds', 'selectPolicy', 'policies'])
    if (out[k] !== undefined) ordered[k] = out[k];
  return ordered;
}

/** SetDefaults_HorizontalPodAutoscaler (autoscaling/v2). */
export function defaultHorizontalPodAutoscaler(o: KubeObject): void {
  const spec = child(o as Obj, 'spec');
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
        },
      },
    ];
  }
  if (isSet(spec.behavior)) {
    const b = obj(spec.behavior);
    spec.behavior = {
      scaleUp: rules(b.scaleUp, scaleUpDefaults()),
      scaleDown: rules(b.scaleDown, scaleDownDefaults()),
    };
  }
  if (!isSet(o.status)) o.status = { currentMetrics: null, desiredReplicas: 0 };
}
