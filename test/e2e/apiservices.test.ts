/**
 * apiregistration.k8s.io APIServices with the real kubectl: the local entries registered at start
 * with upstream's priorities (and again after a restart), `get apiservices` columns, a local
 * APIService Available on create, and a service-backed one stored but reported not proxied.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';

describe('apiregistration APIServices', () => {
  let srv: TestServer;
  let api: Client;
  before(async () => {
    srv = await startServer();
    api = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    api?.close();
    await srv?.stop();
  });

  test('get apiservices lists the local entries as upstream', async () => {
    const r = await srv.kubectl('1.33', ['get', 'apiservices']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines[0]!.split(/\s{2,}/), ['NAME', 'SERVICE', 'AVAILABLE', 'AGE']);
    const names = lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    for (const n of ['v1.', 'v1.apps', 'v1.autoscaling', 'v2.autoscaling', 'v1.rbac.authorization.k8s.io'])
      assert.ok(names.includes(`${n} Local True`), `${n} in ${names.join(', ')}`);
    const o = parse((await srv.kubectl('1.33', ['get', 'apiservice', 'v1.apps', '-o', 'yaml'])).stdout);
    assert.equal(o.metadata.generation, undefined, 'kube-aggregator keeps no generation');
    assert.equal(o.metadata.labels['kube-aggregator.kubernetes.io/automanaged'], 'onstart');
    assert.deepEqual(o.spec, {
      group: 'apps',
      groupPriorityMinimum: 17800,
      service: null,
      version: 'v1',
      versionPriority: 15,
    });
    assert.deepEqual(
      o.status.conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason, c.message]),
      [['Available', 'True', 'Local', 'Local APIServices are always available']],
    );
  });

  test('a local APIService is Available in the create response itself', async () => {
    const svc = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.example.com' },
      spec: { group: 'example.com', version: 'v1', groupPriorityMinimum: 1000, versionPriority: 15 },
      status: { conditions: [{ type: 'Available', status: 'False', reason: 'Mine' }] },
    };
    const r = await api.request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', JSON.stringify(svc));
    assert.equal(r.status, 201, r.body.toString());
    const conds = r.json().status.conditions as Record<string, string>[];
    assert.deepEqual(
      conds.map((c) => [c.type, c.status, c.reason]),
      [['Available', 'True', 'Local']],
    );
    assert.match(conds[0]!.lastTransitionTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const bad = await api.request(
      'POST',
      '/apis/apiregistration.k8s.io/v1/apiservices',
      JSON.stringify({ ...svc, metadata: { name: 'v2.example.com' } }),
    );
    assert.equal(bad.status, 422);
    assert.match(
      bad.json().message,
      /metadata\.name: Invalid value: "v2\.example\.com": must be `spec\.version\+"\."\+spec\.group`: "v1\.example\.com"/,
    );
  });

  test('an APIService backed by a service is stored and reported unavailable', async () => {
    const svc = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: {
        service: { namespace: 'kube-system', name: 'metrics-server' },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    };
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], { input: JSON.stringify(svc) });
    assert.equal(r.code, 0, r.stderr);
    let row = '';
    for (let i = 0; i < 50 && !row.includes('False'); i++) {
      row = (await srv.kubectl('1.33', ['get', 'apiservice', 'v1beta1.metrics.k8s.io', '--no-headers']))
        .stdout;
      if (!row.includes('False')) await new Promise((res) => setTimeout(res, 100));
    }
    assert.match(
      row,
      /^v1beta1\.metrics\.k8s\.io\s+kube-system\/metrics-server\s+False \(ProxyNotSupported\)\s/,
    );
    const got = (
      await api.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io')
    ).json();
    assert.equal(got.spec.service.port, 443);
  });

  test('local APIServices are re-registered at start', async () => {
    const del = await srv.kubectl('1.33', ['delete', 'apiservice', 'v1.batch']);
    assert.equal(del.code, 0, del.stderr);
    await srv.stop();
    srv = await startServer({ dir: srv.dir, port: srv.port });
    api.close();
    api = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
    const r = await srv.kubectl('1.33', ['get', 'apiservice', 'v1.batch', '--no-headers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^v1\.batch\s+Local\s+True\s/);
  });
});
