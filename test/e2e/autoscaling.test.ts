/**
 * HorizontalPodAutoscalers (autoscaling/v2 stored, v1 converted) with the real kubectl:
 * `kubectl autoscale` from 1.33 (a protobuf body to autoscaling/v2) and 1.27 (JSON to
 * autoscaling/v1), the `get hpa` columns, reading and writing through v1, apply, status.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';

describe('autoscaling HorizontalPodAutoscalers', () => {
  let srv: TestServer;
  let api: Client;
  before(async () => {
    srv = await startServer();
    api = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
    const r = await srv.kubectl('1.33', ['create', 'deployment', 'web', '--image=nginx']);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    api?.close();
    await srv?.stop();
  });

  test('kubectl 1.33 autoscale sends protobuf to autoscaling/v2; get hpa shows upstream columns', async () => {
    const r = await srv.kubectl('1.33', [
      'autoscale',
      'deployment',
      'web',
      '--min=2',
      '--max=5',
      '--cpu-percent=80',
      '-v=8',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^horizontalpodautoscaler\.autoscaling\/web autoscaled$/m);
    assert.match(r.stderr, /POST.*\/apis\/autoscaling\/v2\/namespaces\/default\/horizontalpodautoscalers/);
    assert.match(r.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
    const g = await srv.kubectl('1.33', ['get', 'hpa']);
    assert.equal(g.code, 0, g.stderr);
    const [head, row] = g.stdout.trim().split('\n');
    assert.deepEqual(head!.split(/\s{2,}/), [
      'NAME',
      'REFERENCE',
      'TARGETS',
      'MINPODS',
      'MAXPODS',
      'REPLICAS',
      'AGE',
    ]);
    assert.deepEqual(row!.split(/\s{2,}/).slice(0, 6), [
      'web',
      'Deployment/web',
      'cpu: <unknown>/80%',
      '2',
      '5',
      '0',
    ]);
  });

  test('the same HPA read as autoscaling/v1 has targetCPUUtilizationPercentage', async () => {
    const r = await srv.kubectl('1.33', [
      'get',
      'horizontalpodautoscalers.v1.autoscaling',
      'web',
      '-o',
      'yaml',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const o = parse(r.stdout);
    assert.equal(o.apiVersion, 'autoscaling/v1');
    assert.equal(o.metadata.generation, undefined, 'the HPA strategy keeps no generation');
    assert.deepEqual(o.spec, {
      maxReplicas: 5,
      minReplicas: 2,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      targetCPUUtilizationPercentage: 80,
    });
    assert.deepEqual(o.status, { currentReplicas: 0, desiredReplicas: 0 });
    const v2 = parse((await srv.kubectl('1.33', ['get', 'hpa', 'web', '-o', 'yaml'])).stdout);
    assert.equal(v2.apiVersion, 'autoscaling/v2');
    assert.deepEqual(v2.spec.metrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
  });

  test('kubectl 1.27 autoscale writes autoscaling/v1; stored as v2 with the default CPU target', async () => {
    const r = await srv.kubectl('1.27', [
      'autoscale',
      'deployment',
      'web',
      '--name=old',
      '--min=1',
      '--max=3',
      '-v=6',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /POST https:\/\/[^ ]+\/apis\/autoscaling\/v1\/namespaces\/default\/horizontalpodautoscalers/,
    );
    const got = await api.request(
      'GET',
      '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/old',
    );
    assert.equal(got.status, 200);
    assert.deepEqual(got.json().spec.metrics, [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
    // `hpa.v1.autoscaling`: kubectl 1.27 keeps the version when it expands the short name (1.30+
    // drop it client-side and ask for the preferred v2, whatever the server).
    const v1 = await srv.kubectl('1.27', ['get', 'hpa.v1.autoscaling', 'old', '-o', 'yaml']);
    assert.equal(v1.code, 0, v1.stderr);
    assert.equal(parse(v1.stdout).apiVersion, 'autoscaling/v1');
    assert.equal(parse(v1.stdout).spec.targetCPUUtilizationPercentage, 80);
    const g = await srv.kubectl('1.27', ['get', 'hpa', 'old', '--no-headers']);
    assert.match(g.stdout, /^old\s+Deployment\/web\s+cpu: <unknown>\/80%\s+1\s+3\s+0\s/);
  });

  test('v2-only metrics survive a v1 read-modify-write through the annotations', async () => {
    const base = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers';
    const body = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'multi' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        maxReplicas: 4,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          },
          {
            type: 'Pods',
            pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } },
          },
        ],
      },
    };
    assert.equal((await api.request('POST', base, JSON.stringify(body))).status, 201);
    const v1Path = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/multi';
    const v1 = (await api.request('GET', v1Path)).json();
    assert.equal(v1.spec.targetCPUUtilizationPercentage, 50);
    assert.ok(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/metrics']);
    v1.spec.maxReplicas = 6;
    const put = await api.request('PUT', v1Path, JSON.stringify(v1));
    assert.equal(put.status, 200, put.body.toString());
    assert.equal(put.json().apiVersion, 'autoscaling/v1');
    const v2 = (await api.request('GET', `${base}/multi`)).json();
    assert.equal(v2.spec.maxReplicas, 6);
    assert.equal(v2.metadata.annotations, undefined);
    assert.deepEqual(
      v2.spec.metrics.map((m: { type: string }) => m.type),
      ['Pods', 'Resource'],
    );
    const patched = await api.request('PATCH', v1Path, JSON.stringify({ spec: { minReplicas: 2 } }), {
      'content-type': 'application/merge-patch+json',
    });
    assert.equal(patched.status, 200, patched.body.toString());
    assert.equal(patched.json().spec.minReplicas, 2);
    assert.equal((await api.request('GET', `${base}/multi`)).json().spec.metrics.length, 2);
  });

  test('kubectl apply of v2 and v1 manifests (1.27 and 1.33): created, unchanged, configured', async () => {
    const v2 = (max: number) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: applied2}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: ${max}
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
  - type: Resource
    resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 120}
`;
    const v1 = (max: number) => `apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: applied1}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: ${max}
  targetCPUUtilizationPercentage: 50
`;
    const apply = async (version: string, doc: string, want: string) => {
      const r = await srv.kubectl(version, ['apply', '-f', '-'], { input: doc });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^horizontalpodautoscaler\\.autoscaling/applied\\d ${want}$`, 'm'));
    };
    await apply('1.27', v2(4), 'created');
    await apply('1.27', v1(4), 'created');
    await apply('1.33', v2(4), 'unchanged');
    await apply('1.33', v1(4), 'unchanged');
    await apply('1.27', v2(7), 'configured');
    await apply('1.33', v1(7), 'configured');
    const g = await srv.kubectl('1.33', ['get', 'hpa', 'applied1', 'applied2', '--no-headers']);
    assert.match(g.stdout, /^applied1\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+7\s/m);
    assert.match(
      g.stdout,
      /^applied2\s+Deployment\/web\s+cpu: <unknown>\/60%, memory: <unknown>\/500Mi\s+1\s+7\s/m,
    );
    const stored = (
      await api.request('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/applied2')
    ).json();
    assert.equal(stored.spec.behavior.scaleDown.stabilizationWindowSeconds, 120);
    assert.equal(stored.spec.behavior.scaleDown.selectPolicy, 'Max');
    assert.equal(stored.spec.behavior.scaleUp.policies.length, 2);
  });

  test('status subresource in both versions; the main resource keeps the status', async () => {
    const v2Path = '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web';
    const cur = (await api.request('GET', v2Path)).json();
    const cond = {
      type: 'AbleToScale',
      status: 'True',
      lastTransitionTime: '2024-05-01T00:00:00Z',
      reason: 'ReadyForNewScale',
    };
    cur.status = { currentReplicas: 3, desiredReplicas: 4, currentMetrics: null, conditions: [cond] };
    cur.spec.maxReplicas = 9; // ignored by the status subresource
    const put = await api.request('PUT', `${v2Path}/status`, JSON.stringify(cur));
    assert.equal(put.status, 200, put.body.toString());
    assert.equal(put.json().status.currentReplicas, 3);
    assert.equal(put.json().spec.maxReplicas, 5);
    const v1Path = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web';
    const v1 = (await api.request('GET', v1Path)).json();
    assert.deepEqual(v1.status, { currentReplicas: 3, desiredReplicas: 4 });
    assert.deepEqual(JSON.parse(v1.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions']), [
      cond,
    ]);
    v1.status = { currentReplicas: 4, desiredReplicas: 4, currentCPUUtilizationPercentage: 65 };
    const put1 = await api.request('PUT', `${v1Path}/status`, JSON.stringify(v1));
    assert.equal(put1.status, 200, put1.body.toString());
    assert.equal(put1.json().apiVersion, 'autoscaling/v1');
    assert.equal(put1.json().status.currentCPUUtilizationPercentage, 65);
    const after = (await api.request('GET', v2Path)).json();
    assert.deepEqual(after.status.currentMetrics, [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 65 } } },
    ]);
    assert.deepEqual(after.status.conditions, [cond], 'conditions came back from the annotation');
    const g = await srv.kubectl('1.33', ['get', 'hpa', 'web', '--no-headers']);
    assert.match(g.stdout, /^web\s+Deployment\/web\s+cpu: 65%\/80%\s+2\s+5\s+4\s/);
  });

  test('invalid HPAs are 422 with upstream field errors', async () => {
    const r = await api.request(
      'POST',
      '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers',
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'bad' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 2 },
      }),
    );
    assert.equal(r.status, 422);
    assert.equal(
      r.json().message,
      'HorizontalPodAutoscaler.autoscaling "bad" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    );
  });

  test('v1 edge cases: a malformed round-trip annotation is a 400; Table rows carry the v1 object', async () => {
    const bad = await api.request(
      'POST',
      '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers',
      JSON.stringify({
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'broken', annotations: { 'autoscaling.alpha.kubernetes.io/metrics': '{nope' } },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 2 },
      }),
    );
    assert.equal(bad.status, 400, bad.body.toString());
    assert.equal(bad.json().kind, 'Status');
    assert.match(bad.json().message, /autoscaling\.alpha\.kubernetes\.io\/metrics/);
    for (const body of [
      { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'm1' }, spec: 'x' },
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'm2', annotations: 5 },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'm3' },
        spec: { metrics: 'x' },
      },
      {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'm4' },
        status: [1],
      },
    ]) {
      const version = body.apiVersion.split('/')[1];
      const r = await api.request(
        'POST',
        `/apis/autoscaling/${version}/namespaces/default/horizontalpodautoscalers`,
        JSON.stringify(body),
      );
      assert.ok(
        r.status >= 400 && r.status < 500,
        `${JSON.stringify(body)}: ${r.status} ${r.body.toString()}`,
      );
      assert.equal(r.json().kind, 'Status');
    }
    const t = await api.request(
      'GET',
      '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers?includeObject=Object',
      undefined,
      { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    );
    assert.equal(t.status, 200);
    const rows = t.json().rows as { object: { apiVersion: string; spec: Record<string, unknown> } }[];
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.equal(r.object.apiVersion, 'autoscaling/v1');
      assert.equal(r.object.spec.metrics, undefined);
    }
    const all = await srv.kubectl('1.33', ['get', 'all']);
    assert.match(all.stdout, /^horizontalpodautoscaler\.autoscaling\/web\s/m);
  });
});
