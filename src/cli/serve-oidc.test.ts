/**
 * The --oidc-* and --authentication-config flags of `kubeauth serve`, after
 * pkg/kubeapiserver/options/authentication.go (Validate, ToAuthenticationConfig): flags that go
 * together, mutually exclusive ones, key=value claims, signing algorithms, validation errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFlags } from './flags.js';
import { serveFlags } from './serve-flags.js';
import { jwtFromFlags } from './serve-oidc.js';

const SA = ['https://kubernetes.default.svc.cluster.local'];
const ISS = 'https://127.0.0.1:1';
function from(argv: string[]) {
  const { flags, set } = parseFlags(serveFlags, argv);
  return jwtFromFlags(flags, set, SA, SA, () => undefined);
}

test('no OIDC flag: no JWT authenticator', () => {
  assert.equal(from([]), undefined);
});

test('issuer and client id go together', () => {
  assert.throws(() => from([`--oidc-issuer-url=${ISS}`]), {
    message: 'oidc-issuer-url and oidc-client-id must be specified together',
  });
  assert.throws(() => from(['--oidc-client-id=c']), {
    message: 'oidc-issuer-url and oidc-client-id must be specified together',
  });
  assert.throws(() => from(['--oidc-groups-claim=groups']), { message: /need --oidc-issuer-url/ });
});

test('the issuer URL is validated like the file (https, not a service-account issuer)', () => {
  assert.throws(() => from(['--oidc-issuer-url=http://x.example', '--oidc-client-id=c']), {
    message: 'jwt[0].issuer.url: Invalid value: "http://x.example": URL scheme must be https',
  });
  assert.throws(() => from([`--oidc-issuer-url=${SA[0]}`, '--oidc-client-id=c']), {
    message: /URL must not overlap with disallowed issuers/,
  });
});

test('required claims are key=value; signing algorithms asymmetric only', () => {
  assert.throws(
    () => from([`--oidc-issuer-url=${ISS}`, '--oidc-client-id=c', '--oidc-required-claim=novalue']),
    {
      message:
        'invalid argument "novalue" for "--oidc-required-claim" flag: novalue must be formatted as key=value',
    },
  );
  assert.throws(
    () => from([`--oidc-issuer-url=${ISS}`, '--oidc-client-id=c', '--oidc-signing-algs=RS256,HS256']),
    {
      message: /unsupported signing alg "HS256"/,
    },
  );
  const ok = from([
    `--oidc-issuer-url=${ISS}`,
    '--oidc-client-id=c',
    '--oidc-required-claim=a=1,b=2',
    '--oidc-signing-algs=ES256',
  ]);
  assert.ok(ok);
  assert.deepEqual(ok.authenticators.issuers, [ISS]);
  ok.authenticators.close();
});

test('--authentication-config: exclusive with --oidc-*; validated; anonymous vs --anonymous-auth', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-serve-oidc-'));
  const file = path.join(dir, 'authn.yaml');
  writeFileSync(
    file,
    `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: "${ISS}", audiences: [c]}\n  claimMappings: {username: {claim: sub, prefix: ""}}\nanonymous: {enabled: true}\n`,
  );
  assert.throws(() => from([`--authentication-config=${file}`, '--oidc-client-id=c']), {
    message: 'authentication-config file and oidc-* flags are mutually exclusive',
  });
  assert.throws(() => from([`--authentication-config=${file}`, '--anonymous-auth=false']), {
    message:
      'anonymous: Forbidden: --anonymous-auth flag cannot be set when anonymous field is configured in authentication configuration file',
  });
  const ok = from([`--authentication-config=${file}`]);
  assert.ok(ok);
  assert.deepEqual(ok.anonymous?.current, { enabled: true, conditions: [] });
  ok.authenticators.close();
  writeFileSync(
    file,
    'apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: ""}\n',
  );
  assert.throws(() => from([`--authentication-config=${file}`]), {
    message:
      /^invalid authentication config: \[jwt\[0\]\.issuer\.url: Required value, jwt\[0\]\.issuer\.audiences: Required value/,
  });
});
