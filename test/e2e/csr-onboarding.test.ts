/**
 * A user's onboarding through the CertificateSigningRequest API with the real kubectl and openssl:
 * the seed's session (TGIK 004) literally, its manifest in certificates.k8s.io/v1beta1 without a
 * signerName (defaulted to kubernetes.io/legacy-unknown, which the built-in signer issues with the
 * cluster CA as kube-controller-manager does by default), then the same in v1 with the
 * kube-apiserver-client signer; then the --cluster-signing-* flags in effect. The refusals of the
 * CSR API are in ./csr-refusals.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { kubectlPath, mainJs, run, startServer, type TestServer } from './harness.js';

/** Runs a bash script in `dir` with kubectl 1.33 first on PATH and its own discovery cache. */
function sh(dir: string, script: string, env: Record<string, string> = {}) {
  const bin = path.dirname(kubectlPath('1.33'));
  return run('bash', ['-eo', 'pipefail', '-c', `cd ${JSON.stringify(dir)}\n${script}`], {
    env: { KUBECACHEDIR: path.join(dir, '.kcache'), HOME: dir, PATH: `${bin}:${process.env.PATH}`, ...env },
    timeoutMs: 120_000,
  });
}

/** The seed's steps for one user: key, CSR, manifest, approve, certificate, kubeconfig. */
function onboarding(user: string, org: string, name: string, manifestHead: string, signerLine: string) {
  return `
openssl genrsa -out ${user}.pem 2048
openssl req -new -key ${user}.pem -out ${user}.csr -subj "/CN=users:${user}/O=${org}"
cat << EOF | kubectl apply -f -
${manifestHead}
kind: CertificateSigningRequest
metadata:
  name: ${name}
spec:
  groups:
  - system:authenticated
  request: $(cat ${user}.csr | base64 | tr -d '\\n')
${signerLine}  usages:
  - digital signature
  - key encipherment
  - client auth
EOF
kubectl certificate approve ${name}
for i in $(seq 1 50); do
  [ -n "$(kubectl get csr ${name} -o jsonpath='{.status.certificate}')" ] && break
  sleep 0.1
done
kubectl get csr ${name} -o jsonpath='{.status.certificate}' | base64 -d > ${user}.crt
openssl verify -CAfile pki/ca.crt ${user}.crt
kubectl --kubeconfig=kubeconfig-${user} config set-cluster kubernetes --server="$(kubectl config view -o jsonpath='{.clusters[0].cluster.server}')" --certificate-authority=pki/ca.crt --embed-certs=true
kubectl --kubeconfig=kubeconfig-${user} config set-credentials ${user} --client-certificate=${user}.crt --client-key=${user}.pem --embed-certs=true
kubectl --kubeconfig=kubeconfig-${user} config set-context ${user}@kubernetes --cluster=kubernetes --user=${user}
kubectl --kubeconfig=kubeconfig-${user} config use-context ${user}@kubernetes
`;
}

describe('CSR onboarding (the seed, v1beta1 and v1)', () => {
  let srv: TestServer;
  const k = (...args: string[]) => srv.kubectl('1.33', args);
  const as = (kubeconfig: string, ...args: string[]) =>
    srv.kubectl('1.33', args, { kubeconfig: path.join(srv.dir, kubeconfig) });

  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('certificates.k8s.io serves v1 (preferred) and v1beta1', async () => {
    const r = await k('api-versions');
    assert.match(r.stdout, /^certificates\.k8s\.io\/v1$/m);
    assert.match(r.stdout, /^certificates\.k8s\.io\/v1beta1$/m);
    const group = JSON.parse((await k('get', '--raw', '/apis/certificates.k8s.io')).stdout);
    assert.deepEqual(group.preferredVersion, { groupVersion: 'certificates.k8s.io/v1', version: 'v1' });
    const res = JSON.parse((await k('get', '--raw', '/apis/certificates.k8s.io/v1beta1')).stdout);
    assert.deepEqual(
      res.resources.map((x: { name: string }) => x.name),
      [
        'certificatesigningrequests',
        'certificatesigningrequests/approval',
        'certificatesigningrequests/status',
      ],
    );
  });

  test('the seed literally: v1beta1 manifest without signerName, approve, verify, kubeconfig', async () => {
    const r = await sh(
      srv.dir,
      onboarding(
        'ziwon',
        'cloud-native',
        'user-request-ziwon',
        'apiVersion: certificates.k8s.io/v1beta1',
        '',
      ),
      { KUBECONFIG: srv.kubeconfig },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /certificatesigningrequest\.certificates\.k8s\.io\/user-request-ziwon created/);
    assert.match(r.stdout, /certificatesigningrequest\.certificates\.k8s\.io\/user-request-ziwon approved/);
    assert.match(r.stdout, /ziwon\.crt: OK/);
    // Defaulted as v1beta1 does; issued by the cluster CA.
    assert.equal(
      (await k('get', 'csr', 'user-request-ziwon', '-o', 'jsonpath={.spec.signerName}')).stdout,
      'kubernetes.io/legacy-unknown',
    );
    assert.match(
      (await k('get', 'csr', 'user-request-ziwon')).stdout,
      /^user-request-ziwon\s+\S+\s+kubernetes\.io\/legacy-unknown\s+kubernetes-admin\s+<none>\s+Approved,Issued$/m,
    );
    const beta = JSON.parse(
      (
        await k(
          'get',
          '--raw',
          '/apis/certificates.k8s.io/v1beta1/certificatesigningrequests/user-request-ziwon',
        )
      ).stdout,
    );
    assert.equal(beta.apiVersion, 'certificates.k8s.io/v1beta1');
    assert.equal(beta.spec.signerName, 'kubernetes.io/legacy-unknown');
    const subj = await run('openssl', [
      'x509',
      '-in',
      path.join(srv.dir, 'ziwon.crt'),
      '-noout',
      '-subject',
      '-nameopt',
      'RFC2253',
    ]);
    assert.equal(subj.stdout.trim(), 'subject=O=cloud-native,CN=users:ziwon');
  });

  test('the seed user is Forbidden with upstream text until bound; whoami shows CN and O', async () => {
    let r = await as('kubeconfig-ziwon', 'get', 'node');
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): nodes is forbidden: User "users:ziwon" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    r = await as('kubeconfig-ziwon', 'get', 'pod');
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): pods is forbidden: User "users:ziwon" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    r = await as('kubeconfig-ziwon', 'auth', 'whoami');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Username\s+users:ziwon$/m);
    assert.match(r.stdout, /^Groups\s+\[cloud-native system:authenticated\]$/m);
    assert.equal(
      (await k('create', 'rolebinding', 'ziwon', '--clusterrole=admin', '--user=users:ziwon')).code,
      0,
    );
    r = await as('kubeconfig-ziwon', 'get', 'pod');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /No resources found in default namespace/);
  });

  test('the same in v1 with signerName kubernetes.io/kube-apiserver-client', async () => {
    const r = await sh(
      srv.dir,
      onboarding(
        'alice',
        'dev',
        'user-request-alice',
        'apiVersion: certificates.k8s.io/v1',
        '  signerName: kubernetes.io/kube-apiserver-client\n',
      ),
      { KUBECONFIG: srv.kubeconfig },
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /alice\.crt: OK/);
    let k2 = await as('kubeconfig-alice', 'get', 'pod');
    assert.equal(
      k2.stderr.trim(),
      'Error from server (Forbidden): pods is forbidden: User "users:alice" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    k2 = await as('kubeconfig-alice', 'auth', 'whoami');
    assert.match(k2.stdout, /^Username\s+users:alice$/m);
    assert.match(k2.stdout, /^Groups\s+\[dev system:authenticated\]$/m);
    assert.equal(
      (await k('create', 'rolebinding', 'alice', '--clusterrole=view', '--user=users:alice')).code,
      0,
    );
    k2 = await as('kubeconfig-alice', 'get', 'pod');
    assert.equal(k2.code, 0, k2.stderr);
  });
});

describe('--cluster-signing-* flags', () => {
  let srv: TestServer;
  const k = (...args: string[]) => srv.kubectl('1.33', args);

  before(async () => {
    const base = await startServer();
    // A separate CA for legacy-unknown only, made with openssl in the server's directory.
    const ca = path.join(base.dir, 'legacy-ca');
    const r = await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${ca}.key`,
      '-out',
      `${ca}.crt`,
      '-subj',
      '/CN=legacy-ca',
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    assert.equal(r.code, 0, r.stderr);
    await base.stop();
    srv = await startServer({
      dir: base.dir,
      port: base.port, // admin.conf names the first start's port
      args: [
        '--cluster-signing-legacy-unknown-cert-file',
        `${ca}.crt`,
        '--cluster-signing-legacy-unknown-key-file',
        `${ca}.key`,
      ],
    });
  });
  after(async () => {
    await srv?.stop();
  });

  test('per-signer CA: legacy-unknown issued by it; the signers without one are not run', async () => {
    const csr = async (name: string, apiVersion: string, signer?: string) => {
      const base = path.join(srv.dir, name);
      await run('openssl', [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${name}`,
      ]);
      const spec: Record<string, unknown> = {
        request: readFileSync(`${base}.csr`).toString('base64'),
        usages: ['client auth'],
      };
      if (signer) spec.signerName = signer;
      const r = await srv.kubectl('1.33', ['create', '-f', '-'], {
        input: JSON.stringify({ apiVersion, kind: 'CertificateSigningRequest', metadata: { name }, spec }),
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await k('certificate', 'approve', name)).code, 0);
    };
    await csr('legacy', 'certificates.k8s.io/v1beta1');
    await csr('client', 'certificates.k8s.io/v1', 'kubernetes.io/kube-apiserver-client');
    let cert = '';
    for (let i = 0; i < 50 && !cert; i++) {
      cert = (await k('get', 'csr', 'legacy', '-o', 'jsonpath={.status.certificate}')).stdout;
      if (!cert) await new Promise((res) => setTimeout(res, 100));
    }
    const crt = path.join(srv.dir, 'legacy.crt');
    writeFileSync(crt, Buffer.from(cert, 'base64'));
    assert.equal(
      (await run('openssl', ['verify', '-CAfile', path.join(srv.dir, 'legacy-ca.crt'), crt])).code,
      0,
    );
    assert.notEqual(
      (await run('openssl', ['verify', '-CAfile', path.join(srv.dir, 'pki/ca.crt'), crt])).code,
      0,
    );
    await new Promise((res) => setTimeout(res, 500));
    assert.equal((await k('get', 'csr', 'client', '-o', 'jsonpath={.status.certificate}')).stdout, '');
    assert.match((await k('get', 'csr', 'client')).stdout, /^client\s.*Approved$/m);
  });

  test('the single and per-signer forms together refuse start-up', async () => {
    const r = await run(
      process.execPath,
      [
        mainJs,
        'serve',
        '--data-dir',
        srv.dir,
        '--secure-port',
        '0',
        '--cluster-signing-cert-file',
        path.join(srv.dir, 'pki/ca.crt'),
        '--cluster-signing-key-file',
        path.join(srv.dir, 'pki/ca.key'),
        '--cluster-signing-legacy-unknown-cert-file',
        path.join(srv.dir, 'legacy-ca.crt'),
        '--cluster-signing-legacy-unknown-key-file',
        path.join(srv.dir, 'legacy-ca.key'),
      ],
      { timeoutMs: 30_000 },
    );
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /cannot specify --cluster-signing-\{cert,key\}-file and other --cluster-signing-\*-file flags at the same time/,
    );
  });
});
