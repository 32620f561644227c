/**
 * Service-account keys renewed without a restart (issue #8; serviceaccount/key-files.ts): keys
 * made with the real openssl, tokens minted with the real `kubectl create token`, checked with
 * `kubectl auth whoami` and curl on /openid/v1/jwks. Replacing the signing key file and adding
 * the new public key to the key file gives new tokens with the new kid, accepted; the JWKS
 * follows; removing the old public key makes the old token 401 (once the 10 s token cache has
 * let go of it, as upstream's cache would); a key file that no longer parses keeps the keys.
 *
 * @module
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mainJs, run, startServer, type TestServer } from './harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-sa-reload-'));
const file = (n: string) => path.join(dir, n);

async function openssl(args: string[]): Promise<void> {
  const r = await run('openssl', args);
  assert.equal(r.code, 0, r.stderr);
}

async function keyPair(name: string, ec: boolean): Promise<{ key: string; pub: string }> {
  await openssl(
    ec
      ? ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file(`${name}.key`)]
      : ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file(`${name}.key`)],
  );
  await openssl(['pkey', '-in', file(`${name}.key`), '-pubout', '-out', file(`${name}.pub`)]);
  return { key: readFileSync(file(`${name}.key`), 'utf8'), pub: readFileSync(file(`${name}.pub`), 'utf8') };
}

/** Replaces a file the way a renewal tool would: write aside, rename over. */
function replace(target: string, text: string): void {
  writeFileSync(`${target}.tmp`, text, { mode: 0o600 });
  renameSync(`${target}.tmp`, target);
}

const kidOf = (jwt: string): string =>
  (JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()) as { kid: string }).kid;

async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('service-account key files reloaded while running', () => {
  let srv: TestServer;
  let oldKey: { key: string; pub: string };
  let newKey: { key: string; pub: string };

  before(async () => {
    [oldKey, newKey] = await Promise.all([keyPair('old', false), keyPair('new', true)]);
    replace(file('signing.key'), oldKey.key);
    replace(file('keys.pub'), oldKey.pub);
    srv = await startServer({
      args: [
        `--service-account-signing-key-file=${file('signing.key')}`,
        `--service-account-key-file=${file('keys.pub')}`,
      ],
    });
    assert.equal((await srv.kubectl('1.33', ['create', 'serviceaccount', 'bot'])).code, 0);
  });
  after(async () => {
    await srv?.stop();
  });

  const mint = async (): Promise<string> => {
    const r = await srv.kubectl('1.33', ['create', 'token', 'bot']);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  const whoami = (token: string) =>
    srv.kubectl('1.33', [
      '--kubeconfig=/dev/null',
      `--server=https://127.0.0.1:${srv.port}`,
      '--insecure-skip-tls-verify',
      `--token=${token}`,
      'auth',
      'whoami',
      '-o',
      'jsonpath={.status.userInfo.username}',
    ]);
  const jwksKids = async (token: string): Promise<string[]> => {
    const r = await run('curl', [
      '-sk',
      '-H',
      `Authorization: Bearer ${token}`,
      `https://127.0.0.1:${srv.port}/openid/v1/jwks`,
    ]);
    return (JSON.parse(r.stdout) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  };

  test('new signing key: new kid accepted, old token still accepted while its key is listed; removed → 401', async () => {
    const oldToken = await mint();
    const oldKid = kidOf(oldToken);
    assert.equal((await whoami(oldToken)).stdout, 'system:serviceaccount:default:bot');
    assert.deepEqual(await jwksKids(oldToken), [oldKid]);

    // Renewal, step 1: the new public key joins the key file, then the new private key signs.
    replace(file('keys.pub'), oldKey.pub + newKey.pub);
    replace(file('signing.key'), newKey.key);
    const newToken = await until('a token with a new kid', async () => {
      const t = await mint();
      return kidOf(t) !== oldKid ? t : undefined;
    });
    const newKid = kidOf(newToken);
    assert.equal(JSON.parse(Buffer.from(newToken.split('.')[0], 'base64url').toString()).alg, 'ES256');
    assert.equal((await whoami(newToken)).stdout, 'system:serviceaccount:default:bot');
    assert.equal((await whoami(oldToken)).stdout, 'system:serviceaccount:default:bot');
    assert.deepEqual(
      await until('the JWKS with both keys', async () => {
        const kids = await jwksKids(newToken);
        return kids.length === 2 ? kids : undefined;
      }),
      [oldKid, newKid],
    );

    // A key file that no longer parses: the previous keys stay, and the server says so.
    replace(file('keys.pub'), 'not a key');
    await until('the log line', async () =>
      /Failed to load service account key file, keeping the previous keys/.test(srv.output())
        ? true
        : undefined,
    );
    assert.equal((await whoami(newToken)).stdout, 'system:serviceaccount:default:bot');
    assert.deepEqual(await jwksKids(newToken), [oldKid, newKid]);

    // Step 2: the old public key leaves; the old token is refused without a restart.
    replace(file('keys.pub'), newKey.pub);
    await until('the old token refused', async () => {
      const r = await whoami(oldToken);
      return r.code !== 0 ? r : undefined;
    }).then((r) => assert.match(r.stderr, /Unauthorized|must be logged in/));
    const curl = await run('curl', [
      '-sk',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: Bearer ${oldToken}`,
      `https://127.0.0.1:${srv.port}/api/v1/namespaces/default/pods`,
    ]);
    assert.equal(curl.stdout, '401');
    assert.equal((await whoami(newToken)).stdout, 'system:serviceaccount:default:bot');
    assert.deepEqual(await jwksKids(newToken), [newKid]);
    assert.doesNotMatch(srv.output(), new RegExp(newToken.split('.')[2]), 'no token in the log');
  });
});

describe('a signing key that cannot sign refuses start-up with the reason', () => {
  test('ed25519 and a 1024-bit RSA key', async () => {
    await openssl(['genpkey', '-algorithm', 'ED25519', '-out', file('ed.key')]);
    await openssl([
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:1024',
      '-out',
      file('small.key'),
    ]);
    for (const [key, want] of [
      ['ed.key', /--service-account-signing-key-file: unknown private key type ed25519/],
      [
        'small.key',
        /--service-account-signing-key-file: RSA signing key of 1024 bits: at least 2048 bits are required/,
      ],
    ] as const) {
      const r = await run(process.execPath, [
        mainJs,
        'serve',
        '--data-dir',
        file(`data-${key}`),
        '--secure-port',
        '0',
        `--service-account-signing-key-file=${file(key)}`,
      ]);
      assert.notEqual(r.code, 0, key);
      assert.match(r.stderr, want, key);
    }
  });
});
