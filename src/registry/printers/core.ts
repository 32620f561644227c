/**
 * @module registry/printers/core
 *
 * Tables of core kinds other than Pod and Node, after pkg/printers/internalversion/printers.go:
 * printNamespace, printService (getServiceExternalIP, makePortString), printEndpoints
 * (formatEndpoints), printConfigMap, printSecret, printServiceAccount, printEvent (shared with
 * events.k8s.io), printResourceQuota, printPodTemplate. PV/PVC tables are in volumes.ts.
 */
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { arr, at, isSet, num, obj, objs, str } from '../util.js';
import { parseTime, translateTimestampSince } from './duration.js';
import {
  ageCol,
  ageOf,
  col,
  containerCells,
  formatLabels,
  nameCol,
  nameOf,
  quantity,
  table,
} from './columns.js';

export const namespaceTable: TableConvertor = table(
  [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
  (ns, now) => [nameOf(ns), str(at(ns, 'status', 'phase')), ageOf(ns, now)],
);

/** The LoadBalancer ingress points: IPs (or hostnames), de-duplicated and sorted. */
export function loadBalancerIngress(status: unknown): string {
  const set = new Set<string>();
  for (const i of objs(at(status, 'loadBalancer', 'ingress'))) {
    const v = str(i.ip) || str(i.hostname);
    if (v) set.add(v);
  }
  return [...set].sort().join(',');
}

function serviceExternalIP(svc: KubeObject): string {
  const spec = obj(svc.spec);
  const externalIPs = arr(spec.externalIPs).map(str);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc.status);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** makePortString: `80/TCP`, `80:30080/TCP`, joined with ",". */
export function servicePorts(ports: unknown): string {
  return objs(ports)
    .map((p) => {
      const proto = str(p.protocol);
      return num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${proto}` : `${num(p.port)}/${proto}`;
    })
    .join(',');
}

export const serviceTable: TableConvertor = table(
  [
    nameCol(),
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col(
      'Cluster-IP',
      'string',
      'clusterIP is the IP address of the service and is usually assigned randomly.',
    ),
    col(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageCol(),
    col(
      'Selector',
      'string',
      'Route service traffic to pods with label keys and values matching this selector.',
      true,
    ),
  ],
  (svc, now) => {
    const spec = obj(svc.spec);
    const clusterIP = str(arr(spec.clusterIPs)[0]) || str(spec.clusterIP) || '<none>';
    return [
      nameOf(svc),
      str(spec.type),
      clusterIP,
      serviceExternalIP(svc),
      servicePorts(spec.ports) || '<none>',
      ageOf(svc, now),
      formatLabels(spec.selector),
    ];
  },
);

/** net.JoinHostPort: IPv6 addresses are bracketed. */
const joinHostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** formatEndpoints with no port filter: at most 3 entries, then " + N more...". */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = objs(ep.subsets);
  if (!subsets.length) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = objs(ss.addresses);
    const ports = objs(ss.ports);
    if (!ports.length) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(str(a.ip));
      }
      if (more) break;
    } else {
      for (const p of ports) {
        count += addresses.length;
        for (const a of addresses) {
          if (list.length === max) {
            more = true;
            break;
          }
          list.push(joinHostPort(str(a.ip), num(p.port)));
        }
        if (more) break;
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export const endpointsTable: TableConvertor = table(
  [nameCol(), col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), ageCol()],
  (ep, now) => [nameOf(ep), formatEndpoints(ep), ageOf(ep, now)],
);

const keyCount = (...maps: unknown[]) => new Set(maps.flatMap((m) => Object.keys(obj(m)))).size;

export const configMapTable: TableConvertor = table(
  [nameCol(), col('Data', 'string', 'Data contains the configuration data.'), ageCol()],
  (cm, now) => [
    nameOf(cm),
    Object.keys(obj(cm.data)).length + Object.keys(obj(cm.binaryData)).length,
    ageOf(cm, now),
  ],
);

export const secretTable: TableConvertor = table(
  [
    nameCol(),
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    ageCol(),
  ],
  // stringData is merged into data on write upstream; count both in case it was not.
  (sec, now) => [nameOf(sec), str(sec.type), keyCount(sec.data, sec.stringData), ageOf(sec, now)],
);

export const serviceAccountTable: TableConvertor = table(
  [
    nameCol(),
    col(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
    ageCol(),
  ],
  (sa, now) => [nameOf(sa), arr(sa.secrets).length, ageOf(sa, now)],
);

/** A core/v1 Event's printable fields; events.k8s.io/v1 objects are mapped onto them. */
function eventFields(ev: KubeObject) {
  const isNew = typeof ev.apiVersion === 'string' && ev.apiVersion.startsWith('events.k8s.io/');
  if (!isNew) {
    return {
      involved: obj(ev.involvedObject),
      message: str(ev.message),
      source: obj(ev.source),
      first: ev.firstTimestamp,
      last: ev.lastTimestamp,
      count: num(ev.count),
    };
  }
  return {
    involved: obj(ev.regarding),
    message: str(ev.note),
    source: obj(ev.deprecatedSource),
    first: ev.deprecatedFirstTimestamp,
    last: ev.deprecatedLastTimestamp,
    count: num(ev.deprecatedCount),
  };
}

export const eventTable: TableConvertor = table(
  [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'string', 'Why the action was taken. It is human-readable.'),
    col('Object', 'string', 'The object this Event is about.'),
    col('Subobject', 'string', 'The field of the involved object this event is about.', true),
    col('Source', 'string', 'The component reporting this event.', true),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded.', true),
    col('Count', 'string', 'The number of times this event has occurred.', true),
    col('Name', 'string', 'Name of the event.', true, 'name'),
  ],
  (ev, now) => {
    const f = eventFields(ev);
    let first = translateTimestampSince(f.first, now);
    if (parseTime(f.first) === undefined) first = translateTimestampSince(ev.eventTime, now);
    let last = parseTime(f.last) === undefined ? first : translateTimestampSince(f.last, now);
    let count = f.count;
    if (isSet(ev.series)) {
      last = translateTimestampSince(at(ev, 'series', 'lastObservedTime'), now);
      count = num(at(ev, 'series', 'count'));
    } else if (count === 0) {
      count = 1;
    }
    const kind = str(f.involved.kind).toLowerCase();
    const target = str(f.involved.name) ? `${kind}/${str(f.involved.name)}` : kind;
    const component = str(f.source.component) || str(ev.reportingController);
    const instance = str(f.source.host) || str(ev.reportingInstance);
    return [
      last,
      str(ev.type),
      str(ev.reason),
      target,
      str(f.involved.fieldPath),
      instance ? `${component}, ${instance}` : component,
      f.message.trim(),
      first,
      count,
      nameOf(ev),
    ];
  },
);

export const resourceQuotaTable: TableConvertor = table(
  [
    nameCol(),
    col(
      'Request',
      'string',
      'Request represents a minimum amount of cpu/memory that a container may consume.',
    ),
    col(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    ageCol(),
  ],
  (q, now) => {
    const hard = obj(at(q, 'status', 'hard'));
    const used = obj(at(q, 'status', 'used'));
    let request = '';
    let limit = '';
    for (const name of Object.keys(hard).sort()) {
      const entry = `${name}: ${quantity(used[name])}/${quantity(hard[name])}, `;
      const pieces = name.split('.');
      if (pieces.length > 1 && pieces[0] === 'limits') limit += entry;
      else request += entry;
    }
    const trim = (x: string) => (x.endsWith(', ') ? x.slice(0, -2) : x);
    return [nameOf(q), trim(request), trim(limit), ageOf(q, now)];
  },
);

export const podTemplateTable: TableConvertor = table(
  [
    nameCol(),
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  (pt) => {
    const [names, images] = containerCells(at(pt, 'template', 'spec'));
    return [nameOf(pt), names, images, formatLabels(at(pt, 'template', 'metadata', 'labels'))];
  },
);
