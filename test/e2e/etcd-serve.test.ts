/**
 * `kubeauth serve --etcd-servers`: a real etcd 3.4 with the PKI's etcd server certificate and
 * client-certificate auth (`--client-cert-auth`), kubeauth connecting with apiserver-etcd-client;
 * kubectl create/get work, the keys follow upstream's layout under --etcd-prefix, and the data
 * survives a serve restart on a fresh data directory holding the same PKI.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '../../src/storage/etcd-server.test-util.js';
import { freePort, mainJs, run, startServer } from './harness.js';

let dir: string;
let etcd: EtcdServer;
let port: number;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-e2e-etcd-'));
  port = await freePort(); // admin.conf written by init points at this port
  execFileSync(process.execPath, [mainJs, 'init', '--data-dir', dir, '--apiserver-bind-port', String(port)], {
    stdio: 'ignore',
  });
  const pki = path.join(dir, 'pki');
  etcd = await startEtcd({
    caFile: path.join(pki, 'etcd/ca.crt'),
    certFile: path.join(pki, 'etcd/server.crt'),
    keyFile: path.join(pki, 'etcd/server.key'),
  });
});
after(async () => {
  await etcd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const etcdArgs = () => [
  '--storage-backend',
  'etcd3',
  '--etcd-servers',
  etcd.url,
  '--etcd-cafile',
  path.join(dir, 'pki/etcd/ca.crt'),
  '--etcd-certfile',
  path.join(dir, 'pki/apiserver-etcd-client.crt'),
  '--etcd-keyfile',
  path.join(dir, 'pki/apiserver-etcd-client.key'),
  '--etcd-prefix',
  '/kubeauth-e2e',
];

test('serve on etcd over mutual TLS: kubectl create/get; upstream key layout; survives restart', async () => {
  let srv = await startServer({ dir, port, args: etcdArgs() });
  try {
    const c = await srv.kubectl('1.33', ['create', 'configmap', 'on-etcd', '--from-literal=k=v']);
    assert.equal(c.code, 0, c.stderr);
    const g = await srv.kubectl('1.33', ['get', 'configmap', 'on-etcd', '-o', 'jsonpath={.data.k}']);
    assert.equal(g.stdout, 'v', g.stderr);
  } finally {
    await srv.stop();
  }
  // The object is in etcd under <prefix>/<resource>/<namespace>/<name>.
  const raw = new Etcd3({
    hosts: [etcd.url],
    credentials: {
      rootCertificate: readFileSync(path.join(dir, 'pki/etcd/ca.crt')),
      certChain: readFileSync(path.join(dir, 'pki/apiserver-etcd-client.crt')),
      privateKey: readFileSync(path.join(dir, 'pki/apiserver-etcd-client.key')),
    },
  });
  try {
    const v = await raw.get('/kubeauth-e2e/configmaps/default/on-etcd').string();
    assert.ok(v?.includes('"on-etcd"'), String(v));
  } finally {
    raw.close();
  }
  // A fresh data directory with the same PKI (no SQLite file): the data comes from etcd.
  const dir2 = mkdtempSync(path.join(tmpdir(), 'kubeauth-e2e-etcd2-'));
  cpSync(path.join(dir, 'pki'), path.join(dir2, 'pki'), { recursive: true });
  cpSync(path.join(dir, 'admin.conf'), path.join(dir2, 'admin.conf'));
  srv = await startServer({ dir: dir2, port, args: etcdArgs() });
  try {
    const g = await srv.kubectl('1.33', ['get', 'configmap', 'on-etcd', '-o', 'jsonpath={.data.k}']);
    assert.equal(g.stdout, 'v', g.stderr);
  } finally {
    await srv.stop();
    rmSync(dir2, { recursive: true, force: true });
  }
});

test('https etcd without TLS flags defaults to the PKI etcd CA and apiserver-etcd-client', async () => {
  const srv = await startServer({
    dir,
    port,
    args: ['--etcd-servers', etcd.url, '--etcd-prefix', '/kubeauth-e2e'],
  });
  try {
    const g = await srv.kubectl('1.33', ['get', 'configmap', 'on-etcd', '-o', 'name']);
    assert.equal(g.stdout.trim(), 'configmap/on-etcd', g.stderr);
  } finally {
    await srv.stop();
  }
});

test('inconsistent etcd flags and an unreachable etcd refuse start-up', async () => {
  const serve = (...args: string[]) =>
    run(process.execPath, [mainJs, 'serve', '--data-dir', dir, '--secure-port', '0', ...args], {
      timeoutMs: 30_000,
    });
  const stray = await serve('--storage-backend', 'sqlite', '--etcd-prefix', '/x');
  assert.notEqual(stray.code, 0);
  assert.match(stray.stderr, /--etcd-prefix require --storage-backend=etcd3/);
  const none = await serve('--storage-backend', 'etcd3');
  assert.notEqual(none.code, 0);
  assert.match(none.stderr, /--etcd-servers must be specified/);
  const down = await serve('--etcd-servers', 'http://127.0.0.1:1');
  assert.notEqual(down.code, 0);
  assert.match(down.stderr, /cannot reach etcd/);
});
