/**
 * Server-side field validation end to end: kubectl's `--validate` modes (Strict by default, Ignore
 * with --validate=false, Warn with --validate=warn) against unknown fields, and the raw API for
 * the default (Warn), patches and server-side apply.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';

const deployment = (name: string, extra = ''): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
spec:
${extra}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: web
        image: nginx
`;

const STRICT_ERROR =
  'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"';

describe('field validation', () => {
  let srv: TestServer;
  let client: Client;
  before(async () => {
    srv = await startServer();
    client = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
  });
  after(async () => {
    client?.close();
    await srv?.stop();
  });

  test('kubectl apply (fieldValidation=Strict) fails with the strict decoding error', async () => {
    const r = await srv.kubectl('1.33', ['apply', '-f', '-'], {
      input: deployment('strict', '  replica: 2\n'),
    });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(
      r.stderr,
      new RegExp(
        `Error from server \\(BadRequest\\): error when creating "STDIN": ${STRICT_ERROR.replace(/[.()]/g, '\\$&')}`,
      ),
    );
    const get = await srv.kubectl('1.33', ['get', 'deployment', 'strict']);
    assert.notEqual(get.code, 0);
  });

  test('kubectl apply --validate=false (Ignore) succeeds and drops the field', async () => {
    const r = await srv.kubectl('1.33', ['apply', '--validate=false', '-f', '-'], {
      input: deployment('ignored', '  replica: 2\n'),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Warning/);
    const get = await srv.kubectl('1.33', ['get', 'deployment', 'ignored', '-o', 'json']);
    assert.equal(get.code, 0, get.stderr);
    assert.equal('replica' in JSON.parse(get.stdout).spec, false);
  });

  test('kubectl create --validate=warn prints the warning and succeeds', async () => {
    const r = await srv.kubectl('1.33', ['create', '-f', '-', '--validate=warn'], {
      input: deployment('warned', '  replica: 2\n'),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: unknown field "spec\.replica"/);
    assert.match(r.stdout, /deployment.apps\/warned created/);
  });

  test('kubectl apply of known fields only: no warnings, then a client-side apply update', async () => {
    let r = await srv.kubectl('1.33', ['apply', '-f', '-'], {
      input: deployment('clean', '  replicas: 2\n'),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    r = await srv.kubectl('1.33', ['apply', '-f', '-'], { input: deployment('clean', '  replicas: 3\n') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  test('no fieldValidation parameter means Warn', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm-default', bogus: 1 },
      data: { a: 'b' },
      extra: true,
    });
    const r = await client.request('POST', '/api/v1/namespaces/default/configmaps', body);
    assert.equal(r.status, 201, r.body.toString());
    assert.deepEqual(
      r.headers['warning'],
      '299 - "unknown field \\"metadata.bogus\\"", 299 - "unknown field \\"extra\\""',
    );
    assert.equal('extra' in r.json(), false);
  });

  test('merge patch: the patched object is checked; Strict is a 422 on "patch"', async () => {
    const path = '/api/v1/namespaces/default/configmaps/cm-default';
    const patch = JSON.stringify({ data: { c: 'd' }, zzz: 1, metadata: { labels: { x: 'y' }, oops: 2 } });
    const headers = { 'content-type': 'application/merge-patch+json' };
    let r = await client.request('PATCH', `${path}?fieldValidation=Strict`, patch, headers);
    assert.equal(r.status, 422, r.body.toString());
    const st = r.json();
    assert.equal(st.reason, 'Invalid');
    assert.match(
      st.message,
      /^ "" is invalid: patch: Invalid value: ".*": strict decoding error: unknown field "metadata.oops", unknown field "zzz"$/,
    );
    assert.equal(st.details.causes[0].field, 'patch');
    r = await client.request('PATCH', path, patch, headers);
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(
      r.headers['warning'],
      '299 - "unknown field \\"metadata.oops\\"", 299 - "unknown field \\"zzz\\""',
    );
    assert.equal(r.json().metadata.labels.x, 'y');
    assert.equal('zzz' in r.json(), false);
  });

  test('json patch: unknown members of operations are reported too', async () => {
    const path = '/api/v1/namespaces/default/configmaps/cm-default?fieldValidation=Warn';
    const patch = JSON.stringify([{ op: 'add', path: '/data/e', value: 'f', foo: 'bar' }]);
    const r = await client.request('PATCH', path, patch, { 'content-type': 'application/json-patch+json' });
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.headers['warning'], '299 - "json patch unknown field \\"[0].foo\\""');
  });

  test('server-side apply rejects unknown fields as upstream field manager does, but with 400', async () => {
    const r = await srv.kubectl('1.33', ['apply', '--server-side', '-f', '-'], {
      input: deployment('ssa', '  replica: 2\n'),
    });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /failed to create typed patch object \(default\/ssa; apps\/v1, Kind=Deployment\): \.spec\.replica: field not declared in schema/,
    );
    const ok = await srv.kubectl('1.33', ['apply', '--server-side', '-f', '-'], { input: deployment('ssa') });
    assert.equal(ok.code, 0, ok.stderr);
  });
});
