import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { serverSideApply } from './apply.js';
import { fromFieldsV1, pathString, toFieldsV1 } from './fieldpath.js';
import { updateManagedFields } from './managedfields.js';

const T0 = new Date('2024-05-01T10:00:00.123Z');
const T1 = new Date('2024-05-01T11:00:00Z');

function deploy(replicas: number, image: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }], ...extra },
      },
    },
  };
}

const csa = {
  manager: 'kubectl-client-side-apply',
  operation: 'Update' as const,
  apiVersion: 'apps/v1',
  now: T0,
};

test('managed fields: create records Added fields with "." for new maps and list items', () => {
  const input = deploy(2, 'nginx:1');
  const before = JSON.stringify(input);
  const out = updateManagedFields(undefined, input, csa);
  assert.equal(JSON.stringify(input), before, 'input not mutated');
  assert.deepEqual(out.metadata!.managedFields, [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': {
                    '.': {},
                    'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                  },
                  // a value struct: upstream's typed conversion always emits it
                  'f:resources': {},
                },
              },
            },
          },
        },
      },
    },
  ]);
});

test('managed fields: an update by another manager takes the fields it changed', () => {
  const created = updateManagedFields(undefined, deploy(2, 'nginx:1'), csa);
  const scaled = { ...created, spec: { ...(created.spec as object), replicas: 5 } };
  const out = updateManagedFields(created, scaled, { ...csa, manager: 'kubectl-scale', now: T1 });
  const [a, b] = out.metadata!.managedFields!;
  assert.equal(a.manager, 'kubectl-client-side-apply');
  assert.equal((a.fieldsV1 as any)['f:spec']['f:replicas'], undefined);
  assert.equal(a.time, '2024-05-01T10:00:00Z');
  assert.deepEqual(b, {
    manager: 'kubectl-scale',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: '2024-05-01T11:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  });
  // a no-op update leaves everything alone
  const again = updateManagedFields(out, out, { ...csa, manager: 'other', now: T1 });
  assert.deepEqual(again.metadata!.managedFields, out.metadata!.managedFields);
});

test('managed fields: ignoredFields (reset fields) are not tracked', () => {
  const obj = { ...deploy(1, 'x'), status: { replicas: 1 } };
  const out = updateManagedFields(undefined, obj, { ...csa, ignoredFields: [['status']] });
  assert.equal((out.metadata!.managedFields![0].fieldsV1 as any)['f:status'], undefined);
});

const ssa = { manager: 'kubectl', force: false, apiVersion: 'apps/v1', now: T0 };

test('ssa: create returns created=true and an Apply entry without "." on structs', () => {
  const { object, created } = serverSideApply(undefined, deploy(1, 'nginx:1'), ssa);
  assert.equal(created, true);
  assert.equal((object.spec as any).replicas, 1);
  assert.deepEqual(object.metadata!.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"nginx"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  'f:ports': {
                    'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                  },
                },
              },
            },
          },
        },
      },
    },
  ]);
});

test('ssa: update by the same manager merges into live and keeps other fields', () => {
  const live = serverSideApply(undefined, deploy(1, 'nginx:1'), ssa).object;
  const withStatus = { ...live, status: { replicas: 1 } };
  const { object, created } = serverSideApply(withStatus, deploy(1, 'nginx:2'), { ...ssa, now: T1 });
  assert.equal(created, false);
  assert.equal((object.spec as any).template.spec.containers[0].image, 'nginx:2');
  assert.deepEqual(object.status, { replicas: 1 });
  assert.equal(object.metadata!.managedFields![0].time, '2024-05-01T11:00:00Z');
});

test('ssa: conflict with a client-side-apply owner, then force moves ownership', () => {
  const live = updateManagedFields(undefined, deploy(2, 'nginx:1'), csa);
  assert.throws(
    () => serverSideApply(live, deploy(3, 'nginx:1'), ssa),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 409 &&
      e.reason === 'Conflict' &&
      e.message ===
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas' &&
      JSON.stringify(e.details) ===
        JSON.stringify({
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "kubectl-client-side-apply" using apps/v1',
              field: '.spec.replicas',
            },
          ],
        }),
  );
  // same values: no conflict, shared ownership
  assert.doesNotThrow(() => serverSideApply(live, deploy(2, 'nginx:1'), ssa));
  const { object } = serverSideApply(live, deploy(3, 'nginx:1'), { ...ssa, force: true });
  assert.equal((object.spec as any).replicas, 3);
  const csaEntry = object.metadata!.managedFields!.find((m) => m.manager === 'kubectl-client-side-apply')!;
  assert.equal((csaEntry.fieldsV1 as any)['f:spec']['f:replicas'], undefined);
  assert.ok((csaEntry.fieldsV1 as any)['f:spec']['f:selector']);
});

test('ssa: several conflicts use the grouped message', () => {
  const live = updateManagedFields(undefined, deploy(2, 'nginx:1'), csa);
  assert.throws(
    () => serverSideApply(live, deploy(3, 'nginx:2'), ssa),
    (e: unknown) =>
      e instanceof ApiError &&
      e.message ===
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
          '- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
  );
});

test('ssa: fields dropped from the config are removed unless another manager owns them', () => {
  const first = serverSideApply(
    undefined,
    deploy(1, 'nginx:1', { hostname: 'h', subdomain: 's' }),
    ssa,
  ).object;
  // another manager takes ownership of subdomain by changing it
  const spec = JSON.parse(JSON.stringify(first.spec));
  spec.template.spec.subdomain = 's2';
  const updated = updateManagedFields(first, { ...first, spec }, { ...csa, manager: 'editor', now: T1 });
  const { object } = serverSideApply(updated, deploy(1, 'nginx:1'), ssa);
  const podSpec = (object.spec as any).template.spec;
  assert.equal(podSpec.hostname, undefined);
  assert.equal(podSpec.subdomain, 's2');
  // dropping a container removes it; dropping a label removes it
  const cfg = deploy(1, 'nginx:1');
  (cfg.spec as any).template.spec.containers = [{ name: 'other', image: 'busybox' }];
  cfg.metadata!.labels = {};
  const out = serverSideApply(object, cfg, ssa).object;
  assert.deepEqual((out.spec as any).template.spec.containers, [{ name: 'other', image: 'busybox' }]);
  assert.deepEqual(out.metadata!.labels, {});
});

test('ssa: rejects managedFields in the body and keyless associative list items', () => {
  const withMF = deploy(1, 'x');
  withMF.metadata!.managedFields = [];
  assert.throws(
    () => serverSideApply(undefined, withMF, ssa),
    (e: unknown) => e instanceof ApiError && e.code === 400,
  );
  const keyless = deploy(1, 'x');
  (keyless.spec as any).template.spec.containers = [{ image: 'x' }];
  assert.throws(
    () => serverSideApply(undefined, keyless, ssa),
    (e: unknown) => e instanceof ApiError && e.code === 400,
  );
});

test('ssa: kubectl-last-applied second PATCH only touches the annotation', () => {
  const live = serverSideApply(undefined, deploy(1, 'nginx:1'), ssa).object;
  const body: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' },
    },
  };
  const { object } = serverSideApply(live, body, { ...ssa, manager: 'kubectl-last-applied' });
  assert.equal((object.spec as any).replicas, 1);
  assert.equal(object.metadata!.managedFields!.length, 2);
  assert.deepEqual(object.metadata!.managedFields![1].fieldsV1, {
    'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
  });
});

test('fieldpath: FieldsV1 round trip and path strings', () => {
  const v1 = {
    'f:spec': { 'f:ports': { '.': {}, 'k:{"port":80,"protocol":"TCP"}': { '.': {}, 'f:port': {} } } },
  };
  assert.deepEqual(toFieldsV1(fromFieldsV1(v1)), v1);
  assert.equal(
    pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']),
    '.spec.ports[port=80,protocol="TCP"]',
  );
  assert.equal(pathString(['f:metadata', 'f:finalizers', 'v:"a"']), '.metadata.finalizers[="a"]');
});
