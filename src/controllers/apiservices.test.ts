/**
 * The local APIServices (pkg/controlplane/apiserver/aggregator.go priorities, kube-aggregator's
 * local availability) and the honest unavailability of service-backed ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupVersions } from '../registry/index.js';
import { API_VERSION_PRIORITIES, availability, localAPIService } from './apiservices.js';

test('local APIServices carry upstream priorities, a null service and the onstart label', () => {
  assert.deepEqual(localAPIService('', 'v1'), {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1.', labels: { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' } },
    spec: { service: null, group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 },
  });
  const spec = (g: string, v: string) => localAPIService(g, v)?.spec as Record<string, unknown>;
  assert.equal(spec('apps', 'v1').groupPriorityMinimum, 17800);
  assert.equal(spec('autoscaling', 'v2').versionPriority, 30);
  assert.equal(spec('autoscaling', 'v1').versionPriority, 15);
  assert.equal(spec('rbac.authorization.k8s.io', 'v1').groupPriorityMinimum, 17000);
  assert.equal(localAPIService('example.com', 'v1'), undefined);
});

test('every served built-in group version except apiregistration itself has a priority', () => {
  for (const gv of groupVersions()) {
    if (gv.group === 'apiregistration.k8s.io') continue;
    for (const v of gv.versions) {
      const key = gv.group ? `${gv.group}/${v}` : v;
      assert.ok(API_VERSION_PRIORITIES[key], `priority for ${key}`);
    }
  }
});

test('availability: local is always available; a service-backed APIService is not proxied', () => {
  assert.deepEqual(availability({ spec: { service: null } }), {
    type: 'Available',
    status: 'True',
    reason: 'Local',
    message: 'Local APIServices are always available',
  });
  const remote = availability({
    spec: { service: { namespace: 'kube-system', name: 'm' }, group: 'metrics.k8s.io', version: 'v1beta1' },
  });
  assert.equal(remote.status, 'False');
  assert.equal(remote.reason, 'ProxyNotSupported');
  assert.match(remote.message ?? '', /metrics\.k8s\.io\/v1beta1/);
});
