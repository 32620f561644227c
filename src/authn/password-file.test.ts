/** PasswordFileAuthenticator, after passwordfile_test.go (TestPasswordFile) and basicauth_test.go. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID_BASIC_AUTH, PasswordFileAuthenticator } from './password-file.js';

const a = PasswordFileAuthenticator.parse(
  'password1,user1,uid1\npassword2,user2,uid2,"g1,g2"\npassword3,user3,uid3,g3,otherdata\n',
  'pw.csv',
);
const basic = (user: string, pw: string) => ({
  headers: { authorization: [`Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`] },
  path: '/',
});

test('TestPasswordFile: the right password authenticates with uid and groups', () => {
  const r = a.authenticate(basic('user2', 'password2'));
  assert.ok(r.ok);
  assert.deepEqual(r.response.user, { name: 'user2', uid: 'uid2', groups: ['g1', 'g2'], extra: {} });
  const r3 = a.authenticate(basic('user3', 'password3'));
  assert.ok(r3.ok);
  assert.deepEqual(r3.response.user.groups, ['g3']);
});

test('a wrong password or an unknown user is an error (401), not "not mine"', () => {
  for (const [u, p] of [
    ['user1', 'password2'],
    ['user1', ''],
    ['nobody', 'password1'],
    ['', 'password1'],
  ]) {
    const r = a.authenticate(basic(u, p));
    assert.equal(!r.ok && r.error?.message, INVALID_BASIC_AUTH, `${u}:${p}`);
  }
});

test('no Basic credentials: not mine', () => {
  assert.deepEqual(a.authenticate({ headers: {}, path: '/' }), { ok: false });
  assert.deepEqual(a.authenticate({ headers: { authorization: ['Bearer x'] }, path: '/' }), { ok: false });
  assert.deepEqual(
    a.authenticate({
      headers: { authorization: [`Basic ${Buffer.from('nocolon').toString('base64')}`] },
      path: '/',
    }),
    { ok: false },
  );
});

test('fewer than 3 columns fails start-up', () => {
  assert.throws(
    () => PasswordFileAuthenticator.parse('pw,user\n', 'pw.csv'),
    /password file 'pw.csv' must have at least 3 columns/,
  );
});
