/**
 * Field-selector attributes per kind (upstream GetAttrs / ToSelectableFields).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { findResource } from './index.js';

function attrs(group: string, resource: string, o: KubeObject): Record<string, string> {
  const fs = findResource(group, 'v1', resource)?.fieldSelectors;
  assert.ok(fs, resource);
  return Object.fromEntries(Object.entries(fs).map(([k, f]) => [k, f(o)]));
}

test('pods', () => {
  assert.deepEqual(
    attrs('', 'pods', {
      spec: {
        nodeName: 'n1',
        restartPolicy: 'Always',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'default',
        hostNetwork: true,
      },
      status: { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
    }),
    {
      'spec.nodeName': 'n1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'true',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.1',
      'status.nominatedNodeName': '',
    },
  );
  assert.equal(attrs('', 'pods', {})['spec.hostNetwork'], 'false');
});

test('other kinds', () => {
  assert.deepEqual(attrs('', 'nodes', { spec: { unschedulable: true } }), { 'spec.unschedulable': 'true' });
  assert.deepEqual(attrs('', 'namespaces', { metadata: { name: 'ns' }, status: { phase: 'Active' } }), {
    'status.phase': 'Active',
    name: 'ns',
  });
  assert.deepEqual(attrs('', 'secrets', { type: 'kubernetes.io/tls' }), { type: 'kubernetes.io/tls' });
  assert.deepEqual(attrs('', 'services', { spec: { clusterIP: '10.96.0.1', type: 'ClusterIP' } }), {
    'spec.clusterIP': '10.96.0.1',
    'spec.type': 'ClusterIP',
  });
  assert.deepEqual(attrs('apps', 'replicasets', { status: { replicas: 3 } }), { 'status.replicas': '3' });
  assert.deepEqual(attrs('', 'replicationcontrollers', {}), { 'status.replicas': '0' });
  assert.deepEqual(attrs('batch', 'jobs', { status: { succeeded: 2 } }), { 'status.successful': '2' });
  assert.deepEqual(
    attrs('certificates.k8s.io', 'certificatesigningrequests', {
      spec: { signerName: 'kubernetes.io/kubelet-serving' },
    }),
    {
      'spec.signerName': 'kubernetes.io/kubelet-serving',
    },
  );
});

test('events', () => {
  const a = attrs('', 'events', {
    involvedObject: {
      kind: 'Pod',
      namespace: 'default',
      name: 'web',
      uid: 'u',
      apiVersion: 'v1',
      resourceVersion: '7',
      fieldPath: 'spec.containers{a}',
    },
    reason: 'Pulled',
    type: 'Normal',
    reportingController: 'kubelet',
  });
  assert.deepEqual(a, {
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'default',
    'involvedObject.name': 'web',
    'involvedObject.uid': 'u',
    'involvedObject.apiVersion': 'v1',
    'involvedObject.resourceVersion': '7',
    'involvedObject.fieldPath': 'spec.containers{a}',
    reason: 'Pulled',
    reportingComponent: 'kubelet',
    source: 'kubelet',
    type: 'Normal',
  });
  assert.equal(attrs('events.k8s.io', 'events', { regarding: { name: 'web' } })['regarding.name'], 'web');
});
