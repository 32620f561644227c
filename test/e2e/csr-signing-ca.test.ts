/**
 * The running server picks up a renewed signing CA without a restart (kube-controller-manager's
 * signer/ca_provider.go): `--cluster-signing-cert-file/--cluster-signing-key-file` are re-read
 * when their content changes; a pair that does not match is refused (logged, the old CA keeps
 * signing); the signer's `--cluster-signing-duration` caps what a CSR asks for. CAs are made with
 * the real openssl, certificates verified with it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, startServer, type TestServer } from './harness.js';

describe('signing CA reload', () => {
  let srv: TestServer;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-signing-'));
  const caDir = path.join(dir, 'signing');
  const certFile = path.join(caDir, 'ca.crt');
  const keyFile = path.join(caDir, 'ca.key');
  const k = (...args: string[]) => srv.kubectl('1.33', args);
  let n = 0;

  const newCa = async (name: string) => {
    const key = path.join(dir, `${name}.key`);
    const crt = path.join(dir, `${name}.crt`);
    const r = await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      crt,
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,digitalSignature',
    ]);
    assert.equal(r.code, 0, r.stderr);
    return { key, crt };
  };
  /** Creates, approves and waits for a client certificate; returns its PEM file. */
  const issue = async (expirationSeconds?: number) => {
    const name = `c${n++}`;
    const key = path.join(dir, `${name}.key`);
    const req = path.join(dir, `${name}.csr`);
    await run('openssl', [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      req,
      '-subj',
      `/CN=${name}`,
    ]);
    const manifest = JSON.stringify({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { name },
      spec: {
        request: readFileSync(req).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['client auth'],
        ...(expirationSeconds ? { expirationSeconds } : {}),
      },
    });
    assert.equal((await srv.kubectl('1.33', ['create', '-f', '-'], { input: manifest })).code, 0);
    assert.equal((await k('certificate', 'approve', name)).code, 0);
    for (let i = 0; i < 100; i++) {
      const c = (await k('get', 'csr', name, '-o', 'jsonpath={.status.certificate}')).stdout;
      if (c) {
        const f = path.join(dir, `${name}.crt`);
        writeFileSync(f, Buffer.from(c, 'base64'));
        return f;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} not issued`);
  };
  const issuer = async (crt: string) =>
    (await run('openssl', ['x509', '-in', crt, '-noout', '-issuer', '-nameopt', 'RFC2253'])).stdout.trim();
  const verifies = async (ca: string, crt: string) =>
    (await run('openssl', ['verify', '-CAfile', ca, crt])).code === 0;

  let one: { key: string; crt: string };
  before(async () => {
    one = await newCa('signing-one');
    mkdirSync(caDir);
    copyFileSync(one.crt, certFile);
    copyFileSync(one.key, keyFile);
    srv = await startServer({
      args: [
        `--cluster-signing-cert-file=${certFile}`,
        `--cluster-signing-key-file=${keyFile}`,
        '--cluster-signing-duration=48h',
      ],
    });
  });
  after(async () => {
    await srv?.stop();
  });

  test('a renewed CA is used without a restart; a mismatched pair is refused and logged', async () => {
    const first = await issue();
    assert.equal(await issuer(first), 'issuer=CN=signing-one');
    assert.ok(await verifies(one.crt, first));
    const two = await newCa('signing-two');
    copyFileSync(two.key, keyFile);
    copyFileSync(two.crt, certFile);
    await new Promise((r) => setTimeout(r, 1100)); // re-read at most once a second
    const second = await issue();
    assert.equal(await issuer(second), 'issuer=CN=signing-two');
    assert.ok(await verifies(two.crt, second));
    assert.match(srv.output(), /csr signer: loaded a new signing CA from .*ca\.crt \(CN=signing-two\)/);
    // the key of another CA: refused, the current CA keeps signing
    const three = await newCa('signing-three');
    copyFileSync(three.key, keyFile);
    await new Promise((r) => setTimeout(r, 1100));
    const third = await issue();
    assert.equal(await issuer(third), 'issuer=CN=signing-two');
    assert.match(
      srv.output(),
      /keeping the current signing CA: CA key file ".*ca\.key" does not match CA cert file/,
    );
  });

  test('--cluster-signing-duration caps expirationSeconds', async () => {
    const crt = await issue(30 * 24 * 3600);
    const dates = (await run('openssl', ['x509', '-in', crt, '-noout', '-startdate', '-enddate'])).stdout;
    const [nb, na] = [/notBefore=(.*)/, /notAfter=(.*)/].map((re) => Date.parse(re.exec(dates)![1]));
    assert.equal(na - nb, 48 * 3600_000);
  });

  test('a signing pair that does not match, or a worker count out of range, refuses start-up', async () => {
    const bad = await startServer({
      args: [
        `--cluster-signing-cert-file=${certFile}`,
        `--cluster-signing-key-file=${path.join(dir, 'signing-one.key')}`,
      ],
    }).then(
      (s) => s.stop().then(() => 'started'),
      (e: Error) => e.message,
    );
    assert.match(bad, /--cluster-signing-cert-file: tls: private key does not match public key/);
    const workers = await startServer({ args: ['--csr-signing-workers=100'] }).then(
      (s) => s.stop().then(() => 'started'),
      (e: Error) => e.message,
    );
    assert.match(workers, /--csr-signing-workers must be -1, 0 or a number of threads up to 64, got 100/);
  });
});
