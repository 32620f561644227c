/**
 * The kubelet's request attributes, after pkg/kubelet/server/auth_test.go
 * (TestAuthzAttributes, v1.25 paths) and seed 003's verb and subresource tables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiVerb, isSubpath, kubeletAttributes, kubeletSubresource } from './attributes.js';

const user = { name: 'alice', uid: '', groups: ['devs'], extra: {} };

test('verb from the HTTP method (seed 003: POST create, GET/HEAD get, PUT update, PATCH patch, DELETE delete)', () => {
  const rows: [string, string][] = [
    ['POST', 'create'],
    ['GET', 'get'],
    ['HEAD', 'get'],
    ['PUT', 'update'],
    ['PATCH', 'patch'],
    ['DELETE', 'delete'],
    ['OPTIONS', ''],
    ['CONNECT', ''],
  ];
  for (const [method, verb] of rows) assert.equal(apiVerb(method), verb, method);
});

test('subresource from the path (auth_test.go v1.25 rows)', () => {
  const rows: [string, string][] = [
    ['/stats', 'stats'],
    ['/stats/', 'stats'],
    ['/stats/summary', 'stats'],
    ['/stats/container/foo', 'stats'],
    ['/statsfoo', 'proxy'],
    ['/metrics', 'metrics'],
    ['/metrics/', 'metrics'],
    ['/metrics/cadvisor', 'metrics'],
    ['/metrics/resource', 'metrics'],
    ['/metricsfoo', 'proxy'],
    ['/logs', 'log'],
    ['/logs/', 'log'],
    ['/logs/kubelet.log', 'log'],
    ['/spec', 'spec'],
    ['/spec/', 'spec'],
    ['/spec/foo', 'spec'],
    ['/pods', 'proxy'],
    ['/pods/', 'proxy'],
    ['/runningpods/', 'proxy'],
    ['/healthz', 'proxy'],
    ['/configz', 'proxy'],
    ['/run/ns/pod/c', 'proxy'],
    ['/exec/ns/pod/c', 'proxy'],
    ['/attach/ns/pod/c', 'proxy'],
    ['/portForward/ns/pod', 'proxy'],
    ['/containerLogs/ns/pod/c', 'proxy'],
    ['/checkpoint/ns/pod/c', 'proxy'],
    ['/', 'proxy'],
  ];
  for (const [path, sub] of rows) assert.equal(kubeletSubresource(path), sub, path);
});

test('isSubpath trims the trailing slash of the prefix', () => {
  assert.equal(isSubpath('/stats', '/stats/'), true);
  assert.equal(isSubpath('/stats/x', '/stats/'), true);
  assert.equal(isSubpath('/statsx', '/stats/'), false);
  assert.equal(isSubpath('/', '/stats/'), false);
});

test('attributes: resource nodes, name the node, namespace and group empty, version v1, the user as given', () => {
  assert.deepEqual(kubeletAttributes(user, 'GET', '/stats/summary', 'node1'), {
    user,
    verb: 'get',
    isResourceRequest: true,
    path: '/stats/summary',
    namespace: '',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'nodes',
    subresource: 'stats',
    name: 'node1',
  });
});
