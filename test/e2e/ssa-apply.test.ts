/**
 * Server-side apply through the REST layer, ported from upstream's
 * test/integration/apiserver/apply/apply_test.go (each case named after its upstream test):
 * apply on create, ownership, conflicts and force, co-ownership, removing fields, version
 * checks, the client-side-apply upgrade and list-type=map/set merging, against a real
 * `kubeauth serve`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';
import { CM, DEPLOY, MERGE, PODS, configMap, deployment, pod, ssaRequests, type Obj } from './ssa-rest.js';

describe('server-side apply (upstream apply_test.go)', () => {
  let srv: TestServer;
  let c: Client;

  before(async () => {
    srv = await startServer();
    c = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    c?.close();
    await srv?.stop();
  });

  const { apply, patch, put, get, ok, managers } = ssaRequests(() => c);

  test('TestApplyAlsoCreates', async () => {
    const cases: [string, Obj][] = [
      ['pods', pod('test-pod')],
      [
        'services',
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'test-svc' },
          spec: { ports: [{ port: 8080, protocol: 'UDP' }] },
        },
      ],
    ];
    for (const [resource, body] of cases) {
      const path = `/api/v1/namespaces/default/${resource}/${body.metadata.name}`;
      ok(await apply(path, body, 'apply_test'), 201);
      await get(path);
      // re-applying the same configuration as another manager does not conflict
      const again = ok(await apply(path, body, 'apply_test_2'));
      assert.deepEqual(
        managers(again)
          .map((m) => m[0])
          .sort(),
        ['apply_test', 'apply_test_2'],
      );
    }
  });

  test('TestNoOpUpdateSameResourceVersion', async () => {
    const body = deployment('noop', { replicas: 2 });
    const first = ok(await apply(`${DEPLOY}/noop`, body, 'apply_test'), 201);
    const second = ok(await apply(`${DEPLOY}/noop`, body, 'apply_test'));
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
  });

  test('TestCreateOnApplyFailsWithUID', async () => {
    const body = pod('test-pod-uid');
    body.metadata.uid = '88e00824-7f0e-11e8-94a1-c8d3ffb15800';
    const r = await apply(`${PODS}/test-pod-uid`, body, 'apply_test');
    assert.equal(r.status, 409, r.body.toString());
  });

  test('TestApplyUpdateApplyConflictForced', async () => {
    const path = `${DEPLOY}/deployment`;
    const body = deployment('deployment', { replicas: 3 });
    ok(await apply(path, body, 'apply_test'), 201);
    ok(await patch(path, { spec: { replicas: 5 } }, MERGE, 'kubectl-client-side-apply'));
    const r = await apply(path, body, 'apply_test');
    assert.equal(r.status, 409);
    assert.deepEqual(r.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      reason: 'Conflict',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-client-side-apply" using apps/v1',
            field: '.spec.replicas',
          },
        ],
      },
      code: 409,
    });
    const forced = ok(await apply(path, body, 'apply_test', { force: 'true' }));
    assert.equal(forced.spec.replicas, 3);
    assert.ok(
      !JSON.stringify(
        forced.metadata.managedFields.find((m: Obj) => m.operation === 'Update') ?? {},
      ).includes('f:replicas'),
    );
  });

  test('TestApplyGroupsManySeparateUpdates', async () => {
    const path = `${CM}/many-updates`;
    ok(
      await apply(
        path,
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'many-updates', labels: { applier: 'true' } },
        },
        'apply_test',
      ),
      201,
    );
    let obj: Obj = {};
    for (let i = 0; i < 20; i++) {
      obj = ok(await patch(path, { metadata: { labels: { [`updater${i}`]: 'new' } } }, MERGE, `updater${i}`));
    }
    assert.equal(obj.metadata.managedFields.length, 11, JSON.stringify(obj.metadata.managedFields));
    assert.equal(obj.metadata.managedFields[0].manager, 'apply_test');
    assert.equal(obj.metadata.managedFields[1].manager, 'ancient-changes');
  });

  test('TestApplyManagedFields', async () => {
    const path = `${CM}/test-cm`;
    ok(await apply(path, configMap('test-cm'), 'apply_test'), 201);
    ok(await patch(path, { data: { 'new-key': 'value' } }, MERGE, 'updater'));
    await new Promise((r) => setTimeout(r, 1100));
    ok(await patch(path, { data: { key: 'new value' } }, MERGE, 'updater'));
    const obj = await get(path);
    const [a, u] = obj.metadata.managedFields;
    assert.deepEqual(obj.metadata.managedFields, [
      {
        manager: 'apply_test',
        operation: 'Apply',
        apiVersion: 'v1',
        time: a.time,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:test-label': {} } } },
      },
      {
        manager: 'updater',
        operation: 'Update',
        apiVersion: 'v1',
        time: u.time,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:key': {}, 'f:new-key': {} } },
      },
    ]);
    assert.notEqual(a.time, u.time);
    assert.deepEqual(obj.data, { key: 'new value', 'new-key': 'value' });
  });

  test('TestApplyRemovesEmptyManagedFields', async () => {
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'empty-cm', namespace: 'default' },
    };
    ok(await apply(`${CM}/empty-cm`, body, 'apply_test'), 201);
    ok(await apply(`${CM}/empty-cm`, body, 'apply_test'));
    assert.equal((await get(`${CM}/empty-cm`)).metadata.managedFields, undefined);
  });

  test('TestApplyRequiresFieldManager', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fm-cm', namespace: 'default' } };
    const r = await apply(`${CM}/fm-cm`, body);
    assert.equal(r.status, 422);
    assert.deepEqual(r.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      reason: 'Invalid',
      details: {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ],
      },
      code: 422,
    });
    ok(await apply(`${CM}/fm-cm`, body, 'apply_test'), 201);
    // ValidatePatchOptions: force belongs to apply
    const m = await c.request('PATCH', `${CM}/fm-cm?force=true`, '{"data":{"a":"b"}}', MERGE);
    assert.equal(m.status, 422);
    assert.equal(
      m.json().message,
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  });

  test('dry-run apply (Python client test_server_side_apply_api): managed fields in the answer, nothing stored', async () => {
    const path = `${PODS}/dry-pod`;
    const r = ok(await apply(path, pod('dry-pod'), 'kubernetes-unittests', { dryRun: 'All' }), 201);
    assert.equal(r.metadata.managedFields[0].manager, 'kubernetes-unittests');
    assert.equal((await c.request('GET', path)).status, 404);
    ok(await apply(path, pod('dry-pod'), 'kubernetes-unittests'), 201);
    const again = ok(await apply(path, pod('dry-pod', { x: 'y' }), 'other', { dryRun: 'All' }));
    assert.deepEqual(
      managers(again)
        .map((e) => e[0])
        .sort(),
      ['kubernetes-unittests', 'other'],
    );
    assert.equal((await get(path)).metadata.labels, undefined);
  });

  test('TestApplyRemoveContainerPort', async () => {
    const path = `${DEPLOY}/ports`;
    const withPort = deployment('ports', { replicas: 3 });
    withPort.spec.template.spec.containers[0].ports = [{ containerPort: 80, protocol: 'TCP' }];
    ok(await apply(path, withPort, 'apply_test'), 201);
    const out = ok(await apply(path, deployment('ports', { replicas: 3 }), 'apply_test'));
    assert.equal(out.spec.template.spec.containers[0].ports, undefined);
  });

  test('TestApplyFailsWithVersionMismatch', async () => {
    const path = `${DEPLOY}/mismatch`;
    ok(await apply(path, deployment('mismatch', { replicas: 3 }), 'apply_test'), 201);
    const r = await apply(
      path,
      { ...deployment('mismatch', { replicas: 100 }), apiVersion: 'extensions/v1beta' },
      'apply_test',
    );
    assert.equal(r.status, 400, r.body.toString());
    assert.equal(r.json().message, 'invalid object type: extensions/v1beta, Kind=Deployment');
  });

  test('TestVersionCheckDoesNotPanic (fieldmanager_test.go): no apiVersion or kind is a 400', async () => {
    const r = await apply(`${CM}/no-type`, { metadata: { name: 'no-type' } }, 'apply_test');
    assert.equal(r.status, 400, r.body.toString());
    assert.equal(r.json().message, 'invalid object type: /, Kind=');
    const live = await apply(
      `${PODS}/no-type`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'no-type' } },
      'apply_test',
    );
    assert.equal(live.status, 400);
    assert.equal(live.json().message, 'invalid object type: /v1, Kind=ConfigMap');
  });

  test('TestApplyUnsetExclusivelyOwnedFields', async () => {
    const path = `${DEPLOY}/exclusive-unset`;
    ok(
      await apply(
        path,
        deployment('exclusive-unset', { replicas: 3 }, { hostname: 'test-hostname' }),
        'apply_test',
      ),
      201,
    );
    const out = ok(await apply(path, deployment('exclusive-unset'), 'apply_test'));
    assert.equal(out.spec.replicas, 1, 'back to the default');
    assert.equal(out.spec.template.spec.hostname, undefined);
  });

  test('TestApplyUnsetSharedFields', async () => {
    const path = `${DEPLOY}/shared-unset`;
    const full = deployment('shared-unset', { replicas: 3 }, { hostname: 'test-hostname' });
    ok(await apply(path, full, 'shared_owner_1'), 201);
    ok(await apply(path, full, 'shared_owner_2'));
    const out = ok(await apply(path, deployment('shared-unset'), 'shared_owner_1'));
    assert.equal(out.spec.replicas, 3);
    assert.equal(out.spec.template.spec.hostname, 'test-hostname');
  });

  test('TestApplyCanTransferFieldOwnershipToController', async () => {
    const path = `${DEPLOY}/transfer`;
    const applied = ok(await apply(path, deployment('transfer', { replicas: 3 }), 'test_applier'), 201);
    applied.spec.replicas = 4;
    ok(await put(path, applied, 'test_updater'));
    const out = ok(await apply(path, deployment('transfer'), 'test_applier'));
    assert.equal(out.spec.replicas, 4);
  });

  test('TestApplyCanRemoveMapItemsContributedToByControllers', async () => {
    const path = `${DEPLOY}/map-item-removal`;
    const applied = ok(await apply(path, deployment('map-item-removal'), 'test_applier'), 201);
    applied.spec.template.spec.containers[0].workingDir = '/home/replacement';
    ok(await put(path, applied, 'test_updater'));
    const next = deployment('map-item-removal', { replicas: 3 }, { hostname: 'test-hostname' });
    next.spec.template.spec.containers = [{ name: 'other-container', image: 'nginx:latest' }];
    const out = ok(await apply(path, next, 'test_applier'));
    assert.deepEqual(
      out.spec.template.spec.containers.map((x: Obj) => x.name),
      ['other-container'],
    );
  });

  test('TestDefaultMissingKeys', async () => {
    const path = `${DEPLOY}/missing-keys`;
    const first = deployment('missing-keys');
    first.spec.template.spec.containers[0].ports = [{ name: 'foo', containerPort: 80 }];
    ok(await apply(path, first, 'test_applier'), 201);
    const second = deployment('missing-keys');
    second.spec.template.spec.containers[0].ports = [{ name: 'bar', containerPort: 80, protocol: 'TCP' }];
    const r = await apply(path, second, 'test_applier_conflict');
    assert.equal(r.status, 409);
    assert.deepEqual(
      r.json().details.causes.map((x: Obj) => x.field),
      ['.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].name'],
    );
  });

  test('TestUpgradeClientSideToServerSideApply', async () => {
    const last = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'my-deployment', labels: { app: 'my-app' } },
      spec: {
        replicas: 3,
        template: {
          metadata: { labels: { app: 'my-app' } },
          spec: { containers: [{ name: 'my-c', image: 'my-image' }] },
        },
      },
    };
    const created = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'my-deployment',
        labels: { app: 'my-app' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(last) },
      },
      spec: {
        replicas: 100000,
        selector: { matchLabels: { app: 'my-app' } },
        template: {
          metadata: { labels: { app: 'my-app' } },
          spec: { containers: [{ name: 'my-c', image: 'my-image' }] },
        },
      },
    };
    ok(await c.request('POST', DEPLOY, JSON.stringify(created)), 201);
    const path = `${DEPLOY}/my-deployment`;
    const conflicting = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'my-deployment', labels: { app: 'my-new-label' } },
      spec: {
        replicas: 3,
        template: {
          metadata: { labels: { app: 'my-app' } },
          spec: { containers: [{ name: 'my-c', image: 'my-image' }] },
        },
      },
    };
    const r = await apply(path, conflicting, 'kubectl');
    assert.equal(r.status, 409, r.body.toString());
    assert.deepEqual(
      r.json().details.causes.map((x: Obj) => x.field),
      ['.spec.replicas'],
    );
    const allowed = structuredClone(conflicting) as Obj;
    delete allowed.spec.replicas;
    allowed.spec.template.spec.containers[0].image = 'my-image-new';
    const out = ok(await apply(path, allowed, 'kubectl'));
    assert.equal(out.spec.replicas, 100000);
    assert.equal(out.spec.template.spec.containers[0].image, 'my-image-new');
    // lastappliedupdater: the annotation now records what kubectl applied
    assert.deepEqual(
      JSON.parse(out.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']),
      allowed,
    );
  });

  test('list-type=map and set merging between appliers', async () => {
    const path = `${DEPLOY}/merging`;
    const a = deployment('merging');
    a.metadata.finalizers = ['example.com/a'];
    ok(await apply(path, a, 'a'), 201);
    const b = deployment('merging');
    b.metadata.finalizers = ['example.com/b'];
    b.spec.template.spec.containers = [{ name: 'sidecar', image: 'busybox' }];
    const out = ok(await apply(path, b, 'b'));
    assert.deepEqual(out.metadata.finalizers, ['example.com/a', 'example.com/b']);
    assert.deepEqual(
      out.spec.template.spec.containers.map((x: Obj) => x.name),
      ['nginx', 'sidecar'],
    );
    // a drops its container and finalizer: only b's remain
    const a2 = deployment('merging');
    a2.spec.template.spec.containers = [];
    const out2 = ok(await apply(path, a2, 'a'));
    assert.deepEqual(out2.metadata.finalizers, ['example.com/b']);
    assert.deepEqual(
      out2.spec.template.spec.containers.map((x: Obj) => x.name),
      ['sidecar'],
    );
  });
});
