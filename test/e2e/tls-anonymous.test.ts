/**
 * The seed's raw calls: `curl -k` without a client certificate is system:anonymous and gets the
 * upstream 403 Status (modern wording); a kubeconfig whose CA is wrong makes kubectl fail with
 * "x509: certificate signed by unknown authority"; a client certificate from another CA is 401.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { run, startServer, type TestServer } from './harness.js';

describe('TLS and anonymous access', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('curl -k as system:anonymous gets the upstream 403 Status for list nodes', async () => {
    const r = await run('curl', [
      '-sk',
      '-H',
      'Accept: application/json',
      `https://127.0.0.1:${srv.port}/api/v1/nodes?limit=500`,
    ]);
    assert.deepEqual(JSON.parse(r.stdout), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { kind: 'nodes' },
      code: 403,
    });
  });

  test('--anonymous-auth=false turns the same call into 401 Unauthorized', async () => {
    const s2 = await startServer({ args: ['--anonymous-auth=false'] });
    try {
      const r = await run('curl', [
        '-sk',
        '-w',
        '\n%{http_code}',
        `https://127.0.0.1:${s2.port}/api/v1/nodes`,
      ]);
      const cut = r.stdout.lastIndexOf('\n');
      const [body, code] = [r.stdout.slice(0, cut), r.stdout.slice(cut + 1)];
      assert.equal(code, '401');
      // curl's User-Agent gets upstream's indented JSON (json.MarshalIndent, no trailing newline).
      assert.equal(
        body,
        [
          '{',
          '  "kind": "Status",',
          '  "apiVersion": "v1",',
          '  "metadata": {},',
          '  "status": "Failure",',
          '  "message": "Unauthorized",',
          '  "reason": "Unauthorized",',
          '  "code": 401',
          '}',
        ].join('\n'),
      );
    } finally {
      await s2.stop();
    }
  });

  test('a kubeconfig with the wrong CA: x509: certificate signed by unknown authority', async () => {
    const dir = srv.dir;
    assert.equal(
      (
        await run('openssl', [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          path.join(dir, 'other.key'),
          '-out',
          path.join(dir, 'other.crt'),
          '-subj',
          '/CN=other-ca',
          '-days',
          '1',
        ])
      ).code,
      0,
    );
    const kc = parse(readFileSync(srv.kubeconfig, 'utf8'));
    kc.clusters[0].cluster['certificate-authority-data'] = readFileSync(path.join(dir, 'other.crt')).toString(
      'base64',
    );
    const bad = path.join(dir, 'wrong-ca.conf');
    writeFileSync(bad, stringify(kc));
    for (const v of ['1.33', '1.27']) {
      const r = await srv.kubectl(v, ['get', 'nodes'], { kubeconfig: bad });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /x509: certificate signed by unknown authority/);
    }
  });

  test('a client certificate signed by another CA is 401, never anonymous', async () => {
    const dir = srv.dir;
    const key = path.join(dir, 'mallory.key');
    const crt = path.join(dir, 'mallory.crt');
    assert.equal(
      (
        await run('openssl', [
          'req',
          '-new',
          '-key',
          path.join(dir, 'other.key'),
          '-out',
          path.join(dir, 'm.csr'),
          '-subj',
          '/CN=mallory/O=system:masters',
        ])
      ).code,
      0,
    );
    writeFileSync(key, readFileSync(path.join(dir, 'other.key')));
    assert.equal(
      (
        await run('openssl', [
          'x509',
          '-req',
          '-in',
          path.join(dir, 'm.csr'),
          '-signkey',
          key,
          '-out',
          crt,
          '-days',
          '1',
        ])
      ).code,
      0,
    );
    const r = await run('curl', [
      '-sk',
      '--cert',
      crt,
      '--key',
      key,
      '-w',
      '\n%{http_code}',
      `https://127.0.0.1:${srv.port}/api/v1/nodes`,
    ]);
    assert.equal(r.stdout.split('\n').pop(), '401');
  });
});

test('--cert-dir creates a self-signed serving certificate and kubectl needs its CA', async () => {
  const srv = await startServer({ args: ['--cert-dir', '/tmp/kubeauth-certdir-' + process.pid] });
  try {
    const r = await srv.kubectl('1.33', ['get', 'ns']);
    assert.match(r.stderr, /x509: certificate signed by unknown authority/);
    const ok = await srv.kubectl('1.33', [
      'get',
      'ns',
      '--insecure-skip-tls-verify',
      '--certificate-authority=',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^default\s+Active/m);
    const crt = readFileSync(`/tmp/kubeauth-certdir-${process.pid}/apiserver.crt`, 'utf8');
    assert.equal(crt.match(/BEGIN CERTIFICATE/g)?.length, 2, 'serving certificate followed by its CA');
  } finally {
    await srv.stop();
    rmSync(`/tmp/kubeauth-certdir-${process.pid}`, { recursive: true, force: true });
  }
});
