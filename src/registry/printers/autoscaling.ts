/**
 * @module registry/printers/autoscaling
 *
 * Table convertors for HorizontalPodAutoscaler (pkg/printers/internalversion/printers.go
 * printHorizontalPodAutoscaler and formatHPAMetrics; rows are built from the autoscaling/v2
 * storage shape, as upstream prints the internal type) and APIService
 * (kube-aggregator pkg/registry/apiservice/etcd/etcd.go ConvertToTable).
 */
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { isSet, obj, objs, str } from '../util.js';
import { ageCol, ageOf, col, findCondition, nameCol, nameOf, quantity, table } from './columns.js';

type Obj = Record<string, unknown>;

const q = (v: unknown): string => quantity(v);

/** One metric's `current/target` text (formatHPAMetrics' switch). */
function metricText(spec: Obj, status: Obj | undefined): string {
  const unknown = '<unknown>';
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = obj(obj(spec[key]).target);
      const cur = status && isSet(status[key]) ? obj(obj(status[key]).current) : undefined;
      if (isSet(target.averageValue)) {
        const c = cur && isSet(cur.averageValue) ? q(cur.averageValue) : unknown;
        return `${c}/${q(target.averageValue)} (avg)`;
      }
      return `${cur ? q(cur.value) : unknown}/${q(target.value)}`;
    }
    case 'Pods': {
      const target = obj(obj(spec.pods).target);
      const cur = status && isSet(status.pods) ? q(obj(obj(status.pods).current).averageValue) : unknown;
      return `${cur}/${q(target.averageValue)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const key = spec.type === 'Resource' ? 'resource' : 'containerResource';
      const src = obj(spec[key]);
      const target = obj(src.target);
      const cur = status && isSet(status[key]) ? obj(obj(status[key]).current) : undefined;
      const prefix = `${str(src.name)}: `;
      if (isSet(target.averageValue))
        return `${prefix}${cur ? q(cur.averageValue) : unknown}/${q(target.averageValue)}`;
      const c = cur && isSet(cur.averageUtilization) ? `${String(cur.averageUtilization)}%` : unknown;
      const t = isSet(target.averageUtilization) ? `${String(target.averageUtilization)}%` : '<auto>';
      return `${prefix}${c}/${t}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: at most two metrics, then ` + N more...`; `<none>` without metrics. */
export function formatHpaMetrics(specs: unknown, statuses: unknown): string {
  const sp = objs(specs);
  if (sp.length === 0) return '<none>';
  const st = objs(statuses);
  const list = sp.map((m, i) => metricText(m, st[i]));
  if (list.length <= 2) return list.join(', ');
  return `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...`;
}

export const horizontalPodAutoscalerTable: TableConvertor = table(
  [
    nameCol(),
    col(
      'Reference',
      'string',
      'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.',
    ),
    col(
      'Targets',
      'string',
      'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.',
    ),
    col(
      'MinPods',
      'string',
      'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.',
    ),
    col(
      'MaxPods',
      'string',
      'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.',
    ),
    col(
      'Replicas',
      'string',
      'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.',
    ),
    ageCol(),
  ],
  (o: KubeObject, now) => {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const ref = obj(spec.scaleTargetRef);
    return [
      nameOf(o),
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHpaMetrics(spec.metrics, status.currentMetrics),
      typeof spec.minReplicas === 'number' ? String(spec.minReplicas) : '<unset>',
      typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0,
      typeof status.currentReplicas === 'number' ? status.currentReplicas : 0,
      ageOf(o, now),
    ];
  },
);

export const apiServiceTable: TableConvertor = table(
  [
    nameCol(),
    col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'),
    ageCol(),
  ],
  (o: KubeObject, now) => {
    const spec = obj(o.spec);
    const svc = isSet(spec.service) ? obj(spec.service) : undefined;
    const c = findCondition(obj(o.status).conditions, 'Available');
    let available = 'Unknown';
    if (c) {
      const st = str(c.status);
      available = st === 'True' || !str(c.reason) ? st : `${st} (${str(c.reason)})`;
    }
    return [nameOf(o), svc ? `${str(svc.namespace)}/${str(svc.name)}` : 'Local', available, ageOf(o, now)];
  },
);
