/**
 * The reloadable JWT authenticator set (authentication.go's dynamic --authentication-config):
 * several issuers in one union, a changed file swapped in, a bad file keeping the running set.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { fromAuthenticationConfiguration } from './authenticators.js';
import { parseAuthenticationConfiguration } from './config.js';

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const { privateKey, publicKey } = await generateKeyPair('RS256');
const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'RS256' }] };
const fetchJson = (url: string): Promise<unknown> => {
  const iss = new URL(url).origin;
  return Promise.resolve(
    url.endsWith('openid-configuration') ? { issuer: iss, jwks_uri: `${iss}/keys` } : keys,
  );
};
const sign = (iss: string, sub: string) =>
  new SignJWT({ iss, sub, aud: 'c', exp: Math.floor(Date.now() / 1000) + 600 })
    .setProtectedHeader({ alg: 'RS256', kid: 'k' })
    .sign(privateKey);
const cfg = (prefix: string, issuers = [A, B]) =>
  `apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\njwt:\n${issuers
    .map(
      (u) =>
        `- issuer: {url: "${u}", audiences: [c]}\n  claimMappings: {username: {claim: sub, prefix: "${prefix}"}}\n`,
    )
    .join('')}`;

const name = async (a: { authenticateToken(t: string, x: string[]): unknown }, t: string) => {
  const r = (await a.authenticateToken(t, [])) as {
    ok: boolean;
    response?: { user: { name: string } };
    error?: Error;
  };
  return r.ok ? r.response!.user.name : (r.error?.message ?? 'not mine');
};

test('several issuers; reload swaps; a bad file keeps the running set', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-jwtset-'));
  const file = path.join(dir, 'authn.yaml');
  const first = cfg('one:');
  writeFileSync(file, first);
  const logs: string[] = [];
  const set = fromAuthenticationConfiguration(parseAuthenticationConfiguration(first), {
    fetchJson,
    log: (m) => logs.push(m),
    initRetryMs: 0,
  });
  await set.ready();
  assert.equal(await name(set, await sign(A, 'x')), 'one:x');
  assert.equal(await name(set, await sign(B, 'y')), 'one:y');
  assert.equal(await name(set, await sign('https://c.example.com', 'z')), 'not mine');
  const results: (Error | undefined)[] = [];
  set.watch(file, first, { onReload: (e) => results.push(e), intervalMs: 50 });
  writeFileSync(file, cfg('two:', [A]));
  while (results.length < 1) await new Promise((r) => setTimeout(r, 20));
  assert.equal(results[0], undefined);
  await set.ready();
  assert.equal(await name(set, await sign(A, 'x')), 'two:x');
  assert.equal(await name(set, await sign(B, 'y')), 'not mine');
  writeFileSync(file, cfg('three:').replace(A, 'http://a.example.com'));
  while (results.length < 2) await new Promise((r) => setTimeout(r, 20));
  assert.match(
    String(results[1]?.message),
    /jwt\[0\]\.issuer\.url: Invalid value: "http:\/\/a\.example\.com"/,
  );
  assert.equal(await name(set, await sign(A, 'x')), 'two:x');
  assert.ok(logs.some((l) => l.startsWith('authentication config: keeping the running configuration')));
  set.close();
});

test('reload: service-account issuers stay disallowed; check refuses; applied sees the new file', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-jwtset-'));
  const file = path.join(dir, 'authn.yaml');
  const first = cfg('one:', [A]);
  writeFileSync(file, first);
  const set = fromAuthenticationConfiguration(parseAuthenticationConfiguration(first), {
    fetchJson,
    initRetryMs: 0,
  });
  await set.ready();
  const results: (Error | undefined)[] = [];
  const applied: string[] = [];
  set.watch(file, first, {
    disallowedIssuers: [B],
    check: (c) => {
      if (c.anonymous) throw new Error('no anonymous here');
    },
    applied: (c) => applied.push(c.jwt.map((j) => j.issuer.url).join(',')),
    onReload: (e) => results.push(e),
    intervalMs: 50,
  });
  const next = async (text: string) => {
    const n = results.length;
    writeFileSync(file, text);
    while (results.length === n) await new Promise((r) => setTimeout(r, 20));
    return results.at(-1);
  };
  assert.match(
    String((await next(cfg('two:', [A, B])))?.message),
    /URL must not overlap with disallowed issuers/,
  );
  assert.equal(
    (await next(`${cfg('three:', [A])}anonymous: {enabled: true}\n`))?.message,
    'no anonymous here',
  );
  assert.equal(await name(set, await sign(A, 'x')), 'one:x', 'refused files change nothing');
  assert.deepEqual(applied, []);
  assert.equal(await next(cfg('four:', [A])), undefined);
  await set.ready();
  assert.equal(await name(set, await sign(A, 'x')), 'four:x');
  assert.deepEqual(applied, [A]);
  set.close();
});
