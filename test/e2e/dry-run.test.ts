/**
 * Dry run never writes, on every write path (k8s.io/apiserver/pkg/endpoints/handlers/*.go read
 * dryRun from the query; handlers/delete.go also from a DeleteOptions body; the pod eviction from
 * the Eviction's deleteOptions, pkg/registry/core/pod/storage/eviction.go propagateDryRun).
 *
 * Each row creates its own fixtures, snapshots the objects it touches, sends the dry-run request
 * and asserts (1) the answer is what the real write answers (the same request without dryRun is
 * then sent and compared, where the row says so), (2) the objects are unchanged (same
 * resourceVersion and content) and (3) a watch from the snapshot's resourceVersion sees no event.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from './harness.js';
import { Client, credentialsFromKubeconfig, type Response } from './client.js';

import {
  JSON_MERGE,
  cm,
  cmPath,
  NS,
  csr,
  csrPath,
  deployPath,
  deployment,
  mainRows,
  normalize,
  nsPath,
  pod,
  podPath,
  post,
  saPath,
  setCsrRequest,
  type Row,
  type Target,
} from './dry-run-rows.js';

const rows: Row[] = [
  ...mainRows,
  {
    name: 'eviction (Eviction deleteOptions.dryRun, as kubectl drain --dry-run=server)',
    setup: (c, id) => post(c, podPath(), pod(`p-${id}`, 'n1')),
    method: 'POST',
    path: `${podPath('p-$id')}/eviction`,
    body: {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'p-$id', namespace: NS },
      deleteOptions: { dryRun: ['All'] },
    },
    status: 201,
    targets: (id) => [{ collection: podPath(), name: `p-${id}` }],
    check: (b) => assert.equal(b.status, 'Success'),
    compareWith: {
      path: `${podPath('p-$id')}/eviction`,
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p-$id', namespace: NS } },
    },
  },
  {
    name: 'eviction (query)',
    setup: (c, id) => post(c, podPath(), pod(`p-${id}`, 'n1')),
    method: 'POST',
    path: `${podPath('p-$id')}/eviction?dryRun=All`,
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p-$id', namespace: NS } },
    status: 201,
    targets: (id) => [{ collection: podPath(), name: `p-${id}` }],
  },
  {
    name: 'binding',
    setup: (c, id) => post(c, podPath(), pod(`p-${id}`)),
    method: 'POST',
    path: `${podPath('p-$id')}/binding?dryRun=All`,
    body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p-$id' }, target: { name: 'n1' } },
    status: 201,
    targets: (id) => [{ collection: podPath(), name: `p-${id}` }],
    compareWith: { path: `${podPath('p-$id')}/binding` },
  },
  {
    name: 'status update',
    setup: (c, id) => post(c, deployPath(), deployment(`d-${id}`)),
    method: 'PUT',
    path: `${deployPath('d-$id')}/status?dryRun=All`,
    body: { ...deployment('d-$id'), status: { replicas: 7, observedGeneration: 1 } },
    status: 200,
    targets: (id) => [{ collection: deployPath(), name: `d-${id}` }],
    check: (b) => assert.equal(b.status.replicas, 7),
    compareWith: { path: `${deployPath('d-$id')}/status` },
  },
  {
    name: 'status patch',
    setup: (c, id) => post(c, deployPath(), deployment(`d-${id}`)),
    method: 'PATCH',
    path: `${deployPath('d-$id')}/status?dryRun=All`,
    body: { status: { replicas: 3 } },
    contentType: JSON_MERGE,
    status: 200,
    targets: (id) => [{ collection: deployPath(), name: `d-${id}` }],
    check: (b) => assert.equal(b.status.replicas, 3),
  },
  {
    name: 'scale update',
    setup: (c, id) => post(c, deployPath(), deployment(`d-${id}`)),
    method: 'PUT',
    path: `${deployPath('d-$id')}/scale?dryRun=All`,
    body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd-$id' }, spec: { replicas: 5 } },
    status: 200,
    targets: (id) => [{ collection: deployPath(), name: `d-${id}` }],
    check: (b) => assert.equal(b.spec.replicas, 5),
    compareWith: { path: `${deployPath('d-$id')}/scale` },
  },
  {
    name: 'scale update with a stale resourceVersion is a Conflict',
    setup: (c, id) => post(c, deployPath(), deployment(`d-${id}`)),
    method: 'PUT',
    path: `${deployPath('d-$id')}/scale?dryRun=All`,
    body: {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'd-$id', resourceVersion: '1' },
      spec: { replicas: 5 },
    },
    status: 409,
    targets: (id) => [{ collection: deployPath(), name: `d-${id}` }],
    check: (b) => assert.equal(b.reason, 'Conflict'),
  },
  {
    name: 'scale patch',
    setup: (c, id) => post(c, deployPath(), deployment(`d-${id}`)),
    method: 'PATCH',
    path: `${deployPath('d-$id')}/scale?dryRun=All`,
    body: { spec: { replicas: 4 } },
    contentType: JSON_MERGE,
    status: 200,
    targets: (id) => [{ collection: deployPath(), name: `d-${id}` }],
    check: (b) => assert.equal(b.spec.replicas, 4),
  },
  {
    name: 'CSR approval',
    setup: (c, id) => post(c, csrPath(), csr(`r-${id}`)),
    method: 'PUT',
    path: `${csrPath('r-$id')}/approval?dryRun=All`,
    body: {
      ...csr('r-$id'),
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'R', message: 'm' }] },
    },
    status: 200,
    targets: (id) => [{ collection: csrPath(), name: `r-${id}` }],
    check: (b) => assert.equal(b.status.conditions[0].type, 'Approved'),
  },
  {
    name: 'namespace finalize',
    setup: (c, id) =>
      post(c, nsPath(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `n-${id}` } }),
    method: 'PUT',
    path: `${nsPath('n-$id')}/finalize?dryRun=All`,
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n-$id' }, spec: { finalizers: [] } },
    status: 200,
    targets: (id) => [{ collection: nsPath(), name: `n-${id}` }],
    check: (b) => assert.deepEqual(b.spec.finalizers ?? [], []),
  },
  {
    // Upstream's TokenREST.Create ignores dryRun (nothing is stored): a token is still issued.
    name: 'serviceaccounts/token',
    method: 'POST',
    path: `${saPath('default')}/token?dryRun=All`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} },
    status: 201,
    targets: () => [{ collection: saPath(), name: 'default' }],
    check: (b) => assert.match(b.status.token, /^ey/),
  },
  {
    name: 'unsupported dryRun value on delete is a 400',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'DELETE',
    path: `${cmPath('c-$id')}?dryRun=Foo`,
    status: 400,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
  },
  {
    name: 'unsupported dryRun value in a DeleteOptions body is a 400',
    setup: (c, id) => post(c, cmPath(), cm(`c-${id}`)),
    method: 'DELETE',
    path: cmPath('c-$id'),
    body: { dryRun: ['Foo'] },
    status: 400,
    targets: (id) => [{ collection: cmPath(), name: `c-${id}` }],
  },
  {
    name: 'unsupported dryRun value on a subresource is a 400',
    setup: (c, id) => post(c, deployPath(), deployment(`d-${id}`)),
    method: 'PUT',
    path: `${deployPath('d-$id')}/scale?dryRun=Foo`,
    body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd-$id' }, spec: { replicas: 5 } },
    status: 400,
    targets: (id) => [{ collection: deployPath(), name: `d-${id}` }],
  },
  {
    name: 'eviction with different dryRun in query and body is refused',
    setup: (c, id) => post(c, podPath(), pod(`p-${id}`, 'n1')),
    method: 'POST',
    path: `${podPath('p-$id')}/eviction?dryRun=All`,
    body: {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: 'p-$id' },
      deleteOptions: { dryRun: ['Other'] },
    },
    status: 400,
    targets: (id) => [{ collection: podPath(), name: `p-${id}` }],
  },
];

const subst = (v: unknown, id: string): unknown =>
  v === undefined ? undefined : JSON.parse(JSON.stringify(v).replaceAll('$id', id));

async function send(c: Client, row: Row, p: string, body: unknown, id: string): Promise<Response> {
  const headers = row.contentType ? { 'content-type': row.contentType } : undefined;
  const b = subst(body, id);
  return c.request(
    row.method,
    p.replaceAll('$id', id),
    b === undefined ? undefined : JSON.stringify(b),
    headers,
  );
}

/** The object as stored (undefined when absent) and the revision to watch from. */
async function snapshot(c: Client, t: Target): Promise<{ obj?: unknown; rv: string }> {
  const r = await c.request('GET', `${t.collection}/${t.name}`);
  if (r.status === 200) return { obj: r.json(), rv: r.json().metadata.resourceVersion };
  assert.equal(r.status, 404);
  return { rv: (await c.request('GET', `${t.collection}?limit=1`)).json().metadata.resourceVersion };
}

/** Events on t after rv (a watch that ends after one second). */
async function eventsSince(c: Client, t: Target, rv: string): Promise<string[]> {
  const q = `watch=1&resourceVersion=${rv}&timeoutSeconds=1&fieldSelector=metadata.name%3D${t.name}`;
  const r = await c.request('GET', `${t.collection}?${q}`);
  assert.equal(r.status, 200, r.body.toString());
  return r.body
    .toString()
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l).type as string)
    .filter((type) => type !== 'BOOKMARK');
}

describe('dry run never writes', () => {
  let srv: TestServer;
  let c: Client;
  before(async () => {
    srv = await startServer();
    c = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
    await post(c, nsPath(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    for (let i = 0; i < 100 && (await c.request('GET', saPath('default'))).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 50));
    const dir = mkdtempSync(path.join(tmpdir(), 'dry-run-csr-'));
    execFileSync('openssl', [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(dir, 'k.pem'),
      '-out',
      path.join(dir, 'r.pem'),
      '-subj',
      '/CN=dry-run-user',
    ]);
    setCsrRequest(readFileSync(path.join(dir, 'r.pem')).toString('base64'));
  });
  after(async () => {
    c?.close();
    await srv?.stop();
  });

  rows.forEach((row, i) => {
    test(row.name, async () => {
      const id = `r${i}`;
      await row.setup?.(c, id);
      const targets = row.targets(id);
      const before = await Promise.all(targets.map((t) => snapshot(c, t)));
      const r = await send(c, row, row.path, row.body, id);
      assert.equal(r.status, row.status, r.body.toString());
      row.check?.(r.json(), id);
      for (const [j, t] of targets.entries()) {
        const now = await snapshot(c, t);
        assert.deepEqual(now.obj, before[j].obj, `${t.name} changed`);
        assert.deepEqual(await eventsSince(c, t, before[j].rv), [], `${t.name}: watch events`);
      }
      if (row.compareWith) {
        const real = await send(c, row, row.compareWith.path, row.compareWith.body ?? row.body, id);
        assert.equal(real.status, row.status, real.body.toString());
        assert.deepEqual(normalize(r.json()), normalize(real.json()));
      }
    });
  });
});
