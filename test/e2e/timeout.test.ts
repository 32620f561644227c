/**
 * --request-timeout: a client that never finishes its request body gets upstream's 504 Status
 * instead of holding a handler forever, and nothing is stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer } from './harness.js';

test('a body that never ends is answered 504 Timeout after --request-timeout', async () => {
  const srv = await startServer({ args: ['--request-timeout=1s'] });
  try {
    const creds = credentialsFromKubeconfig(srv.kubeconfig);
    const session = http2.connect(`https://127.0.0.1:${srv.port}`, {
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      servername: 'localhost',
    });
    const started = Date.now();
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = session.request({
        ':method': 'POST',
        ':path': '/api/v1/namespaces/default/configmaps',
        'content-type': 'application/json',
      });
      let status = 0;
      let body = '';
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (c) => (body += c));
      req.on('end', () => resolve({ status, body }));
      req.on('error', reject);
      req.write('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"slow"'); // and never end
    });
    session.close();
    const elapsed = Date.now() - started;
    assert.equal(res.status, 504);
    assert.deepEqual(JSON.parse(res.body), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
      reason: 'Timeout',
      details: {},
      code: 504,
    });
    assert.ok(elapsed >= 900 && elapsed < 5000, `answered after ${elapsed} ms`);
    const c = new Client(srv.port, creds);
    const get = await c.request('GET', '/api/v1/namespaces/default/configmaps/slow');
    c.close();
    assert.equal(get.status, 404);
  } finally {
    await srv.stop();
  }
});
