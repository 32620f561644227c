/**
 * @module registry/validators/autoscaling
 *
 * HorizontalPodAutoscaler validation (autoscaling/v2, the storage shape), after
 * pkg/apis/autoscaling/validation/validation.go: replica bounds, the scale target reference, each
 * metric (exactly one source matching its type, targets) and the scaling behavior. The
 * HPAScaleToZero feature gate is off, as upstream's default, except for objects already at 0.
 */
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { isDNS1123Label, isValidPathSegmentName } from '../names.js';
import type { ValidationContext } from '../types.js';
import { isSet, obj, objs, str } from '../util.js';
import { forbidden, invalid, notSupported, required } from '../validation.js';

type Obj = Record<string, unknown>;

/** ValidateCrossVersionObjectReference. */
export function validateCrossVersionRef(ref: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const r = obj(ref);
  for (const k of ['kind', 'name']) {
    const v = str(r[k]);
    if (!v) errs.push(required(`${field}.${k}`));
    else for (const m of isValidPathSegmentName(v)) errs.push(invalid(`${field}.${k}`, v, m));
  }
  return errs;
}

/** resource.Quantity.Sign() == 1, for the textual or numeric forms a JSON body carries. */
function positive(q: unknown): boolean {
  if (typeof q === 'number') return q > 0;
  const m = /^([+-]?[0-9.]+)/.exec(str(q));
  return m !== null && Number(m[1]) > 0;
}

function validateTarget(t: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(t.type);
  if (!type) errs.push(required(`${field}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue')
    errs.push(invalid(`${field}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (isSet(t.value) && !positive(t.value)) errs.push(invalid(`${field}.value`, t.value, 'must be positive'));
  if (isSet(t.averageValue) && !positive(t.averageValue))
    errs.push(invalid(`${field}.averageValue`, t.averageValue, 'must be positive'));
  if (typeof t.averageUtilization === 'number' && t.averageUtilization < 1)
    errs.push(invalid(`${field}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateIdentifier(id: Obj, field: string): FieldError[] {
  const name = str(id.name);
  if (!name) return [required(`${field}.name`, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((m) => invalid(`${field}.name`, name, m));
}

function validateSource(kind: string, src: Obj, field: string): FieldError[] {
  const t = obj(src.target);
  const errs: FieldError[] = [];
  if (kind === 'object')
    errs.push(...validateCrossVersionRef(src.describedObject, `${field}.describedObject`));
  if (kind === 'object' || kind === 'external' || kind === 'pods')
    errs.push(...validateIdentifier(obj(src.metric), `${field}.metric`));
  if (kind === 'resource' || kind === 'containerResource') {
    if (!str(src.name)) errs.push(required(`${field}.name`, 'must specify a resource name'));
    if (kind === 'containerResource') {
      const c = str(src.container);
      if (!c) errs.push(required(`${field}.container`, 'must specify a container'));
      else for (const m of isDNS1123Label(c)) errs.push(invalid(`${field}.container`, c, m));
    }
  }
  errs.push(...validateTarget(t, `${field}.target`));
  const value = isSet(t.value);
  const average = isSet(t.averageValue);
  const util = isSet(t.averageUtilization);
  if (kind === 'object' && !value && !average)
    errs.push(required(`${field}.target.averageValue`, 'must set either a target value or averageValue'));
  if (kind === 'external') {
    if (!value && !average)
      errs.push(
        required(
          `${field}.target.averageValue`,
          'must set either a target value for metric or a per-pod target',
        ),
      );
    if (value && average)
      errs.push(
        forbidden(`${field}.target.value`, 'may not set both a target value for metric and a per-pod target'),
      );
  }
  if (kind === 'pods' && !average)
    errs.push(required(`${field}.target.averageValue`, 'must specify a positive target averageValue'));
  if (kind === 'resource' || kind === 'containerResource') {
    if (!util && !average)
      errs.push(
        required(
          `${field}.target.averageUtilization`,
          'must set either a target raw value or a target utilization',
        ),
      );
    if (util && average)
      errs.push(
        forbidden(
          `${field}.target.averageValue`,
          'may not set both a target raw value and a target utilization',
        ),
      );
  }
  return errs;
}

const SOURCE_TYPES: Readonly<Record<string, string>> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};
const SOURCE_TYPE_LIST = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];

/** validateMetricSpec. */
function validateMetric(m: Obj, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(m.type);
  if (!type) errs.push(required(`${field}.type`, 'must specify a metric source type'));
  const expected = Object.hasOwn(SOURCE_TYPES, type) ? SOURCE_TYPES[type] : undefined;
  if (!expected) errs.push(notSupported(`${field}.type`, type, SOURCE_TYPE_LIST));
  const present = ['object', 'external', 'pods', 'resource', 'containerResource'].filter((k) => isSet(m[k]));
  if (present.length > 0)
    errs.push(...validateSource(present[0]!, obj(m[present[0]!]), `${field}.${present[0]}`));
  if (expected && !isSet(m[expected]))
    errs.push(required(`${field}.${expected}`, 'must populate information for the given metric source'));
  if (present.length !== 1)
    for (const k of present)
      if (k !== expected) errs.push(forbidden(`${field}.${k}`, 'must populate the given metric source only'));
  return errs;
}

function validateRules(rules: unknown, field: string): FieldError[] {
  if (!isSet(rules)) return [];
  const r = obj(rules);
  const errs: FieldError[] = [];
  const w = r.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0)
    errs.push(invalid(`${field}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > 3600)
    errs.push(invalid(`${field}.stabilizationWindowSeconds`, w, 'must be less than or equal to 3600'));
  if (isSet(r.selectPolicy) && !['Disabled', 'Max', 'Min'].includes(str(r.selectPolicy)))
    errs.push(notSupported(`${field}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']));
  const policies = objs(r.policies);
  if (policies.length === 0) errs.push(required(`${field}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const f = `${field}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent')
      errs.push(notSupported(`${f}.type`, p.type ?? '', ['Percent', 'Pods']));
    const value = typeof p.value === 'number' ? p.value : 0;
    const period = typeof p.periodSeconds === 'number' ? p.periodSeconds : 0;
    if (value <= 0) errs.push(invalid(`${f}.value`, value, 'must be greater than zero'));
    if (period <= 0) errs.push(invalid(`${f}.periodSeconds`, period, 'must be greater than zero'));
    if (period > 1800) errs.push(invalid(`${f}.periodSeconds`, period, 'must be less than or equal to 1800'));
  });
  return errs;
}

/** ValidateHorizontalPodAutoscaler / ValidateHorizontalPodAutoscalerUpdate (spec part). */
export function validateHorizontalPodAutoscaler(o: KubeObject, ctx: ValidationContext): FieldError[] {
  const spec = obj(o.spec);
  const errs: FieldError[] = [];
  const oldMin = ctx.old ? obj(ctx.old.spec).minReplicas : undefined;
  const lower = oldMin === 0 ? 0 : 1;
  const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : undefined;
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (min !== undefined && min < lower)
    errs.push(invalid('spec.minReplicas', min, `must be greater than or equal to ${lower}`));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min)
    errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionRef(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics = objs(spec.metrics);
  metrics.forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  if (min === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External'))
    errs.push(
      forbidden(
        'spec.metrics',
        'must specify at least one Object or External metric to support scaling to zero replicas',
      ),
    );
  if (isSet(spec.behavior)) {
    const b = obj(spec.behavior);
    errs.push(
      ...validateRules(b.scaleUp, 'spec.behavior.scaleUp'),
      ...validateRules(b.scaleDown, 'spec.behavior.scaleDown'),
    );
  }
  const status = obj(o.status);
  for (const k of ['currentReplicas', 'desiredReplicas']) {
    const v = status[k];
    if (typeof v === 'number' && v < 0)
      errs.push(invalid(`status.${k}`, v, 'must be greater than or equal to 0'));
  }
  return errs;
}
