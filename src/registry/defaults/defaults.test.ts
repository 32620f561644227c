/**
 * Defaulting of the kinds kubectl creates, against upstream's SetDefaults_* results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { findResource } from '../index.js';
import { imageTag } from './pod.js';

function defaulted(group: string, resource: string, o: KubeObject): any {
  const d = findResource(group, 'v1', resource);
  assert.ok(d?.defaults, `${resource} has defaults`);
  const copy = structuredClone(o);
  d.defaults(copy);
  return copy;
}

test('imageTag and pull policy', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:1.25'), '1.25');
  assert.equal(imageTag('localhost:5000/app'), 'latest');
  assert.equal(imageTag('localhost:5000/app:v2'), 'v2');
  assert.equal(imageTag('app@sha256:abc'), '');
  const pod = defaulted('', 'pods', {
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80 }] },
        { name: 'b', image: 'nginx:1.25' },
        { name: 'c', image: 'nginx:latest', imagePullPolicy: 'Never' },
      ],
    },
  });
  assert.deepEqual(
    pod.spec.containers.map((c: any) => c.imagePullPolicy),
    ['Always', 'IfNotPresent', 'Never'],
  );
});

test('Pod defaults', () => {
  const pod = defaulted('', 'pods', {
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'a', image: 'nginx:1', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } },
      ],
      volumes: [{ name: 'v' }, { name: 's', secret: { secretName: 'x' } }],
    },
  });
  assert.deepEqual(pod.spec.containers[0], {
    name: 'a',
    image: 'nginx:1',
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    resources: { limits: { cpu: '1' }, requests: { cpu: '1' } },
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  });
  const { containers: _c, volumes, ...rest } = pod.spec;
  assert.deepEqual(rest, {
    enableServiceLinks: true,
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: 'default-scheduler',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    priority: 0,
    preemptionPolicy: 'PreemptLowerPriority',
  });
  assert.deepEqual(volumes, [
    { name: 'v', emptyDir: {} },
    { name: 's', secret: { secretName: 'x', defaultMode: 420 } },
  ]);
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'Burstable' });
  const be = defaulted('', 'pods', {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x' }] },
  });
  assert.equal(be.status.qosClass, 'BestEffort');
  const g = defaulted('', 'pods', {
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] },
  });
  assert.equal(g.status.qosClass, 'Guaranteed');
});

test('Deployment defaults (kubectl create deployment)', () => {
  const d = defaulted('apps', 'deployments', {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx' }] },
      },
    },
  });
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
  });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  const ps = d.spec.template.spec;
  assert.equal(ps.restartPolicy, 'Always');
  assert.equal(ps.dnsPolicy, 'ClusterFirst');
  assert.equal(ps.schedulerName, 'default-scheduler');
  assert.equal(ps.terminationGracePeriodSeconds, 30);
  assert.deepEqual(ps.securityContext, {});
  assert.equal(ps.containers[0].imagePullPolicy, 'Always');
  // Pod-only fields stay off templates.
  assert.equal(ps.enableServiceLinks, undefined);
  assert.equal(ps.serviceAccountName, undefined);
  assert.equal(d.status, undefined);
});

test('other workloads', () => {
  const tpl = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const sts = defaulted('apps', 'statefulsets', { metadata: { name: 's' }, spec: { template: tpl } });
  assert.equal(sts.spec.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(sts.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(sts.spec.persistentVolumeClaimRetentionPolicy, {
    whenDeleted: 'Retain',
    whenScaled: 'Retain',
  });
  const ds = defaulted('apps', 'daemonsets', { metadata: { name: 'd' }, spec: { template: tpl } });
  assert.deepEqual(ds.spec.updateStrategy, {
    type: 'RollingUpdate',
    rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
  });
  const job = defaulted('batch', 'jobs', {
    metadata: { name: 'j' },
    spec: { template: { ...tpl, spec: { ...tpl.spec, restartPolicy: 'Never' } } },
  });
  assert.equal(job.spec.completions, 1);
  assert.equal(job.spec.parallelism, 1);
  assert.equal(job.spec.backoffLimit, 6);
  assert.equal(job.spec.completionMode, 'NonIndexed');
  assert.equal(job.spec.suspend, false);
  assert.equal(job.spec.podReplacementPolicy, 'TerminatingOrFailed');
  assert.deepEqual(job.metadata.labels, { a: 'b' });
  assert.equal(job.spec.template.spec.restartPolicy, 'Never');
  const cj = defaulted('batch', 'cronjobs', {
    metadata: { name: 'c' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl } } },
  });
  assert.equal(cj.spec.concurrencyPolicy, 'Allow');
  assert.equal(cj.spec.successfulJobsHistoryLimit, 3);
  assert.equal(cj.spec.failedJobsHistoryLimit, 1);
  assert.equal(cj.spec.jobTemplate.spec.template.spec.dnsPolicy, 'ClusterFirst');
  const rc = defaulted('', 'replicationcontrollers', { metadata: { name: 'r' }, spec: { template: tpl } });
  assert.deepEqual(rc.spec.selector, { a: 'b' });
  assert.deepEqual(rc.metadata.labels, { a: 'b' });
  assert.equal(rc.spec.replicas, 1);
});

test('Service defaults', () => {
  const svc = defaulted('', 'services', {
    metadata: { name: 's' },
    spec: { ports: [{ port: 80 }, { port: 443, targetPort: 8443 }] },
  });
  assert.deepEqual(svc.spec, {
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 443, targetPort: 8443, protocol: 'TCP' },
    ],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
  const np = defaulted('', 'services', {
    metadata: { name: 's' },
    spec: { type: 'NodePort', ports: [{ port: 80 }] },
  });
  assert.equal(np.spec.externalTrafficPolicy, 'Cluster');
  const en = defaulted('', 'services', {
    metadata: { name: 's' },
    spec: { type: 'ExternalName', externalName: 'x.example.com' },
  });
  assert.equal(en.spec.ipFamilies, undefined);
  assert.equal(en.spec.internalTrafficPolicy, undefined);
});

test('Namespace, Secret, RBAC bindings, others', () => {
  const ns = defaulted('', 'namespaces', { metadata: { name: 'team-a' } });
  assert.deepEqual(ns, {
    metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  assert.equal(defaulted('', 'secrets', { metadata: { name: 's' } }).type, 'Opaque');
  assert.equal(
    defaulted('', 'secrets', { metadata: { name: 's' }, type: 'kubernetes.io/tls' }).type,
    'kubernetes.io/tls',
  );
  const rb = defaulted('rbac.authorization.k8s.io', 'rolebindings', {
    metadata: { name: 'rb' },
    roleRef: { kind: 'Role', name: 'r' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' },
    ],
  });
  assert.deepEqual(rb.roleRef, { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' });
  assert.deepEqual(
    rb.subjects.map((s: any) => s.apiGroup),
    ['rbac.authorization.k8s.io', ''],
  );
  assert.equal(
    defaulted('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'p' }, value: 1 }).preemptionPolicy,
    'PreemptLowerPriority',
  );
  const sc = defaulted('storage.k8s.io', 'storageclasses', { metadata: { name: 'sc' }, provisioner: 'x' });
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  const netpol = defaulted('networking.k8s.io', 'networkpolicies', {
    metadata: { name: 'n' },
    spec: { podSelector: {}, egress: [{}] },
  });
  assert.deepEqual(netpol.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(findResource('', 'v1', 'serviceaccounts')?.defaults, undefined);
  assert.equal(findResource('certificates.k8s.io', 'v1', 'certificatesigningrequests')?.defaults, undefined);
});

test('Secret stringData is merged into data (base64) and dropped (Convert_v1_Secret_To_core_Secret)', () => {
  const s = defaulted('', 'secrets', {
    metadata: { name: 's' },
    data: { a: 'YQ==', b: 'Yg==' },
    stringData: { b: 'new', c: 'ç' },
  } as KubeObject);
  assert.deepEqual(s.data, {
    a: 'YQ==',
    b: Buffer.from('new').toString('base64'),
    c: Buffer.from('ç').toString('base64'),
  });
  assert.equal('stringData' in s, false);
  assert.equal(s.type, 'Opaque');
  assert.throws(
    () => defaulted('', 'secrets', { metadata: { name: 's' }, stringData: { n: 5 } } as KubeObject),
    /cannot unmarshal number into Go struct field Secret.stringData of type string/,
  );
  assert.throws(
    () => defaulted('', 'secrets', { metadata: { name: 's' }, stringData: ['x'] } as KubeObject),
    /cannot unmarshal array into Go struct field Secret.stringData of type map\[string\]string/,
  );
  const only = defaulted('', 'secrets', { metadata: { name: 's' }, stringData: {} } as KubeObject);
  assert.equal(only.data, undefined);
  assert.equal('stringData' in only, false);
});

test('fields Go always writes: zero status counters, Node structs', () => {
  const rs = defaulted('apps', 'replicasets', {
    metadata: { name: 'r' },
    spec: {},
    status: { readyReplicas: 2 },
  });
  assert.deepEqual(rs.status, { readyReplicas: 2, replicas: 0 });
  const node = defaulted('', 'nodes', {
    metadata: { name: 'n' },
    status: { nodeInfo: { kubeletVersion: 'v1.33.0' } },
  });
  assert.deepEqual(node.spec, {});
  assert.deepEqual(node.status.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
  assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.33.0');
  assert.equal(node.status.nodeInfo.machineID, '');
});
