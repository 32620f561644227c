/**
 * OIDC end to end with a real OpenID provider (oidc-provider over HTTPS, its own CA, ID tokens
 * signed with its own JWKS, test/e2e/oidc-issuer.ts):
 * - legacy --oidc-* flags: kubectl --token and kubectl through an exec credential plugin show the
 *   user and prefixed groups; an unverified email, a missing required claim and another issuer's
 *   token are 401;
 * - --authentication-config: a CEL username mapping and a claimValidationRule; a token failing the
 *   rule is 401; a changed file takes effect while running, a bad one keeps the old config; a bad
 *   file at start-up fails naming the field;
 * - the latency of the first token including discovery and the JWKS fetch (printed).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { JwtAuthenticator } from '../../src/authn/oidc/jwt.js';
import { legacyOidcToJwt } from '../../src/authn/oidc/config.js';
import { mainJs, run, startServer, type TestServer } from './harness.js';
import { startIssuer, type TestIssuer } from './oidc-issuer.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-oidc-'));

const withToken = (s: TestServer, t: string, args: string[]) =>
  s.kubectl('1.33', [
    '--kubeconfig=/dev/null',
    `--server=https://127.0.0.1:${s.port}`,
    '--insecure-skip-tls-verify',
    `--token=${t}`,
    ...args,
  ]);

async function whoami(s: TestServer, t: string): Promise<{ username: string; groups: string[] } | string> {
  const r = await withToken(s, t, ['auth', 'whoami', '-o', 'json']);
  if (r.code !== 0) return r.stderr;
  return JSON.parse(r.stdout).status.userInfo;
}

describe('OIDC with the legacy --oidc-* flags', () => {
  let idp: TestIssuer;
  let other: TestIssuer;
  let srv: TestServer;

  before(async () => {
    [idp, other] = await Promise.all([startIssuer(), startIssuer()]);
    const caFile = path.join(dir, 'oidc-ca.crt');
    writeFileSync(caFile, idp.caPem);
    srv = await startServer({
      args: [
        `--oidc-issuer-url=${idp.issuer}`,
        `--oidc-client-id=${idp.clientId}`,
        `--oidc-ca-file=${caFile}`,
        '--oidc-username-claim=email',
        '--oidc-groups-claim=groups',
        '--oidc-groups-prefix=oidc:',
        '--oidc-required-claim=tier=gold',
      ],
    });
  });
  after(async () => {
    await srv?.stop();
    idp?.close();
    other?.close();
  });

  test('first token latency, including discovery and the JWKS fetch (in process)', async () => {
    const token = await idp.idToken({ sub: 'bench' });
    const t0 = process.hrtime.bigint();
    // constructed here so that its discovery and JWKS fetch fall inside the measurement
    const a = new JwtAuthenticator({
      jwt: legacyOidcToJwt({
        issuerURL: idp.issuer,
        clientID: idp.clientId,
        caPem: idp.caPem,
        usernameClaim: 'sub',
        usernamePrefix: '-',
        groupsClaim: '',
        groupsPrefix: '',
        requiredClaims: {},
      }),
    });
    const r = await a.authenticateToken(token, []);
    const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    await a.authenticateToken(token, []);
    const warmMs = Number(process.hrtime.bigint() - t1) / 1e6;
    a.close();
    assert.ok(r.ok && r.response.user.name === 'bench');
    process.stdout.write(
      `# BENCH oidc first token (discovery + JWKS + verify): ${firstMs.toFixed(1)} ms; warm: ${warmMs.toFixed(2)} ms\n`,
    );
  });

  test('kubectl --token <id token>: whoami shows the email user and the prefixed groups', async () => {
    const t = await idp.idToken({
      sub: 'alice',
      email: 'alice@example.com',
      email_verified: true,
      groups: ['dev', 'ops'],
      tier: 'gold',
    });
    assert.deepEqual(await whoami(srv, t), {
      username: 'alice@example.com',
      groups: ['oidc:dev', 'oidc:ops', 'system:authenticated'],
    });
    assert.ok(idp.jwksFetches() >= 1, 'the provider JWKS was fetched');
  });

  test('kubectl through an exec credential plugin', async () => {
    const t = await idp.idToken({ sub: 'bob', email: 'bob@example.com', groups: 'sre', tier: 'gold' });
    const plugin = path.join(dir, 'oidc-plugin.sh');
    const cred = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: t },
    };
    writeFileSync(plugin, `#!/bin/sh\ncat <<'EOF'\n${JSON.stringify(cred)}\nEOF\n`);
    chmodSync(plugin, 0o755);
    const kubeconfig = path.join(dir, 'exec.conf');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'k',
            cluster: { server: `https://127.0.0.1:${srv.port}`, 'insecure-skip-tls-verify': true },
          },
        ],
        users: [
          {
            name: 'oidc',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: plugin,
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [{ name: 'k', context: { cluster: 'k', user: 'oidc' } }],
        'current-context': 'k',
      }),
    );
    const r = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'json'], { kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).status.userInfo, {
      username: 'bob@example.com',
      groups: ['oidc:sre', 'system:authenticated'],
    });
  });

  test('unverified email, missing required claim, another issuer: 401 with the reason logged', async () => {
    const unverified = await idp.idToken({
      sub: 'c',
      email: 'c@example.com',
      email_verified: false,
      tier: 'gold',
    });
    assert.match(String(await whoami(srv, unverified)), /must be logged in|Unauthorized/);
    assert.match(srv.output(), /oidc: email not verified/);
    const noTier = await idp.idToken({ sub: 'd', email: 'd@example.com' });
    assert.match(String(await whoami(srv, noTier)), /must be logged in|Unauthorized/);
    assert.match(srv.output(), /oidc: required claim tier not present in ID token/);
    const foreign = await other.idToken({ sub: 'e', email: 'e@example.com', tier: 'gold' });
    assert.match(String(await whoami(srv, foreign)), /must be logged in|Unauthorized/);
  });
});

describe('OIDC with --authentication-config', () => {
  let idp: TestIssuer;
  let srv: TestServer;
  let cfgFile: string;
  const config = (usernameExpr: string) =>
    stringify({
      apiVersion: 'apiserver.config.k8s.io/v1beta1',
      kind: 'AuthenticationConfiguration',
      jwt: [
        {
          issuer: { url: idp.issuer, audiences: [idp.clientId], certificateAuthority: idp.caPem },
          claimValidationRules: [{ expression: "claims.tier == 'gold'", message: 'gold tier only' }],
          claimMappings: {
            username: { expression: usernameExpr },
            groups: { claim: 'groups', prefix: '' },
          },
        },
      ],
    });

  before(async () => {
    idp = await startIssuer();
    cfgFile = path.join(dir, 'authn.yaml');
    writeFileSync(cfgFile, config("'oidc:' + claims.sub"));
    srv = await startServer({ args: [`--authentication-config=${cfgFile}`] });
  });
  after(async () => {
    await srv?.stop();
    idp?.close();
  });

  test('the CEL username mapping; a token failing the claim validation rule is 401', async () => {
    const t = await idp.idToken({ sub: 'alice', groups: ['dev'], tier: 'gold' });
    assert.deepEqual(await whoami(srv, t), {
      username: 'oidc:alice',
      groups: ['dev', 'system:authenticated'],
    });
    const silver = await idp.idToken({ sub: 'alice', tier: 'silver' });
    assert.match(String(await whoami(srv, silver)), /must be logged in|Unauthorized/);
    assert.match(srv.output(), /validation expression 'claims.tier == 'gold'' failed: gold tier only/);
  });

  test('a changed file takes effect while running; a bad one keeps the old config', async () => {
    writeFileSync(cfgFile, config("'sso:' + claims.sub"));
    let seen: unknown;
    for (let i = 0; i < 40; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const t = await idp.idToken({ sub: `u${i}`, tier: 'gold' });
      seen = await whoami(srv, t);
      if (typeof seen === 'object' && (seen as { username: string }).username === `sso:u${i}`) break;
    }
    assert.equal((seen as { username: string }).username.startsWith('sso:'), true, JSON.stringify(seen));
    writeFileSync(cfgFile, config('claims.('));
    await new Promise((r) => setTimeout(r, 2500));
    assert.match(srv.output(), /keeping the running configuration: .*claimMappings\.username\.expression/);
    const t = await idp.idToken({ sub: 'still', tier: 'gold' });
    assert.equal(((await whoami(srv, t)) as { username: string }).username, 'sso:still');
  });

  test('a bad file at start-up fails naming the field; the flags are mutually exclusive', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, config("'x:' + claims.sub").replace(idp.issuer, 'http://insecure.example.com'));
    const r = await run(process.execPath, [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'bad'),
      '--secure-port',
      '0',
      `--authentication-config=${bad}`,
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /jwt\[0\]\.issuer\.url: Invalid value: "http:\/\/insecure\.example\.com": URL scheme must be https/,
    );
    const both = await run(process.execPath, [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'bad'),
      '--secure-port',
      '0',
      `--authentication-config=${cfgFile}`,
      '--oidc-issuer-url=https://x.example.com',
    ]);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /authentication-config file and oidc-\* flags are mutually exclusive/);
  });
});

describe('--authentication-config anonymous section', () => {
  let srv: TestServer;
  const file = path.join(dir, 'anon.yaml');
  before(async () => {
    writeFileSync(
      file,
      stringify({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'AuthenticationConfiguration',
        anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }] },
      }),
    );
    srv = await startServer({ args: [`--authentication-config=${file}`] });
  });
  after(async () => {
    await srv?.stop();
  });
  const code = async (p: string) =>
    (await run('curl', ['-sk', '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${srv.port}${p}`]))
      .stdout;

  test('anonymous only on the listed paths; elsewhere 401', async () => {
    assert.equal(await code('/livez'), '200');
    assert.equal(await code('/readyz'), '200');
    assert.equal(await code('/api'), '401');
    assert.equal(await code('/version'), '401');
  });

  test('--anonymous-auth with an anonymous section fails start-up with upstream text', async () => {
    const r = await run(process.execPath, [
      mainJs,
      'serve',
      '--data-dir',
      path.join(dir, 'anon-bad'),
      '--secure-port',
      '0',
      `--authentication-config=${file}`,
      '--anonymous-auth=true',
    ]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file/,
    );
  });
});
