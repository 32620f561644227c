import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strictDecodingMessage, unknownFieldError, unknownFields } from './field-validation.js';

const deployment = (): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', anything: 'x' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    template: {
      metadata: { labels: { app: 'web' }, annotations: { 'x/y': 'z' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx',
            resources: { limits: { cpu: '500m', memory: 128974848 }, requests: { cpu: 0.5 } },
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            livenessProbe: { httpGet: { path: '/', port: 'http' } },
          },
        ],
      },
    },
  },
});

test('a valid Deployment has no unknown fields (maps, IntOrString, Quantity)', () => {
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', deployment()), []);
});

test('Pod with a typo in a container field', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'a', image: 'busybox' },
        { name: 'b', image: 'busybox', imagePullPolcy: 'Always' },
      ],
    },
  };
  assert.deepEqual(unknownFields('v1', 'Pod', pod), ['spec.containers[1].imagePullPolcy']);
});

test('Deployment typo nested in the template, unknown top-level field, document order', () => {
  const d = deployment();
  const spec = d.spec as Record<string, unknown>;
  const tmpl = spec.template as { spec: { containers: Record<string, unknown>[] } };
  spec.replica = 2;
  tmpl.spec.containers[0]!.imagePullPolcy = 'Always';
  d.bar = 1;
  (d.metadata as Record<string, unknown>).unknownMeta = 'x';
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', d), [
    'metadata.unknownMeta',
    'spec.template.spec.containers[0].imagePullPolcy',
    'spec.replica',
    'bar',
  ]);
  // Sorted (patched objects, YAML bodies): keys in Go map order.
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', d, { sorted: true }), [
    'bar',
    'metadata.unknownMeta',
    'spec.replica',
    'spec.template.spec.containers[0].imagePullPolcy',
  ]);
});

test('upstream field_validation_test body: unknown fields in document order', () => {
  const body = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', unknownMeta: 'metaVal', labels: { app: 'nginx' } },
    spec: {
      unknown1: 'val1',
      unknownDupe: 'valDupe2',
      paused: false,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:latest', unknownNested: 'val1', imagePullPolicy: 'Never' },
          ],
        },
      },
    },
  };
  const errs = unknownFields('apps/v1', 'Deployment', body)!.map(unknownFieldError);
  assert.equal(
    strictDecodingMessage(errs),
    'strict decoding error: unknown field "metadata.unknownMeta", unknown field "spec.unknown1", ' +
      'unknown field "spec.unknownDupe", unknown field "spec.template.spec.containers[0].unknownNested"',
  );
});

test('maps (labels, annotations, ConfigMap data) are never flagged', () => {
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', labels: { whatever: 'x' }, annotations: { 'a.b/c': 'd' } },
    data: { 'any.key': 'v', spec: 'x' },
    binaryData: { blob: 'AAAA' },
    immutable: false,
  };
  assert.deepEqual(unknownFields('v1', 'ConfigMap', cm), []);
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    stringData: { k: 'v' },
    type: 'Opaque',
  };
  assert.deepEqual(unknownFields('v1', 'Secret', secret), []);
});

test('metadata.managedFields entries and their FieldsV1 contents are fine', () => {
  const d = deployment();
  (d.metadata as Record<string, unknown>).managedFields = [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {}, 'k:{"name":"x"}': { '.': {} } } },
    },
  ];
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', d), []);
  (d.metadata as { managedFields: Record<string, unknown>[] }).managedFields[0]!.bogus = 1;
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', d), ['metadata.managedFields[0].bogus']);
});

test('embedded typed objects are checked; ExtraValue map values (string lists) are opaque', () => {
  // No served kind has a runtime.RawExtension field; opaque handling is shared with FieldsV1 above.
  const csr = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name: 'c' },
    spec: { request: 'AAAA', signerName: 'x/y', extra: { 'k/v': ['a', 'b'] }, usages: ['client auth'] },
  };
  assert.deepEqual(unknownFields('certificates.k8s.io/v1', 'CertificateSigningRequest', csr), []);
  const ev = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: 'p' },
    deleteOptions: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, nope: 1 },
  };
  assert.deepEqual(unknownFields('policy/v1', 'Eviction', ev), ['deleteOptions.nope']);
  const cj = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'c' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: { metadata: {}, spec: { template: { spec: { containers: [{ name: 'a', x: 1 }] } } } },
    },
  };
  assert.deepEqual(unknownFields('batch/v1', 'CronJob', cj), [
    'spec.jobTemplate.spec.template.spec.containers[0].x',
  ]);
});

test('apiVersion/kind are allowed at the top but not inside plain structs', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', spec: { apiVersion: 'v1', containers: [] } };
  assert.deepEqual(unknownFields('v1', 'Pod', pod), ['spec.apiVersion']);
});

test('kinds without a schema are not validated', () => {
  assert.equal(unknownFields('apps/v1', 'ReplicaSet', { spec: { bogus: 1 } }), undefined);
  assert.equal(unknownFields('coordination.k8s.io/v1', 'Lease', { spec: { bogus: 1 } }), undefined);
});

test('prune drops the unknown fields; wrong JSON types are not unknown fields', () => {
  const d = deployment();
  (d.spec as Record<string, unknown>).replica = 3;
  (d.spec as Record<string, unknown>).template = 'not an object';
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', d, { prune: true }), ['spec.replica']);
  assert.equal('replica' in (d.spec as object), false);
  assert.deepEqual(unknownFields('apps/v1', 'Deployment', null), []);
});

test('deep objects do not overflow the stack', () => {
  // A long chain through a self-referencing schema is impossible; instead a very long list.
  const containers = Array.from({ length: 50_000 }, (_, i) => ({
    name: `c${i}`,
    image: 'x',
    ...(i === 49_999 ? { z: 1 } : {}),
  }));
  const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers } };
  assert.deepEqual(unknownFields('v1', 'Pod', pod), ['spec.containers[49999].z']);
  // A deeply nested value under an opaque field is not walked at all.
  let deep: unknown = {};
  for (let i = 0; i < 10_000; i++) deep = { a: deep };
  const ext = { apiVersion: 'v1', kind: 'Pod', metadata: { managedFields: [{ fieldsV1: deep }] } };
  assert.deepEqual(unknownFields('v1', 'Pod', ext), []);
});
