/**
 * Unit tests for the CSR signer's parts: signer.go's `duration` and the Backdate/Short validity
 * rules, the signing job (rules → Failed reason; certificate), the worker pool (run here from
 * source, so the `.ts` worker is the one loaded) and the signing CA reload of ca_provider.go
 * (content compare, at most once per interval, keep the old pair when the new one is bad).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { createSelfSignedCa, leafValidity, type CertAndKey } from '../pki/cert.js';
import { createCsr } from '../pki/csr.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import { certificateDuration } from './csr-signer.js';
import { SIGNING_THREAD_NICE, runSignJob, type SignJob } from './csr-sign-job.js';
import { SigningPool } from './csr-sign-pool.js';
import { FileSigningCa, signingCaError } from './csr-signing-ca.js';

const YEAR = 365 * 24 * 3600;
const now = new Date('2031-06-01T12:00:00Z');
let ca1: CertAndKey;
let ca2: CertAndKey;
let clientCsr: string;
let nodeCsr: string;

before(async () => {
  const [k1, k2] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  ca1 = await createSelfSignedCa({ commonName: 'ca-one', keyPair: k1, now });
  ca2 = await createSelfSignedCa({ commonName: 'ca-two', keyPair: k2, now });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
  clientCsr = await createCsr({ commonName: 'alice', organizations: ['dev'], privateKeyPem: String(ec) });
  nodeCsr = await createCsr({ commonName: 'system:node:n1', privateKeyPem: String(ec) });
});

test('certificateDuration: signer.go duration (max, requested when shorter, 10 min floor)', () => {
  for (const [requested, want] of [
    [undefined, YEAR],
    [2 * YEAR, YEAR],
    [86400, 86400],
    [600, 600],
    [60, 600],
  ] as const)
    assert.equal(certificateDuration(requested, YEAR), want, String(requested));
});

test('leafValidity csr-signer: backdated 5 min from 8 h up, TTL counted from NotBefore, CA cap', () => {
  const caEnd = new Date(now.getTime() + 10 * YEAR * 1000);
  const long = leafValidity(now, 86400, caEnd, 'csr-signer');
  assert.equal(long.notBefore.getTime(), now.getTime() - 300_000);
  assert.equal(long.notAfter.getTime() - long.notBefore.getTime(), 86400_000);
  const short = leafValidity(now, 3600, caEnd, 'csr-signer');
  assert.equal(short.notBefore.getTime(), now.getTime(), 'no backdate under 8h (Short)');
  assert.equal(short.notAfter.getTime(), now.getTime() + 3600_000);
  const capped = leafValidity(now, YEAR, new Date(now.getTime() + 1000), 'csr-signer');
  assert.equal(capped.notAfter.getTime(), now.getTime() + 1000);
  const kubeadm = leafValidity(now, 86400, caEnd);
  assert.equal(kubeadm.notAfter.getTime(), now.getTime() + 86400_000, 'kubeadm: from now');
});

const job = (o: Partial<SignJob>): SignJob => ({
  csrPem: clientCsr,
  signerName: 'kubernetes.io/kube-apiserver-client',
  usages: ['digital signature', 'client auth'],
  durationSeconds: 3600,
  nowMs: now.getTime(),
  ca: ca1,
  ...o,
});

test('runSignJob: a certificate, a refusal with the rule text, a garbled request', async () => {
  const ok = await runSignJob(job({}));
  assert.ok('certificate' in ok);
  const cert = new X509Certificate(ok.certificate);
  assert.equal(cert.subject, 'O=dev\nCN=alice');
  assert.ok(cert.checkIssued(new X509Certificate(ca1.certPem)));
  assert.equal(new Date(cert.validTo).getTime(), now.getTime() + 3600_000);
  assert.deepEqual(await runSignJob(job({ usages: ['server auth', 'client auth'] })), {
    failure: 'invalid usage for client certificate: server auth',
  });
  assert.deepEqual(
    await runSignJob(job({ csrPem: nodeCsr, signerName: 'kubernetes.io/kube-apiserver-client-kubelet' })),
    { failure: 'subject organization is not system:nodes' },
  );
  const garbled = await runSignJob(job({ csrPem: 'not a csr' }));
  assert.ok('failure' in garbled && /invalid certificate request/.test(garbled.failure));
});

describe('SigningPool', () => {
  const pool = new SigningPool(2);
  after(() => pool.close());

  test('signs in worker threads, several at once, the same as on the event loop', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => pool.sign(job({}))));
    for (const r of results) {
      assert.ok('certificate' in r, JSON.stringify(r));
      assert.equal(new X509Certificate(r.certificate).subject, 'O=dev\nCN=alice');
    }
    assert.deepEqual(await pool.sign(job({ usages: ['code signing'] })), {
      // validAPIServerClientUsages: the unexpected usage is reported first.
      failure: 'invalid usage for client certificate: code signing',
    });
  });

  test('the signing threads run at nice 10, the event loop at the process priority', () => {
    if (process.platform !== 'linux') return;
    // /proc/PID/task/TID/stat: the 19th field is the nice value (the 17th after "comm) ").
    const nice = (tid: string) =>
      Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    const tids = readdirSync('/proc/self/task');
    assert.equal(tids.filter((t) => nice(t) === SIGNING_THREAD_NICE).length, 2, 'the two pool threads');
    assert.equal(nice(String(process.pid)), 0, 'the main thread is untouched');
  });

  test('size 0 signs on the event loop; a closed pool answers an error', async () => {
    const inline = new SigningPool(0);
    assert.ok('certificate' in (await inline.sign(job({}))));
    const closed = new SigningPool(1);
    await closed.close();
    assert.deepEqual(await closed.sign(job({})), { error: 'signing pool closed' });
  });
});

describe('FileSigningCa', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeauth-signing-ca-'));
  const files = { certFile: join(dir, 'ca.crt'), keyFile: join(dir, 'ca.key') };
  const write = (p: CertAndKey) => {
    writeFileSync(files.certFile, p.certPem);
    writeFileSync(files.keyFile, p.keyPem);
  };
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('follows the files: new content after the interval, old pair kept when the new one is bad', async () => {
    write(ca1);
    let t = 0;
    const logs: string[] = [];
    const src = new FileSigningCa(ca1, files, { nowMs: () => t, log: (m) => logs.push(m) });
    assert.equal((await src.current()).certPem, ca1.certPem);
    write(ca2);
    t = 500;
    assert.equal((await src.current()).certPem, ca1.certPem, 'not re-read within a second');
    t = 1500;
    assert.equal((await src.current()).certPem, ca2.certPem, 'renewed CA taken');
    assert.match(logs.at(-1)!, /loaded a new signing CA from .*ca\.crt \(CN=ca-two\)/);
    // a key that does not match the certificate: keep ca2, say why (once)
    writeFileSync(files.keyFile, ca1.keyPem);
    t = 3000;
    assert.equal((await src.current()).certPem, ca2.certPem);
    t = 4500;
    await src.current();
    assert.equal(logs.filter((l) => /does not match/.test(l)).length, 1);
    assert.match(
      logs.at(-1)!,
      /keeping the current signing CA: CA key file ".*ca\.key" does not match CA cert file/,
    );
    // a certificate file that does not parse
    writeFileSync(files.certFile, 'garbage');
    t = 6000;
    assert.equal((await src.current()).certPem, ca2.certPem);
    assert.match(logs.at(-1)!, /expected 1 certificate, found 0/);
    write(ca1);
    t = 7500;
    assert.equal((await src.current()).certPem, ca1.certPem, 'a good pair again is taken');
  });

  test('signingCaError: two certificates, an unparsable key', () => {
    assert.match(
      signingCaError({ certPem: ca1.certPem + ca2.certPem, keyPem: ca1.keyPem })!,
      /expected 1 certificate, found 2/,
    );
    assert.match(signingCaError({ certPem: ca1.certPem, keyPem: 'nope' })!, /error reading CA key file/);
    assert.equal(signingCaError(ca1), undefined);
  });
});
