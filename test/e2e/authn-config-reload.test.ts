/**
 * The `anonymous` section of --authentication-config is fixed at start-up, as upstream 1.31+
 * (pkg/kubeapiserver/options/authentication.go: a reload whose section differs from the initial
 * file is refused with "anonymous: Forbidden: changed from initial configuration file"), checked
 * with curl: anonymous only on /livez, and reloads that would disable it or open it everywhere
 * are refused and change nothing. A reload that adds the section while --anonymous-auth was given
 * is refused with upstream's start-up text and changes nothing.
 * `issuer.egressSelectorType` (no egress selector here) fails start-up naming the field, and a
 * reload bringing it is refused, keeping the running configuration.
 *
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-anon-reload-'));

function writeConfig(file: string, anonymous?: object): void {
  const doc = { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AuthenticationConfiguration', anonymous };
  writeFileSync(`${file}.tmp`, stringify(anonymous ? doc : { ...doc, anonymous: undefined }));
  renameSync(`${file}.tmp`, file);
}

const code = async (srv: TestServer, p: string): Promise<string> =>
  (await run('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${srv.port}${p}`]))
    .stdout;

describe('--authentication-config: the anonymous section is not changed by a reload', () => {
  let srv: TestServer;
  const file = path.join(dir, 'authn.yaml');
  before(async () => {
    writeConfig(file, { enabled: true, conditions: [{ path: '/livez' }] });
    srv = await startServer({ args: [`--authentication-config=${file}`] });
  });
  after(async () => {
    await srv?.stop();
  });

  const refusals = () =>
    srv.output().match(/anonymous: Forbidden: changed from initial configuration file/g)?.length ?? 0;
  async function refused(before: number): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (refusals() <= before) {
      assert.ok(Date.now() < deadline, `refusal not logged:\n${srv.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('only /livez is anonymous; disabling or widening it on reload is refused', async () => {
    assert.equal(await code(srv, '/livez'), '200');
    assert.equal(await code(srv, '/version'), '401');
    assert.equal(await code(srv, '/readyz'), '401');

    let n = refusals();
    writeConfig(file, { enabled: false });
    await refused(n);
    assert.equal(await code(srv, '/livez'), '200', 'the running setting stays');

    n = refusals();
    writeConfig(file, { enabled: true });
    await refused(n);
    assert.equal(await code(srv, '/version'), '401', 'anonymous is not opened everywhere');
    assert.equal(await code(srv, '/livez'), '200');
  });
});

describe('--anonymous-auth given: a reload adding the section is refused', () => {
  let srv: TestServer;
  const file = path.join(dir, 'authn-flag.yaml');
  before(async () => {
    writeConfig(file);
    srv = await startServer({ args: [`--authentication-config=${file}`, '--anonymous-auth=false'] });
  });
  after(async () => {
    await srv?.stop();
  });

  test('upstream start-up text in the log; still 401', async () => {
    assert.equal(await code(srv, '/livez'), '401');
    writeConfig(file, { enabled: true, conditions: [{ path: '/livez' }] });
    const deadline = Date.now() + 10_000;
    while (
      !/keeping the running configuration: anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file/.test(
        srv.output(),
      )
    ) {
      assert.ok(Date.now() < deadline, `refusal not logged:\n${srv.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await code(srv, '/livez'), '401');
  });
});

describe('--authentication-config issuer.egressSelectorType is refused', () => {
  const jwt = (egress?: string) => ({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    jwt: [
      {
        issuer: {
          url: 'https://issuer.example.com',
          audiences: ['k8s'],
          ...(egress ? { egressSelectorType: egress } : {}),
        },
        claimMappings: { username: { claim: 'sub', prefix: '' } },
      },
    ],
    anonymous: { enabled: true, conditions: [{ path: '/livez' }] },
  });
  const want =
    /jwt\[0\]\.issuer\.egressSelectorType: Invalid value: "controlplane": egress selector is not supported: kubeauth has no --egress-selector-config-file/;

  test('at start-up: the server does not start, naming the field', async () => {
    const file = path.join(dir, 'egress.yaml');
    writeFileSync(file, stringify(jwt('controlplane')));
    const r = await run(process.execPath, [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'egress-data'),
      '--secure-port',
      '0',
      `--authentication-config=${file}`,
    ]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, want);
  });

  test('on reload: refused, the running configuration stays', async () => {
    const file = path.join(dir, 'egress-reload.yaml');
    writeFileSync(file, stringify(jwt()));
    const srv = await startServer({ args: [`--authentication-config=${file}`] });
    try {
      assert.equal(await code(srv, '/livez'), '200');
      writeFileSync(`${file}.tmp`, stringify(jwt('controlplane')));
      renameSync(`${file}.tmp`, file);
      const deadline = Date.now() + 10_000;
      while (!want.test(srv.output())) {
        assert.ok(Date.now() < deadline, `refusal not logged:\n${srv.output()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.equal(await code(srv, '/livez'), '200');
    } finally {
      await srv.stop();
    }
  });
});
