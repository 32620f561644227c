/** TokenFileAuthenticator, after tokenfile_test.go (TestTokenFile, TestBadTokenFile, TestInsufficientColumnsTokenFile). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenFileAuthenticator } from './token-file.js';

const FILE = `token1,user1,uid1
token2,user2,uid2
token3,user3,uid3,"group1,group2"
token4,user4,uid4,"group2"
token5,user5,uid5,group5
token6,user6,uid6,group5,otherdata
token7,user7,uid7,"group1,group2",otherdata
`;

test('TestTokenFile: users, uids and groups per token', () => {
  const a = TokenFileAuthenticator.parse(FILE, 'tokens.csv');
  const cases: [string, { name: string; uid: string; groups: string[] } | undefined][] = [
    ['token1', { name: 'user1', uid: 'uid1', groups: [] }],
    ['token2', { name: 'user2', uid: 'uid2', groups: [] }],
    ['token3', { name: 'user3', uid: 'uid3', groups: ['group1', 'group2'] }],
    ['token4', { name: 'user4', uid: 'uid4', groups: ['group2'] }],
    ['token5', { name: 'user5', uid: 'uid5', groups: ['group5'] }],
    ['token6', { name: 'user6', uid: 'uid6', groups: ['group5'] }],
    ['token7', { name: 'user7', uid: 'uid7', groups: ['group1', 'group2'] }],
    ['token8', undefined],
    ['', undefined],
    ['token1 ', undefined],
    ['TOKEN1', undefined],
  ];
  for (const [token, want] of cases) {
    const r = a.authenticateToken(token);
    if (!want) {
      assert.deepEqual(r, { ok: false }, token);
      continue;
    }
    assert.ok(r.ok, token);
    assert.deepEqual(r.response.user, { ...want, extra: {} }, token);
  }
});

test('TestBadTokenFile: a bare quote fails with the line and column', () => {
  assert.throws(
    () =>
      TokenFileAuthenticator.parse(
        'token1,user1,uid1\ntoken2,user2,uid2\ntoken3,user3,uid3,"group1,group2"\ntoken4,user4,uid4,"group2"\ntoken5,user5,uid5,group5\ntoken6,user6,uid6,group5,otherdata\ntoken7,user7,uid7,"group1,group2",otherdata\ntoken8,user8,uid8,"group\'\'\nonemore,user9,uid9\nbad"quote,user,uid\n',
        'bad.csv',
      ),
    {
      message: /^token file 'bad.csv': (record on line \d+; )?parse error on line \d+, column \d+: /,
    },
  );
});

test('TestInsufficientColumnsTokenFile: fewer than 3 columns fails start-up', () => {
  assert.throws(() => TokenFileAuthenticator.parse('token4\n', 'short.csv'), {
    message:
      "token file 'short.csv' must have at least 3 columns (token, user name, user uid), found 1 (line 1)",
  });
});

test('empty and duplicate tokens warn; the last duplicate wins', () => {
  const warnings: string[] = [];
  const a = TokenFileAuthenticator.parse(',user0,uid0\ndup,first,1\ndup,second,2\n', 't.csv', (m) =>
    warnings.push(m),
  );
  assert.deepEqual(warnings, [
    "empty token has been found in token file 't.csv', record number '1'",
    "duplicate token has been found in token file 't.csv', record number '3'",
  ]);
  const r = a.authenticateToken('dup');
  assert.ok(r.ok);
  assert.equal(r.response.user.name, 'second');
  assert.deepEqual(a.authenticateToken(''), { ok: false });
  assert.equal(a.size, 1);
});

test('returned users are copies: a caller cannot alter the table', () => {
  const a = TokenFileAuthenticator.parse('t,u,1,"g"\n', 't.csv');
  const r = a.authenticateToken('t');
  assert.ok(r.ok);
  r.response.user.groups.push('system:masters');
  const again = a.authenticateToken('t');
  assert.ok(again.ok);
  assert.deepEqual(again.response.user.groups, ['g']);
});
