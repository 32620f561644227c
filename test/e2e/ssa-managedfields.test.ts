/**
 * Managed fields through the REST layer, ported from upstream's
 * test/integration/apiserver/apply/apply_test.go (each case named after its upstream test):
 * clearing managedFields with every write verb, invalid entries ignored, renamed managers,
 * entries of subresources (status, scale) and apply through the status subresource.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';
import {
  CM,
  DEPLOY,
  MERGE,
  PODS,
  configMap,
  deployment,
  pod,
  ssaRequests,
  type Obj,
  JSONPATCH,
  SMP,
} from './ssa-rest.js';

describe('managed fields (upstream apply_test.go)', () => {
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

  for (const [name, send] of [
    [
      'TestClearManagedFieldsWithMergePatch',
      (p: string) => patch(p, { metadata: { managedFields: [{}] } }, MERGE),
    ],
    [
      'TestClearManagedFieldsWithStrategicMergePatch',
      (p: string) => patch(p, { metadata: { managedFields: [{}] } }, SMP),
    ],
    [
      'TestClearManagedFieldsWithJSONPatch',
      (p: string) => patch(p, [{ op: 'replace', path: '/metadata/managedFields', value: [{}] }], JSONPATCH),
    ],
    [
      'TestClearManagedFieldsWithUpdate',
      (p: string) =>
        put(p, {
          ...configMap(p.split('/').pop()!),
          metadata: { ...configMap(p.split('/').pop()!).metadata, managedFields: [{}] },
        }),
    ],
  ] as const) {
    test(name, async () => {
      const cm = name.toLowerCase().replace('testclearmanagedfieldswith', 'clear-');
      const path = `${CM}/${cm}`;
      ok(await apply(path, configMap(cm), 'apply_test'), 201);
      ok(await send(path));
      const obj = await get(path);
      assert.equal(obj.metadata.managedFields, undefined);
      assert.deepEqual(obj.metadata.labels, { 'test-label': 'test' }, 'other fields untouched');
    });
  }

  test('TestClearManagedFieldsWithUpdateEmptyList', async () => {
    const path = `${CM}/clear-empty`;
    ok(await apply(path, configMap('clear-empty'), 'apply_test'), 201);
    const body = configMap('clear-empty');
    body.metadata.managedFields = [];
    ok(await put(path, body));
    ok(await patch(path, { metadata: { labels: { 'test-label': 'v1' } } }, MERGE));
    const obj = await get(path);
    assert.equal(obj.metadata.managedFields, undefined, 'tracking stopped');
    assert.deepEqual(obj.metadata.labels, { 'test-label': 'v1' });
  });

  test('TestErrorsDontFailUpdate / TestErrorsDontFailPatch', async () => {
    ok(await c.request('POST', `${CM}?fieldManager=apply_test`, JSON.stringify(configMap('errors-cm'))), 201);
    const bad = [
      {
        manager: 'apply_test',
        operation: 'Apply',
        apiVersion: 'v1',
        time: '2019-07-08T09:31:18Z',
        fieldsType: '',
        fieldsV1: {},
      },
    ];
    const body = configMap('errors-cm');
    body.metadata.managedFields = bad;
    ok(await put(`${CM}/errors-cm`, body, 'apply_test'));
    ok(
      await patch(
        `${CM}/errors-cm`,
        [{ op: 'replace', path: '/metadata/managedFields', value: bad }],
        JSONPATCH,
        'apply_test',
      ),
    );
    // the invalid entries were ignored: the creator's entry is still there
    assert.deepEqual(managers(await get(`${CM}/errors-cm`)), [['apply_test', 'Update', '']]);
  });

  test('TestApplyDoesNotChangeManagedFieldsViaSubresources', async () => {
    const path = `${PODS}/just-a-pod`;
    const live = ok(await apply(path, pod('just-a-pod'), 'apply_test'), 201);
    const update = {
      metadata: {
        managedFields: [
          {
            manager: 'testing',
            operation: 'Update',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:spec': {
                'f:containers': { 'k:{"name":"testing"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
              },
            },
          },
        ],
      },
      status: { conditions: [{ type: 'MyStatus', status: 'true' }] },
    };
    const next = ok(await patch(`${path}/status`, update, MERGE, 'update_managedfields_test'));
    assert.equal(live.metadata.managedFields.length, 1);
    assert.equal(next.metadata.managedFields.length, 2);
    assert.deepEqual(next.metadata.managedFields[0], live.metadata.managedFields[0]);
    assert.deepEqual(next.metadata.managedFields[1].manager, 'update_managedfields_test');
    assert.deepEqual(next.metadata.managedFields[1].subresource, 'status');
  });

  test('TestRenamingAppliedFieldManagers', async () => {
    const path = `${PODS}/renamed-appliers`;
    ok(await apply(path, pod('renamed-appliers', { a: 'one' }), 'multi_manager_one'), 201);
    ok(
      await apply(
        path,
        { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { b: 'two' } } },
        'multi_manager_two',
      ),
    );
    const live = await get(path);
    assert.deepEqual(live.metadata.labels, { a: 'one', b: 'two' });
    for (const m of live.metadata.managedFields) m.manager = 'multi_manager';
    const out = ok(await put(path, live));
    assert.equal(out.metadata.managedFields.length, 1);
    assert.deepEqual(
      [
        out.metadata.managedFields[0].manager,
        out.metadata.managedFields[0].operation,
        out.metadata.managedFields[0].fieldsV1,
      ],
      ['multi_manager', 'Apply', { 'f:metadata': { 'f:labels': { 'f:b': {} } } }],
    );
  });

  test('TestRenamingUpdatedFieldManagers', async () => {
    const path = `${PODS}/renamed-updaters`;
    ok(await apply(path, pod('renamed-updaters'), 'first'), 201);
    ok(await patch(path, { metadata: { labels: { a: 'one' } } }, MERGE, 'multi_manager_one'));
    ok(await patch(path, { metadata: { labels: { b: 'two' } } }, MERGE, 'multi_manager_two'));
    const live = await get(path);
    for (const m of live.metadata.managedFields) m.manager = 'multi_manager';
    const out = ok(await put(path, live));
    assert.equal(out.metadata.managedFields.length, 2);
    const e = out.metadata.managedFields[1];
    assert.deepEqual(
      [e.manager, e.operation, e.fieldsV1],
      ['multi_manager', 'Update', { 'f:metadata': { 'f:labels': { 'f:b': {} } } }],
    );
  });

  test('TestDroppingSubresourceField', async () => {
    const path = `${PODS}/dropping-subresource`;
    ok(await apply(path, pod('dropping-subresource'), 'first'), 201);
    ok(
      await apply(
        path,
        { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { a: 'one' } } },
        'label_manager',
      ),
    );
    ok(
      await apply(
        `${path}/status`,
        { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { b: 'two' } } },
        'label_manager',
      ),
    );
    const live = await get(path);
    assert.deepEqual(live.metadata.labels, { a: 'one', b: 'two' });
    assert.deepEqual(managers(live), [
      ['first', 'Apply', ''],
      ['label_manager', 'Apply', ''],
      ['label_manager', 'Apply', 'status'],
    ]);
    for (const m of live.metadata.managedFields) delete m.subresource;
    const out = ok(await put(path, live));
    assert.equal(out.metadata.managedFields.length, 2);
    const e = out.metadata.managedFields[1];
    assert.deepEqual(
      [e.manager, e.operation, e.fieldsV1],
      ['label_manager', 'Apply', { 'f:metadata': { 'f:labels': { 'f:b': {} } } }],
    );
  });

  test('TestDroppingSubresourceFromSpecField', async () => {
    const path = `${PODS}/dropping-spec`;
    ok(await apply(path, pod('dropping-spec'), 'first'), 201);
    ok(await patch(path, { metadata: { labels: { a: 'two' } } }, MERGE, 'manager'));
    ok(await patch(`${path}/status`, { status: { phase: 'Running' } }, MERGE, 'manager'));
    const live = await get(path);
    assert.equal(live.status.phase, 'Running');
    assert.deepEqual(managers(live), [
      ['first', 'Apply', ''],
      ['manager', 'Update', ''],
      ['manager', 'Update', 'status'],
    ]);
    for (const m of live.metadata.managedFields) delete m.subresource;
    const out = ok(await put(path, live));
    assert.equal(out.metadata.managedFields.length, 2);
    const e = out.metadata.managedFields[1];
    assert.deepEqual(
      [e.manager, e.operation, e.fieldsV1],
      ['manager', 'Update', { 'f:status': { 'f:phase': {} } }],
    );
  });

  test('TestSubresourceField', async () => {
    const path = `${DEPLOY}/subresource-field`;
    ok(await apply(path, deployment('subresource-field', { replicas: 3 }), 'manager'), 201);
    ok(await patch(`${path}/scale`, { spec: { replicas: 32 } }, MERGE, 'manager'));
    const mf = (await get(path)).metadata.managedFields;
    assert.deepEqual(
      mf.map((m: Obj) => [m.manager, m.operation, m.subresource ?? '']),
      [
        ['manager', 'Apply', ''],
        ['manager', 'Update', 'scale'],
      ],
    );
    assert.deepEqual(mf[1].fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  });

  test('apply through the status subresource: owns status only, conflicts and force as on the main resource', async () => {
    const path = `${PODS}/status-apply`;
    ok(await apply(path, pod('status-apply'), 'first'), 201);
    const status = (phase: string): Obj => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'status-apply' },
      spec: { nodeName: 'ignored' },
      status: { phase },
    });
    const out = ok(await apply(`${path}/status`, status('Pending'), 'kubelet'));
    assert.equal(out.status.phase, 'Pending');
    assert.equal(out.spec.nodeName, undefined, 'spec is reset through status');
    const entry = out.metadata.managedFields.find((m: Obj) => m.manager === 'kubelet');
    assert.deepEqual([entry.subresource, entry.fieldsV1], ['status', { 'f:status': { 'f:phase': {} } }]);
    const r = await apply(`${path}/status`, status('Running'), 'other');
    assert.equal(r.status, 409);
    assert.equal(
      r.json().message,
      'Apply failed with 1 conflict: conflict with "kubelet" with subresource "status": .status.phase',
    );
    // force=True as the Python client spells it; force=false does not force
    assert.equal((await apply(`${path}/status`, status('Running'), 'other', { force: 'false' })).status, 409);
    const forced = ok(await apply(`${path}/status`, status('Running'), 'other', { force: 'True' }));
    assert.deepEqual(managers(forced), [
      ['first', 'Apply', ''],
      ['other', 'Apply', 'status'],
    ]);
  });
});
