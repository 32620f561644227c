import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCommand } from './commands.js';

async function run(argv: string[], o: { signal?: AbortSignal } = {}) {
  let out = '';
  let err = '';
  const code = await runCommand(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env: { HOSTNAME: 'kuard', GREETING: 'hello world' },
    files: { '/etc/hostname': 'kuard\n' },
    signal: o.signal,
  });
  return { code, out, err };
}

test("sh -c 'echo hi; exit 3' prints hi and exits 3", async () => {
  assert.deepEqual(await run(['sh', '-c', 'echo hi; exit 3']), { code: 3, out: 'hi\n', err: '' });
});

test('and-or lists, quoting and expansion', async () => {
  assert.equal(
    (await run(['sh', '-c', 'false && echo no || echo yes; echo "$GREETING" \'$X\''])).out,
    'yes\nhello world $X\n',
  );
  assert.equal((await run(['/bin/sh', '-c', 'false; echo $?'])).out, '1\n');
  assert.equal((await run(['sh', '-c', 'true && exit 4; echo no'])).code, 4);
  assert.equal((await run(['sh', '-c', 'echo "a;b" && hostname'])).out, 'a;b\nkuard\n');
});

test('cat of the container files, env, unknown commands', async () => {
  assert.deepEqual(await run(['cat', '/etc/hostname']), { code: 0, out: 'kuard\n', err: '' });
  assert.deepEqual(await run(['cat', '/nope']), {
    code: 1,
    out: '',
    err: "cat: can't open '/nope': No such file or directory\n",
  });
  assert.match((await run(['env'])).out, /^HOSTNAME=kuard\nGREETING=hello world\n$/);
  assert.deepEqual(await run(['sh', '-c', 'ls']), { code: 127, out: '', err: 'sh: ls: not found\n' });
  assert.equal((await run(['ls'])).err, 'exec: "ls": executable file not found in $PATH\n');
});

test('sleep ends at once with 137 when killed', async () => {
  const ac = new AbortController();
  const p = run(['sh', '-c', 'sleep 30; echo after'], { signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  assert.deepEqual(await p, { code: 137, out: '', err: '' });
});
