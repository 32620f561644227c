/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go) through
 * the real kubectl, and the TokenRequest lifetime flags of pkg/registry/core/serviceaccount/
 * storage/token.go (--service-account-max-token-expiration, --service-account-extend-token-expiration).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startServer, type TestServer } from './harness.js';
import { Client, credentialsFromKubeconfig } from './client.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

async function tokenRequest(c: Client, spec: Record<string, unknown>) {
  return c.request(
    'POST',
    '/api/v1/namespaces/default/serviceaccounts/default/token',
    JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec }),
  );
}

async function makePod(c: Client, name: string) {
  const r = await c.request(
    'POST',
    '/api/v1/namespaces/default/pods',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    }),
  );
  assert.equal(r.status, 201, r.body.toString());
  return r.json();
}

describe('ServiceAccount admission (kubectl)', () => {
  let srv: TestServer;
  let c: Client;
  const k = (args: string[], input?: string) => srv.kubectl('1.33', args, { input });
  before(async () => {
    srv = await startServer();
    c = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    c?.close();
    await srv?.stop();
  });

  test('kubectl run: default account, kube-api-access volume mounted read-only', async () => {
    const r = await k(['run', 'web', '--image=nginx']);
    assert.equal(r.code, 0, r.stderr);
    const g = await k(['get', 'pod', 'web', '-o', 'yaml']);
    assert.equal(g.code, 0, g.stderr);
    const pod = parse(g.stdout);
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.equal(pod.spec.serviceAccount, 'default');
    const vol = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
    assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        {
          downwardAPI: {
            items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
          },
        },
      ],
    });
    assert.deepEqual(pod.spec.containers[0].volumeMounts, [
      { name: vol.name, readOnly: true, mountPath: MOUNT },
    ]);
  });

  test('automountServiceAccountToken: false on the account: no volume', async () => {
    const sa = await k(
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: quiet\nautomountServiceAccountToken: false\n',
    );
    assert.equal(sa.code, 0, sa.stderr);
    const r = await k([
      'run',
      'still',
      '--image=nginx',
      '--overrides={"spec":{"serviceAccountName":"quiet"}}',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const pod = parse((await k(['get', 'pod', 'still', '-o', 'yaml'])).stdout);
    assert.equal(pod.spec.serviceAccountName, 'quiet');
    assert.equal(pod.spec.volumes, undefined);
    assert.equal(pod.spec.containers[0].volumeMounts, undefined);
  });

  test('a pod naming a missing account: kubectl prints upstream Forbidden text', async () => {
    const manifest = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: lost',
      'spec:',
      '  serviceAccountName: missing',
      '  containers:',
      '  - name: c',
      '    image: nginx',
      '',
    ].join('\n');
    const r = await k(['create', '-f', '-'], manifest);
    assert.notEqual(r.code, 0);
    assert.equal(
      r.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "lost" is forbidden: error looking up service account default/missing: serviceaccount "missing" not found',
    );
    const raw = await c.request(
      'POST',
      '/api/v1/namespaces/default/pods',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'lost' },
        spec: parse(manifest).spec,
      }),
    );
    assert.equal(raw.status, 403);
    assert.equal(raw.json().reason, 'Forbidden');
  });

  test('an update may not change serviceAccountName (ValidatePodUpdate)', async () => {
    const r = await k(['patch', 'pod', 'web', '-p', '{"spec":{"serviceAccountName":"quiet"}}']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/,
    );
    const label = await k(['label', 'pod', 'web', 'tier=front']);
    assert.equal(label.code, 0, label.stderr);
    const pod = parse((await k(['get', 'pod', 'web', '-o', 'yaml'])).stdout);
    assert.equal(pod.spec.serviceAccountName, 'default');
  });

  test('a mirror pod may not reference service accounts', async () => {
    const r = await c.request(
      'POST',
      '/api/v1/namespaces/default/pods',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'mirror', annotations: { 'kubernetes.io/config.mirror': 'x' } },
        spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'i' }] },
      }),
    );
    assert.equal(r.status, 403);
    assert.equal(
      r.json().message,
      'pods "mirror" is forbidden: a mirror pod may not reference service accounts',
    );
  });

  test('TokenRequest for a pod with 3607 s: extended to a year, warnafter at the requested time', async () => {
    const pod = await makePod(c, 'bound');
    const r = await tokenRequest(c, {
      expirationSeconds: 3607,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound', uid: pod.metadata.uid },
    });
    assert.equal(r.status, 201, r.body.toString());
    const body = r.json();
    const cl = claims(body.status.token);
    assert.equal(cl.exp - cl.iat, 365 * 24 * 3600);
    assert.equal(cl['kubernetes.io'].warnafter, cl.iat + 3607);
    assert.equal(body.spec.expirationSeconds, 3607);
    const shown = Date.parse(body.status.expirationTimestamp) / 1000;
    assert.ok(Math.abs(shown - (cl.iat + 3607)) <= 1, body.status.expirationTimestamp);
    // Not pod-bound, or not 3607: the lifetime asked for.
    const plain = claims((await tokenRequest(c, { expirationSeconds: 3607 })).json().status.token);
    assert.equal(plain.exp - plain.iat, 3607);
    assert.equal(plain['kubernetes.io'].warnafter, undefined);
  });
});

describe('TokenRequest lifetime flags', () => {
  let srv: TestServer;
  let c: Client;
  before(async () => {
    srv = await startServer({
      args: ['--service-account-max-token-expiration=2h', '--service-account-extend-token-expiration=false'],
    });
    c = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    c?.close();
    await srv?.stop();
  });

  test('expirationSeconds above --service-account-max-token-expiration is shortened, with a warning', async () => {
    const r = await tokenRequest(c, { expirationSeconds: 86400 });
    assert.equal(r.status, 201, r.body.toString());
    assert.equal(r.json().spec.expirationSeconds, 7200);
    const cl = claims(r.json().status.token);
    assert.equal(cl.exp - cl.iat, 7200);
    assert.match(
      String(r.headers.warning),
      /requested expiration of 86400 seconds shortened to 7200 seconds/,
    );
    const small = await tokenRequest(c, { expirationSeconds: 3600 });
    assert.equal(claims(small.json().status.token).exp - claims(small.json().status.token).iat, 3600);
  });

  test('--service-account-extend-token-expiration=false: a 3607 s pod token stays 3607 s', async () => {
    const pod = await makePod(c, 'bound');
    const r = await tokenRequest(c, {
      expirationSeconds: 3607,
      boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'bound', uid: pod.metadata.uid },
    });
    const cl = claims(r.json().status.token);
    assert.equal(cl.exp - cl.iat, 3607);
    assert.equal(cl['kubernetes.io'].warnafter, undefined);
  });

  test('a max below one hour is refused at start', async () => {
    await assert.rejects(
      startServer({ args: ['--service-account-max-token-expiration=30m'] }),
      /the service-account-max-token-expiration must be between 1 hour and 2\^32 seconds/,
    );
  });
});
