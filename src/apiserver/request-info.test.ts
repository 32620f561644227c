// Cases ported from k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go (v0.36.3), as listed
// with their expected attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo, RequestInfoError } from './request-info.js';

function parse(method: string, url: string) {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
}

const cases: [string, string, string, string, string, string, string, string, string, string[]?][] = [
  // method, url, verb, group, version, namespace, resource, subresource, name, parts
  ['GET', '/api/v1/namespaces', 'list', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
  [
    'GET',
    '/api/v1/namespaces/other',
    'get',
    '',
    'v1',
    'other',
    'namespaces',
    '',
    'other',
    ['namespaces', 'other'],
  ],
  ['GET', '/api/v1/namespaces/other/pods', 'list', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['GET', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  ['HEAD', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  [
    'GET',
    '/api/v1/proxy/namespaces/other/pods/foo',
    'proxy',
    '',
    'v1',
    'other',
    'pods',
    '',
    'foo',
    ['pods', 'foo'],
  ],
  [
    'GET',
    '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource',
    'proxy',
    '',
    'v1',
    'other',
    'pods',
    '',
    'foo',
    ['pods', 'foo', 'subpath', 'not', 'a', 'subresource'],
  ],
  ['GET', '/api/v1/watch/pods', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=true', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=false', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods?watch=0', 'list', '', 'v1', 'other', 'pods', '', ''],
  [
    'GET',
    '/api/v1/namespaces/other/pods/foo/status',
    'get',
    '',
    'v1',
    'other',
    'pods',
    'status',
    'foo',
    ['pods', 'foo', 'status'],
  ],
  [
    'GET',
    '/api/v1/namespaces/other/pods/foo/proxy/subpath',
    'get',
    '',
    'v1',
    'other',
    'pods',
    'proxy',
    'foo',
    ['pods', 'foo', 'proxy', 'subpath'],
  ],
  [
    'PUT',
    '/api/v1/namespaces/other/finalize',
    'update',
    '',
    'v1',
    'other',
    'namespaces',
    'finalize',
    'other',
    ['namespaces', 'other', 'finalize'],
  ],
  [
    'PUT',
    '/api/v1/namespaces/other/status',
    'update',
    '',
    'v1',
    'other',
    'namespaces',
    'status',
    'other',
    ['namespaces', 'other', 'status'],
  ],
  ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', '', 'v1', 'other', 'pods', '', 'foo'],
  ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', '', 'v1', 'other', 'pods', '', 'foo'],
  ['POST', '/api/v1/namespaces/other/pods', 'create', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['DELETE', '/api/v1/nodes', 'deletecollection', '', 'v1', '', 'nodes', '', '', ['nodes']],
  ['DELETE', '/api/v1/namespaces', 'deletecollection', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
  ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', '', 'v1', 'other', 'pods', '', ''],
  [
    'DELETE',
    '/apis/extensions/v1/namespaces/other/pods',
    'deletecollection',
    'extensions',
    'v1',
    'other',
    'pods',
    '',
    '',
  ],
  [
    'POST',
    '/apis/extensions/v1/namespaces/other/pods',
    'create',
    'extensions',
    'v1',
    'other',
    'pods',
    '',
    '',
  ],
  [
    'POST',
    '/apis/extensions/v1beta3/namespaces/other/pods',
    'create',
    'extensions',
    'v1beta3',
    'other',
    'pods',
    '',
    '',
  ],
];

for (const [method, url, verb, group, version, ns, resource, sub, name, parts] of cases) {
  test(`requestinfo_test.go: ${method} ${url}`, () => {
    const ri = parse(method, url);
    assert.equal(ri.isResourceRequest, true);
    assert.equal(ri.verb, verb);
    assert.equal(ri.apiGroup, group);
    assert.equal(ri.apiVersion, version);
    assert.equal(ri.namespace, ns);
    assert.equal(ri.resource, resource);
    assert.equal(ri.subresource, sub);
    assert.equal(ri.name, name);
    if (parts) assert.deepEqual(ri.parts, parts);
    assert.equal(ri.apiPrefix, url.startsWith('/apis') ? 'apis' : 'api');
  });
}

test('requestinfo_test.go: non-resource paths', () => {
  for (const url of [
    '/',
    '/api/version/',
    '/apis/group/version/',
    '/badprefix/version/resource',
    '/apis/version/resource',
    '/not-api/version/resource',
    '/apis/extensions/v1beta1',
    '/apis/extensions/v1beta1/',
    '/api/version',
    '/api',
    '',
  ]) {
    const ri = parseRequestInfo('GET', url, new URLSearchParams());
    assert.equal(ri.isResourceRequest, false, url);
    assert.equal(ri.verb, 'get');
    assert.equal(ri.path, url);
  }
});

test('requestinfo_test.go: resource paths', () => {
  for (const url of [
    '/api/version/resource',
    '/apis/group/version/resource/name/subresource',
    '/api/version/resource/name/subresource',
    '/apis/batch/v1/job',
    '/apis/batch/v1/job/foo',
    '/apis/batch/v1/job/foo/scale',
  ]) {
    assert.equal(parse('GET', url).isResourceRequest, true, url);
  }
});

test('requestinfo_test.go: watch/proxy with nothing after is an error', () => {
  assert.throws(() => parse('GET', '/api/v1/watch'), RequestInfoError);
  assert.throws(() => parse('GET', '/api/v1/proxy'), RequestInfoError);
});

test('TestSelectorParsing', () => {
  let ri = parse('GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1');
  assert.deepEqual([ri.verb, ri.name, ri.fieldSelector], ['list', 'name1', 'metadata.name=name1']);
  ri = parse('GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1&watch=true');
  assert.deepEqual([ri.verb, ri.name], ['watch', 'name1']);
  ri = parse('GET', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux');
  assert.deepEqual(
    [ri.verb, ri.name, ri.fieldSelector, ri.labelSelector],
    ['list', '', 'foo=bar', 'baz=qux'],
  );
  ri = parse('GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo');
  assert.deepEqual([ri.verb, ri.name, ri.fieldSelector], ['list', '', 'metadata.name=name1,foo']);
  ri = parse('GET', '/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true');
  assert.deepEqual([ri.verb, ri.name], ['watch', '']);
  ri = parse('DELETE', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux');
  assert.deepEqual([ri.verb, ri.fieldSelector, ri.labelSelector], ['deletecollection', 'foo=bar', 'baz=qux']);
  ri = parse(
    'GET',
    '/apis/group/version/resource?fieldSelector=metadata.name=foo&fieldSelector=metadata.name=bar',
  );
  assert.equal(ri.name, 'foo');
  ri = parse('GET', '/apis/group/version/resource/name?fieldSelector=metadata.name=other');
  assert.deepEqual([ri.verb, ri.name, ri.fieldSelector], ['get', 'name', '']);
  ri = parse('GET', '/apis/group/version/watch/resource?fieldSelector=metadata.name=foo');
  assert.deepEqual([ri.verb, ri.name, ri.fieldSelector], ['watch', '', '']);
  ri = parse('GET', '/apis/group/version/watch/resource/name?fieldSelector=metadata.name=foo');
  assert.deepEqual([ri.verb, ri.name, ri.fieldSelector], ['watch', 'name', '']);
});
