/**
 * A user's onboarding through the CertificateSigningRequest API with the real kubectl and openssl:
 * the seed's session (TGIK 004) literally, its manifest in certificates.k8s.io/v1beta1 without a
 * signerName (defaulted to kubernetes.io/legacy-unknown, which the built-in signer issues with the
 * cluster CA as kube-controller-manager does by default), then the same in v1 with the
 * kube-apiserver-client signer; then every refusal of the CSR API with upstream's texts; then the
 * --cluster-signing-* flags in effect.
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

describe('CSR refusals', () => {
  let srv: TestServer;
  const k = (...args: string[]) => srv.kubectl('1.33', args);
  let n = 0;
  /** A fresh key and CSR for `subj`; the base64 request. */
  const request = async (subj: string, extra: string[] = []) => {
    const base = path.join(srv.dir, `r${n++}`);
    const r = await run('openssl', [
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
      subj,
      ...extra,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return readFileSync(`${base}.csr`).toString('base64');
  };
  const manifest = (name: string, spec: Record<string, unknown>, apiVersion = 'certificates.k8s.io/v1') =>
    JSON.stringify({ apiVersion, kind: 'CertificateSigningRequest', metadata: { name }, spec });
  const create = (input: string, kubeconfig?: string) =>
    srv.kubectl('1.33', ['create', '-f', '-'], { input, kubeconfig });
  const userConf = async (user: string, groups: string[] = []) => {
    const out = path.join(srv.dir, `${user.replace(/:/g, '_')}.conf`);
    const r = await run(process.execPath, [
      mainJs,
      'kubeconfig',
      '--data-dir',
      srv.dir,
      '--user',
      user,
      ...groups.flatMap((g) => ['--group', g]),
      '--out',
      out,
      '--server',
      `https://127.0.0.1:${srv.port}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    return out;
  };
  const waitFor = async (name: string, jsonpath: string) => {
    for (let i = 0; i < 50; i++) {
      const r = await k('get', 'csr', name, '-o', `jsonpath=${jsonpath}`);
      if (r.stdout) return r.stdout;
      await new Promise((res) => setTimeout(res, 100));
    }
    return '';
  };
  const client = ['digital signature', 'key encipherment', 'client auth'];
  /** A ClusterRole on `signers` (not a served resource, so `kubectl create clusterrole` cannot name it). */
  const signerRole = (name: string, verb: string, signer: string) =>
    srv.kubectl('1.33', ['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name },
        rules: [
          {
            apiGroups: ['certificates.k8s.io'],
            resources: ['signers'],
            resourceNames: [signer],
            verbs: [verb],
          },
        ],
      }),
    });

  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('O=system:masters through kube-apiserver-client (CertificateSubjectRestriction)', async () => {
    const r = await create(
      manifest('masters', {
        request: await request('/CN=mallory/O=system:masters'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: client,
      }),
    );
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "masters" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
    );
  });

  test('a node asking for another node name (NodeRestriction)', async () => {
    const node = await userConf('system:node:n1', ['system:nodes']);
    const spec = {
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
    };
    let r = await create(
      manifest('node-n2', { ...spec, request: await request('/O=system:nodes/CN=system:node:n2') }),
      node,
    );
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": certificatesigningrequests.certificates.k8s.io "node-n2" is forbidden: can only create a node CSR with CN=system:node:n1',
    );
    r = await create(
      manifest('node-n1', { ...spec, request: await request('/O=system:nodes/CN=system:node:n1') }),
      node,
    );
    assert.equal(r.code, 0, r.stderr);
  });

  test('server-auth usage on the client signer: the signer fails it', async () => {
    const r = await create(
      manifest('server-usage', {
        request: await request('/CN=web'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature', 'key encipherment', 'server auth'],
      }),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await k('certificate', 'approve', 'server-usage')).code, 0);
    assert.equal(
      await waitFor('server-usage', '{.status.conditions[?(@.type=="Failed")].reason}'),
      'SignerValidationFailure',
    );
    assert.equal(
      (
        await k(
          'get',
          'csr',
          'server-usage',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Failed")].message}',
        )
      ).stdout,
      'invalid usage for client certificate: server auth',
    );
    assert.equal((await k('get', 'csr', 'server-usage', '-o', 'jsonpath={.status.certificate}')).stdout, '');
    const none = await create(
      manifest('no-client-auth', {
        request: await request('/CN=web2'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: ['digital signature'],
      }),
    );
    assert.equal(none.code, 0, none.stderr);
    assert.equal((await k('certificate', 'approve', 'no-client-auth')).code, 0);
    assert.equal(
      await waitFor('no-client-auth', '{.status.conditions[?(@.type=="Failed")].message}'),
      'missing required usage for client certificate: client auth',
    );
  });

  test('approval without approve on the signer (CertificateApproval)', async () => {
    assert.equal(
      (
        await create(
          manifest('needs-approver', {
            request: await request('/CN=carol'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    const bob = await userConf('bob');
    assert.equal(
      (
        await k(
          'create',
          'clusterrole',
          'csr-approval',
          '--verb=get,list,update',
          '--resource=certificatesigningrequests,certificatesigningrequests/approval',
        )
      ).code,
      0,
    );
    assert.equal(
      (await k('create', 'clusterrolebinding', 'bob-csr', '--clusterrole=csr-approval', '--user=bob')).code,
      0,
    );
    let r = await srv.kubectl('1.33', ['certificate', 'approve', 'needs-approver'], { kubeconfig: bob });
    assert.match(
      r.stderr,
      /certificatesigningrequests\.certificates\.k8s\.io "needs-approver" is forbidden: user not permitted to approve requests with signerName "example\.com\/team"/,
    );
    // `approve` on `<domain>/*` is enough (the second check of IsAuthorizedForSignerName).
    assert.equal((await signerRole('example-approver', 'approve', 'example.com/*')).code, 0);
    assert.equal(
      (
        await k(
          'create',
          'clusterrolebinding',
          'bob-approver',
          '--clusterrole=example-approver',
          '--user=bob',
        )
      ).code,
      0,
    );
    r = await srv.kubectl('1.33', ['certificate', 'approve', 'needs-approver'], { kubeconfig: bob });
    assert.equal(r.code, 0, r.stderr);
  });

  test('a tampered CSR signature: 422 Invalid with the signature error', async () => {
    const pem = Buffer.from(await request('/CN=users:eve/O=cloud-native'), 'base64').toString();
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('eve'));
    der[at] = 'a'.charCodeAt(0); // CN=users:ave: the self-signature no longer matches
    const bad = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const r = await create(
      manifest('tampered', {
        request: Buffer.from(bad).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: client,
      }),
    );
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^The CertificateSigningRequest "tampered" is invalid: spec\.request: Invalid value: \[\]byte\{0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x42, 0x45, 0x47, 0x49, 0x4e, [0-9a-fx, ]+\}: crypto\/rsa: verification error$/m,
    );
  });

  test('expirationSeconds under 600; signerName required in v1; legacy-unknown refused in v1', async () => {
    const req = await request('/CN=dave');
    let r = await create(
      manifest('short', {
        request: req,
        signerName: 'kubernetes.io/kube-apiserver-client',
        usages: client,
        expirationSeconds: 599,
      }),
    );
    assert.equal(
      r.stderr.trim(),
      'The CertificateSigningRequest "short" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 600 seconds (10 minutes)',
    );
    r = await create(manifest('no-signer', { request: req, usages: client }));
    assert.match(
      r.stderr,
      /The CertificateSigningRequest "no-signer" is invalid: spec\.signerName: Required value/,
    );
    r = await create(
      manifest('legacy-v1', { request: req, signerName: 'kubernetes.io/legacy-unknown', usages: client }),
    );
    assert.equal(
      r.stderr.trim(),
      'The CertificateSigningRequest "legacy-v1" is invalid: spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version',
    );
  });

  test('the spec is immutable after create', async () => {
    const req = await request('/CN=frank');
    assert.equal(
      (await create(manifest('immutable', { request: req, signerName: 'example.com/team', usages: client })))
        .code,
      0,
    );
    const r = await k(
      'patch',
      'csr',
      'immutable',
      '--type=merge',
      '-p',
      '{"spec":{"signerName":"example.com/other","usages":["any"]}}',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      (await k('get', 'csr', 'immutable', '-o', 'jsonpath={.spec.signerName} {.spec.usages}')).stdout,
      'example.com/team ["digital signature","key encipherment","client auth"]',
    );
  });

  test('status.certificate set by a user without sign (CertificateSigning), then with it', async () => {
    assert.equal(
      (
        await create(
          manifest('external', {
            request: await request('/CN=gina'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    assert.equal((await k('certificate', 'approve', 'external')).code, 0);
    const signer = await userConf('signer-bot');
    assert.equal(
      (
        await k(
          'create',
          'clusterrole',
          'csr-status',
          '--verb=get,update,patch',
          '--resource=certificatesigningrequests,certificatesigningrequests/status',
        )
      ).code,
      0,
    );
    assert.equal(
      (await k('create', 'clusterrolebinding', 'signer-bot', '--clusterrole=csr-status', '--user=signer-bot'))
        .code,
      0,
    );
    const cert = readFileSync(path.join(srv.dir, 'pki/ca.crt')).toString('base64');
    const patch = JSON.stringify({ status: { certificate: cert } });
    let r = await srv.kubectl(
      '1.33',
      ['patch', 'csr', 'external', '--subresource=status', '--type=merge', '-p', patch],
      {
        kubeconfig: signer,
      },
    );
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): certificatesigningrequests.certificates.k8s.io "external" is forbidden: user not permitted to sign requests with signerName "example.com/team"',
    );
    assert.equal((await signerRole('team-signer', 'sign', 'example.com/team')).code, 0);
    assert.equal(
      (
        await k(
          'create',
          'clusterrolebinding',
          'signer-bot-sign',
          '--clusterrole=team-signer',
          '--user=signer-bot',
        )
      ).code,
      0,
    );
    r = await srv.kubectl(
      '1.33',
      ['patch', 'csr', 'external', '--subresource=status', '--type=merge', '-p', patch],
      {
        kubeconfig: signer,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match((await k('get', 'csr', 'external')).stdout, /^external\s.*Approved,Issued$/m);
    // Once set, never changed.
    r = await k(
      'patch',
      'csr',
      'external',
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          certificate: Buffer.from(readFileSync(path.join(srv.dir, 'pki/front-proxy-ca.crt'))).toString(
            'base64',
          ),
        },
      }),
    );
    assert.match(
      r.stderr,
      /status\.certificate: Forbidden: updates may not modify existing certificate content/,
    );
  });

  test('an Approved condition written through /status', async () => {
    assert.equal(
      (
        await create(
          manifest('self-approve', {
            request: await request('/CN=hank'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    const patch = JSON.stringify({
      status: { conditions: [{ type: 'Approved', status: 'True', reason: 'Sneaky' }] },
    });
    const r = await k('patch', 'csr', 'self-approve', '--subresource=status', '--type=merge', '-p', patch);
    assert.equal(
      r.stderr.trim(),
      'The CertificateSigningRequest "self-approve" is invalid: status.conditions: Forbidden: updates may not add a condition of type "Approved"',
    );
    assert.match((await k('get', 'csr', 'self-approve')).stdout, /^self-approve\s.*Pending$/m);
  });

  /** PUT of a CSR body to `/approval` as the admin, with curl and the admin's client certificate. */
  const putApproval = async (name: string, body: unknown, version = 'v1', sub = 'approval') => {
    const cfg = (jp: string) => k('config', 'view', '--raw', '-o', `jsonpath=${jp}`).then((r) => r.stdout);
    const files = { cert: path.join(srv.dir, 'adm.crt'), key: path.join(srv.dir, 'adm.key') };
    writeFileSync(files.cert, Buffer.from(await cfg('{.users[0].user.client-certificate-data}'), 'base64'));
    writeFileSync(files.key, Buffer.from(await cfg('{.users[0].user.client-key-data}'), 'base64'), {
      mode: 0o600,
    });
    const r = await run('curl', [
      '-sS',
      '--cacert',
      path.join(srv.dir, 'pki/ca.crt'),
      '--cert',
      files.cert,
      '--key',
      files.key,
      '-X',
      'PUT',
      '-H',
      'Content-Type: application/json',
      '--data-binary',
      JSON.stringify(body),
      `https://127.0.0.1:${srv.port}/apis/certificates.k8s.io/${version}/certificatesigningrequests/${name}/${sub}`,
    ]);
    return JSON.parse(r.stdout) as {
      code?: number;
      message?: string;
      kind: string;
      apiVersion: string;
      status?: { conditions?: { type: string; status: string }[] };
    };
  };

  test('both Approved and Denied; conditions are never removed', async () => {
    assert.equal(
      (
        await create(
          manifest('both', {
            request: await request('/CN=ivan'),
            signerName: 'example.com/team',
            usages: client,
          }),
        )
      ).code,
      0,
    );
    assert.equal((await k('certificate', 'approve', 'both')).code, 0);
    // kubectl refuses this itself ("is already Approved"); the server refuses it as well.
    assert.match(
      (await k('certificate', 'deny', 'both')).stderr,
      /certificate signing request "both" is already Approved/,
    );
    const cur = JSON.parse((await k('get', 'csr', 'both', '-o', 'json')).stdout);
    const deny = { type: 'Denied', status: 'True', reason: 'KubectlDeny', message: 'denied' };
    let st = await putApproval('both', { ...cur, status: { conditions: [...cur.status.conditions, deny] } });
    assert.equal(st.code, 422);
    assert.equal(
      st.message,
      'CertificateSigningRequest.certificates.k8s.io "both" is invalid: status.conditions[1].type: Invalid value: "Denied": Approved and Denied conditions are mutually exclusive',
    );
    st = await putApproval('both', { ...cur, status: { conditions: [deny] } });
    assert.equal(st.code, 422);
    assert.equal(
      st.message,
      'CertificateSigningRequest.certificates.k8s.io "both" is invalid: status.conditions: Forbidden: updates may not remove a condition of type "Approved"',
    );
    assert.match((await k('get', 'csr', 'both')).stdout, /^both\s.*Approved$/m);
  });

  test('v1beta1 subresources: approval (condition status defaulted) and status, in v1beta1', async () => {
    const r = await create(
      manifest(
        'beta-sub',
        { request: await request('/CN=judy'), signerName: 'example.com/team' },
        'certificates.k8s.io/v1beta1',
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    const cur = JSON.parse(
      (await k('get', '--raw', '/apis/certificates.k8s.io/v1beta1/certificatesigningrequests/beta-sub'))
        .stdout,
    );
    assert.deepEqual(cur.spec.usages, ['digital signature', 'key encipherment']);
    const approved = await putApproval(
      'beta-sub',
      { ...cur, status: { conditions: [{ type: 'Approved', reason: 'ByHand' }] } },
      'v1beta1',
    );
    assert.equal(approved.apiVersion, 'certificates.k8s.io/v1beta1', JSON.stringify(approved));
    assert.equal(approved.status?.conditions?.[0]?.status, 'True');
    // Approved through /status in v1beta1 is refused too (Approved/Denied only through /approval).
    const conditions = [...(approved.status?.conditions ?? []), { type: 'Denied', status: 'True' }];
    const st = await putApproval('beta-sub', { ...approved, status: { conditions } }, 'v1beta1', 'status');
    assert.equal(st.code, 422, JSON.stringify(st));
    assert.match(st.message ?? '', /updates may not add a condition of type "Denied"/);
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
