/**
 * The authenticating proxy end to end: a real reverse proxy (a small Node HTTPS proxy holding the
 * kubeadm front-proxy-client certificate) authenticates kubectl by its own token table and
 * forwards to kubeauth with X-Remote-User/-Group/-Uid/-Extra-*; kubectl auth whoami shows the
 * proxied identity. The same headers are ignored without the proxy certificate (anonymous), with a
 * client certificate from --client-ca-file (that certificate's user), and refused (401) with a
 * front-proxy-CA certificate whose CN is not allowed. The published
 * extension-apiserver-authentication and kube-root-ca.crt ConfigMaps carry the CAs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { freePort, mainJs, run, startServer, type TestServer } from './harness.js';

const PROXY_TOKENS: Record<
  string,
  { user: string; uid: string; groups: string[]; extra: Record<string, string> }
> = {
  'proxy-token-alice': {
    user: 'alice',
    uid: 'uid-alice',
    groups: ['devs', 'ops'],
    extra: { 'acme.com/Project': 'k8s' },
  },
};

/** A reverse proxy: its own TLS identity towards kubectl, the front-proxy client cert towards kubeauth. */
function startProxy(upstreamPort: number, pki: string): Promise<{ server: Server; port: number }> {
  const upstream = {
    ca: readFileSync(path.join(pki, 'ca.crt')),
    cert: readFileSync(path.join(pki, 'front-proxy-client.crt')),
    key: readFileSync(path.join(pki, 'front-proxy-client.key')),
  };
  const server = createServer(
    {
      cert: readFileSync(path.join(pki, 'apiserver.crt')),
      key: readFileSync(path.join(pki, 'apiserver.key')),
    },
    (req, res) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const who = PROXY_TOKENS[token];
      if (!who) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end(
            '{"kind":"Status","apiVersion":"v1","status":"Failure","message":"proxy: Unauthorized","reason":"Unauthorized","code":401}',
          );
        return;
      }
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (
          v !== undefined &&
          k !== 'authorization' &&
          !k.startsWith('x-remote-') &&
          k !== 'host' &&
          k !== 'connection'
        )
          headers[k] = v;
      headers['x-remote-user'] = who.user;
      headers['x-remote-uid'] = who.uid;
      headers['x-remote-group'] = who.groups;
      for (const [k, v] of Object.entries(who.extra)) headers[`x-remote-extra-${encodeURIComponent(k)}`] = v;
      const up = request(
        { host: '127.0.0.1', port: upstreamPort, path: req.url, method: req.method, headers, ...upstream },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.writeHead(502).end());
      req.pipe(up);
    },
  );
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port }),
    ),
  );
}

describe('authenticating proxy (--requestheader-*)', () => {
  let srv: TestServer;
  let proxy: { server: Server; port: number };
  let pki: string;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-fp-'));
    const port = await freePort();
    const init = await run(process.execPath, [
      mainJs,
      'init',
      '--data-dir',
      dir,
      '--apiserver-advertise-address=127.0.0.1',
      `--apiserver-bind-port=${port}`,
    ]);
    assert.equal(init.code, 0, init.stderr);
    pki = path.join(dir, 'pki');
    srv = await startServer({
      dir,
      port,
      args: [
        `--requestheader-client-ca-file=${path.join(pki, 'front-proxy-ca.crt')}`,
        '--requestheader-allowed-names=front-proxy-client',
        '--requestheader-username-headers=X-Remote-User',
        '--requestheader-uid-headers=X-Remote-Uid',
        '--requestheader-group-headers=X-Remote-Group',
        '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      ],
    });
    proxy = await startProxy(srv.port, pki);
  });
  after(async () => {
    proxy?.server.close();
    await srv?.stop();
  });

  const ssr = (args: string[]) =>
    run('curl', [
      '-sk',
      ...args,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
      `https://127.0.0.1:${srv.port}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
    ]);
  const spoof = ['-H', 'X-Remote-User: mallory', '-H', 'X-Remote-Group: system:masters'];

  test('kubectl through the proxy is the proxied user, with uid, groups and extra', async () => {
    const kc = path.join(dir, 'via-proxy.conf');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'p',
            cluster: {
              server: `https://127.0.0.1:${proxy.port}`,
              'certificate-authority-data': readFileSync(path.join(pki, 'ca.crt')).toString('base64'),
            },
          },
        ],
        users: [{ name: 'u', user: { token: 'proxy-token-alice' } }],
        contexts: [{ name: 'c', context: { cluster: 'p', user: 'u' } }],
        'current-context': 'c',
      }),
      { mode: 0o600 },
    );
    const r = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'json'], { kubeconfig: kc });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).status.userInfo, {
      username: 'alice',
      uid: 'uid-alice',
      groups: ['devs', 'ops', 'system:authenticated'],
      extra: { 'acme.com/project': ['k8s'] },
    });
    const denied = await srv.kubectl('1.33', ['get', 'secrets'], { kubeconfig: kc });
    assert.match(denied.stderr, /User "alice" cannot list resource "secrets"/);
  });

  test('X-Remote-User without a client certificate is ignored (anonymous)', async () => {
    const r = await run('curl', ['-sk', ...spoof, `https://127.0.0.1:${srv.port}/api/v1/namespaces`]);
    assert.match(JSON.parse(r.stdout).message, /User "system:anonymous" cannot list resource "namespaces"/);
  });

  test('X-Remote-User with a --client-ca-file certificate is ignored: the certificate is the user', async () => {
    const r = await ssr([
      ...spoof,
      '--cert',
      path.join(dir, 'pki', 'apiserver-kubelet-client.crt'),
      '--key',
      path.join(dir, 'pki', 'apiserver-kubelet-client.key'),
    ]);
    const status = JSON.parse(r.stdout).status;
    assert.equal(status.userInfo.username, 'kube-apiserver-kubelet-client');
    assert.ok(!status.userInfo.groups.includes('system:masters'));
  });

  test('the proxy certificate itself, with curl, is trusted', async () => {
    const r = await ssr([
      '-H',
      'X-Remote-User: bob',
      '-H',
      'X-Remote-Group: qa',
      '--cert',
      path.join(pki, 'front-proxy-client.crt'),
      '--key',
      path.join(pki, 'front-proxy-client.key'),
    ]);
    assert.deepEqual(JSON.parse(r.stdout).status.userInfo, {
      username: 'bob',
      groups: ['qa', 'system:authenticated'],
    });
  });

  test('a front-proxy-CA certificate with a CN that is not allowed is 401', async () => {
    const key = path.join(dir, 'rogue.key');
    const csr = path.join(dir, 'rogue.csr');
    const crt = path.join(dir, 'rogue.crt');
    writeFileSync(path.join(dir, 'ext.cnf'), 'extendedKeyUsage=clientAuth\n');
    for (const args of [
      ['genrsa', '-out', key, '2048'],
      ['req', '-new', '-key', key, '-subj', '/CN=rogue-proxy', '-out', csr],
      [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        path.join(pki, 'front-proxy-ca.crt'),
        '-CAkey',
        path.join(pki, 'front-proxy-ca.key'),
        '-CAcreateserial',
        '-days',
        '1',
        '-out',
        crt,
        '-extfile',
        path.join(dir, 'ext.cnf'),
      ],
    ]) {
      const r = await run('openssl', args);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await run('curl', [
      '-sk',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      ...spoof,
      '--cert',
      crt,
      '--key',
      key,
      `https://127.0.0.1:${srv.port}/api/v1/namespaces`,
    ]);
    assert.equal(r.stdout, '401');
    assert.match(srv.output(), /x509: subject with cn=rogue-proxy is not in the allowed list/);
  });

  test('extension-apiserver-authentication and kube-root-ca.crt are published', async () => {
    const cm = JSON.parse(
      (
        await srv.kubectl('1.33', [
          'get',
          'cm',
          '-n',
          'kube-system',
          'extension-apiserver-authentication',
          '-o',
          'json',
        ])
      ).stdout,
    );
    assert.equal(cm.data['client-ca-file'], readFileSync(path.join(pki, 'ca.crt'), 'utf8'));
    assert.equal(
      cm.data['requestheader-client-ca-file'],
      readFileSync(path.join(pki, 'front-proxy-ca.crt'), 'utf8'),
    );
    assert.equal(cm.data['requestheader-allowed-names'], '["front-proxy-client"]');
    assert.equal(cm.data['requestheader-username-headers'], '["X-Remote-User"]');
    assert.equal(cm.data['requestheader-group-headers'], '["X-Remote-Group"]');
    assert.equal(cm.data['requestheader-extra-headers-prefix'], '["X-Remote-Extra-"]');
    assert.equal((await srv.kubectl('1.33', ['create', 'namespace', 'fresh'])).code, 0);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await srv.kubectl('1.33', [
        'get',
        'cm',
        '-n',
        'fresh',
        'kube-root-ca.crt',
        '-o',
        'jsonpath={.data.ca\\.crt}',
      ]);
      if (r.code === 0) {
        assert.equal(r.stdout, readFileSync(path.join(pki, 'ca.crt'), 'utf8'));
        break;
      }
      assert.ok(Date.now() < deadline, 'kube-root-ca.crt not published in a new namespace');
      await new Promise((res) => setTimeout(res, 200));
    }
    // Deleted, it comes back.
    assert.equal((await srv.kubectl('1.33', ['delete', 'cm', '-n', 'fresh', 'kube-root-ca.crt'])).code, 0);
    for (const until = Date.now() + 10_000; ;) {
      if ((await srv.kubectl('1.33', ['get', 'cm', '-n', 'fresh', 'kube-root-ca.crt'])).code === 0) break;
      assert.ok(Date.now() < until, 'kube-root-ca.crt not put back');
      await new Promise((res) => setTimeout(res, 200));
    }
  });
});
