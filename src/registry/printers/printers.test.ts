/**
 * Table cells for fixture objects, against the formats of printers.md (upstream printers.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { findResource } from '../index.js';
import { humanDuration, translateTimestampSince } from './duration.js';
import { defaultTable, formatLabelSelector, formatLabels } from './columns.js';

const now = new Date('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  creationTimestamp: ago(300),
  ...extra,
});

function tableOf(group: string, resource: string): TableConvertor {
  const t = findResource(group, 'v1', resource)?.table;
  assert.ok(t, `${resource} has a table`);
  return t;
}
const cells = (group: string, resource: string, o: KubeObject) =>
  tableOf(group, resource).rows(o, now)[0].cells;
const names = (t: TableConvertor) => t.columns.map((c) => `${c.name}${c.priority ? '[w]' : ''}`);

test('humanDuration', () => {
  const rows: [number, string][] = [
    [-3, '<invalid>'],
    [-1.5, '0s'],
    [0, '0s'],
    [59, '59s'],
    [90, '90s'],
    [119, '119s'],
    [120, '2m'],
    [310, '5m10s'],
    [599, '9m59s'],
    [630, '10m'],
    [3600, '60m'],
    [7200, '120m'],
    [3 * 3600 + 300, '3h5m'],
    [3 * 3600, '3h'],
    [26 * 3600, '26h'],
    [86400, '24h'],
    [51 * 3600, '2d3h'],
    [48 * 3600, '2d'],
    [45 * 86400, '45d'],
    [(2 * 365 + 45) * 86400, '2y45d'],
    [3 * 365 * 86400, '3y'],
    [9 * 365 * 86400, '9y'],
  ];
  for (const [s, want] of rows) assert.equal(humanDuration(s * 1000), want, `${s}s`);
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>');
  assert.equal(translateTimestampSince(ago(90), now), '90s');
});

test('label helpers', () => {
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabels(undefined), '<none>');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(
    formatLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'x', operator: 'Exists' },
        { key: 'y', operator: 'DoesNotExist' },
      ],
    }),
    'app=web,env notin (prod),tier in (a,b),x,!y',
  );
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] }), '<error>');
});

test('default convertor: Name, Created At', () => {
  assert.deepEqual(
    defaultTable.columns.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ],
  );
  const row = defaultTable.rows({ metadata: { name: 'r', creationTimestamp: '2024-05-01T10:00:00Z' } }, now);
  assert.deepEqual(row[0].cells, ['r', '2024-05-01T10:00:00Z']);
  for (const r of ['roles', 'clusterroles']) {
    assert.equal(findResource('rbac.authorization.k8s.io', 'v1', r)?.table, undefined);
  }
  assert.equal(findResource('', 'v1', 'limitranges')?.table, undefined);
});

test('deployment, replicaset, statefulset', () => {
  const d: KubeObject = {
    metadata: meta('web'),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:1.25' },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(names(tableOf('apps', 'deployments')), [
    'Name',
    'Ready',
    'Up-to-date',
    'Available',
    'Age',
    'Containers[w]',
    'Images[w]',
    'Selector[w]',
  ]);
  assert.deepEqual(cells('apps', 'deployments', d), [
    'web',
    '2/3',
    3,
    2,
    '5m',
    'nginx,side',
    'nginx:1.25,busybox',
    'app=web',
  ]);
  assert.deepEqual(cells('apps', 'replicasets', d).slice(0, 4), ['web', 3, 0, 2]);
  assert.deepEqual(cells('apps', 'statefulsets', d).slice(0, 3), ['web', '2/3', '5m']);
});

test('service type, cluster IP, external IP, ports', () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
    metadata: meta('svc'),
    spec,
    status,
  });
  assert.deepEqual(
    cells(
      '',
      'services',
      svc({
        type: 'NodePort',
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 443, protocol: 'TCP' },
        ],
        selector: { app: 'web' },
      }),
    ),
    ['svc', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,443/TCP', '5m', 'app=web'],
  );
  assert.deepEqual(
    cells('', 'services', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] })).slice(2, 5),
    ['None', '<none>', '<none>'],
  );
  assert.equal(cells('', 'services', svc({ type: 'LoadBalancer', ports: [] }))[3], '<pending>');
  assert.equal(
    cells(
      '',
      'services',
      svc(
        { type: 'LoadBalancer', externalIPs: ['5.5.5.5'] },
        { loadBalancer: { ingress: [{ ip: '2.2.2.2' }, { hostname: 'lb.example.com' }, { ip: '2.2.2.2' }] } },
      ),
    )[3],
    '2.2.2.2,lb.example.com,5.5.5.5',
  );
  assert.equal(
    cells('', 'services', svc({ type: 'ExternalName', externalName: 'db.example.com' }))[3],
    'db.example.com',
  );
});

test('rolebinding and clusterrolebinding wide columns', () => {
  const rb: KubeObject = {
    metadata: meta('rb'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
      { kind: 'ServiceAccount', name: 'x' },
    ],
  };
  const t = tableOf('rbac.authorization.k8s.io', 'rolebindings');
  assert.deepEqual(names(t), ['Name', 'Role', 'Age', 'Users[w]', 'Groups[w]', 'ServiceAccounts[w]']);
  assert.equal(t.columns[3].description, 'Users in the roleBinding');
  assert.deepEqual(t.rows(rb, now)[0].cells, [
    'rb',
    'ClusterRole/admin',
    '5m',
    'alice, bob',
    'devs',
    'tools/ci, /x',
  ]);
  const crb = tableOf('rbac.authorization.k8s.io', 'clusterrolebindings');
  assert.equal(crb.columns[5].description, 'ServiceAccounts in the clusterRoleBinding');
});

test('CSR columns and CONDITION', () => {
  const t = tableOf('certificates.k8s.io', 'certificatesigningrequests');
  assert.deepEqual(names(t), ['Name', 'Age', 'SignerName', 'Requestor', 'RequestedDuration', 'Condition']);
  const csr = (conditions: string[], certificate = '', expirationSeconds?: number): KubeObject => ({
    metadata: meta('csr-1'),
    spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'alice', expirationSeconds },
    status: { conditions: conditions.map((type) => ({ type, status: 'True' })), certificate },
  });
  assert.deepEqual(t.rows(csr([]), now)[0].cells, [
    'csr-1',
    '5m',
    'kubernetes.io/kube-apiserver-client',
    'alice',
    '<none>',
    'Pending',
  ]);
  assert.equal(t.rows(csr(['Approved'], 'LS0t', 86400), now)[0].cells[5], 'Approved,Issued');
  assert.equal(t.rows(csr(['Approved'], 'LS0t', 86400), now)[0].cells[4], '24h');
  assert.equal(t.rows(csr(['Approved', 'Denied', 'Failed']), now)[0].cells[5], 'Denied,Failed');
  assert.equal(t.rows(csr([], '', 3600), now)[0].cells[4], '60m');
});

test('configmap, secret, serviceaccount, namespace', () => {
  assert.deepEqual(
    cells('', 'configmaps', { metadata: meta('c'), data: { a: '1' }, binaryData: { b: 'AA==' } }),
    ['c', 2, '5m'],
  );
  assert.deepEqual(cells('', 'secrets', { metadata: meta('s'), type: 'Opaque', data: { a: 'MQ==' } }), [
    's',
    'Opaque',
    1,
    '5m',
  ]);
  assert.deepEqual(cells('', 'serviceaccounts', { metadata: meta('default') }), ['default', 0, '5m']);
  assert.deepEqual(cells('', 'namespaces', { metadata: meta('ns'), status: { phase: 'Active' } }), [
    'ns',
    'Active',
    '5m',
  ]);
});

test('jobs and cronjobs', () => {
  const job: KubeObject = {
    metadata: meta('j'),
    spec: {
      completions: 3,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } },
      template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
    status: { succeeded: 1, startTime: ago(125) },
  };
  assert.deepEqual(cells('batch', 'jobs', job), [
    'j',
    'Running',
    '1/3',
    '2m5s',
    '5m',
    'c',
    'busybox',
    'batch.kubernetes.io/controller-uid=u',
  ]);
  const done = {
    ...job,
    spec: { parallelism: 2 },
    status: {
      succeeded: 1,
      startTime: ago(100),
      completionTime: ago(40),
      conditions: [{ type: 'Complete', status: 'True' }],
    },
  };
  assert.deepEqual(cells('batch', 'jobs', done).slice(1, 4), ['Complete', '1/1 of 2', '60s']);
  const cj: KubeObject = {
    metadata: meta('cj'),
    spec: {
      schedule: '*/5 * * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    },
    status: { active: [{ name: 'x' }], lastScheduleTime: ago(60) },
  };
  assert.deepEqual(cells('batch', 'cronjobs', cj), [
    'cj',
    '*/5 * * * *',
    '<none>',
    'False',
    1,
    '60s',
    '5m',
    'c',
    'i',
    '<none>',
  ]);
});
