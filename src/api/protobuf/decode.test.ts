/**
 * Hand-built bodies for kinds and cases without a captured example: Deployment with containers,
 * ports, env and probes; Secret with binary data; CSR with a bytes request; ClusterRole with an
 * aggregationRule and `apiGroups: [""]`; plus wire-level rules (unknown fields, merging, packed
 * repeated, negative int32, map entries without key or value, depth limit).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, emptyMsg, MAX_DEPTH, renderMessage } from './decode.js';
import { decodeKubeProtobuf, ProtobufDecodeError } from './index.js';
import { compileSchemas } from './schema/types.js';
import { bytes, envelope, int, msg, objectMeta, str, strMap, sub } from './encoder.test.js';
import { WireReader } from './wire.js';

const decode = (apiVersion: string, kind: string, raw: Uint8Array) =>
  decodeKubeProtobuf(envelope(apiVersion, kind, raw)).object;
const isCode = (code: string) => (e: unknown) => e instanceof ProtobufDecodeError && e.code === code;
const intOrStr = (n: number, v: number | string) =>
  typeof v === 'number' ? sub(n, int(1, 0), int(2, v), str(3, '')) : sub(n, int(1, 1), int(2, 0), str(3, v));

test('Deployment with containers, ports, env, resources, probes and a rolling update', () => {
  const container = msg(
    str(1, 'web'),
    str(2, 'nginx:1.27'),
    str(3, 'nginx'),
    str(3, ''), // a "" element in a repeated string is kept
    sub(6, str(1, 'http'), int(2, 0), int(3, 8080), str(4, 'TCP'), str(5, '')),
    sub(7, str(1, 'MODE'), str(2, 'prod')),
    sub(7, str(1, 'TOKEN'), str(2, ''), sub(3, sub(4, sub(1, str(1, 'creds')), str(2, 'token')))),
    sub(8, sub(1, str(1, 'cpu'), sub(2, str(1, '500m'))), sub(2, str(1, 'memory'), sub(2, str(1, '128Mi')))),
    sub(10, sub(1, sub(2, str(1, '/healthz'), intOrStr(2, 8080), str(3, ''), str(4, 'HTTP'))), int(2, 3)),
    sub(11, sub(1, sub(3, intOrStr(1, 'http'), str(2, '')))),
    str(13, ''),
    str(14, 'IfNotPresent'),
    int(16, false),
  );
  const podSpec = msg(sub(2, container), str(3, 'Always'), str(6, 'ClusterFirst'), int(11, false));
  const spec = msg(
    int(1, 0), // pointer set to 0: kept
    sub(2, strMap(1, { app: 'web' })),
    sub(3, sub(1, strMap(11, { app: 'web' })), sub(2, podSpec)),
    sub(4, str(1, 'RollingUpdate'), sub(2, intOrStr(1, 0), intOrStr(2, '25%'))),
    int(5, 0),
    int(7, false),
  );
  const raw = msg(objectMeta('web', [strMap(11, { app: 'web' })]), sub(2, spec), sub(3));
  assert.deepStrictEqual(decode('apps/v1', 'Deployment', raw), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              command: ['nginx', ''],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'MODE', value: 'prod' },
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
              ],
              resources: { limits: { cpu: '500m' }, requests: { memory: '128Mi' } },
              livenessProbe: {
                httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 3,
              },
              readinessProbe: { tcpSocket: { port: 'http' } },
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          dnsPolicy: 'ClusterFirst',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
    },
    status: {},
  });
});

test('Secret: bytes data becomes base64 (binary, empty), stringData stays text', () => {
  const raw = msg(
    objectMeta('s', [str(3, 'prod')]),
    sub(2, str(1, 'bin'), bytes(2, Uint8Array.of(0, 0xff, 0xfe))),
    sub(2, str(1, 'empty')),
    strMap(4, { plain: 'text' }),
    str(3, 'Opaque'),
    int(5, true),
  );
  assert.deepStrictEqual(decode('v1', 'Secret', raw), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'prod' },
    immutable: true,
    data: { bin: 'AP/+', empty: '' },
    stringData: { plain: 'text' },
    type: 'Opaque',
  });
});

test('CertificateSigningRequest: bytes request, extra values, usages', () => {
  const pem = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n';
  const spec = msg(
    str(1, pem),
    str(2, ''),
    str(3, ''),
    sub(6, str(1, 'scopes'), sub(2, str(1, 'a'), str(1, 'b'))),
    sub(6, str(1, 'none'), sub(2)),
    str(5, 'client auth'),
    str(7, 'kubernetes.io/kube-apiserver-client'),
    int(8, 86400),
  );
  assert.deepStrictEqual(
    decode('certificates.k8s.io/v1', 'CertificateSigningRequest', msg(objectMeta('c'), sub(2, spec), sub(3))),
    {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name: 'c' },
      spec: {
        request: Buffer.from(pem).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        expirationSeconds: 86400,
        usages: ['client auth'],
        extra: { scopes: ['a', 'b'], none: [] },
      },
      status: {},
    },
  );
  // No request at all: the non-omitempty []byte is null, as Go writes a nil slice.
  const spec2 = decode('certificates.k8s.io/v1', 'CertificateSigningRequest', msg(objectMeta('c'), sub(2)));
  assert.deepStrictEqual(spec2.spec, { request: null, signerName: '' });
});

test('ClusterRole with aggregationRule and rules with apiGroups [""]', () => {
  const rule = msg(str(1, 'get'), str(1, 'list'), str(2, ''), str(3, 'pods'));
  const raw = msg(
    objectMeta('agg'),
    sub(2, rule),
    sub(3, sub(1, strMap(1, { 'rbac.example.com/aggregate-to-view': 'true' }))),
  );
  assert.deepStrictEqual(decode('rbac.authorization.k8s.io/v1', 'ClusterRole', raw), {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'agg' },
    rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-view': 'true' } }],
    },
  });
});

test('SubjectAccessReview with user, groups and extra; DeleteOptions in any group version', () => {
  const spec = msg(
    sub(1, str(1, 'ns'), str(2, 'get'), str(3, ''), str(4, ''), str(5, 'pods'), str(6, ''), str(7, '')),
    str(3, 'alice'),
    str(4, 'dev'),
    sub(5, str(1, 'k'), sub(2, str(1, 'v'))),
    str(6, ''),
  );
  assert.deepStrictEqual(
    decode('authorization.k8s.io/v1', 'SubjectAccessReview', msg(sub(1), sub(2, spec))),
    {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: {
        resourceAttributes: { namespace: 'ns', verb: 'get', resource: 'pods' },
        user: 'alice',
        groups: ['dev'],
        extra: { k: ['v'] },
      },
      status: { allowed: false },
    },
  );
  for (const gv of ['v1', 'apps/v1', 'meta.k8s.io/v1']) {
    assert.deepStrictEqual(decode(gv, 'DeleteOptions', msg(int(1, 0), str(4, 'Foreground'), str(5, 'All'))), {
      apiVersion: gv,
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
      dryRun: ['All'],
    });
  }
});

test('negative int32 (10-byte varint), int64, times and managedFields', () => {
  const pc = decode('scheduling.k8s.io/v1', 'PriorityClass', msg(objectMeta('low'), int(2, -5)));
  assert.equal(pc.value, -5);
  const meta = sub(
    1,
    str(1, 'x'),
    int(7, 3),
    sub(8, int(1, 1704164645)),
    sub(9, int(1, 1704164700), int(2, 999)),
    int(10, 30),
    sub(17, str(1, 'kubectl'), str(2, 'Update'), sub(4, int(1, 0)), sub(7, str(1, '{"f:data":{}}'))),
  );
  assert.deepStrictEqual(decode('v1', 'ConfigMap', meta).metadata, {
    name: 'x',
    generation: 3,
    creationTimestamp: '2024-01-02T03:04:05Z',
    deletionTimestamp: '2024-01-02T03:05:00Z',
    deletionGracePeriodSeconds: 30,
    managedFields: [
      { manager: 'kubectl', operation: 'Update', time: '1970-01-01T00:00:00Z', fieldsV1: { 'f:data': {} } },
    ],
  });
});

test('unknown fields of every wire type are skipped; a repeated message field merges; last scalar wins', () => {
  const raw = msg(
    int(99, 7),
    Uint8Array.of(0x9d, 0x06, 1, 2, 3, 4), // field 99 fixed32
    Uint8Array.of(0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8), // field 99 fixed64
    Uint8Array.of(0x9b, 0x06, 0x08, 0x01, 0x9c, 0x06), // field 99 group
    sub(1, str(1, 'first'), strMap(11, { a: '1' })),
    sub(1, str(1, 'second'), strMap(11, { b: '2' }), sub(42, str(1, 'future'))),
    sub(2, str(1, 'kubernetes')),
  );
  assert.deepStrictEqual(decode('v1', 'Namespace', raw), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'second', labels: { a: '1', b: '2' } },
    spec: { finalizers: ['kubernetes'] },
    status: {},
  });
});

test('packed repeated varints are accepted (PodSecurityContext.supplementalGroups)', () => {
  const podSpec = msg(sub(14, bytes(4, Uint8Array.of(1, 2, 0x96, 0x01)), int(4, 7)));
  const pod = decode('v1', 'Pod', msg(objectMeta('p'), sub(2, podSpec)));
  assert.deepStrictEqual((pod.spec as Record<string, unknown>).securityContext, {
    supplementalGroups: [1, 2, 150, 7],
  });
});

test('map entries: missing key or value is the zero value; __proto__ is an own key', () => {
  const raw = msg(
    objectMeta('cm'),
    sub(2, str(1, 'novalue')),
    sub(2, str(2, 'nokey')),
    sub(2, str(1, '__proto__'), str(2, 'x')),
  );
  const cm = decode('v1', 'ConfigMap', raw);
  const data = cm.data as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.deepStrictEqual(Object.entries(data), [
    ['novalue', ''],
    ['', 'nokey'],
    ['__proto__', 'x'],
  ]);
  assert.equal(JSON.stringify(data), '{"novalue":"","":"nokey","__proto__":"x"}');
});

test('invalid values inside known fields throw ProtobufDecodeError', () => {
  const ports = (port: Uint8Array) => msg(objectMeta('s'), sub(2, sub(1, str(1, 'p'), int(3, 80), port)));
  assert.throws(
    () => decode('v1', 'Service', ports(sub(4, int(1, 2), int(2, 80)))),
    isCode('ERR_PB_INVALID'),
  );
  const badFields = msg(sub(1, sub(17, sub(7, str(1, '{not json')))));
  assert.throws(() => decode('v1', 'ConfigMap', badFields), isCode('ERR_PB_INVALID'));
  assert.throws(
    () => decode('v1', 'ConfigMap', msg(sub(1, sub(8, int(1, 2n ** 60n))))),
    isCode('ERR_PB_INVALID'),
  );
  assert.throws(() => decode('v1', 'ConfigMap', msg(sub(1, int(1, 5)))), isCode('ERR_PB_WIRE_TYPE'));
  assert.throws(() => decode('v1', 'ConfigMap', msg(sub(1, sub(7)))), isCode('ERR_PB_WIRE_TYPE'));
  assert.throws(() => decode('v1', 'ConfigMap', msg(sub(2, int(1, 1)))), isCode('ERR_PB_WIRE_TYPE'));
});

test(`nesting deeper than ${MAX_DEPTH} messages throws instead of recursing`, () => {
  const schema = compileSchemas([{ 'test.Node': ['1:child:@test.Node?*', '2:name:string?'] }]);
  const lookup = (k: string) => schema.get(k)!;
  const nest = (depth: number) => {
    let body = str(2, 'leaf');
    for (let i = 1; i < depth; i++) body = sub(1, body);
    return body;
  };
  const ok = decodeMessage(lookup, lookup('test.Node'), new WireReader(nest(MAX_DEPTH)), emptyMsg(), 1);
  assert.ok(JSON.stringify(renderMessage(lookup, lookup('test.Node'), ok)).includes('leaf'));
  assert.throws(
    () => decodeMessage(lookup, lookup('test.Node'), new WireReader(nest(MAX_DEPTH + 1)), emptyMsg(), 1),
    isCode('ERR_PB_TOO_DEEP'),
  );
  assert.throws(
    () => decodeMessage(lookup, lookup('test.Node'), new WireReader(nest(100_000)), emptyMsg(), 1),
    isCode('ERR_PB_TOO_DEEP'),
  );
});

test('LimitRange and PersistentVolumeClaim (hand-written schemas)', () => {
  const q = (n: number, k: string, v: string) => sub(n, str(1, k), sub(2, str(1, v)));
  const item = msg(str(1, 'Container'), q(2, 'cpu', '2'), q(4, 'memory', '256Mi'));
  assert.deepStrictEqual(decode('v1', 'LimitRange', msg(objectMeta('lr'), sub(2, sub(1, item)))), {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'lr' },
    spec: { limits: [{ type: 'Container', max: { cpu: '2' }, default: { memory: '256Mi' } }] },
  });
  const pvcSpec = msg(str(1, 'ReadWriteOnce'), sub(2, q(2, 'storage', '1Gi')), str(3, ''), str(5, 'fast'));
  const pvc = decode(
    'v1',
    'PersistentVolumeClaim',
    msg(objectMeta('data'), sub(2, pvcSpec), sub(3, str(1, ''))),
  );
  assert.deepStrictEqual(pvc.spec, {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    storageClassName: 'fast',
  });
  assert.deepStrictEqual(pvc.status, {});
});

test('every kind listed in KINDS has a schema', async () => {
  const { KINDS } = await import('./kinds.js');
  const { supportedProtobufKinds } = await import('./index.js');
  const listed = Object.entries(KINDS).flatMap(([gv, e]) => e.kinds.map((k) => `${gv}/${k}`));
  const supported = new Set(supportedProtobufKinds().map((k) => `${k.apiVersion}/${k.kind}`));
  for (const k of listed) assert.ok(supported.has(k), k);
});
