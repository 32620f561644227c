/**
 * @module registry/autoscaling/convert
 *
 * HorizontalPodAutoscaler conversion between autoscaling/v2 (the storage version) and
 * autoscaling/v1, after pkg/apis/autoscaling/v1/conversion.go: v1 carries only
 * `targetCPUUtilizationPercentage` / `currentCPUUtilizationPercentage`; every other metric, the
 * current metrics, the conditions and the behavior travel in `autoscaling.alpha.kubernetes.io/*`
 * annotations (JSON, in the v1 MetricSpec/MetricStatus shapes of k8s.io/api/autoscaling/v1), so a
 * v2 object read and written back through v1 loses nothing.
 *
 * Both functions take a JSON object and return a new one; they never throw for well-formed JSON
 * (a malformed annotation is an error the caller reports as a 400 on the way in, see
 * {@link HpaConversionError}).
 */
import { deepCopy } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';
import { arr, isSet, obj, objs } from '../util.js';

type Obj = Record<string, unknown>;

/** autoscaling.MetricSpecsAnnotation and friends (pkg/apis/autoscaling/annotations.go). */
export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [
  METRIC_SPECS_ANNOTATION,
  METRIC_STATUSES_ANNOTATION,
  CONDITIONS_ANNOTATION,
  BEHAVIOR_ANNOTATION,
];

/** autoscaling.DefaultCPUUtilization. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** A round-trip annotation that does not parse as the JSON it must hold. */
export class HpaConversionError extends Error {}

/** Copies the listed keys that are set (not undefined/null) from `src`, in order. */
function pick(src: Obj, keys: readonly string[]): Obj {
  const out: Obj = {};
  for (const k of keys) if (src[k] !== undefined && src[k] !== null) out[k] = src[k];
  return out;
}

const isCpuUtilization = (m: Obj): boolean =>
  m.type === 'Resource' &&
  isSet(m.resource) &&
  obj(m.resource).name === 'cpu' &&
  isSet(obj(obj(m.resource).target).averageUtilization);

// ---- v2 -> v1 metric shapes ----------------------------------------------------------------------

function metricSpecToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (isSet(m.object)) {
    const o = obj(m.object);
    const t = obj(o.target);
    const mi = obj(o.metric);
    out.object = {
      target: obj(o.describedObject),
      metricName: mi.name ?? '',
      targetValue: t.value ?? '0',
      ...pick(mi, ['selector']),
      ...pick(t, ['averageValue']),
    };
  }
  if (isSet(m.pods)) {
    const p = obj(m.pods);
    out.pods = {
      metricName: obj(p.metric).name ?? '',
      targetAverageValue: obj(p.target).averageValue ?? '0',
      ...pick(obj(p.metric), ['selector']),
    };
  }
  for (const k of ['resource', 'containerResource'] as const) {
    if (!isSet(m[k])) continue;
    const r = obj(m[k]);
    const t = obj(r.target);
    out[k] = {
      name: r.name,
      ...(t.averageUtilization !== undefined ? { targetAverageUtilization: t.averageUtilization } : {}),
      ...(isSet(t.averageValue) ? { targetAverageValue: t.averageValue } : {}),
      ...(k === 'containerResource' ? { container: r.container ?? '' } : {}),
    };
  }
  if (isSet(m.external)) {
    const e = obj(m.external);
    const mi = obj(e.metric);
    const t = obj(e.target);
    out.external = {
      metricName: mi.name ?? '',
      ...(isSet(mi.selector) ? { metricSelector: mi.selector } : {}),
      ...(isSet(t.value) ? { targetValue: t.value } : {}),
      ...(isSet(t.averageValue) ? { targetAverageValue: t.averageValue } : {}),
    };
  }
  return out;
}

function metricStatusToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (isSet(m.object)) {
    const o = obj(m.object);
    const c = obj(o.current);
    const mi = obj(o.metric);
    out.object = {
      target: obj(o.describedObject),
      metricName: mi.name ?? '',
      currentValue: c.value ?? '0',
      ...pick(mi, ['selector']),
      ...pick(c, ['averageValue']),
    };
  }
  if (isSet(m.pods)) {
    const p = obj(m.pods);
    out.pods = {
      metricName: obj(p.metric).name ?? '',
      currentAverageValue: obj(p.current).averageValue ?? '0',
      ...pick(obj(p.metric), ['selector']),
    };
  }
  for (const k of ['resource', 'containerResource'] as const) {
    if (!isSet(m[k])) continue;
    const r = obj(m[k]);
    const c = obj(r.current);
    out[k] = {
      name: r.name,
      ...(c.averageUtilization !== undefined ? { currentAverageUtilization: c.averageUtilization } : {}),
      currentAverageValue: c.averageValue ?? '0',
      ...(k === 'containerResource' ? { container: r.container ?? '' } : {}),
    };
  }
  if (isSet(m.external)) {
    const e = obj(m.external);
    const mi = obj(e.metric);
    const c = obj(e.current);
    out.external = {
      metricName: mi.name ?? '',
      ...(isSet(mi.selector) ? { metricSelector: mi.selector } : {}),
      currentValue: c.value ?? '0',
      ...(isSet(c.averageValue) ? { currentAverageValue: c.averageValue } : {}),
    };
  }
  return out;
}

// ---- v1 -> v2 metric shapes ----------------------------------------------------------------------

const identifier = (name: unknown, selector: unknown): Obj => ({
  name: name ?? '',
  ...(isSet(selector) ? { selector } : {}),
});

function metricSpecFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (isSet(m.object)) {
    const o = obj(m.object);
    out.object = {
      describedObject: obj(o.target),
      target: isSet(o.averageValue)
        ? { type: 'AverageValue', value: o.targetValue ?? '0', averageValue: o.averageValue }
        : { type: 'Value', value: o.targetValue ?? '0' },
      metric: identifier(o.metricName, o.selector),
    };
  }
  if (isSet(m.pods)) {
    const p = obj(m.pods);
    out.pods = {
      metric: identifier(p.metricName, p.selector),
      target: { type: 'AverageValue', averageValue: p.targetAverageValue ?? '0' },
    };
  }
  for (const k of ['resource', 'containerResource'] as const) {
    if (!isSet(m[k])) continue;
    const r = obj(m[k]);
    const util = r.targetAverageUtilization;
    out[k] = {
      name: r.name,
      target: {
        type: isSet(util) ? 'Utilization' : 'AverageValue',
        ...(isSet(r.targetAverageValue) ? { averageValue: r.targetAverageValue } : {}),
        ...(isSet(util) ? { averageUtilization: util } : {}),
      },
      ...(k === 'containerResource' ? { container: r.container ?? '' } : {}),
    };
  }
  if (isSet(m.external)) {
    const e = obj(m.external);
    out.external = {
      metric: identifier(e.metricName, e.metricSelector),
      target: {
        type: isSet(e.targetValue) ? 'Value' : 'AverageValue',
        ...(isSet(e.targetValue) ? { value: e.targetValue } : {}),
        ...(isSet(e.targetAverageValue) ? { averageValue: e.targetAverageValue } : {}),
      },
    };
  }
  return out;
}

function metricStatusFromV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (isSet(m.object)) {
    const o = obj(m.object);
    out.object = {
      metric: identifier(o.metricName, o.selector),
      current: { value: o.currentValue ?? '0', ...pick(o, ['averageValue']) },
      describedObject: obj(o.target),
    };
  }
  if (isSet(m.pods)) {
    const p = obj(m.pods);
    out.pods = {
      metric: identifier(p.metricName, p.selector),
      current: { averageValue: p.currentAverageValue ?? '0' },
    };
  }
  for (const k of ['resource', 'containerResource'] as const) {
    if (!isSet(m[k])) continue;
    const r = obj(m[k]);
    out[k] = {
      name: r.name,
      current: {
        averageValue: r.currentAverageValue ?? '0',
        ...(isSet(r.currentAverageUtilization) ? { averageUtilization: r.currentAverageUtilization } : {}),
      },
      ...(k === 'containerResource' ? { container: r.container ?? '' } : {}),
    };
  }
  if (isSet(m.external)) {
    const e = obj(m.external);
    out.external = {
      metric: identifier(e.metricName, e.metricSelector),
      current: {
        value: e.currentValue ?? '0',
        ...(isSet(e.currentAverageValue) ? { averageValue: e.currentAverageValue } : {}),
      },
    };
  }
  return out;
}

// ---- objects ------------------------------------------------------------------------------------

/** autoscaling/v2 (storage) -> autoscaling/v1 (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_...). */
export function hpaToV1(v2: KubeObject): KubeObject {
  const src = deepCopy(v2);
  const spec = obj(src.spec);
  const status = obj(src.status);
  const metadata = { ...(src.metadata ?? {}) };
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  for (const k of ROUND_TRIP) delete annotations[k];

  const metrics = objs(spec.metrics);
  const other = metrics.filter((m) => !isCpuUtilization(m)).map(metricSpecToV1);
  if (other.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(other);
  const current = objs(status.currentMetrics);
  if (current.length > 0)
    annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(current.map(metricStatusToV1));
  const conditions = objs(status.conditions);
  if (conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  if (isSet(spec.behavior)) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;

  const v1Spec: Obj = { scaleTargetRef: spec.scaleTargetRef ?? { kind: '', name: '' } };
  if (spec.minReplicas !== undefined) v1Spec.minReplicas = spec.minReplicas;
  v1Spec.maxReplicas = spec.maxReplicas ?? 0;
  const cpu = metrics.find((m) => m.type === 'Resource' && obj(m.resource).name === 'cpu');
  const target = cpu ? obj(obj(cpu.resource).target).averageUtilization : undefined;
  if (isSet(target)) v1Spec.targetCPUUtilizationPercentage = target;

  const v1Status: Obj = pick(status, ['observedGeneration', 'lastScaleTime']);
  v1Status.currentReplicas = status.currentReplicas ?? 0;
  v1Status.desiredReplicas = status.desiredReplicas ?? 0;
  for (const m of current) {
    const util = obj(obj(m.resource).current).averageUtilization;
    if (m.type === 'Resource' && obj(m.resource).name === 'cpu' && isSet(util))
      v1Status.currentCPUUtilizationPercentage = util;
  }
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: v1Spec,
    status: v1Status,
  };
}

function parseAnnotation(annotations: Record<string, string>, key: string): unknown {
  try {
    return JSON.parse(annotations[key]!) as unknown;
  } catch (e) {
    throw new HpaConversionError(`${key}: ${(e as Error).message}`);
  }
}

/** autoscaling/v1 -> autoscaling/v2 (storage) (Convert_v1_HorizontalPodAutoscaler_To_autoscaling_...). */
export function hpaFromV1(v1: KubeObject): KubeObject {
  const src = deepCopy(v1);
  const spec = obj(src.spec);
  const status = obj(src.status);
  const metadata = { ...(src.metadata ?? {}) };
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };

  let metrics: Obj[] = [];
  if (isSet(spec.targetCPUUtilizationPercentage)) {
    metrics.push({
      type: 'Resource',
      resource: {
        name: 'cpu',
        target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
      },
    });
  }
  if (Object.hasOwn(annotations, METRIC_SPECS_ANNOTATION)) {
    const other = objs(parseAnnotation(annotations, METRIC_SPECS_ANNOTATION)).map(metricSpecFromV1);
    metrics = [...other, ...metrics];
    delete annotations[METRIC_SPECS_ANNOTATION];
  }
  let currentMetrics: Obj[] = [];
  if (isSet(status.currentCPUUtilizationPercentage)) {
    currentMetrics.push({
      type: 'Resource',
      resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } },
    });
  }
  if (Object.hasOwn(annotations, METRIC_STATUSES_ANNOTATION)) {
    currentMetrics = objs(parseAnnotation(annotations, METRIC_STATUSES_ANNOTATION)).map(metricStatusFromV1);
    delete annotations[METRIC_STATUSES_ANNOTATION];
  }
  if (metrics.length === 0) {
    metrics.push({
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
    });
  }
  let conditions: unknown[] | undefined;
  if (Object.hasOwn(annotations, CONDITIONS_ANNOTATION)) {
    conditions = arr(parseAnnotation(annotations, CONDITIONS_ANNOTATION));
    delete annotations[CONDITIONS_ANNOTATION];
  }
  let behavior: unknown;
  if (Object.hasOwn(annotations, BEHAVIOR_ANNOTATION)) {
    behavior = parseAnnotation(annotations, BEHAVIOR_ANNOTATION);
    delete annotations[BEHAVIOR_ANNOTATION];
  }
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;

  const v2Spec: Obj = { scaleTargetRef: spec.scaleTargetRef ?? { kind: '', name: '' } };
  if (spec.minReplicas !== undefined) v2Spec.minReplicas = spec.minReplicas;
  v2Spec.maxReplicas = spec.maxReplicas ?? 0;
  v2Spec.metrics = metrics;
  if (isSet(behavior)) v2Spec.behavior = behavior;

  const v2Status: Obj = pick(status, ['observedGeneration', 'lastScaleTime']);
  if (status.currentReplicas !== undefined) v2Status.currentReplicas = status.currentReplicas;
  v2Status.desiredReplicas = status.desiredReplicas ?? 0;
  v2Status.currentMetrics = currentMetrics.length > 0 ? currentMetrics : null;
  if (conditions !== undefined && conditions.length > 0) v2Status.conditions = conditions;
  const out: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: v2Spec,
  };
  if (src.status !== undefined) out.status = v2Status;
  return out;
}

/** The descriptor's conversion hook: `obj` (in its own apiVersion) to `version` of autoscaling. */
export function convertHpa(o: KubeObject, version: string): KubeObject {
  const from = o.apiVersion;
  if (from === `autoscaling/${version}`) return o;
  if (version === 'v1' && from === 'autoscaling/v2') return hpaToV1(o);
  if (version === 'v2' && from === 'autoscaling/v1') return hpaFromV1(o);
  return { ...o, apiVersion: `autoscaling/${version}` };
}
