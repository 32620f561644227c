/**
 * The official clients authenticate with a service-account token from a kubeconfig:
 * @kubernetes/client-node (CoreV1Api list namespaces, AuthenticationV1Api SelfSubjectReview) and
 * the Python client (Debian's python3-kubernetes). Each sees the account's username, and a bad
 * token is answered 401.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import './node20-shim.js';
import { run, startServer, type TestServer } from './harness.js';

// After the shim (ESM evaluates imports in order, so a dynamic import keeps the order explicit).
const k8s = await import('@kubernetes/client-node');

const USER = 'system:serviceaccount:default:reader';
const PYTHON = '/usr/bin/python3';

function kubeconfigYaml(server: string, caData: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubeauth', cluster: { server, 'certificate-authority-data': caData } }],
    users: [{ name: 'reader', user: { token } }],
    contexts: [{ name: 'reader@kubeauth', context: { cluster: 'kubeauth', user: 'reader' } }],
    'current-context': 'reader@kubeauth',
  });
}

const PY_SCRIPT = `
import json, sys
from kubernetes import client, config
from kubernetes.client.rest import ApiException
config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
out = {}
try:
    out["namespaces"] = sorted(n.metadata.name for n in client.CoreV1Api(api).list_namespace().items)
    review = api.call_api("/apis/authentication.k8s.io/v1/selfsubjectreviews", "POST",
        body={"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
        response_type="object", auth_settings=["BearerToken"], _return_http_data_only=True)
    out["username"] = review["status"]["userInfo"]["username"]
except ApiException as e:
    out["status"] = e.status
print(json.dumps(out))
`;

function pythonClientAvailable(): boolean {
  return existsSync(PYTHON) && existsSync('/usr/lib/python3/dist-packages/kubernetes/__init__.py');
}

describe('official clients with a service-account token', () => {
  let srv: TestServer;
  let dir: string;
  let server: string;
  let caData: string;
  let token: string;
  before(async () => {
    srv = await startServer();
    dir = mkdtempSync(path.join(tmpdir(), 'kubeauth-clients-'));
    const admin = parse(readFileSync(srv.kubeconfig, 'utf8'));
    server = admin.clusters[0].cluster.server;
    caData = admin.clusters[0].cluster['certificate-authority-data'];
    for (const args of [
      ['create', 'serviceaccount', 'reader'],
      [
        'create',
        'clusterrolebinding',
        'reader-view',
        '--clusterrole=view',
        '--serviceaccount=default:reader',
      ],
    ]) {
      const r = await srv.kubectl('1.33', args);
      assert.equal(r.code, 0, r.stderr);
    }
    const t = await srv.kubectl('1.33', ['create', 'token', 'reader']);
    assert.equal(t.code, 0, t.stderr);
    token = t.stdout.trim();
  });
  after(async () => {
    await srv?.stop();
  });

  const nodeClient = (tok: string) => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfigYaml(server, caData, tok));
    return kc;
  };

  test('@kubernetes/client-node: lists namespaces and reads SelfSubjectReview as the account', async () => {
    const kc = nodeClient(token);
    const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespace();
    const names = list.items.map((n) => n.metadata?.name);
    for (const ns of ['default', 'kube-public', 'kube-system']) assert.ok(names.includes(ns), String(names));
    const review = await kc.makeApiClient(k8s.AuthenticationV1Api).createSelfSubjectReview({
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.equal(review.status?.userInfo?.username, USER);
    assert.ok(review.status?.userInfo?.groups?.includes('system:serviceaccounts:default'));
  });

  test('@kubernetes/client-node: a bad token gets 401', async () => {
    const kc = nodeClient(`${token.slice(0, -4)}AAAA`);
    await assert.rejects(kc.makeApiClient(k8s.CoreV1Api).listNamespace(), (e: unknown) => {
      assert.equal((e as { code?: number }).code, 401);
      return true;
    });
  });

  test('Python client (python3-kubernetes): namespaces and SelfSubjectReview; bad token 401', async (t) => {
    if (!pythonClientAvailable()) {
      t.skip('python3-kubernetes is not installed (apt-get install -y python3-kubernetes failed)');
      return;
    }
    const script = path.join(dir, 'client.py');
    writeFileSync(script, PY_SCRIPT);
    const good = path.join(dir, 'good.conf');
    writeFileSync(good, kubeconfigYaml(server, caData, token));
    const r = await run(PYTHON, [script, good]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.username, USER, r.stdout);
    assert.ok(out.namespaces.includes('kube-system'), r.stdout);
    const bad = path.join(dir, 'bad.conf');
    writeFileSync(bad, kubeconfigYaml(server, caData, 'not-a-token'));
    const rb = await run(PYTHON, [script, bad]);
    assert.equal(rb.code, 0, rb.stderr);
    assert.deepEqual(JSON.parse(rb.stdout), { status: 401 });
  });
});
