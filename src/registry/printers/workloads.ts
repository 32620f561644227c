/**
 * @module registry/printers/workloads
 *
 * Workload controller tables, after pkg/printers/internalversion/printers.go:
 * printReplicationController, printReplicaSet, printDeployment, printStatefulSet, printDaemonSet,
 * printControllerRevision, printJob, printCronJob.
 */
import type { KubeObject } from '../../api/types.js';
import { parseApiVersion } from '../../api/types.js';
import type { TableColumn, TableConvertor } from '../types.js';
import { arr, at, isSet, num, obj, str } from '../util.js';
import { humanDuration, parseTime, translateTimestampSince } from './duration.js';
import {
  ageCol,
  ageOf,
  boolPtr,
  col,
  containerCells,
  containerCols,
  findCondition,
  formatLabels,
  formatLabelSelector,
  labelSelectorString,
  nameCol,
  nameOf,
  selectorCol,
  table,
} from './columns.js';

/** spec.replicas, which defaulting always sets (to 1 when omitted). */
const replicas = (o: KubeObject) => {
  const r = at(o, 'spec', 'replicas');
  return typeof r === 'number' ? r : 1;
};
const statusNum = (o: KubeObject, field: string) => num(at(o, 'status', field));
const templateCells = (o: KubeObject, ...path: string[]) =>
  containerCells(at(o, ...path, 'template', 'spec'));

const replicaCountCols = (): TableColumn[] => [
  col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
  col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
  col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
];

export const replicationControllerTable: TableConvertor = table(
  [nameCol(), ...replicaCountCols(), ageCol(), ...containerCols(), selectorCol()],
  (rc, now) => [
    nameOf(rc),
    replicas(rc),
    statusNum(rc, 'replicas'),
    statusNum(rc, 'readyReplicas'),
    ageOf(rc, now),
    ...templateCells(rc, 'spec'),
    formatLabels(at(rc, 'spec', 'selector')),
  ],
);

export const replicaSetTable: TableConvertor = table(
  [nameCol(), ...replicaCountCols(), ageCol(), ...containerCols(), selectorCol()],
  (rs, now) => [
    nameOf(rs),
    replicas(rs),
    statusNum(rs, 'replicas'),
    statusNum(rs, 'readyReplicas'),
    ageOf(rs, now),
    ...templateCells(rs, 'spec'),
    formatLabelSelector(at(rs, 'spec', 'selector')),
  ],
);

export const deploymentTable: TableConvertor = table(
  [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col(
      'Up-to-date',
      'string',
      'Total number of non-terminating pods targeted by this deployment that have the desired template spec.',
    ),
    col(
      'Available',
      'string',
      'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  (d, now) => [
    nameOf(d),
    `${statusNum(d, 'readyReplicas')}/${replicas(d)}`,
    statusNum(d, 'updatedReplicas'),
    statusNum(d, 'availableReplicas'),
    ageOf(d, now),
    ...templateCells(d, 'spec'),
    labelSelectorString(at(d, 'spec', 'selector')) ?? '<invalid>',
  ],
);

export const statefulSetTable: TableConvertor = table(
  [nameCol(), col('Ready', 'string', 'Number of the pod with ready state'), ageCol(), ...containerCols()],
  (s, now) => [
    nameOf(s),
    `${statusNum(s, 'readyReplicas')}/${replicas(s)}`,
    ageOf(s, now),
    ...templateCells(s, 'spec'),
  ],
);

export const daemonSetTable: TableConvertor = table(
  [
    nameCol(),
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col(
      'Current',
      'integer',
      'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.',
    ),
    col(
      'Ready',
      'integer',
      'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.',
    ),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col(
      'Available',
      'integer',
      'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.',
    ),
    col(
      'Node Selector',
      'string',
      'NodeSelector is a selector which must be true for the pod to fit on a node.',
    ),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  (ds, now) => [
    nameOf(ds),
    statusNum(ds, 'desiredNumberScheduled'),
    statusNum(ds, 'currentNumberScheduled'),
    statusNum(ds, 'numberReady'),
    statusNum(ds, 'updatedNumberScheduled'),
    statusNum(ds, 'numberAvailable'),
    formatLabels(at(ds, 'spec', 'template', 'spec', 'nodeSelector')),
    ageOf(ds, now),
    ...templateCells(ds, 'spec'),
    formatLabelSelector(at(ds, 'spec', 'selector')),
  ],
);

/** `lower(Kind.group)/name` of the controlling owner, or `<none>`. */
export function controllerOf(o: KubeObject): string {
  const ref = (o.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion ?? '');
  const gk = group ? `${ref.kind}.${group}` : ref.kind;
  return gk ? `${gk.toLowerCase()}/${ref.name}` : ref.name;
}

export const controllerRevisionTable: TableConvertor = table(
  [
    nameCol(),
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageCol(),
  ],
  (cr, now) => [nameOf(cr), controllerOf(cr), num(cr.revision), ageOf(cr, now)],
);

const conditionTrue = (o: KubeObject, type: string) =>
  findCondition(at(o, 'status', 'conditions'), type)?.status === 'True';

/** The Job STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget or Running. */
export function jobStatus(job: KubeObject): string {
  if (conditionTrue(job, 'Complete')) return 'Complete';
  if (conditionTrue(job, 'Failed')) return 'Failed';
  if (isSet(job.metadata?.deletionTimestamp)) return 'Terminating';
  if (conditionTrue(job, 'Suspended')) return 'Suspended';
  if (conditionTrue(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobTable: TableConvertor = table(
  [
    nameCol(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  (job, now) => {
    const spec = obj(job.spec);
    const succeeded = statusNum(job, 'succeeded');
    let completions: string;
    if (typeof spec.completions === 'number') completions = `${succeeded}/${spec.completions}`;
    else if (num(spec.parallelism) > 1) completions = `${succeeded}/1 of ${num(spec.parallelism)}`;
    else completions = `${succeeded}/1`;
    const start = parseTime(at(job, 'status', 'startTime'));
    const end = parseTime(at(job, 'status', 'completionTime'));
    const jobDuration =
      start === undefined
        ? ''
        : end === undefined
          ? humanDuration(now.getTime() - start)
          : humanDuration(end - start);
    return [
      nameOf(job),
      jobStatus(job),
      completions,
      jobDuration,
      ageOf(job, now),
      ...templateCells(job, 'spec'),
      formatLabelSelector(spec.selector),
    ];
  },
);

export const cronJobTable: TableConvertor = table(
  [
    nameCol(),
    col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    col('Timezone', 'string', 'The time zone name for the given schedule.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageCol(),
    ...containerCols(),
    selectorCol(),
  ],
  (cj, now) => {
    const spec = obj(cj.spec);
    const last = at(cj, 'status', 'lastScheduleTime');
    return [
      nameOf(cj),
      str(spec.schedule),
      isSet(spec.timeZone) ? str(spec.timeZone) : '<none>',
      boolPtr(spec.suspend),
      arr(at(cj, 'status', 'active')).length,
      isSet(last) ? translateTimestampSince(last, now) : '<none>',
      ageOf(cj, now),
      ...templateCells(cj, 'spec', 'jobTemplate', 'spec'),
      formatLabelSelector(at(spec, 'jobTemplate', 'spec', 'selector')),
    ];
  },
);
