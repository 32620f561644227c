/**
 * @module registry/defaults/workloads
 *
 * Workload defaulting: pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment, _ReplicaSet,
 * _StatefulSet, _DaemonSet), pkg/apis/batch/v1/defaults.go (SetDefaults_Job, _CronJob) and
 * pkg/apis/core/v1/defaults.go (SetDefaults_ReplicationController); each also defaults its pod
 * template as SetDefaults_PodSpec does. Job selector generation (controller-uid labels) needs the
 * object's UID and belongs to the create strategy, not here.
 */
import type { KubeObject } from '../../api/types.js';
import { child, obj, setDefault, type Obj } from '../util.js';
import { defaultPodTemplate, templateMetadata } from './pod.js';

const specOf = (o: KubeObject) => child(o as Obj, 'spec');

export function defaultDeployment(d: KubeObject): void {
  const spec = specOf(d);
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultReplicaSet(rs: KubeObject): void {
  const spec = specOf(rs);
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultStatefulSet(sts: KubeObject): void {
  const spec = specOf(sts);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const us = child(spec, 'updateStrategy');
  if (!us.type) {
    us.type = 'RollingUpdate';
    child(us, 'rollingUpdate');
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate && typeof us.rollingUpdate === 'object') {
    setDefault(us.rollingUpdate as Obj, 'partition', 0);
  }
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultDaemonSet(ds: KubeObject): void {
  const spec = specOf(ds);
  const us = child(spec, 'updateStrategy');
  setDefault(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultReplicationController(rc: KubeObject): void {
  const spec = specOf(rc);
  const labels = obj(obj(obj(spec.template).metadata).labels);
  if (spec.template && Object.keys(labels).length) {
    if (!Object.keys(obj(spec.selector)).length) spec.selector = { ...labels };
    const meta = (rc.metadata ??= {});
    if (!Object.keys(meta.labels ?? {}).length) meta.labels = { ...(labels as Record<string, string>) };
  }
  setDefault(spec, 'replicas', 1);
  if (spec.template) defaultPodTemplate(child(spec, 'template'));
}

export function defaultJob(job: KubeObject): void {
  const spec = specOf(job);
  if ((spec.completions ?? null) === null && (spec.parallelism ?? null) === null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', spec.backoffLimitPerIndex != null ? 2147483647 : 6);
  const templateLabels = obj(obj(obj(spec.template).metadata).labels);
  const meta = (job.metadata ??= {});
  if (Object.keys(templateLabels).length && !Object.keys(meta.labels ?? {}).length) {
    meta.labels = { ...(templateLabels as Record<string, string>) };
  }
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec.podFailurePolicy != null ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultCronJob(cj: KubeObject): void {
  const spec = specOf(cj);
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  templateMetadata(child(spec, 'jobTemplate'));
  defaultPodTemplate(child(child(child(spec, 'jobTemplate'), 'spec'), 'template'));
}
