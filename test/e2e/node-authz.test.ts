/**
 * The Node authorizer and NodeRestriction end to end: a kubelet identity (system:node:<name> in
 * system:nodes, a client certificate from the cluster CA) may read the secret a pod bound to its
 * node references, not another one, and may not modify another node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Client, credentialsFromKubeconfig } from './client.js';
import { mainJs, run, startServer, type TestServer } from './harness.js';

describe('Node authorizer and NodeRestriction', () => {
  let srv: TestServer;
  let node1: string;
  const admin = (...args: string[]) => srv.kubectl('1.33', args);
  const kubelet = (...args: string[]) => srv.kubectl('1.33', args, { kubeconfig: node1 });

  before(async () => {
    srv = await startServer();
    node1 = path.join(srv.dir, 'node1.conf');
    const k = await run(process.execPath, [
      mainJs,
      'kubeconfig',
      '--sign-with-ca-key',
      '--data-dir',
      srv.dir,
      '--user',
      'system:node:node1',
      '--group',
      'system:nodes',
      '--out',
      node1,
      '--server',
      `https://127.0.0.1:${srv.port}`,
    ]);
    assert.equal(k.code, 0, k.stderr);
    for (const args of [
      ['create', 'secret', 'generic', 'mounted', '--from-literal=a=b'],
      ['create', 'secret', 'generic', 'unrelated', '--from-literal=a=b'],
    ]) {
      const r = await admin(...args);
      assert.equal(r.code, 0, r.stderr);
    }
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        nodeName: 'node1',
        containers: [{ name: 'c', image: 'nginx' }],
        volumes: [{ name: 's', secret: { secretName: 'mounted' } }],
      },
    };
    const r = await srv.kubectl('1.33', ['create', '-f', '-'], { input: JSON.stringify(pod) });
    assert.equal(r.code, 0, r.stderr);
    for (const n of ['node1', 'node2']) {
      const c = await srv.kubectl('1.33', ['create', '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: n } }),
      });
      assert.equal(c.code, 0, c.stderr);
    }
  });
  after(async () => {
    await srv?.stop();
  });

  test('a node reads a secret referenced by a pod bound to it', async () => {
    const r = await kubelet('get', 'secret', 'mounted', '-o', 'jsonpath={.data.a}');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(Buffer.from(r.stdout, 'base64').toString(), 'b');
  });

  test('but not an unrelated secret, and it cannot list secrets (upstream reasons)', async () => {
    let r = await kubelet('get', 'secret', 'unrelated');
    assert.match(
      r.stderr,
      /secrets "unrelated" is forbidden: User "system:node:node1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'node1' and this object$/m,
    );
    r = await kubelet('get', 'secrets');
    assert.match(
      r.stderr,
      /secrets is forbidden: User "system:node:node1" cannot list resource "secrets" in API group "" in the namespace "default"/,
    );
  });

  test('a node may read only its own Node object (AuthorizeNodeWithSelectors)', async () => {
    const r = await kubelet('get', 'node', 'node2');
    assert.match(
      r.stderr,
      /nodes "node2" is forbidden: User "system:node:node1" cannot get resource "nodes" in API group "" at the cluster scope: node 'node1' cannot read 'node2', only its own Node object/,
    );
  });

  test('NodeRestriction: a node may not modify another node or protected labels', async () => {
    const c = new Client(srv.port, credentialsFromKubeconfig(node1));
    const r = await c.request(
      'PATCH',
      '/api/v1/nodes/node2',
      JSON.stringify({ metadata: { labels: { x: 'y' } } }),
      { 'content-type': 'application/merge-patch+json' },
    );
    c.close();
    assert.equal(r.status, 403);
    assert.match(
      r.json().message,
      /^nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"$/,
    );
    const own = await kubelet('label', 'node', 'node1', 'x=y');
    assert.equal(own.code, 0, own.stderr);
    const prot = await kubelet('label', 'node', 'node1', 'node-restriction.kubernetes.io/pool=a');
    assert.match(prot.stderr, /is not allowed to modify labels: node-restriction\.kubernetes\.io\/pool/);
  });
});
