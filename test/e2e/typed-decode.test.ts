/**
 * Typed decoding and wire details against a real server: every write path (create and update in
 * JSON and YAML, merge / JSON / strategic merge patch, server-side apply, a status subresource
 * update) refuses a type mismatch with upstream's status and exact text; Go's normalisation is
 * applied; undecodable bodies get upstream's "object provided is unrecognized" wording; and the
 * bytes of responses are upstream's (json.Encoder's trailing newline, MarshalIndent for pretty).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig, type Response } from './client.js';
import { startServer, type TestServer } from './harness.js';

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const LABELS_JSON_ERR =
  'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string';

const deployment = (name: string, replicas: unknown = 1): string =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx' }] },
      },
    },
  });

function status(r: Response, code: number, reason: string): { message: string; details?: any } {
  assert.equal(r.status, code, r.body.toString());
  const s = r.json();
  assert.equal(s.kind, 'Status');
  assert.equal(s.code, code);
  assert.equal(s.reason, reason);
  return s;
}

describe('typed decoding of every write', () => {
  let srv: TestServer;
  let client: Client;
  before(async () => {
    srv = await startServer();
    client = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
    const a = await client.request(
      'POST',
      CM,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1"}}',
    );
    assert.equal(a.status, 201, a.body.toString());
    const b = await client.request('POST', DEPLOY, deployment('d1'));
    assert.equal(b.status, 201, b.body.toString());
  });
  after(async () => {
    client.close();
    await srv.stop();
  });

  test('create (JSON): 400 "<Kind> in version ... cannot be handled as a <Kind>: json: cannot unmarshal ..."', async () => {
    const r = await client.request(
      'POST',
      CM,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","labels":"a"}}',
    );
    const s = status(r, 400, 'BadRequest');
    assert.equal(s.message, `ConfigMap in version "v1" cannot be handled as a ConfigMap: ${LABELS_JSON_ERR}`);
  });

  test('create (YAML): the same 400', async () => {
    const r = await client.request(
      'POST',
      CM,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: a\n',
      {
        'content-type': 'application/yaml',
      },
    );
    assert.equal(
      status(r, 400, 'BadRequest').message,
      `ConfigMap in version "v1" cannot be handled as a ConfigMap: ${LABELS_JSON_ERR}`,
    );
  });

  test('create: an int32 given 1.5 and a Secret with bad base64', async () => {
    const r = await client.request('POST', DEPLOY, deployment('d-frac', 1.5));
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const sec = await client.request(
      'POST',
      '/api/v1/namespaces/default/secrets',
      '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"%%%"}}',
    );
    assert.equal(
      status(sec, 400, 'BadRequest').message,
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0',
    );
  });

  test('create: an int32 given 1.0 is refused with the token as written; a Quantity 2.0 is "2"', async () => {
    const r = await client.request(
      'POST',
      DEPLOY,
      deployment('d-one').replace('"replicas":1', '"replicas":1.0'),
    );
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number 1.0 into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const q = await client.request(
      'POST',
      '/api/v1/namespaces/default/resourcequotas',
      '{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"pods":2.0,"cpu":0.5}}}',
    );
    assert.equal(q.status, 201, q.body.toString());
    assert.equal(q.json().spec.hard.pods, '2');
  });

  test('update (PUT): 400 with the same text', async () => {
    const r = await client.request(
      'PUT',
      `${CM}/cm1`,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1","labels":"a"}}',
    );
    assert.equal(
      status(r, 400, 'BadRequest').message,
      `ConfigMap in version "v1" cannot be handled as a ConfigMap: ${LABELS_JSON_ERR}`,
    );
  });

  test('merge patch and JSON patch: 422 Invalid on "patch" with the patched object', async () => {
    const want = new RegExp(
      `^ "" is invalid: patch: Invalid value: "\\{.*\\\\"labels\\\\":\\\\"a\\\\".*\\}": ${LABELS_JSON_ERR.replace(/[[\]]/g, '\\$&')}$`,
    );
    const m = await client.request('PATCH', `${CM}/cm1`, '{"metadata":{"labels":"a"}}', {
      'content-type': 'application/merge-patch+json',
    });
    const s = status(m, 422, 'Invalid');
    assert.match(s.message, want);
    assert.equal(s.details.causes[0].field, 'patch');
    assert.equal(s.details.causes[0].reason, 'FieldValueInvalid');
    const j = await client.request(
      'PATCH',
      `${CM}/cm1`,
      '[{"op":"add","path":"/metadata/labels","value":"a"}]',
      {
        'content-type': 'application/json-patch+json',
      },
    );
    assert.match(status(j, 422, 'Invalid').message, want);
  });

  test('strategic merge patch: 422 with the patch as a Go map and the converter text', async () => {
    const r = await client.request('PATCH', `${CM}/cm1`, '{"metadata":{"labels":"a"}}', {
      'content-type': 'application/strategic-merge-patch+json',
    });
    assert.equal(
      status(r, 422, 'Invalid').message,
      ' "" is invalid: patch: Invalid value: "map[metadata:map[labels:a]]": cannot restore map from string',
    );
    const d = await client.request('PATCH', `${DEPLOY}/d1`, '{"spec":{"replicas":"3"}}', {
      'content-type': 'application/strategic-merge-patch+json',
    });
    assert.equal(
      status(d, 422, 'Invalid').message,
      ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32',
    );
  });

  test('apply (create and update): 400 "failed to create typed patch object" with smd texts', async () => {
    const headers = { 'content-type': 'application/apply-patch+yaml' };
    const created = await client.request(
      'PATCH',
      `${CM}/cm-apply?fieldManager=t`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-apply\n  labels: a\n',
      headers,
    );
    assert.equal(
      status(created, 400, 'BadRequest').message,
      'failed to create typed patch object (/cm-apply; /v1, Kind=ConfigMap): .metadata.labels: expected map, got &{a}',
    );
    const updated = await client.request(
      'PATCH',
      `${DEPLOY}/d1?fieldManager=t`,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d1\nspec:\n  replicas: three\n  paused: 1\n',
      headers,
    );
    assert.equal(
      status(updated, 400, 'BadRequest').message,
      [
        'failed to create typed patch object (/d1; apps/v1, Kind=Deployment): errors:',
        '  .spec.paused: expected boolean, got &{1}',
        '  .spec.replicas: expected numeric (int or float), got string',
      ].join('\n'),
    );
  });

  test('apply: a value smd accepts but Go cannot hold fails converting the merged object', async () => {
    const r = await client.request(
      'PATCH',
      `${DEPLOY}/d1?fieldManager=t&force=true`,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d1\nspec:\n  replicas: 1.5\n',
      { 'content-type': 'application/apply-patch+yaml' },
    );
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'failed to convert new object (default/d1; apps/v1, Kind=Deployment) to proper version: cannot convert float64 to int32',
    );
  });

  test('status subresource update: the same decoding', async () => {
    const cur = (await client.request('GET', `${DEPLOY}/d1`)).json();
    cur.status = { replicas: 'x' };
    const r = await client.request('PUT', `${DEPLOY}/d1/status`, JSON.stringify(cur));
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentStatus.status.replicas of type int32',
    );
  });

  test('subresource and review creates: TokenRequest, SelfSubjectAccessReview, Eviction', async () => {
    const t = await client.request(
      'POST',
      '/api/v1/namespaces/default/serviceaccounts/default/token',
      '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":"x"}}',
    );
    assert.equal(
      status(t, 400, 'BadRequest').message,
      'TokenRequest in version "v1" cannot be handled as a TokenRequest: json: cannot unmarshal string into Go struct field TokenRequestSpec.spec.expirationSeconds of type int64',
    );
    const r = await client.request(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      '{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":"pods"}}',
    );
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'SelfSubjectAccessReview in version "v1" cannot be handled as a SelfSubjectAccessReview: json: cannot unmarshal string into Go struct field SelfSubjectAccessReviewSpec.spec.resourceAttributes of type v1.ResourceAttributes',
    );
    const e = await client.request(
      'POST',
      '/api/v1/namespaces/default/pods/p1/eviction',
      '{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"p1"},"deleteOptions":{"gracePeriodSeconds":"now"}}',
    );
    assert.equal(
      status(e, 400, 'BadRequest').message,
      'Eviction in version "v1" cannot be handled as a Eviction: json: cannot unmarshal string into Go struct field DeleteOptions.deleteOptions.gracePeriodSeconds of type int64',
    );
  });

  test('normalised as Go does: null dropped, integer Quantities as strings, whole floats accepted', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p1', labels: null, annotations: { a: null } },
      spec: {
        containers: [
          { name: 'c', image: 'nginx', resources: { limits: { cpu: 1 } }, ports: [{ containerPort: 80.0 }] },
        ],
      },
    };
    const r = await client.request('POST', '/api/v1/namespaces/default/pods', JSON.stringify(pod));
    assert.equal(r.status, 201, r.body.toString());
    const got = r.json();
    assert.equal(got.metadata.labels, undefined);
    assert.deepEqual(got.metadata.annotations, { a: '' });
    assert.equal(got.spec.containers[0].resources.limits.cpu, '1');
    assert.equal(got.spec.containers[0].ports[0].containerPort, 80);
  });

  test('a kind without a schema table passes unchanged (Lease)', async () => {
    const r = await client.request(
      'POST',
      '/apis/coordination.k8s.io/v1/namespaces/default/leases',
      '{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l1"},"spec":{"holderIdentity":"a"}}',
    );
    assert.equal(r.status, 201, r.body.toString());
  });
});

describe('undecodable bodies and response bytes', () => {
  let srv: TestServer;
  let client: Client;
  before(async () => {
    srv = await startServer();
    client = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    client.close();
    await srv.stop();
  });

  test('bad JSON: "the object provided is unrecognized" with Go\'s syntax error and the body summary', async () => {
    const r = await client.request('POST', CM, '{"apiVersion": "v1", "kind": ');
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion": "v1", "kind": )',
    );
    const x = await client.request(
      'POST',
      CM,
      '{"apiVersion":"v1",kind:"ConfigMap","metadata":{"name":"abcdef"}}',
    );
    assert.equal(
      status(x, 400, 'BadRequest').message,
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: invalid character \'k\' looking for beginning of object key string ({"apiVersion":"v1",kind:"Confi ...)',
    );
  });

  test('a body that is not an object, and a kind that is not a string', async () => {
    const r = await client.request('POST', CM, '[1,2,3]');
    assert.equal(
      status(r, 400, 'BadRequest').message,
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b312c322c335d)',
    );
    const k = await client.request('POST', CM, '{"kind":5}');
    assert.equal(
      status(k, 400, 'BadRequest').message,
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal number into Go struct field .kind of type string ({"kind":5})',
    );
  });

  test("JSON responses end with json.Encoder's newline: objects, lists, errors, discovery", async () => {
    const created = await client.request(
      'POST',
      CM,
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"nl"},"data":{"h":"<b>&"}}',
    );
    assert.equal(created.status, 201);
    for (const path of [`${CM}/nl`, CM, `${CM}/missing`, '/api', '/api/v1', '/apis', '/apis/apps/v1']) {
      const r = await client.request('GET', path);
      const text = r.body.toString('utf8');
      assert.ok(
        text.endsWith('}\n') && !text.endsWith('\n\n'),
        `${path}: ${JSON.stringify(text.slice(-20))}`,
      );
      assert.doesNotThrow(() => JSON.parse(text), path);
    }
    const got = (await client.request('GET', `${CM}/nl`)).body.toString('utf8');
    assert.match(got, /"data":\{"h":"\\u003cb\\u003e\\u0026"\}/, 'Go escapes HTML characters');
    const missing = (await client.request('GET', `${CM}/missing`)).body.toString('utf8');
    assert.equal(
      missing,
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"missing\\" not found","reason":"NotFound","details":{"name":"missing","kind":"configmaps"},"code":404}\n',
    );
  });

  test('?pretty=true and curl/Wget/browser user agents get MarshalIndent output without a newline', async () => {
    const want = '{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n';
    for (const [path, headers] of [
      [`${CM}/missing?pretty=true`, {}],
      [`${CM}/missing`, { 'user-agent': 'curl/8.5.0' }],
      [`${CM}/missing`, { 'user-agent': 'Wget/1.21.4' }],
      [`${CM}/missing`, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' }],
    ] as const) {
      const text = (await client.request('GET', path, undefined, headers)).body.toString('utf8');
      assert.ok(text.startsWith(want), `${path} ${JSON.stringify(headers)}: ${text.slice(0, 80)}`);
      assert.ok(text.endsWith('  "code": 404\n}'), JSON.stringify(text.slice(-20)));
    }
    const compact = (
      await client.request('GET', `${CM}/missing?pretty=false`, undefined, { 'user-agent': 'curl/8.5.0' })
    ).body.toString('utf8');
    assert.ok(compact.startsWith('{"kind":"Status"') && compact.endsWith('}\n'));
    const obj = (await client.request('GET', `${CM}/nl?pretty=1`)).body.toString('utf8');
    // Key order is the stored order (upstream writes Go struct order; not covered here).
    assert.match(obj, /^\{\n {2}"/);
    assert.match(obj, /\n {4}"name": "nl",\n/);
    assert.match(obj, /"h": "\\u003cb\\u003e\\u0026"/);
    const list = (await client.request('GET', `${CM}?pretty=true`)).body.toString('utf8');
    assert.match(list, /^\{\n {2}"kind": "ConfigMapList",/);
    assert.ok(list.endsWith('\n}'));
  });

  test('/version is indented without a newline (WriteRawJSON), /healthz is plain text', async () => {
    const v = (await client.request('GET', '/version')).body.toString('utf8');
    assert.match(v, /^\{\n {2}"major": "1",/);
    assert.ok(v.endsWith('\n}'));
    const h = await client.request('GET', '/healthz');
    assert.equal(h.body.toString('utf8'), 'ok');
  });
});
