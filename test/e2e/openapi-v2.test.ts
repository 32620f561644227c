/**
 * `/openapi/v2` with real content, as kubectl 1.27/1.28 use it (protobuf): `explain` renders from
 * its definitions, `apply` detects server-side field validation from the PATCH operations and
 * computes strategic merge patches from the patch extensions; 1.33 reads it for
 * `explain --output=plaintext-openapiv2`. Raw requests check the JSON form, ETag / 304 and 406.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';

const deployment = (image: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1${extra}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: a
        image: nginx
      - name: b
        image: ${image}
`;

describe('/openapi/v2', () => {
  let srv: TestServer;
  let api: Client;
  before(async () => {
    srv = await startServer();
    api = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    api?.close();
    await srv?.stop();
  });

  test('kubectl 1.27 explain pods and a nested field from the protobuf document', async () => {
    const r = await srv.kubectl('1.27', ['explain', 'pods', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GET https:\/\/[^ ]+\/openapi\/v2\?timeout=32s 200 OK/);
    assert.match(
      r.stdout,
      /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers/,
    );
    assert.match(r.stdout, /^ {2}spec\t<PodSpec>$/m);
    const f = await srv.kubectl('1.27', ['explain', 'pods.spec.containers.image']);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stdout, /^FIELD: image <string>$/m);
    assert.match(f.stdout, /Container image name\./);
    const hpa = await srv.kubectl('1.27', ['explain', 'hpa.spec']);
    assert.equal(hpa.code, 0, hpa.stderr);
    assert.match(hpa.stdout, /^GROUP:\s+autoscaling\nKIND:\s+HorizontalPodAutoscaler\nVERSION:\s+v2\n/);
    assert.match(hpa.stdout, /^ {2}behavior\t<HorizontalPodAutoscalerBehavior>$/m);
  });

  test('kubectl 1.28 explain and 1.33 explain --output=plaintext-openapiv2', async () => {
    const r = await srv.kubectl('1.28', ['explain', 'deployment.spec.strategy']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^FIELD: strategy <DeploymentStrategy>$/m);
    const p = await srv.kubectl('1.33', ['explain', 'pods', '--output=plaintext-openapiv2']);
    assert.equal(p.code, 0, p.stderr);
    assert.match(p.stdout, /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection/);
    assert.match(p.stdout, /^ {3}metadata\t<Object>$/m);
  });

  test('kubectl 1.27 apply: server-side validation detected, strategic merge on the second apply', async () => {
    const first = await srv.kubectl('1.27', ['apply', '-f', '-', '-v=6'], { input: deployment('busybox') });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^deployment\.apps\/web created$/m);
    assert.match(
      first.stderr,
      /POST [^ ]+deployments\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 201/,
    );
    const second = await srv.kubectl('1.27', ['apply', '-f', '-', '-v=8'], {
      input: deployment('busybox:2'),
    });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^deployment\.apps\/web configured$/m);
    // The patch names the changed container by its merge key (from x-kubernetes-patch-merge-key).
    assert.match(second.stderr, /"\$setElementOrder\/containers":\[\{"name":"a"\},\{"name":"b"\}\]/);
    const images = await srv.kubectl('1.27', [
      'get',
      'deploy',
      'web',
      '-o',
      'jsonpath={.spec.template.spec.containers[*].image}',
    ]);
    assert.equal(images.stdout, 'nginx busybox:2');
    const bad = await srv.kubectl('1.27', ['apply', '-f', '-'], {
      input: deployment('busybox:2', '\n  bogus: 1'),
    });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /strict decoding error: unknown field "spec\.bogus"/);
  });

  test('kubectl 1.28 apply validates through /openapi/v2 too', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c28\ndata:\n  a: "1"\n';
    const r = await srv.kubectl('1.28', ['apply', '-f', '-', '-v=6'], { input: cm });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GET [^ ]+\/openapi\/v2\?timeout=32s 200 OK/);
    assert.match(
      r.stderr,
      /POST [^ ]+configmaps\?fieldManager=kubectl-client-side-apply&fieldValidation=Strict 201/,
    );
    const again = await srv.kubectl('1.28', ['apply', '-f', '-'], { input: cm.replace('"1"', '"2"') });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^configmap\/c28 configured$/m);
  });

  test('create -f of a create-only kind and apply of a Namespace still work (1.27, 1.28, 1.33)', async () => {
    const ssar =
      'apiVersion: authorization.k8s.io/v1\nkind: SelfSubjectAccessReview\nspec:\n  resourceAttributes:\n    verb: get\n    resource: pods\n';
    for (const v of ['1.27', '1.28', '1.33']) {
      const r = await srv.kubectl(v, ['create', '-f', '-', '-o', 'jsonpath={.status.allowed}'], {
        input: ssar,
      });
      assert.equal(r.code, 0, `${v}: ${r.stderr}`);
      assert.equal(r.stdout, 'true');
    }
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: from-apply\n';
    const a = await srv.kubectl('1.27', ['apply', '-f', '-'], { input: ns });
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /^namespace\/from-apply created$/m);
    // kubectl 1.27 validates a Namespace client-side against the v2 definitions.
    const bad = await srv.kubectl('1.27', ['apply', '-f', '-'], { input: ns + 'spec:\n  bogus: 1\n' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown field "spec\.bogus"/);
  });

  test('kubectl 1.27 apply of a kind without a schema table merges lists with its built-in types', async () => {
    const sts = (image: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: a, image: nginx}
      - {name: b, image: ${image}}
`;
    assert.equal((await srv.kubectl('1.27', ['apply', '-f', '-'], { input: sts('busybox') })).code, 0);
    const env =
      '[{"op":"add","path":"/spec/template/spec/containers/0/env","value":[{"name":"X","value":"1"}]}]';
    assert.equal((await srv.kubectl('1.33', ['patch', 'sts', 'db', '--type=json', '-p', env])).code, 0);
    const r = await srv.kubectl('1.27', ['apply', '-f', '-'], { input: sts('busybox:2') });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /error calculating patch from openapi spec/);
    const got = await api.request('GET', '/apis/apps/v1/namespaces/default/statefulsets/db');
    const containers = got.json().spec.template.spec.containers as {
      name: string;
      image: string;
      env?: unknown;
    }[];
    assert.deepEqual(
      containers.map((c) => [c.name, c.image, c.env]),
      [
        ['a', 'nginx', [{ name: 'X', value: '1' }]],
        ['b', 'busybox:2', undefined],
      ],
    );
  });

  test('JSON by default with an ETag; If-None-Match is a 304; protobuf on request; 406 otherwise', async () => {
    const json = await api.request('GET', '/openapi/v2');
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(json.headers['vary'], 'Accept');
    const etag = String(json.headers['etag']);
    assert.match(etag, /^"[0-9A-F]{128}"$/);
    const doc = json.json();
    assert.equal(doc.swagger, '2.0');
    assert.deepEqual(doc.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [
      { group: '', kind: 'Pod', version: 'v1' },
    ]);
    assert.equal(
      doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch.operationId,
      'patchAppsV1NamespacedDeployment',
    );
    const again = await api.request('GET', '/openapi/v2', undefined, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const pb = await api.request('GET', '/openapi/v2', undefined, {
      accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
    });
    assert.equal(pb.status, 200);
    assert.equal(pb.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.notEqual(pb.headers['etag'], etag);
    assert.equal(pb.body.subarray(0, 5).toString('latin1'), '\n\x032.0');
    const no = await api.request('GET', '/openapi/v2', undefined, { accept: 'text/html' });
    assert.equal(no.status, 406);
  });
});
