/**
 * `kubeauth kubeconfig user` and `kubeauth kubeconfig serviceaccount` against the real server,
 * checked with the real kubectl and openssl: the seed's seven manual steps (key, CSR, create,
 * approve, fetch, kubeconfig) in one command; the user is Forbidden with upstream's text until
 * bound, `kubectl auth whoami` shows the CN and O; a caller who may not approve gets the
 * `kubectl certificate approve` line and the command finishes once someone approves; the key
 * stays local (0600, never in the CSR object); a service account's token kubeconfig works.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { mainJs, run, startServer, type TestServer } from './harness.js';

describe('kubeauth kubeconfig user / serviceaccount', () => {
  let srv: TestServer;
  const admin = (...args: string[]) => srv.kubectl('1.33', args);
  const as = (kubeconfig: string, ...args: string[]) => srv.kubectl('1.33', args, { kubeconfig });
  const kubeauth = (...args: string[]) => run(process.execPath, [mainJs, ...args]);

  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('one command makes a working kubeconfig; Forbidden until bound; whoami shows CN and O', async () => {
    const out = path.join(srv.dir, 'kubeconfig-ziwon');
    const r = await kubeauth(
      'kubeconfig',
      'user',
      'users:ziwon',
      '--group',
      'cloud-native',
      '--out',
      out,
      '--kubeconfig',
      srv.kubeconfig,
      '--expiration',
      '24h',
      '--namespace',
      'foo',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /Wrote kubeconfig for user "users:ziwon" \(certificate signing request "(user-request-users-ziwon-[0-9a-f]{5})"\)/,
    );
    assert.doesNotMatch(r.stderr, /kubectl certificate approve/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const kc = parse(readFileSync(out, 'utf8'));
    assert.equal(kc['current-context'], 'users:ziwon@kubernetes');
    assert.equal(kc.contexts[0].context.namespace, 'foo');
    const who = await as(out, 'auth', 'whoami', '-o', 'json');
    assert.equal(who.code, 0, who.stderr);
    const info = JSON.parse(who.stdout).status.userInfo;
    assert.equal(info.username, 'users:ziwon');
    assert.deepEqual(info.groups, ['cloud-native', 'system:authenticated']);
    // the seed's two Forbidden lines, upstream's text
    assert.match(
      (await as(out, 'get', 'nodes')).stderr,
      /Error from server \(Forbidden\): nodes is forbidden: User "users:ziwon" cannot list resource "nodes" in API group "" at the cluster scope/,
    );
    assert.match(
      (await as(out, 'get', 'pods', '-n', 'default')).stderr,
      /Error from server \(Forbidden\): pods is forbidden: User "users:ziwon" cannot list resource "pods" in API group "" in the namespace "default"/,
    );
    assert.equal(
      (
        await admin(
          'create',
          'rolebinding',
          'ziwon',
          '--clusterrole=admin',
          '--user=users:ziwon',
          '-n',
          'default',
        )
      ).code,
      0,
    );
    const pods = await as(out, 'get', 'pods', '-n', 'default');
    assert.equal(pods.code, 0, pods.stderr);
    // 24h asked for: NotAfter - NotBefore is 24h exactly (signer.go: backdated 5m, TTL from NotBefore)
    const crt = path.join(srv.dir, 'ziwon.crt');
    writeFileSync(crt, Buffer.from(kc.users[0].user['client-certificate-data'], 'base64'));
    const dates = (await run('openssl', ['x509', '-in', crt, '-noout', '-startdate', '-enddate'])).stdout;
    const [nb, na] = [/notBefore=(.*)/, /notAfter=(.*)/].map((re) => Date.parse(re.exec(dates)![1]));
    assert.equal(na - nb, 24 * 3600_000);
    assert.ok(Math.abs(Date.now() - 5 * 60_000 - nb) < 60_000, 'NotBefore backdated 5 minutes');
    const subj = await run('openssl', ['x509', '-in', crt, '-noout', '-subject', '-nameopt', 'RFC2253']);
    assert.equal(subj.stdout.trim(), 'subject=CN=users:ziwon,O=cloud-native');
  });

  test('the key stays local: the CSR object holds only the request', async () => {
    const out = path.join(srv.dir, 'kc-dana');
    const r = await kubeauth(
      'kubeconfig',
      'user',
      'dana',
      '--out',
      out,
      '--kubeconfig',
      srv.kubeconfig,
      '--csr-name',
      'dana-csr',
      '--key-type',
      'ecdsa',
    );
    assert.equal(r.code, 0, r.stderr);
    const key = Buffer.from(
      parse(readFileSync(out, 'utf8')).users[0].user['client-key-data'],
      'base64',
    ).toString();
    assert.match(key, /BEGIN EC PRIVATE KEY/);
    const keyBody = key
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join('');
    const obj = (await admin('get', 'csr', 'dana-csr', '-o', 'json')).stdout;
    const request = Buffer.from(JSON.parse(obj).spec.request, 'base64').toString();
    assert.match(request, /^-----BEGIN CERTIFICATE REQUEST-----/);
    assert.doesNotMatch(request, /PRIVATE KEY/);
    assert.ok(!obj.includes(keyBody) && !obj.includes(Buffer.from(key).toString('base64')));
    assert.equal(
      (await as(out, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')).stdout,
      'dana',
    );
  });

  test('a caller who may not approve: the approve line is printed, another kubectl approves', async () => {
    // carol may create and read CSRs, not approve them
    const carol = path.join(srv.dir, 'carol.conf');
    const c = await kubeauth(
      'kubeconfig',
      '--sign-with-ca-key',
      '--data-dir',
      srv.dir,
      '--user',
      'carol',
      '--out',
      carol,
      '--server',
      `https://127.0.0.1:${srv.port}`,
    );
    assert.equal(c.code, 0, c.stderr);
    assert.equal(
      (
        await admin(
          'create',
          'clusterrole',
          'csr-requester',
          '--verb=create,get,list,watch',
          '--resource=certificatesigningrequests',
        )
      ).code,
      0,
    );
    assert.equal(
      (
        await admin(
          'create',
          'clusterrolebinding',
          'carol-csr',
          '--clusterrole=csr-requester',
          '--user=carol',
        )
      ).code,
      0,
    );
    const out = path.join(srv.dir, 'kc-erin');
    const child = spawn(
      process.execPath,
      [mainJs, 'kubeconfig', 'user', 'erin', '--group', 'qa', '--out', out, '--kubeconfig', carol],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? 1)));
    let name = '';
    for (let i = 0; i < 100 && !name; i++) {
      name = /^ {2}kubectl certificate approve (\S+)$/m.exec(stderr)?.[1] ?? '';
      if (!name) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(name, `no approve line in: ${stderr}`);
    assert.match(stderr, new RegExp(`Waiting for certificate signing request "${name}" to be approved`));
    // it waits: still running, nothing written, the CSR Pending
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(child.exitCode, null);
    assert.match((await admin('get', 'csr', name)).stdout, /\sPending\n?$/m);
    assert.equal((await admin('certificate', 'approve', name)).code, 0);
    assert.equal(await exited, 0, stderr);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const who = JSON.parse((await as(out, 'auth', 'whoami', '-o', 'json')).stdout).status.userInfo;
    assert.equal(who.username, 'erin');
    assert.deepEqual(who.groups, ['qa', 'system:authenticated']);
  });

  test('a denied request ends the command with the reason; bad flags fail before any request', async () => {
    const carol = path.join(srv.dir, 'carol.conf'); // made by the previous test
    const child = spawn(
      process.execPath,
      [mainJs, 'kubeconfig', 'user', 'frank', '--csr-name', 'frank-csr', '--kubeconfig', carol],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? 1)));
    for (let i = 0; i < 100 && !stderr.includes('kubectl certificate approve frank-csr'); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal((await admin('certificate', 'deny', 'frank-csr')).code, 0);
    assert.equal(await exited, 1);
    assert.match(stderr, /certificate signing request "frank-csr" was denied: KubectlDeny/);
    assert.equal(stdout, '', 'no kubeconfig written');
    const kc = ['--kubeconfig', srv.kubeconfig];
    const rows: [string[], RegExp][] = [
      [['user', ...kc], /NAME is required/],
      [['user', 'x', '--key-type', 'dsa', ...kc], /--key-type must be rsa or ecdsa, got "dsa"/],
      [['user', 'x', '--expiration', '5m', ...kc], /--expiration must be at least 10m/],
      [['user', 'x', '--expiration', 'soon', ...kc], /invalid duration "soon"/],
      [['user', 'x', '--kubeconfig', '/nonexistent'], /kubeconfig \/nonexistent not found/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, want] of rows) {
      const r = await kubeauth('kubeconfig', ...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, want);
    }
  });

  test('kubeconfig serviceaccount NS/NAME: a TokenRequest kubeconfig kubectl uses', async () => {
    assert.equal((await admin('create', 'namespace', 'build')).code, 0);
    assert.equal((await admin('create', 'serviceaccount', 'builder', '-n', 'build')).code, 0);
    const out = path.join(srv.dir, 'kc-builder');
    const r = await kubeauth(
      'kubeconfig',
      'serviceaccount',
      'build/builder',
      '--out',
      out,
      '--kubeconfig',
      srv.kubeconfig,
      '--expiration',
      '1h',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const kc = parse(readFileSync(out, 'utf8'));
    assert.equal(kc.contexts[0].context.namespace, 'build');
    assert.equal(
      (await as(out, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}')).stdout,
      'system:serviceaccount:build:builder',
    );
    // the context's namespace is the account's
    assert.match(
      (await as(out, 'get', 'pods')).stderr,
      /pods is forbidden: User "system:serviceaccount:build:builder" cannot list resource "pods" in API group "" in the namespace "build"/,
    );
    const missing = await kubeauth(
      'kubeconfig',
      'serviceaccount',
      'build/nobody',
      '--kubeconfig',
      srv.kubeconfig,
    );
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /serviceaccounts "nobody" not found/);
    const bad = await kubeauth('kubeconfig', 'serviceaccount', 'builder', '--kubeconfig', srv.kubeconfig);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /expected NAMESPACE\/NAME, got "builder"/);
  });
});
