/**
 * --basic-auth-file (the seed's static passwords, removed upstream in 1.19): `curl -u` as the
 * user authenticates with its groups; a wrong password is 401; the start-up log warns.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, startServer, type TestServer } from './harness.js';

describe('static password file', () => {
  let srv: TestServer;
  before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-basic-'));
    writeFileSync(path.join(dir, 'passwords.csv'), 's3cret-pw,dave,uid-dave,"auditors,devs"\n');
    srv = await startServer({ args: ['--basic-auth-file', path.join(dir, 'passwords.csv')] });
  });
  after(async () => {
    await srv?.stop();
  });
  const review = (user: string) =>
    run('curl', [
      '-sk',
      '-u',
      user,
      '-H',
      'Content-Type: application/json',
      '-d',
      '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
      '-w',
      '\n%{http_code}',
      `https://127.0.0.1:${srv.port}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
    ]);

  test('curl -u user:password is the user with its uid and groups', async () => {
    const r = await review('dave:s3cret-pw');
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.at(-1), '201');
    assert.deepEqual(JSON.parse(lines.slice(0, -1).join('\n')).status.userInfo, {
      username: 'dave',
      uid: 'uid-dave',
      groups: ['auditors', 'devs', 'system:authenticated'],
    });
  });

  test('a wrong password, or an unknown user, is 401', async () => {
    for (const u of ['dave:wrong', 'nobody:s3cret-pw'])
      assert.equal((await review(u)).stdout.trimEnd().split('\n').at(-1), '401', u);
    assert.match(srv.output(), /Unable to authenticate the request: invalid username\/password combination/);
    assert.doesNotMatch(srv.output(), /s3cret-pw/);
  });

  test('start-up warns that static passwords are deprecated', () => {
    assert.match(
      srv.output(),
      /--basic-auth-file is deprecated: static passwords were removed from Kubernetes in 1\.19/,
    );
  });
});
