/**
 * Encryption at rest (issue #10) end to end: `kubeauth serve --encryption-provider-config` with an
 * apiserver.config.k8s.io/v1 EncryptionConfiguration for secrets. The SQLite file is opened
 * read-only to prove the raw value is `k8s:enc:aesgcm:v1:key1:` ciphertext with no trace of the
 * plaintext; key rotation follows the upstream docs (new first key, restart,
 * `kubectl get secrets -A -o json | kubectl replace -f -`); automatic reload swaps providers and
 * keeps the old ones on a bad file; a malformed file refuses start-up with upstream's text.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { mainJs, run, startServer, type TestServer } from './harness.js';

const key1 = randomBytes(32).toString('base64');
const key2 = randomBytes(32).toString('base64');
const config = (keys: [string, string][]) => `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - aesgcm:
          keys:
${keys.map(([n, s]) => `            - name: ${n}\n              secret: ${s}`).join('\n')}
      - identity: {}
`;

function rawValue(dir: string, key: string): Buffer | undefined {
  const db = new Database(path.join(dir, 'kubeauth.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: Buffer } | undefined;
    return row?.value;
  } finally {
    db.close();
  }
}

async function ok(srv: TestServer, args: string[], input?: string): Promise<string> {
  const r = await srv.kubectl('1.33', args, { input });
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const SECRET_KEY = '/registry/secrets/default/s';

test('secrets are stored as k8s:enc:aesgcm:v1:key1: ciphertext; rotation to key2 by replace', async () => {
  const cfgDir = mkdtempSync(path.join(tmpdir(), 'kubeauth-enc-'));
  const cfg = path.join(cfgDir, 'enc.yaml');
  writeFileSync(cfg, config([['key1', key1]]), { mode: 0o600 });
  let srv = await startServer({ args: ['--encryption-provider-config', cfg] });
  const { dir, port } = srv;
  try {
    await ok(srv, ['create', 'secret', 'generic', 's', '--from-literal=password=hunter2']);
    const raw = rawValue(dir, SECRET_KEY)!;
    assert.ok(raw, 'the secret row exists');
    assert.ok(
      raw.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key1:'),
      raw.subarray(0, 30).toString('latin1'),
    );
    assert.ok(!raw.includes('hunter2'), 'no plaintext in the store');
    assert.ok(!raw.includes(Buffer.from('hunter2').toString('base64')), 'no base64 of the plaintext');
    const pw = await ok(srv, ['get', 'secret', 's', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(pw, 'base64').toString(), 'hunter2');
    // Other resources are not named in the configuration: stored as JSON.
    await ok(srv, ['create', 'configmap', 'c', '--from-literal=k=visible']);
    assert.ok(rawValue(dir, '/registry/configmaps/default/c')!.includes('visible'));
  } finally {
    await srv.stop();
  }

  // Rotation: key2 first, key1 still listed to read the old data.
  writeFileSync(
    cfg,
    config([
      ['key2', key2],
      ['key1', key1],
    ]),
    { mode: 0o600 },
  );
  srv = await startServer({ dir, port, args: ['--encryption-provider-config', cfg] });
  try {
    const pw = await ok(srv, ['get', 'secret', 's', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(pw, 'base64').toString(), 'hunter2', 'data under key1 reads with key2 first');
    assert.ok(rawValue(dir, SECRET_KEY)!.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key1:'));
    const all = await ok(srv, ['get', 'secrets', '-A', '-o', 'json']);
    await ok(srv, ['replace', '-f', '-'], all);
    const raw = rawValue(dir, SECRET_KEY)!;
    assert.ok(raw.toString('latin1').startsWith('k8s:enc:aesgcm:v1:key2:'), 'rewritten under key2');
    assert.ok(!raw.includes('hunter2'));
  } finally {
    await srv.stop();
  }

  // key1 dropped: everything was rewritten, so the secret still reads.
  writeFileSync(cfg, config([['key2', key2]]), { mode: 0o600 });
  srv = await startServer({ dir, port, args: ['--encryption-provider-config', cfg] });
  try {
    const pw = await ok(srv, ['get', 'secret', 's', '-o', 'jsonpath={.data.password}']);
    assert.equal(Buffer.from(pw, 'base64').toString(), 'hunter2');
  } finally {
    await srv.stop();
  }
});

test('--encryption-provider-config-automatic-reload swaps providers; a bad file keeps the old ones', async () => {
  const cfgDir = mkdtempSync(path.join(tmpdir(), 'kubeauth-enc-'));
  const cfg = path.join(cfgDir, 'enc.yaml');
  writeFileSync(cfg, config([['key1', key1]]), { mode: 0o600 });
  const srv = await startServer({
    args: ['--encryption-provider-config', cfg, '--encryption-provider-config-automatic-reload'],
  });
  try {
    await ok(srv, ['create', 'secret', 'generic', 'a', '--from-literal=x=1']);
    assert.ok(
      rawValue(srv.dir, '/registry/secrets/default/a')!.toString().startsWith('k8s:enc:aesgcm:v1:key1:'),
    );
    writeFileSync(
      cfg,
      config([
        ['key2', key2],
        ['key1', key1],
      ]),
    );
    const deadline = Date.now() + 10_000;
    while (!srv.output().includes('Loaded new encryption provider configuration')) {
      assert.ok(Date.now() < deadline, `no reload: ${srv.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await ok(srv, ['create', 'secret', 'generic', 'b', '--from-literal=x=2']);
    assert.ok(
      rawValue(srv.dir, '/registry/secrets/default/b')!.toString().startsWith('k8s:enc:aesgcm:v1:key2:'),
    );
    assert.equal(
      await ok(srv, ['get', 'secret', 'a', '-o', 'jsonpath={.data.x}']),
      Buffer.from('1').toString('base64'),
    );

    writeFileSync(
      cfg,
      'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: []\n',
    );
    while (
      !srv.output().includes('Failed to load encryption provider configuration, keeping the previous one')
    ) {
      assert.ok(Date.now() < deadline + 10_000, `no failure logged: ${srv.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await ok(srv, ['create', 'secret', 'generic', 'c', '--from-literal=x=3']);
    assert.ok(
      rawValue(srv.dir, '/registry/secrets/default/c')!.toString().startsWith('k8s:enc:aesgcm:v1:key2:'),
    );
    assert.ok(!srv.output().includes(key1) && !srv.output().includes(key2), 'keys are never logged');
  } finally {
    await srv.stop();
  }
});

test('a malformed configuration refuses start-up with the upstream-style text', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-enc-'));
  const cfg = path.join(dir, 'enc.yaml');
  writeFileSync(cfg, config([['key1', Buffer.from('password').toString('base64')]]));
  const r = await run(
    process.execPath,
    [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'data'),
      '--secure-port',
      '0',
      '--encryption-provider-config',
      cfg,
    ],
    { timeoutMs: 30_000 },
  );
  assert.notEqual(r.code, 0);
  assert.match(
    r.stderr,
    /error while parsing encryption provider configuration file ".*enc\.yaml": error while parsing file: resources\[0\]\.providers\[0\]\.aesgcm\.keys\[0\]\.secret: Invalid value: "REDACTED": secret is not of the expected length, got 8, expected one of \[16 24 32\]/,
  );
  writeFileSync(cfg, config([['key1', key1]]).replace('aesgcm', 'secretbox'));
  const s = await run(
    process.execPath,
    [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'data'),
      '--secure-port',
      '0',
      '--encryption-provider-config',
      cfg,
    ],
    { timeoutMs: 30_000 },
  );
  assert.notEqual(s.code, 0);
  assert.match(s.stderr, /secretbox.*not supported/);
  const a = await run(
    process.execPath,
    [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'data'),
      '--secure-port',
      '0',
      '--encryption-provider-config-automatic-reload',
    ],
    { timeoutMs: 30_000 },
  );
  assert.notEqual(a.code, 0);
  assert.match(
    a.stderr,
    /--encryption-provider-config-automatic-reload must be set with --encryption-provider-config/,
  );
});
