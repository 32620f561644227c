/**
 * Location building for the kubelet-served subresources: the cases of upstream
 * pkg/registry/core/pod/strategy_test.go TestCheckLogLocation (container choice and its texts,
 * insecureSkipTLSVerifyBackend), TestLogLocation-style query parameters, streamLocation /
 * PortForwardLocation, and kubelet_client.go's address preference.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import {
  connectionInfo,
  DEFAULT_PREFERRED_ADDRESS_TYPES,
  logLocation,
  portForwardLocation,
  splitSchemeNamePort,
  streamLocation,
  type ConnectionInfo,
} from './kubelet-location.js';
import { podLogOptions, streamOptions } from './kubelet-options.js';

const info = (): ConnectionInfo => ({ scheme: 'https', hostname: 'foo', port: '10250' });
const pod = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'test', namespace: 'ns' },
  spec: { nodeName: 'foo', ...spec },
});
const c = (...names: string[]) => names.map((name) => ({ name }));
const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ApiError);
    return `${e.code} ${e.message}`;
  }
  return 'no error';
};

// TestCheckLogLocation
const checkLogLocation: {
  name: string;
  pod: KubeObject;
  container?: string;
  insecure?: boolean;
  url?: string;
  err?: string;
}[] = [
  {
    name: 'simple',
    pod: pod({ containers: c('mycontainer') }),
    url: 'https://foo:10250/containerLogs/ns/test/mycontainer',
  },
  {
    name: 'insecure',
    pod: pod({ containers: c('mycontainer') }),
    insecure: true,
    url: 'https://foo:10250/containerLogs/ns/test/mycontainer',
  },
  {
    name: 'missing container',
    pod: pod({ containers: [] }),
    err: '400 a container name must be specified for pod test',
  },
  {
    name: 'choice of two containers',
    pod: pod({ containers: c('container1', 'container2') }),
    err: '400 a container name must be specified for pod test, choose one of: [container1 container2]',
  },
  {
    name: 'initcontainers',
    pod: pod({ containers: c('container1', 'container2'), initContainers: c('initcontainer1') }),
    err: '400 a container name must be specified for pod test, choose one of: [initcontainer1 container1 container2]',
  },
  {
    name: 'ephemeral containers are listed too',
    pod: pod({
      containers: c('container1', 'container2'),
      initContainers: c('initcontainer1'),
      ephemeralContainers: c('debugger'),
    }),
    err: '400 a container name must be specified for pod test, choose one of: [initcontainer1 container1 container2 debugger]',
  },
  {
    name: 'init container',
    pod: pod({ containers: c('container1', 'container2'), initContainers: c('initcontainer1') }),
    container: 'initcontainer1',
    url: 'https://foo:10250/containerLogs/ns/test/initcontainer1',
  },
  {
    name: 'bad container',
    pod: pod({ containers: c('container1', 'container2') }),
    container: 'unknown',
    err: '400 container unknown is not valid for pod test',
  },
  {
    name: 'good with two containers',
    pod: pod({ containers: c('container1', 'container2') }),
    container: 'container2',
    url: 'https://foo:10250/containerLogs/ns/test/container2',
  },
];

for (const tc of checkLogLocation) {
  test(`TestCheckLogLocation: ${tc.name}`, () => {
    const opts = { container: tc.container, insecureSkipTLSVerifyBackend: tc.insecure };
    if (tc.err)
      return assert.equal(
        err(() => logLocation(tc.pod, opts, info)),
        tc.err,
      );
    const loc = logLocation(tc.pod, opts, info)!;
    assert.equal(loc.url.toString(), tc.url);
    assert.equal(Boolean(loc.insecureSkipTLSVerify), Boolean(tc.insecure));
  });
}

test('LogLocation: no node assigned yet → no location (an empty log)', () => {
  assert.equal(logLocation(pod({ nodeName: '', containers: c('a') }), {}, info), undefined);
});

test('LogLocation: every option becomes a kubelet query parameter, keys sorted as url.Values.Encode', () => {
  const q = new URLSearchParams(
    'container=a&follow=true&previous=1&timestamps=true&tailLines=10&limitBytes=100&sinceTime=2024-01-02T03:04:05.678Z',
  );
  const loc = logLocation(pod({ containers: c('a') }), podLogOptions(q, 'test'), info)!;
  assert.equal(
    loc.url.toString(),
    'https://foo:10250/containerLogs/ns/test/a?follow=true&limitBytes=100&previous=true&sinceTime=2024-01-02T03%3A04%3A05Z&tailLines=10&timestamps=true',
  );
  const since = logLocation(
    pod({ containers: c('a') }),
    podLogOptions(new URLSearchParams('sinceSeconds=30'), 'test'),
    info,
  )!;
  assert.equal(since.url.search, '?sinceSeconds=30');
  assert.equal(
    logLocation(
      pod({ containers: c('a') }),
      podLogOptions(new URLSearchParams('follow=false'), 'test'),
      info,
    )!.url.search,
    '',
  );
});

test('ValidatePodLogOptions texts (422 PodLogOptions Invalid)', () => {
  const v = (q: string) => err(() => podLogOptions(new URLSearchParams(q), 'test'));
  assert.equal(
    v('tailLines=-1'),
    '422 PodLogOptions "test" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
  );
  assert.equal(
    v('limitBytes=0'),
    '422 PodLogOptions "test" is invalid: limitBytes: Invalid value: 0: must be greater than 0',
  );
  assert.equal(
    v('sinceSeconds=0'),
    '422 PodLogOptions "test" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0',
  );
  assert.match(
    v('sinceSeconds=1&sinceTime=2024-01-02T03:04:05Z'),
    /at most one of `sinceTime` or `sinceSeconds` may be specified/,
  );
  assert.match(v('follow=maybe'), /^400 strconv.ParseBool: parsing "maybe": invalid syntax/);
  assert.match(v('tailLines=x'), /^400 strconv.ParseInt/);
});

test('ExecLocation / AttachLocation: stream flags as "1", one command parameter per argument', () => {
  const p = pod({ containers: c('a') });
  const exec = streamLocation(
    p,
    'exec',
    streamOptions(
      new URLSearchParams(
        'command=sh&command=-c&command=echo hi&stdout=true&stderr=true&stdin=true&tty=true',
      ),
      'exec',
    ),
    info,
  );
  assert.equal(
    exec.url.toString(),
    'https://foo:10250/exec/ns/test/a?command=sh&command=-c&command=echo+hi&error=1&input=1&output=1&tty=1',
  );
  const attach = streamLocation(
    p,
    'attach',
    streamOptions(new URLSearchParams('stdout=true&command=ignored'), 'attach'),
    info,
  );
  assert.equal(attach.url.toString(), 'https://foo:10250/attach/ns/test/a?output=1');
  assert.equal(
    err(() => streamLocation(pod({ containers: c('a', 'b') }), 'exec', { command: ['ls'] }, info)),
    '400 a container name must be specified for pod test, choose one of: [a b]',
  );
});

test('streamLocation / PortForwardLocation: a pod without a node is a 400', () => {
  const p = pod({ nodeName: '', containers: c('a') });
  assert.equal(
    err(() => streamLocation(p, 'exec', {}, info)),
    '400 pod test does not have a host assigned',
  );
  assert.equal(
    err(() => portForwardLocation(p, {}, info)),
    '400 pod test does not have a host assigned',
  );
});

test('PortForwardLocation: ports comma-joined in `port`', () => {
  const loc = portForwardLocation(
    pod({}),
    streamOptions(new URLSearchParams('ports=8080&ports=9090'), 'portforward'),
    info,
  );
  assert.equal(loc.url.toString(), 'https://foo:10250/portForward/ns/test?port=8080%2C9090');
  assert.equal(portForwardLocation(pod({}), { ports: [] }, info).url.search, '');
});

test('NodeConnectionInfoGetter: preferred address type order, hostname label, reported port', () => {
  const node = (
    addresses: { type: string; address: string }[],
    port?: number,
    labels?: Record<string, string>,
  ) =>
    ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels },
      status: { addresses, daemonEndpoints: { kubeletEndpoint: { Port: port } } },
    }) as KubeObject;
  const addrs = [
    { type: 'InternalIP', address: '10.0.0.1' },
    { type: 'Hostname', address: 'n1.local' },
  ];
  assert.deepEqual(connectionInfo(node(addrs, 10251), DEFAULT_PREFERRED_ADDRESS_TYPES), {
    scheme: 'https',
    hostname: 'n1.local',
    port: '10251',
  });
  assert.equal(connectionInfo(node(addrs), ['InternalIP']).port, '10250');
  assert.equal(connectionInfo(node(addrs), ['ExternalIP', 'InternalIP']).hostname, '10.0.0.1');
  assert.equal(
    connectionInfo(node([], 0, { 'kubernetes.io/hostname': 'from-label' }), ['Hostname']).hostname,
    'from-label',
  );
  assert.equal(
    err(() => connectionInfo(node(addrs), ['ExternalDNS'])),
    '500 no preferred addresses found; known addresses: [{InternalIP 10.0.0.1} {Hostname n1.local}]',
  );
});

test('utilnet.SplitSchemeNamePort', () => {
  assert.deepEqual(splitSchemeNamePort('n1'), { scheme: '', name: 'n1', port: '' });
  assert.deepEqual(splitSchemeNamePort('n1:10255'), { scheme: '', name: 'n1', port: '10255' });
  assert.deepEqual(splitSchemeNamePort('https:n1:443'), { scheme: 'https', name: 'n1', port: '443' });
  assert.equal(splitSchemeNamePort('ftp:n1:21'), undefined);
  assert.equal(splitSchemeNamePort(':80'), undefined);
  assert.equal(splitSchemeNamePort('a:b:c:d'), undefined);
});
