/**
 * @module registry
 *
 * Every served resource's descriptor, and lookups over them. Groups are listed in upstream's
 * priority order (the order of api/discovery/apis.json: core first, then apiregistration.k8s.io, apps, events.k8s.io,
 * authentication.k8s.io ...); within a group, versions are preferred-first.
 */
import { apiregistrationResources } from './resources/apiregistration.js';
import { apiextensionsResources } from '../apiextensions/crd-resource.js';
import { appsResources } from './resources/apps.js';
import { authenticationResources } from './resources/authentication.js';
import { authorizationResources } from './resources/authorization.js';
import { autoscalingResources } from './resources/autoscaling.js';
import { batchResources } from './resources/batch.js';
import { certificatesResources } from './resources/certificates.js';
import { coordinationResources } from './resources/coordination.js';
import { coreResources } from './resources/core.js';
import { eventsResources } from './resources/events.js';
import { networkingResources } from './resources/networking.js';
import { policyResources } from './resources/policy.js';
import { rbacResources } from './resources/rbac.js';
import { schedulingResources } from './resources/scheduling.js';
import { storageResources } from './resources/storage.js';
import type { ResourceDescriptor } from './types.js';

export { validateObjectMeta } from './validation.js';
export { defaultTable } from './printers/columns.js';
export { humanDuration, translateTimestampSince } from './printers/duration.js';
export type {
  ResourceDescriptor,
  SubresourceDescriptor,
  TableCell,
  TableColumn,
  TableConvertor,
  TableRow,
  ValidationContext,
} from './types.js';

/** API groups in upstream's discovery order ("" is the core group, served under /api). */
export const GROUP_ORDER: readonly string[] = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
];

/** Every served resource, grouped in {@link GROUP_ORDER} and sorted by resource name within a group. */
export const allResources: ResourceDescriptor[] = [
  ...coreResources,
  ...apiregistrationResources,
  ...appsResources,
  ...eventsResources,
  ...authenticationResources,
  ...authorizationResources,
  ...autoscalingResources,
  ...batchResources,
  ...certificatesResources,
  ...networkingResources,
  ...policyResources,
  ...rbacResources,
  ...storageResources,
  ...apiextensionsResources,
  ...schedulingResources,
  ...coordinationResources,
].sort(
  (a, b) =>
    GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group) ||
    (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
);

const byResource = new Map<string, ResourceDescriptor>();
const byKind = new Map<string, ResourceDescriptor>();
for (const d of allResources) {
  for (const v of d.versions) byResource.set(`${d.group}/${v}/${d.resource}`, d);
  byKind.set(`${d.group}/${d.kind}`, d);
}

/** The descriptor serving `resource` (plural, lower-case) at group/version, if any. */
export function findResource(
  group: string,
  version: string,
  resource: string,
): ResourceDescriptor | undefined {
  return byResource.get(`${group}/${version}/${resource}`);
}

/** The descriptor of a kind in a group (any served version), if any. */
export function findByKind(group: string, kind: string): ResourceDescriptor | undefined {
  return byKind.get(`${group}/${kind}`);
}

/** A served group with its versions, preferred first. */
export interface GroupVersions {
  group: string;
  versions: string[];
}

/**
 * Served groups in discovery order, each with its versions in preference order. A group's
 * preferred version is the first version any of its resources lists first.
 */
export function groupVersions(resources: readonly ResourceDescriptor[] = allResources): GroupVersions[] {
  const out = new Map<string, string[]>();
  for (const d of resources) {
    const vs = out.get(d.group) ?? [];
    for (const v of d.versions) if (!vs.includes(v)) vs.push(v);
    out.set(d.group, vs);
  }
  const order = (g: string) => {
    const i = GROUP_ORDER.indexOf(g);
    return i < 0 ? GROUP_ORDER.length : i;
  };
  return [...out.entries()]
    .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, versions]) => ({ group, versions: versions.sort(compareKubeVersions) }));
}

const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/**
 * Orders versions as apimachinery's version.CompareKubeAwareVersionStrings, highest first: GA
 * before beta before alpha, larger numbers first, non-Kube-like strings last (alphabetically).
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = VERSION_RE.exec(v);
    if (!m) return undefined;
    const stage = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
    return [stage, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (!ra || !rb) return ra ? -1 : rb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
}
