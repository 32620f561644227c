/**
 * Several `kubeauth serve` replicas on one TLS etcd (issue #10): the second replica's PKI comes
 * from the first (`init --from-pki`, kubeadm join --control-plane); a ClusterRoleBinding created
 * through A authorizes on B (delay measured and printed); a watch on B sees a create on A; the
 * kube-system Lease `kube-controller-manager` names exactly one holder; a CSR created on B is
 * signed once; SIGKILL of the leader hands the controllers to the survivor within
 * leaseDuration + retry (with client-go's 1.2 jitter), and the survivor serves throughout.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startEtcd, type EtcdServer } from '../../src/storage/etcd-server.test-util.js';
import { Client, credentialsFromKubeconfig } from './client.js';
import { freePort, mainJs, startServer, type TestServer } from './harness.js';

const LEASE_S = 6;
const RETRY_S = 1;
let root: string;
let etcd: EtcdServer;
const dirs: string[] = [];
const ports: number[] = [];
let a: TestServer;
let b: TestServer;
let ca: Client;
let cb: Client;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function serveArgs(dir: string): string[] {
  return [
    '--etcd-servers',
    etcd.url,
    '--etcd-prefix',
    '/replicas',
    '--leader-elect-lease-duration',
    `${LEASE_S}s`,
    '--leader-elect-renew-deadline',
    '4s',
    '--leader-elect-retry-period',
    `${RETRY_S}s`,
    '--data-dir',
    dir,
  ];
}

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'kubeauth-e2e-replicas-'));
  for (const n of ['a', 'b']) {
    const dir = path.join(root, n);
    const port = await freePort();
    const from = n === 'b' ? ['--from-pki', path.join(root, 'a/pki')] : [];
    execFileSync(
      process.execPath,
      [mainJs, 'init', '--data-dir', dir, '--apiserver-bind-port', String(port), ...from],
      { stdio: 'ignore' },
    );
    dirs.push(dir);
    ports.push(port);
  }
  const pki = path.join(root, 'a/pki');
  etcd = await startEtcd({
    caFile: path.join(pki, 'etcd/ca.crt'),
    certFile: path.join(pki, 'etcd/server.crt'),
    keyFile: path.join(pki, 'etcd/server.key'),
  });
  a = await startServer({ dir: dirs[0], port: ports[0], args: serveArgs(dirs[0]) });
  b = await startServer({ dir: dirs[1], port: ports[1], args: serveArgs(dirs[1]) });
  ca = new Client(ports[0], credentialsFromKubeconfig(path.join(dirs[0], 'admin.conf')));
  cb = new Client(ports[1], credentialsFromKubeconfig(path.join(dirs[1], 'admin.conf')));
});
after(async () => {
  ca?.close();
  cb?.close();
  await a?.stop();
  await b?.stop();
  await etcd?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('init --from-pki shares the CAs and SA keys but makes the replica its own serving certificate', () => {
  const read = (d: string, f: string) => readFileSync(path.join(d, 'pki', f), 'utf8');
  for (const f of ['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'etcd/ca.crt'])
    assert.equal(read(dirs[0], f), read(dirs[1], f), f);
  assert.notEqual(read(dirs[0], 'apiserver.crt'), read(dirs[1], 'apiserver.crt'));
});

test('a ClusterRoleBinding created through A authorizes on B within 2 s', async () => {
  const asAlice = { 'impersonate-user': 'alice' };
  const path_ = '/api/v1/namespaces/default/pods';
  assert.equal((await cb.request('GET', path_, undefined, asAlice)).status, 403);
  const crb = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'alice-view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
  };
  const created = await ca.request(
    'POST',
    '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    JSON.stringify(crb),
  );
  assert.equal(created.status, 201, created.body.toString());
  const t0 = performance.now();
  while ((await cb.request('GET', path_, undefined, asAlice)).status !== 200) {
    assert.ok(performance.now() - t0 < 2000, 'binding not effective on B within 2 s');
    await sleep(5);
  }
  const ms = performance.now() - t0;
  process.stdout.write(`# binding created on A authorized on B after ${ms.toFixed(1)} ms\n`);
  assert.ok(ms < 2000);
});

test('a watch on B sees a ConfigMap created through A', async () => {
  const session = http2.connect(`https://127.0.0.1:${ports[1]}`, {
    ...credentialsFromKubeconfig(path.join(dirs[1], 'admin.conf')),
    servername: 'localhost',
  });
  session.on('error', () => undefined);
  try {
    const req = session.request({ ':path': '/api/v1/namespaces/default/configmaps?watch=1' });
    let buf = '';
    const seen = new Promise<Record<string, any>>((resolve) =>
      req.on('data', (c: Buffer) => {
        buf += c.toString();
        for (const line of buf.split('\n').slice(0, -1)) {
          const ev = JSON.parse(line);
          if (ev.object?.metadata?.name === 'from-a') resolve(ev);
        }
      }),
    );
    await sleep(200);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-a' }, data: { k: 'v' } };
    const r = await ca.request('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify(cm));
    assert.equal(r.status, 201, r.body.toString());
    const ev = await Promise.race([seen, sleep(5000).then(() => undefined)]);
    assert.equal(ev?.type, 'ADDED');
    assert.equal(ev?.object.data.k, 'v');
    req.close();
  } finally {
    session.close();
  }
});

async function holder(c: Client): Promise<string> {
  const r = await c.request(
    'GET',
    '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager',
  );
  assert.equal(r.status, 200, r.body.toString());
  return r.json().spec.holderIdentity;
}

const leads = (s: TestServer) =>
  s.output().includes('successfully acquired lease kube-system/kube-controller-manager');

/** Creates and approves a kube-apiserver-client CSR through c; resolves its certificates seen by a watch. */
async function signedCsr(c: Client, port: number, dir: string, name: string): Promise<string[]> {
  const key = path.join(root, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-subj',
      `/CN=${name}`,
      '-out',
      `${key}.csr`,
    ],
    { stdio: 'ignore' },
  );
  const csr = {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: readFileSync(`${key}.csr`).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client',
      usages: ['client auth'],
    },
  };
  const r = await c.request(
    'POST',
    '/apis/certificates.k8s.io/v1/certificatesigningrequests',
    JSON.stringify(csr),
  );
  assert.equal(r.status, 201, r.body.toString());
  const session = http2.connect(`https://127.0.0.1:${port}`, {
    ...credentialsFromKubeconfig(path.join(dir, 'admin.conf')),
    servername: 'localhost',
  });
  session.on('error', () => undefined);
  const certs = new Set<string>();
  try {
    const req = session.request({
      ':path': `/apis/certificates.k8s.io/v1/certificatesigningrequests?watch=1&fieldSelector=metadata.name%3D${name}`,
    });
    let buf = '';
    req.on('data', (ch: Buffer) => {
      buf += ch.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        const cert = JSON.parse(l).object?.status?.certificate;
        if (cert) certs.add(cert);
      }
    });
    const cur = (
      await c.request('GET', `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}`)
    ).json();
    cur.status = {
      conditions: [{ type: 'Approved', status: 'True', reason: 'E2E', message: 'replicas test' }],
    };
    const ap = await c.request(
      'PUT',
      `/apis/certificates.k8s.io/v1/certificatesigningrequests/${name}/approval`,
      JSON.stringify(cur),
    );
    assert.equal(ap.status, 200, ap.body.toString());
    const t0 = Date.now();
    while (certs.size === 0 && Date.now() - t0 < 10_000) await sleep(50);
    await sleep(1500); // a second signer would write another certificate by now
    req.close();
  } finally {
    session.close();
  }
  return [...certs];
}

test('exactly one replica holds the kube-controller-manager Lease; a CSR created on B is signed once', async () => {
  const id = await holder(ca);
  assert.match(id, /^[^_]+_[0-9a-f-]{36}$/, 'holderIdentity <hostname>_<uuid>');
  assert.equal(await holder(cb), id);
  assert.equal([a, b].filter(leads).length, 1, 'exactly one replica leads');
  const r = (
    await cb.request(
      'GET',
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager',
    )
  ).json();
  assert.equal(r.spec.leaseDurationSeconds, LEASE_S);
  assert.match(r.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  const certs = await signedCsr(cb, ports[1], dirs[1], 'csr-on-b');
  assert.equal(certs.length, 1, 'one certificate');
});

test('SIGKILL of the leader: the other acquires within leaseDuration + retry and signs; it serves throughout', async () => {
  const [leader, other, oc, op, od] = leads(a)
    ? [a, b, cb, ports[1], dirs[1]]
    : [b, a, ca, ports[0], dirs[0]];
  const before_ = await holder(oc);
  let serving = true;
  let probes = 0;
  const probe = (async () => {
    while (serving) {
      const r = await oc.request('GET', '/api/v1/namespaces/default/configmaps/from-a');
      assert.equal(r.status, 200, 'the survivor keeps serving');
      probes++;
      await sleep(100);
    }
  })();
  const killedAt = performance.now();
  await leader.stop('SIGKILL');
  while (!leads(other)) {
    assert.ok(performance.now() - killedAt < 20_000, 'no takeover');
    await sleep(50);
  }
  const s = (performance.now() - killedAt) / 1000;
  process.stdout.write(`# survivor acquired the lease ${s.toFixed(2)} s after SIGKILL of the leader\n`);
  // wait.JitterUntil(retryPeriod, JitterFactor 1.2): a poll interval is up to 2.2 x retry, and the
  // leader's last renewal is observed up to one interval late.
  assert.ok(s <= LEASE_S + 2 * 2.2 * RETRY_S + 0.5, `takeover after ${s} s`);
  const after_ = await holder(oc);
  assert.notEqual(after_, before_);
  const lease = (
    await oc.request(
      'GET',
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager',
    )
  ).json();
  assert.equal(lease.spec.leaseTransitions, 1);
  const certs = await signedCsr(oc, op, od, 'csr-after-failover');
  assert.equal(certs.length, 1);
  serving = false;
  await probe;
  assert.ok(probes > 10, `${probes} probes`);
});

test('the killed replica rejoins as a candidate; SIGTERM of the leader releases the Lease for an immediate takeover', async () => {
  const alive = (s: TestServer) => s.proc.exitCode === null && s.proc.signalCode === null;
  const [dead, leader, di] = alive(a) ? [b, a, 1] : [a, b, 0];
  assert.ok(!alive(dead) && alive(leader) && leads(leader));
  const back = await startServer({ dir: dirs[di], port: ports[di], args: serveArgs(dirs[di]) });
  if (di === 0) a = back;
  else b = back;
  await sleep(1500);
  assert.ok(!leads(back), 'the rejoined replica waits while the lease is renewed');
  const stoppedAt = performance.now();
  await leader.stop('SIGTERM');
  assert.match(leader.output(), /released lease kube-system\/kube-controller-manager/);
  while (!leads(back)) {
    assert.ok(performance.now() - stoppedAt < 2 * 2.2 * RETRY_S * 1000 + 1000, 'no prompt takeover');
    await sleep(50);
  }
  const s = (performance.now() - stoppedAt) / 1000;
  process.stdout.write(`# after a graceful stop the candidate acquired the lease in ${s.toFixed(2)} s\n`);
  const c = new Client(ports[di], credentialsFromKubeconfig(path.join(dirs[di], 'admin.conf')));
  try {
    assert.equal((await signedCsr(c, ports[di], dirs[di], 'csr-after-release')).length, 1);
  } finally {
    c.close();
  }
});

test('init --from-pki without the shared files refuses', () => {
  let err: { status?: number; stderr?: Buffer } = {};
  try {
    execFileSync(
      process.execPath,
      [mainJs, 'init', '--data-dir', path.join(root, 'c'), '--from-pki', path.join(root, 'nope')],
      {
        stdio: 'pipe',
      },
    );
  } catch (e) {
    err = e as typeof err;
  }
  assert.notEqual(err.status ?? 0, 0);
  assert.match(String(err.stderr), /missing ca\.crt, ca\.key/);
});
