/**
 * nodes/proxy's address check (node/strategy.go isProxyableHostname, net.IP.IsGlobalUnicast) and
 * --kubelet-timeout as a dial timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { checkProxyableHostname, isGlobalUnicast } from './kubelet-handlers.js';
import { rewriteLocation } from './kubelet-proxy.js';
import { dialTimeout } from './kubelet-client.js';

test('IsGlobalUnicast', () => {
  for (const ip of ['10.0.0.1', '192.0.2.2', '8.8.8.8', '172.16.0.1', '2001:db8::1', 'fd00::2'])
    assert.equal(isGlobalUnicast(ip), true, ip);
  for (const ip of [
    '127.0.0.1',
    '127.1.2.3',
    '0.0.0.0',
    '169.254.169.254',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    'not-an-ip',
  ])
    assert.equal(isGlobalUnicast(ip), false, ip);
});

test('isProxyableHostname: loopback names and addresses are refused', async () => {
  for (const h of ['127.0.0.1', 'localhost', '::1'])
    await assert.rejects(checkProxyableHostname(h), { code: 400, message: 'address not allowed' });
  await checkProxyableHostname('10.1.2.3');
});

test('--kubelet-timeout bounds the connection, not the answer', async () => {
  // A TCP listener that never speaks TLS: the handshake never completes.
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as AddressInfo).port;
  const started = Date.now();
  const err = await new Promise<Error>((resolve) => {
    const req = https.get({ host: '127.0.0.1', port, rejectUnauthorized: false, agent: false });
    dialTimeout(req, 200, `127.0.0.1:${port}`);
    req.on('error', resolve);
  });
  assert.equal(err.message, `dial tcp 127.0.0.1:${port}: i/o timeout`);
  assert.ok(Date.now() - started < 2000);
  silent.close();
});

test('proxy/transport.go rewriteURL for redirects of nodes/proxy', () => {
  const p = '/api/v1/nodes/n1/proxy';
  const rw = (loc: string) => rewriteLocation(loc, '10.0.0.1:10250', 'api.example:6443', p);
  assert.equal(rw('/logs/foo/'), '/api/v1/nodes/n1/proxy/logs/foo/');
  assert.equal(rw('https://10.0.0.1:10250/stats?x=1'), '/api/v1/nodes/n1/proxy/stats?x=1');
  assert.equal(rw('https://api.example:6443/metrics'), '/api/v1/nodes/n1/proxy/metrics');
  assert.equal(rw('/api/v1/nodes/n1/proxy/already'), '/api/v1/nodes/n1/proxy/already');
  assert.equal(rw('foo/'), 'foo/', 'relative: unchanged');
  assert.equal(rw('https://example.invalid/elsewhere'), 'https://example.invalid/elsewhere');
});
