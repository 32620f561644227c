/**
 * Acknowledged writes survive: data is still there after a clean restart, and a `kill -9` in
 * the middle of 1,000 concurrent creates loses no object whose create was answered 201.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer } from './harness.js';

test('objects survive a restart on the same data directory', async () => {
  let srv = await startServer();
  const r = await srv.kubectl('1.33', ['create', 'namespace', 'persisted']);
  assert.equal(r.code, 0, r.stderr);
  const caBefore = credentialsFromKubeconfig(srv.kubeconfig).ca;
  const { dir, port } = srv;
  await srv.stop();
  srv = await startServer({ dir, port });
  try {
    assert.equal(credentialsFromKubeconfig(srv.kubeconfig).ca, caBefore, 'the PKI is reused');
    const g = await srv.kubectl('1.33', ['get', 'namespace', 'persisted', '-o', 'jsonpath={.status.phase}']);
    assert.equal(g.stdout, 'Active', g.stderr);
  } finally {
    await srv.stop();
  }
});

test('kill -9 during 1,000 concurrent creates loses no acknowledged object', async () => {
  let srv = await startServer();
  const { dir, port } = srv;
  const creds = credentialsFromKubeconfig(srv.kubeconfig);
  const client = new Client(port, creds);
  const acked: string[] = [];
  let killed = false;
  const body = (i: number) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}` },
      data: { i: String(i) },
    });
  const all = Array.from({ length: 1000 }, (_, i) =>
    client
      .request('POST', '/api/v1/namespaces/default/configmaps', body(i))
      .then((r) => {
        if (r.status === 201) acked.push(`cm-${i}`);
        if (acked.length >= 300 && !killed) {
          killed = true;
          srv.proc.kill('SIGKILL');
        }
      })
      .catch(() => undefined),
  );
  await Promise.all(all);
  client.close();
  await srv.stop();
  assert.ok(killed, `the server was killed mid-way (acked ${acked.length})`);
  assert.ok(acked.length >= 300);
  srv = await startServer({ dir, port });
  try {
    const c2 = new Client(port, creds);
    const r = await c2.request('GET', '/api/v1/namespaces/default/configmaps');
    c2.close();
    const present = new Set(r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name));
    const lost = acked.filter((n) => !present.has(n));
    assert.deepEqual(lost, [], `${lost.length} acknowledged creates lost of ${acked.length}`);
  } finally {
    await srv.stop();
  }
});
