/**
 * The kubelet's TLS bootstrap and certificate rotation end to end (pkg/kubelet/certificate/
 * bootstrap/bootstrap.go, client-go util/certificate/certificate_{store,manager}.go), with the
 * real `kubeauth serve`, `kubeauth token create --print-bootstrap-kubeconfig`, `kubeauth kubelet`,
 * kubectl, curl and openssl: the node's kube-apiserver-client-kubelet CSR is auto-approved
 * (nodeclient), `<cert-dir>/kubelet-client-current.pem` links to a dated 0600 pair, the written
 * kubeconfig is `system:node:n1` and carries the kubelet's TokenReview/SubjectAccessReview calls;
 * a restart reuses it; `--rotate-server-certificates` makes a kubelet-serving CSR that an admin
 * approves, after which the kubelet serves a certificate of the cluster CA; `--rotate-certificates`
 * with a certificate past its rotation deadline renews it (selfnodeclient) at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signCertificate } from '../../src/pki/cert.js';
import { generateKeyPairFor, publicKeyPemFromPrivate } from '../../src/pki/keys.js';
import { CertStore } from '../../src/kubelet/cert-store.js';
import { admin, curl, startAgent, type Agent } from './delegation-helpers.js';
import { mainJs, run, startServer, type TestServer } from './harness.js';

interface CsrRow {
  metadata: { name: string };
  spec: { signerName: string; username: string };
  status?: { conditions?: { type: string; reason?: string }[]; certificate?: string };
}

describe('kubelet TLS bootstrap and certificate rotation', () => {
  let srv: TestServer;
  let dir: string;
  let boot: string;
  let kc: string;
  let certDir: string;
  const agents: Agent[] = [];
  const kubelet = async (...extra: string[]) => {
    const a = await startAgent(
      'kubelet',
      [
        '--address',
        '127.0.0.1',
        '--bootstrap-kubeconfig',
        boot,
        '--kubeconfig',
        kc,
        '--cert-dir',
        certDir,
        '--node-name',
        'n1',
        '--authentication-token-webhook',
        '--authorization-mode',
        'Webhook',
        ...extra,
      ],
      (p) => ['--port', String(p)],
    );
    agents.push(a);
    return a;
  };
  const csrs = async (): Promise<CsrRow[]> =>
    (JSON.parse(await admin(srv, 'get', 'csr', '-o', 'json')) as { items: CsrRow[] }).items;
  const waitFor = async <T>(what: string, f: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  before(async () => {
    srv = await startServer({ args: ['--enable-bootstrap-token-auth'] });
    dir = mkdtempSync(path.join(tmpdir(), 'kubelet-boot-'));
    boot = path.join(dir, 'bootstrap-kubelet.conf');
    kc = path.join(dir, 'kubelet.conf');
    certDir = path.join(dir, 'pki');
    const t = await run(process.execPath, [
      mainJs,
      'token',
      '--kubeconfig',
      srv.kubeconfig,
      'create',
      '--print-bootstrap-kubeconfig',
    ]);
    assert.equal(t.code, 0, t.stderr);
    writeFileSync(boot, t.stdout, { mode: 0o600 });
  });
  after(async () => {
    for (const a of agents) await a.stop();
    await srv?.stop();
  });

  test('bootstrap: the kubelet-client CSR is auto-approved and issued; dated 0600 pair + current symlink; kubeconfig is system:node:n1', async () => {
    const a = await kubelet();
    const rows = await csrs();
    assert.equal(rows.length, 1);
    const csr = rows[0]!;
    assert.match(csr.metadata.name, /^node-csr-[A-Za-z0-9_-]{43}$/);
    assert.equal(csr.spec.signerName, 'kubernetes.io/kube-apiserver-client-kubelet');
    assert.match(csr.spec.username, /^system:bootstrap:[a-z0-9]{6}$/);
    assert.equal(csr.status?.conditions?.find((c) => c.type === 'Approved')?.reason, 'AutoApproved');
    const table = await admin(srv, 'get', 'csr', csr.metadata.name);
    assert.match(table, /Approved,Issued/);
    const current = path.join(certDir, 'kubelet-client-current.pem');
    assert.ok(lstatSync(current).isSymbolicLink());
    const target = readlinkSync(current);
    assert.match(path.basename(target), /^kubelet-client-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.pem$/);
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.match(readFileSync(target, 'utf8'), /BEGIN CERTIFICATE[\s\S]+BEGIN EC PRIVATE KEY/);
    assert.equal(statSync(kc).mode & 0o777, 0o600);
    assert.match(readFileSync(kc, 'utf8'), new RegExp(`client-certificate: ${current}`));
    const who = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'json'], { kubeconfig: kc });
    assert.equal(who.code, 0, who.stderr);
    const info = JSON.parse(who.stdout).status.userInfo;
    assert.equal(info.username, 'system:node:n1');
    assert.deepEqual(info.groups, ['system:nodes', 'system:authenticated']);
    // The kubelet's TokenReview and SubjectAccessReview go out with the bootstrapped certificate:
    // a service account's token is authenticated and then denied by the API server's answer.
    const sa = (await admin(srv, 'create', 'token', 'default')).trim();
    const r = await curl(a.port, '/pods', { token: sa });
    assert.equal(r.code, 403, r.body);
    assert.match(r.body, /user=system:serviceaccount:default:default, verb=get, resource=nodes/);
    await a.stop();
  });

  test('a restart with a valid kubeconfig reuses the certificate: no new CSR', async () => {
    const before = readlinkSync(path.join(certDir, 'kubelet-client-current.pem'));
    const a = await kubelet();
    assert.match(a.output(), /Kubeconfig exists and is valid, skipping bootstrap/);
    assert.equal((await csrs()).length, 1);
    assert.equal(readlinkSync(path.join(certDir, 'kubelet-client-current.pem')), before);
    // Without --tls-cert-file the self-signed pair of the first start is reused (InitializeTLS).
    assert.equal(statSync(path.join(certDir, 'kubelet.key')).mode & 0o777, 0o600);
    const served = await run('openssl', ['s_client', '-connect', `127.0.0.1:${a.port}`], { input: '' });
    const crt = readFileSync(path.join(certDir, 'kubelet.crt'), 'utf8');
    const first = crt.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0];
    assert.ok(served.stdout.includes(first), 'serves <cert-dir>/kubelet.crt');
    assert.match(served.stdout, /issuer=CN ?= ?n1-ca@\d+/);
    await a.stop();
  });

  test('--rotate-server-certificates: a pending kubelet-serving CSR; approved by an admin, the kubelet serves the cluster CA certificate', async () => {
    const a = await kubelet('--rotate-server-certificates');
    const name = await waitFor(
      'the kubelet-serving CSR',
      async () =>
        (await csrs()).find((c) => c.spec.signerName === 'kubernetes.io/kubelet-serving')?.metadata.name,
    );
    const row = (await csrs()).find((c) => c.metadata.name === name)!;
    assert.equal(row.spec.username, 'system:node:n1');
    assert.equal(row.status?.conditions, undefined, 'kubelet-serving CSRs are not auto-approved');
    const early = await curl(a.port, '/healthz');
    assert.equal(early.code, 0, 'no TLS handshake before the serving certificate is issued');
    await admin(srv, 'certificate', 'approve', name);
    await waitFor('the kubelet-server-current.pem', async () => {
      try {
        return lstatSync(path.join(certDir, 'kubelet-server-current.pem')).isSymbolicLink() || undefined;
      } catch {
        return undefined;
      }
    });
    const ca = path.join(srv.dir, 'pki', 'ca.crt');
    const s = await waitFor('a verified handshake', async () => {
      const r = await run('openssl', ['s_client', '-connect', `127.0.0.1:${a.port}`, '-CAfile', ca], {
        input: '',
      });
      return /Verify return code: 0 \(ok\)/.test(r.stdout) ? r.stdout : undefined;
    });
    const issuer = (await run('openssl', ['x509', '-noout', '-subject', '-in', ca])).stdout.replace(
      /^subject=/,
      '',
    );
    assert.match(s, new RegExp(`issuer=${issuer.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(s, /subject=O ?= ?system:nodes, CN ?= ?system:node:n1/);
    await a.stop();
    // A restart serves the stored pair at once, without another CSR.
    const b = await kubelet('--rotate-server-certificates');
    // The handshake works at once (anonymous is then denied by the SubjectAccessReview).
    assert.equal((await curl(b.port, '/healthz')).code, 403);
    assert.equal(
      (await csrs()).filter((c) => c.spec.signerName === 'kubernetes.io/kubelet-serving').length,
      1,
    );
    await b.stop();
  });

  test('--rotate-certificates: a client certificate past its rotation deadline is renewed at once (selfnodeclient)', async () => {
    // A certificate of the cluster CA issued 66 minutes ago for 70 (NotBefore backdated 5 more):
    // its jittered deadline, at most 90% of the 75-minute validity, lies ~3 minutes in the past
    // whatever the jitter (60 minutes ago left it in the future about one run in five).
    const caPem = readFileSync(path.join(srv.dir, 'pki', 'ca.crt'), 'utf8');
    const caKey = readFileSync(path.join(srv.dir, 'pki', 'ca.key'), 'utf8');
    const key = (await generateKeyPairFor('ECDSA-P256')).privateKeyPem;
    const old = await signCertificate(
      { certPem: caPem, keyPem: caKey },
      {
        subject: { commonName: 'system:node:n1', organizations: ['system:nodes'] },
        publicKey: publicKeyPemFromPrivate(key),
        usages: ['digital signature', 'client auth'],
        durationSeconds: 70 * 60,
        validity: 'csr-signer',
        now: new Date(Date.now() - 66 * 60_000),
      },
    );
    const store = new CertStore(certDir, 'kubelet-client');
    const oldPair = await store.update(old, key);
    const n = (await csrs()).length;
    const a = await kubelet('--rotate-certificates');
    await waitFor('the rotation', async () =>
      /Certificate rotated kubelet-client/.test(a.output()) ? true : undefined,
    );
    const rows = await csrs();
    assert.equal(rows.length, n + 1);
    const renewal = rows.find(
      (c) => c.spec.username === 'system:node:n1' && c.spec.signerName.endsWith('-kubelet'),
    )!;
    assert.equal(renewal.status?.conditions?.find((c) => c.type === 'Approved')?.reason, 'AutoApproved');
    const now = await store.current();
    assert.ok(now && now.notAfter.getTime() > oldPair.notAfter.getTime() + 3600_000);
    const who = await srv.kubectl('1.33', ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], {
      kubeconfig: kc,
    });
    assert.equal(who.stdout, 'system:node:n1');
    const sa = (await admin(srv, 'create', 'token', 'default')).trim();
    assert.equal((await curl(a.port, '/pods', { token: sa })).code, 403);
    await a.stop();
  });
});
