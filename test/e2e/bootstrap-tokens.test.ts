/**
 * Bootstrap tokens end to end: `kubeauth token create|list|delete` as `kubeadm token`, the token
 * with the real kubectl (`--token` and the printed bootstrap kubeconfig), the seed's negative
 * cases each a 401 (expired, wrong secret, Opaque, outside kube-system, system:masters as an extra
 * group, authentication usage off), and the token cleaner deleting an expired token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mainJs, run, startServer, type TestServer } from './harness.js';

describe('bootstrap tokens', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startServer({ args: ['--enable-bootstrap-token-auth'] });
  });
  after(async () => {
    await srv?.stop();
  });
  const token = (args: string[]) =>
    run(process.execPath, [mainJs, 'token', '--kubeconfig', srv.kubeconfig, ...args]);
  const withToken = (t: string, args: string[]) =>
    srv.kubectl('1.33', [
      '--kubeconfig=/dev/null',
      `--server=https://127.0.0.1:${srv.port}`,
      '--insecure-skip-tls-verify',
      `--token=${t}`,
      ...args,
    ]);
  const admin = (args: string[], input?: string) => srv.kubectl('1.33', args, { input });

  test('kubeauth token create prints <id>.<secret>; kubectl authenticates as system:bootstrap:<id>', async () => {
    const c = await token(['create', '--description', 'for node-1']);
    assert.equal(c.code, 0, c.stderr);
    const t = c.stdout.trim();
    assert.match(t, /^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    const who = await withToken(t, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    assert.deepEqual(JSON.parse(who.stdout).status.userInfo, {
      username: `system:bootstrap:${t.slice(0, 6)}`,
      groups: [
        'system:bootstrappers',
        'system:bootstrappers:kubeadm:default-node-token',
        'system:authenticated',
      ],
    });
    const secret = JSON.parse(
      (await admin(['get', 'secret', '-n', 'kube-system', `bootstrap-token-${t.slice(0, 6)}`, '-o', 'json']))
        .stdout,
    );
    assert.equal(secret.type, 'bootstrap.kubernetes.io/token');
    const exp = Date.parse(Buffer.from(secret.data.expiration, 'base64').toString());
    assert.ok(Math.abs(exp - (Date.now() + 24 * 3600_000)) < 120_000, 'expires in 24h by default');
    // The kubeadm default groups let a bootstrapping node create CSRs, nothing more.
    assert.match(
      (await withToken(t, ['get', 'secrets', '-n', 'kube-system'])).stderr,
      /cannot list resource "secrets"/,
    );
  });

  test('create with a given token, --ttl 0, --groups, --usages; list; delete', async () => {
    const t = 'abcdef.0123456789abcdef';
    const c = await token([
      'create',
      t,
      '--ttl',
      '0',
      '--groups',
      'system:bootstrappers:worker',
      '--usages',
      'authentication',
    ]);
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, `${t}\n`);
    const again = await token(['create', t]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /a token with id "abcdef" already exists/);
    const l = await token(['list']);
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, /^TOKEN\s+TTL\s+EXPIRES\s+USAGES\s+DESCRIPTION\s+EXTRA GROUPS$/m);
    assert.match(
      l.stdout,
      /^abcdef\.0123456789abcdef\s+<forever>\s+<never>\s+authentication\s+<none>\s+system:bootstrappers:worker$/m,
    );
    assert.ok((await withToken(t, ['auth', 'whoami'])).stdout.includes('system:bootstrappers:worker'));
    const d = await token(['delete', 'abcdef']);
    assert.equal(d.stdout, 'bootstrap token "abcdef" deleted\n');
    // A success stays in the token cache for 10 s, as upstream's (TokenSuccessCacheTTL).
    const deadline = Date.now() + 15_000;
    while (!/You must be logged in/.test((await withToken(t, ['auth', 'whoami'])).stderr)) {
      assert.ok(Date.now() < deadline, 'deleted token still accepted after 15 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    const bad = await token(['create', 'abcdef.0123456789abcdef', '--groups', 'system:masters']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /bootstrap group "system:masters" is invalid/);
  });

  test('--print-bootstrap-kubeconfig prints the kubeconfig a new node bootstraps with', async () => {
    const c = await token(['create', '--print-bootstrap-kubeconfig', '--ttl', '1h']);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /certificate-authority-data: /);
    assert.match(c.stdout, /name: tls-bootstrap-token-user/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kubeauth-bk-')), 'bootstrap-kubelet.conf');
    writeFileSync(file, c.stdout, { mode: 0o600 });
    const who = await srv.kubectl('1.33', ['auth', 'whoami'], { kubeconfig: file });
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, /system:bootstrap:[a-z0-9]{6}/);
  });

  test('negative table: each bootstrap-token Secret that must not authenticate gives 401', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const good = {
      'token-id': 'negtst',
      'token-secret': '0123456789abcdef',
      'usage-bootstrap-authentication': 'true',
    };
    const rows: [string, { ns?: string; type?: string; data: Record<string, string> }, string][] = [
      ['expired', { data: { ...good, expiration: '2020-01-01T00:00:00Z' } }, 'negtst.0123456789abcdef'],
      ['wrong secret', { data: good }, 'negtst.0123456789abcdxx'],
      ['Opaque type', { type: 'Opaque', data: good }, 'negtst.0123456789abcdef'],
      ['outside kube-system', { ns: 'default', data: good }, 'negtst.0123456789abcdef'],
      [
        'auth-extra-groups system:masters',
        { data: { ...good, 'auth-extra-groups': 'system:masters' } },
        'negtst.0123456789abcdef',
      ],
      [
        'usage-bootstrap-authentication false',
        { data: { ...good, 'usage-bootstrap-authentication': 'false' } },
        'negtst.0123456789abcdef',
      ],
    ];
    for (const [name, s, t] of rows) {
      const secret = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'bootstrap-token-negtst', namespace: s.ns ?? 'kube-system' },
        type: s.type ?? 'bootstrap.kubernetes.io/token',
        data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, b64(v)])),
      };
      const c = await admin(['create', '-f', '-'], JSON.stringify(secret));
      assert.equal(c.code, 0, `${name}: ${c.stderr}`);
      const r = await run('curl', [
        '-sk',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        `Authorization: Bearer ${t}`,
        `https://127.0.0.1:${srv.port}/version`,
      ]);
      assert.equal(r.stdout, '401', name);
      await admin([
        'delete',
        'secret',
        '-n',
        s.ns ?? 'kube-system',
        'bootstrap-token-negtst',
        '--wait=false',
      ]);
    }
    // The control row: the same Secret, valid, authenticates.
    const ok = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'bootstrap-token-negtst', namespace: 'kube-system' },
      type: 'bootstrap.kubernetes.io/token',
      data: Object.fromEntries(Object.entries(good).map(([k, v]) => [k, b64(v)])),
    };
    assert.equal((await admin(['create', '-f', '-'], JSON.stringify(ok))).code, 0);
    const r = await run('curl', [
      '-sk',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      'Authorization: Bearer negtst.0123456789abcdef',
      `https://127.0.0.1:${srv.port}/version`,
    ]);
    assert.equal(r.stdout, '200');
  });

  test('the token cleaner deletes a token once it expires', async () => {
    const c = await token(['create', 'clnrtk.0123456789abcdef', '--ttl', '2s']);
    assert.equal(c.code, 0, c.stderr);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const g = await admin([
        'get',
        'secret',
        '-n',
        'kube-system',
        'bootstrap-token-clnrtk',
        '--ignore-not-found',
        '-o',
        'name',
      ]);
      if (g.stdout.trim() === '') break;
      assert.ok(Date.now() < deadline, 'expired token still present after 15 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(srv.output(), /token cleaner: deleting expired secret kube-system\/bootstrap-token-clnrtk/);
  });
});

describe('bootstrap tokens are off unless enabled', () => {
  test('without --enable-bootstrap-token-auth a valid bootstrap token is 401', async () => {
    const srv = await startServer();
    try {
      const c = await run(process.execPath, [mainJs, 'token', '--kubeconfig', srv.kubeconfig, 'create']);
      assert.equal(c.code, 0, c.stderr);
      const r = await run('curl', [
        '-sk',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-H',
        `Authorization: Bearer ${c.stdout.trim()}`,
        `https://127.0.0.1:${srv.port}/version`,
      ]);
      assert.equal(r.stdout, '401');
    } finally {
      await srv.stop();
    }
  });
});
