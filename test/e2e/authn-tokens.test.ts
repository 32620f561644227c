/**
 * Bearer tokens end to end with the real kubectl and curl: a garbage token is 401 (never
 * anonymous), static tokens from --token-auth-file, bound service-account tokens from
 * `kubectl create token` (audiences, the account or the bound pod gone or re-created), the seed's
 * tiller scenario, TokenReview, and start-up errors for a bad token file or an unimplemented flag.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';
import { serveFlags } from '../../src/cli/serve-flags.js';

const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

/** A kubeconfig with the cluster of admin.conf and only a bearer token as the credential. */
function tokenKubeconfig(srv: TestServer, token: string): string {
  const admin = parse(readFileSync(srv.kubeconfig, 'utf8')) as { clusters: unknown[] };
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kubeauth-tok-')), 'config');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: admin.clusters,
      users: [{ name: 'u', user: { token } }],
      contexts: [
        { name: 'c', context: { cluster: (admin.clusters[0] as { name: string }).name, user: 'u' } },
      ],
      'current-context': 'c',
    }),
    { mode: 0o600 },
  );
  return file;
}

describe('bearer-token authentication', () => {
  let srv: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-tokens-'));
    writeFileSync(
      path.join(dir, 'tokens.csv'),
      'static-token-alice-0123456789,alice,uid-alice,"devs,ops"\nstatic-token-bob-0123456789,bob,uid-bob\n',
    );
    srv = await startServer({ args: ['--token-auth-file', path.join(dir, 'tokens.csv')] });
  });
  after(async () => {
    await srv?.stop();
  });
  const admin = (args: string[], input?: string) => srv.kubectl('1.33', args, { input });
  const as = (token: string, args: string[], version = '1.33') =>
    srv.kubectl(version, args, { kubeconfig: tokenKubeconfig(srv, token) });

  test('a garbage bearer token on /version is 401 Unauthorized, not anonymous', async () => {
    for (const header of [
      'Authorization: Bearer x',
      'Authorization: bearer not-a-token',
      'Authorization: Bearer a.b.c',
    ]) {
      const r = await run('curl', [
        '-sk',
        '-H',
        header,
        '-w',
        '\n%{http_code}',
        `https://127.0.0.1:${srv.port}/version`,
      ]);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.at(-1), '401', header);
      assert.deepEqual(JSON.parse(lines.slice(0, -1).join('\n')), UNAUTHORIZED, header);
    }
    // Without credentials /version stays readable (system:public-info-viewer).
    const anon = await run('curl', [
      '-sk',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      `https://127.0.0.1:${srv.port}/version`,
    ]);
    assert.equal(anon.stdout, '200');
    // Other schemes are not bearer tokens: anonymous, as upstream.
    const basic = await run('curl', [
      '-sk',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      'Authorization: Basic Zm9vOmJhcg==',
      `https://127.0.0.1:${srv.port}/version`,
    ]);
    assert.equal(basic.stdout, '200');
  });

  test('static tokens: kubectl auth whoami shows the user, uid and groups; a wrong token is refused', async () => {
    for (const v of ['1.33', '1.27']) {
      const r = await as('static-token-alice-0123456789', ['auth', 'whoami', '-o', 'json'], v);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).status.userInfo, {
        username: 'alice',
        uid: 'uid-alice',
        groups: ['devs', 'ops', 'system:authenticated'],
      });
    }
    const bad = await as('static-token-alice-wrong', ['get', 'ns']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /You must be logged in to the server/);
    const denied = await as('static-token-bob-0123456789', ['get', 'secrets']);
    assert.match(
      denied.stderr,
      /User "bob" cannot list resource "secrets" in API group "" in the namespace "default"/,
    );
  });

  test('bound service-account tokens: whoami, RBAC as the account, other audiences refused', async () => {
    assert.equal((await admin(['create', 'serviceaccount', 'builder'])).code, 0);
    const token = (await admin(['create', 'token', 'builder'])).stdout.trim();
    const who = await as(token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    const ui = JSON.parse(who.stdout).status.userInfo;
    assert.equal(ui.username, 'system:serviceaccount:default:builder');
    assert.deepEqual(ui.groups, [
      'system:serviceaccounts',
      'system:serviceaccounts:default',
      'system:authenticated',
    ]);
    assert.match(ui.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=/);
    const sa = JSON.parse((await admin(['get', 'sa', 'builder', '-o', 'json'])).stdout);
    assert.equal(ui.uid, sa.metadata.uid);
    const forbidden = await as(token, ['get', 'nodes']);
    assert.match(
      forbidden.stderr,
      /User "system:serviceaccount:default:builder" cannot list resource "nodes"/,
    );
    const vault = (await admin(['create', 'token', 'builder', '--audience', 'vault'])).stdout.trim();
    const r = await as(vault, ['get', 'ns']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unauthorized|You must be logged in/);
  });

  test('a token stops working once its account is gone, or its bound pod is deleted or re-created', async () => {
    assert.equal((await admin(['create', 'serviceaccount', 'short-lived'])).code, 0);
    const token = (await admin(['create', 'token', 'short-lived'])).stdout.trim();
    assert.equal((await admin(['delete', 'serviceaccount', 'short-lived'])).code, 0);
    assert.match((await as(token, ['auth', 'whoami'])).stderr, /You must be logged in/);

    const pod = (name: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      });
    assert.equal((await admin(['create', '-f', '-'], pod('bound-pod'))).code, 0);
    const podToken = (
      await admin([
        'create',
        'token',
        'default',
        '--bound-object-kind',
        'Pod',
        '--bound-object-name',
        'bound-pod',
      ])
    ).stdout.trim();
    const podTokenUnused = (
      await admin([
        'create',
        'token',
        'default',
        '--bound-object-kind',
        'Pod',
        '--bound-object-name',
        'bound-pod',
      ])
    ).stdout.trim();
    const ok = await as(podToken, ['auth', 'whoami', '-o', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(
      JSON.parse(ok.stdout).status.userInfo.extra['authentication.kubernetes.io/pod-name'][0],
      'bound-pod',
    );
    assert.equal((await admin(['delete', 'pod', 'bound-pod', '--wait=false'])).code, 0);
    assert.match((await as(podTokenUnused, ['auth', 'whoami'])).stderr, /You must be logged in/);
    assert.equal((await admin(['create', '-f', '-'], pod('bound-pod'))).code, 0);
    assert.match((await as(podTokenUnused, ['auth', 'whoami'])).stderr, /You must be logged in/);
    assert.match(srv.output(), /pod UID \([0-9a-f-]+\) does not match service account pod ref claim/);
  });

  test('legacy Secret tokens: filled in by the tokens controller, refused once the Secret is gone', async () => {
    assert.equal((await admin(['create', 'serviceaccount', 'legacy'])).code, 0);
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'legacy-token', annotations: { 'kubernetes.io/service-account.name': 'legacy' } },
      type: 'kubernetes.io/service-account-token',
    };
    assert.equal((await admin(['create', '-f', '-'], JSON.stringify(secret))).code, 0);
    let data: Record<string, string> = {};
    for (const until = Date.now() + 10_000; !data.token;) {
      data = JSON.parse((await admin(['get', 'secret', 'legacy-token', '-o', 'json'])).stdout).data ?? {};
      assert.ok(Date.now() < until, 'token not filled in');
      if (!data.token) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(Buffer.from(data.namespace, 'base64').toString(), 'default');
    assert.match(Buffer.from(data['ca.crt'], 'base64').toString(), /BEGIN CERTIFICATE/);
    const token = Buffer.from(data.token, 'base64').toString();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.iss, 'kubernetes/serviceaccount');
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], 'legacy-token');
    const who = await as(token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(JSON.parse(who.stdout).status.userInfo.username, 'system:serviceaccount:default:legacy');
    assert.equal((await admin(['delete', 'secret', 'legacy-token'])).code, 0);
    // A success stays in the token cache for 10 s (upstream's TokenSuccessCacheTTL).
    for (const until = Date.now() + 15_000; ;) {
      if (/You must be logged in/.test((await as(token, ['auth', 'whoami'])).stderr)) break;
      assert.ok(Date.now() < until, 'token still accepted 15 s after its Secret was deleted');
      await new Promise((r) => setTimeout(r, 500));
    }
    // Deleting the account deletes its token Secrets.
    assert.equal(
      (
        await admin(
          ['create', '-f', '-'],
          JSON.stringify({ ...secret, metadata: { ...secret.metadata, name: 'legacy-token-2' } }),
        )
      ).code,
      0,
    );
    assert.equal((await admin(['delete', 'serviceaccount', 'legacy'])).code, 0);
    for (const until = Date.now() + 10_000; ;) {
      const g = await admin(['get', 'secret', 'legacy-token-2', '--ignore-not-found', '-o', 'name']);
      if (!g.stdout.trim()) break;
      assert.ok(Date.now() < until, 'token Secret of a deleted account not deleted');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  test('issuer discovery: a relying party verifies a service-account token with the published JWKS', async () => {
    const token = (await admin(['create', 'token', 'default', '--audience', 'vault'])).stdout.trim();
    const get = async (p: string, auth?: string) =>
      run('curl', [
        '-sk',
        ...(auth ? ['-H', `Authorization: Bearer ${auth}`] : []),
        '-w',
        '\n%{http_code}\n%{content_type}',
        `https://127.0.0.1:${srv.port}${p}`,
      ]);
    const sa = (await admin(['create', 'token', 'default'])).stdout.trim();
    const cfg = await get('/.well-known/openid-configuration', sa);
    const cfgLines = cfg.stdout.trimEnd().split('\n');
    const [cfgCode, cfgType] = cfgLines.slice(-2);
    const cfgBody = cfgLines.slice(0, -2).join('\n');
    assert.equal(cfgCode, '200');
    assert.equal(cfgType, 'application/json');
    const doc = JSON.parse(cfgBody);
    assert.equal(doc.issuer, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(doc.jwks_uri, `https://127.0.0.1:${srv.port}/openid/v1/jwks`);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    const jwks = await get('/openid/v1/jwks', sa);
    const lines = jwks.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-2), '200');
    assert.equal(lines.at(-1), 'application/jwk-set+json');
    const { createLocalJWKSet, jwtVerify } = await import('jose');
    const set = createLocalJWKSet(JSON.parse(lines.slice(0, -2).join('\n')));
    const { payload } = await jwtVerify(token, set, { issuer: doc.issuer, audience: 'vault' });
    assert.equal(payload.sub, 'system:serviceaccount:default:default');
    // Anonymous callers are not granted discovery by default (system:service-account-issuer-discovery binds system:serviceaccounts).
    assert.equal((await get('/openid/v1/jwks')).stdout.trimEnd().split('\n').at(-2), '403');
  });

  test("the seed's tiller scenario: a kube-system account bound to cluster-admin", async () => {
    assert.equal((await admin(['create', 'serviceaccount', '--namespace', 'kube-system', 'tiller'])).code, 0);
    assert.equal(
      (
        await admin([
          'create',
          'clusterrolebinding',
          'tiller-cluster-rule',
          '--clusterrole=cluster-admin',
          '--serviceaccount=kube-system:tiller',
        ])
      ).code,
      0,
    );
    assert.equal(
      (await admin(['create', 'deployment', 'tiller-deploy', '-n', 'kube-system', '--image=tiller'])).code,
      0,
    );
    const token = (await admin(['create', 'token', '-n', 'kube-system', 'tiller'])).stdout.trim();
    const patched = await as(token, [
      'patch',
      'deploy',
      '--namespace',
      'kube-system',
      'tiller-deploy',
      '-p',
      '{"spec":{"template":{"spec":{"serviceAccount":"tiller"}}}}',
    ]);
    assert.equal(patched.code, 0, patched.stderr);
    assert.match(patched.stdout, /deployment.apps\/tiller-deploy patched/);
    const sas = await as(token, ['get', 'sa', '--all-namespaces']);
    assert.equal(sas.code, 0, sas.stderr);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      assert.match(sas.stdout, new RegExp(`^${ns}\\s+default\\s`, 'm'));
  });

  test('TokenReview: every strategy, audiences, and errors in status', async () => {
    const review = async (spec: object) => {
      const r = await admin(
        ['create', '-o', 'json', '-f', '-'],
        JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec }),
      );
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).status;
    };
    const st = await review({ token: 'static-token-bob-0123456789' });
    assert.equal(st.authenticated, true);
    assert.deepEqual(st.user, { username: 'bob', uid: 'uid-bob', groups: ['system:authenticated'] });
    const sa = (await admin(['create', 'token', 'default', '--audience', 'vault'])).stdout.trim();
    const forVault = await review({ token: sa, audiences: ['vault'] });
    assert.equal(forVault.authenticated, true);
    assert.deepEqual(forVault.audiences, ['vault']);
    const forApi = await review({ token: sa });
    assert.equal(forApi.authenticated, undefined);
    assert.match(forApi.error, /token audiences "\[vault\]" is invalid for the target audiences/);
    assert.equal(
      (await review({ token: 'static-token-bob-0123456789', audiences: ['vault'] })).error,
      'invalid bearer token',
    );
    assert.equal((await review({ token: 'garbage' })).error, 'invalid bearer token');
  });

  test('the log names the reason for a refusal but never the token', async () => {
    await as('static-token-secret-not-to-log-42', ['get', 'ns']);
    assert.match(srv.output(), /Unable to authenticate the request: invalid bearer token/);
    assert.doesNotMatch(srv.output(), /static-token-secret-not-to-log-42/);
  });
});

describe('start-up errors', () => {
  const serve = (args: string[]) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-bad-'));
    return run(process.execPath, [mainJs, 'serve', '--data-dir', dir, '--secure-port', '0', ...args], {
      timeoutMs: 30_000,
    });
  };

  test('a malformed token file fails start-up naming the file and the line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-badcsv-'));
    const file = path.join(dir, 'tokens.csv');
    writeFileSync(file, 'good,user,uid\nbad"token,user,uid\n');
    const r = await serve(['--token-auth-file', file]);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      new RegExp(
        `--token-auth-file: token file '${file}': parse error on line 2, column 4: bare " in non-quoted field`,
      ),
    );
    writeFileSync(file, 'only-two,columns\n');
    const short = await serve(['--token-auth-file', file]);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /must have at least 3 columns \(token, user name, user uid\), found 2/);
  });

  test('a flag kubeauth does not implement yet fails start-up instead of doing nothing', async () => {
    const r = await serve(['--audit-log-path', '/tmp/kubeauth-audit.log']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not supported yet by kubeauth, refusing to start/);
    assert.match(r.stderr, /--audit-log-path: audit logging is not implemented yet/);
  });

  test('every not-yet-implemented flag refuses start-up with its reason', async () => {
    const known = serveFlags.filter((f) => f.notYetSupported);
    assert.ok(known.length > 0); // the table shrinks as flags are implemented (kubelet client: issue #9)
    for (const f of known) {
      const value = f.type === 'bool' ? [`--${f.name}=true`] : [`--${f.name}`, 'x'];
      const r = await serve(value);
      assert.notEqual(r.code, 0, f.name);
      assert.ok(r.stderr.includes(`--${f.name}: ${f.notYetSupported}`), `${f.name}: ${r.stderr}`);
    }
  });
});
