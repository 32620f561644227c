/**
 * @module registry/fields
 *
 * Field selectors per kind, as each upstream strategy's GetAttrs / ToSelectableFields
 * (metadata.name and metadata.namespace are always supported and handled generically):
 * pkg/registry/core/pod/strategy.go, node, namespace, secret, service, event,
 * replicationcontroller; pkg/registry/apps/replicaset; pkg/registry/batch/job;
 * pkg/registry/certificates/certificates. Booleans are "true"/"false" (strconv.FormatBool),
 * integers decimal.
 */
import type { KubeObject } from '../api/types.js';
import { at, num, objs, str } from './util.js';

export type FieldSelectors = Record<string, (obj: KubeObject) => string>;

const path =
  (...keys: string[]) =>
  (o: KubeObject): string =>
    str(at(o, ...keys));
const count =
  (...keys: string[]) =>
  (o: KubeObject): string =>
    String(num(at(o, ...keys)));

export const podFields: FieldSelectors = {
  'spec.nodeName': path('spec', 'nodeName'),
  'spec.restartPolicy': path('spec', 'restartPolicy'),
  'spec.schedulerName': path('spec', 'schedulerName'),
  'spec.serviceAccountName': path('spec', 'serviceAccountName'),
  'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
  'status.phase': path('status', 'phase'),
  'status.podIP': (o) => str(objs(at(o, 'status', 'podIPs'))[0]?.ip) || str(at(o, 'status', 'podIP')),
  'status.nominatedNodeName': path('status', 'nominatedNodeName'),
};

export const nodeFields: FieldSelectors = {
  'spec.unschedulable': (o) => String(at(o, 'spec', 'unschedulable') === true),
};

/** Namespaces also accept the legacy `name` label (kept upstream for compatibility). */
export const namespaceFields: FieldSelectors = {
  'status.phase': path('status', 'phase'),
  name: (o) => str(o.metadata?.name),
};

export const secretFields: FieldSelectors = { type: path('type') };

export const serviceFields: FieldSelectors = {
  'spec.clusterIP': path('spec', 'clusterIP'),
  'spec.type': path('spec', 'type'),
};

export const replicaCountFields: FieldSelectors = { 'status.replicas': count('status', 'replicas') };

export const jobFields: FieldSelectors = { 'status.successful': count('status', 'succeeded') };

export const csrFields: FieldSelectors = { 'spec.signerName': path('spec', 'signerName') };

const INVOLVED = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/** core/v1 Events (pkg/registry/core/event/strategy.go ToSelectableFields). */
export const eventFields: FieldSelectors = {
  ...Object.fromEntries(INVOLVED.map((f) => [`involvedObject.${f}`, path('involvedObject', f)])),
  reason: path('reason'),
  reportingComponent: path('reportingController'),
  source: (o) => str(at(o, 'source', 'component')) || str(o.reportingController),
  type: path('type'),
};

/**
 * events.k8s.io/v1 Events: the same selectable fields under the v1 names (field label conversion
 * of pkg/apis/events/v1: regarding.* → involvedObject.*, reportingController, deprecatedSource).
 */
export const eventsV1Fields: FieldSelectors = {
  ...Object.fromEntries(INVOLVED.map((f) => [`regarding.${f}`, path('regarding', f)])),
  reason: path('reason'),
  reportingController: path('reportingController'),
  deprecatedSource: (o) => str(at(o, 'deprecatedSource', 'component')) || str(o.reportingController),
  type: path('type'),
};
