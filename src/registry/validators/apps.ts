/**
 * @module registry/validators/apps
 *
 * Workload validation after pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
 * ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec,
 * ValidatePodTemplateSpecForReplicaSet) and pkg/apis/batch/validation (Job/CronJob basics): the
 * selector is required, non-empty and must match the template labels; the template must restart
 * Always (not for Jobs); replicas are non-negative; the selector is immutable on update.
 */
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { arr, at, obj, objs, str, strMap } from '../util.js';
import type { ValidationContext } from '../types.js';
import { immutable, invalid, notSupported, required } from '../validation.js';
import { validatePodSpec } from './pod.js';

/** Whether a metav1.LabelSelector matches a label set. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const s = obj(selector);
  for (const [k, v] of Object.entries(strMap(s.matchLabels))) if (labels[k] !== v) return false;
  for (const e of objs(s.matchExpressions)) {
    const key = str(e.key);
    const values = arr(e.values).map(str);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const selectorEmpty = (s: unknown) =>
  Object.keys(obj(obj(s).matchLabels)).length + arr(obj(s).matchExpressions).length === 0;

/**
 * The selector + template checks shared by the replicated workloads; `what` names the kind in
 * upstream's "empty selector is invalid for <what>" message.
 */
function validateReplicated(
  o: KubeObject,
  what: string,
  ctx: ValidationContext,
  opts: { restartAlways: boolean; replicas: boolean },
): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const selector = spec.selector;
  if (selector === undefined || selector === null) {
    errs.push(required('spec.selector'));
  } else if (selectorEmpty(selector)) {
    errs.push(invalid('spec.selector', selector, `empty selector is invalid for ${what}`));
  }
  if (opts.replicas && typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  const template = spec.template;
  if (template === undefined || template === null) {
    errs.push(required('spec.template'));
  } else {
    const labels = strMap(at(template, 'metadata', 'labels'));
    if (selector && !selectorEmpty(selector) && !selectorMatches(selector, labels)) {
      errs.push(
        invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
      );
    }
    errs.push(...validatePodSpec(obj(template).spec, 'spec.template.spec', false));
    const restart = str(at(template, 'spec', 'restartPolicy'));
    if (opts.restartAlways && restart && restart !== 'Always') {
      errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
    }
  }
  if (ctx.old) errs.push(...immutable('spec.selector', selector, at(ctx.old, 'spec', 'selector')));
  return errs;
}

export const validateDeployment = (o: KubeObject, ctx: ValidationContext) =>
  validateReplicated(o, 'deployment', ctx, { restartAlways: true, replicas: true });
// Upstream's ReplicaSet validation reuses the deployment wording.
export const validateReplicaSet = (o: KubeObject, ctx: ValidationContext) =>
  validateReplicated(o, 'deployment', ctx, { restartAlways: true, replicas: true });
export const validateStatefulSet = (o: KubeObject, ctx: ValidationContext) =>
  validateReplicated(o, 'statefulset', ctx, { restartAlways: true, replicas: true });
export const validateDaemonSet = (o: KubeObject, ctx: ValidationContext) =>
  validateReplicated(o, 'daemonset', ctx, { restartAlways: true, replicas: false });

const JOB_RESTART = ['OnFailure', 'Never'];

/** validateJobSpec basics: template restartPolicy OnFailure/Never, non-negative counts. */
function validateJobSpec(specValue: unknown, path: string): FieldError[] {
  const spec = obj(specValue);
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit']) {
    const v = spec[f];
    if (typeof v === 'number' && v < 0)
      errs.push(invalid(`${path}.${f}`, v, 'must be greater than or equal to 0'));
  }
  if (spec.template === undefined || spec.template === null) {
    errs.push(required(`${path}.template`));
    return errs;
  }
  errs.push(...validatePodSpec(obj(spec.template).spec, `${path}.template.spec`, false));
  const restart = str(at(spec.template, 'spec', 'restartPolicy'));
  if (restart && !JOB_RESTART.includes(restart)) {
    errs.push(notSupported(`${path}.template.spec.restartPolicy`, restart, JOB_RESTART));
  }
  return errs;
}

export function validateJob(job: KubeObject, ctx: ValidationContext): FieldError[] {
  const errs = validateJobSpec(job.spec, 'spec');
  if (ctx.old) {
    errs.push(...immutable('spec.selector', at(job, 'spec', 'selector'), at(ctx.old, 'spec', 'selector')));
    errs.push(...immutable('spec.template', at(job, 'spec', 'template'), at(ctx.old, 'spec', 'template')));
  }
  return errs;
}

export function validateCronJob(cj: KubeObject): FieldError[] {
  const spec = obj(cj.spec);
  const errs: FieldError[] = [];
  if (!str(spec.schedule)) errs.push(required('spec.schedule'));
  const name = str(cj.metadata?.name);
  if (name.length > 52) errs.push(invalid('metadata.name', name, 'must be no more than 52 characters'));
  errs.push(...validateJobSpec(at(spec, 'jobTemplate', 'spec'), 'spec.jobTemplate.spec'));
  return errs;
}

/** ReplicationController: a map selector that must match the template labels (ValidateReplicationControllerSpec). */
export function validateReplicationController(rc: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(rc.spec);
  const selector = strMap(spec.selector);
  if (!Object.keys(selector).length) errs.push(required('spec.selector'));
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    errs.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  }
  if (spec.template === undefined || spec.template === null) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = strMap(at(spec.template, 'metadata', 'labels'));
  if (Object.keys(selector).length && !selectorMatches({ matchLabels: selector }, labels)) {
    errs.push(
      invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'),
    );
  }
  errs.push(...validatePodSpec(obj(spec.template).spec, 'spec.template.spec', false));
  const restart = str(at(spec.template, 'spec', 'restartPolicy'));
  if (restart && restart !== 'Always')
    errs.push(notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  return errs;
}
