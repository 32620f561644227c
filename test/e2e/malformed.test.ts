/**
 * Bad input gets a clear 4xx Status and loses nothing: a table of malformed requests against a
 * real server, each answered with a Kubernetes Status whose code equals the HTTP status, and a
 * final check that the server still serves and stored nothing partial.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';

function deepJson(depth: number): string {
  return (
    '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"deep"},"data":' +
    '['.repeat(depth) +
    ']'.repeat(depth) +
    '}'
  );
}

const aliasBomb = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: bomb}',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
].join('\n');

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  /** upstream's exact Status message, where the case pins it. */
  message?: string;
}

const cm = (name: string, extra = '') =>
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":${JSON.stringify(name)}}${extra}}`;

const cases: Case[] = [
  {
    name: 'malformed JSON body',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: '{"apiVersion": "v1", "kind": ',
    status: 400,
    message:
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion": "v1", "kind": )',
  },
  {
    name: 'JSON body that is not an object',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: '[1,2,3]',
    status: 400,
    message:
      'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b312c322c335d)',
  },
  {
    name: 'malformed YAML body',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: 'kind: ConfigMap\n  bad: [indent',
    headers: { 'content-type': 'application/yaml' },
    status: 400,
  },
  {
    name: 'YAML alias bomb',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: aliasBomb,
    headers: { 'content-type': 'application/yaml' },
    status: 400,
  },
  {
    name: 'JSON nested 100,000 deep',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: deepJson(100_000),
    status: 400,
  },
  {
    name: 'body over 3 MiB',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: cm('big', `,"data":{"x":"${'a'.repeat(3 * 1024 * 1024 + 10)}"}`),
    status: 413,
  },
  {
    name: 'path with .. segment',
    method: 'GET',
    path: '/api/v1/namespaces/default/../kube-system/configmaps',
    status: 400,
  },
  {
    name: 'path with %2F in a segment',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps/a%2Fb',
    status: 400,
  },
  {
    name: 'too-long path',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps/' + 'a'.repeat(9000),
    status: 414,
  },
  {
    name: 'unknown resource',
    method: 'POST',
    path: '/api/v1/namespaces/default/foos',
    body: cm('x'),
    status: 404,
  },
  { name: 'unknown group', method: 'GET', path: '/apis/nope.example.com/v1/things', status: 404 },
  {
    name: 'wrong apiVersion in body',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: '{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}',
    status: 400,
  },
  {
    name: 'wrong kind in body',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}',
    status: 400,
    message:
      'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
  },
  {
    name: 'name that is not DNS-1123',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: cm('Not_A_Name'),
    status: 422,
  },
  {
    name: 'missing name',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}',
    status: 422,
  },
  {
    name: 'namespace in body differs from URL',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"kube-system"}}',
    status: 400,
  },
  {
    name: 'unsupported content type',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: cm('x'),
    headers: { 'content-type': 'text/plain' },
    status: 415,
  },
  {
    name: 'garbage protobuf',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps',
    body: Buffer.from('6b38730012ffff', 'hex'),
    headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
    status: 400,
  },
  {
    name: 'malformed limit',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps?limit=abc',
    status: 400,
  },
  {
    name: 'malformed resourceVersion',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps?resourceVersion=x',
    status: 400,
  },
  {
    name: 'malformed label selector',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(',
    status: 400,
  },
  {
    name: 'unsupported field selector',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps?fieldSelector=spec.nope%3Dx',
    status: 400,
  },
  {
    name: 'malformed continue token',
    method: 'GET',
    path: '/api/v1/namespaces/default/configmaps?limit=1&continue=garbage',
    status: 400,
  },
  {
    name: 'unsupported dryRun value',
    method: 'POST',
    path: '/api/v1/namespaces/default/configmaps?dryRun=Some',
    body: cm('x'),
    status: 400,
  },
  {
    name: 'unsupported patch type',
    method: 'PATCH',
    path: '/api/v1/namespaces/default/configmaps/kube-root',
    body: '{}',
    headers: { 'content-type': 'application/xml' },
    status: 415,
  },
  {
    name: 'JSON patch that is not an array',
    method: 'PATCH',
    path: '/api/v1/namespaces/default/services/kubernetes',
    body: '{}',
    headers: { 'content-type': 'application/json-patch+json' },
    status: 400,
  },
  {
    name: 'create on the all-namespaces path of a namespaced resource',
    method: 'POST',
    path: '/api/v1/configmaps',
    body: cm('x'),
    status: 405,
  },
  {
    name: 'verb the resource does not serve',
    method: 'PUT',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/x',
    body: '{}',
    status: 405,
  },
  {
    name: 'Accept of a type the server cannot produce',
    method: 'GET',
    path: '/api/v1/namespaces',
    headers: { accept: 'application/xml' },
    status: 406,
  },
  { name: 'watch with nothing after it', method: 'GET', path: '/api/v1/watch', status: 400 },
];

describe('malformed requests get a 4xx Status, never a 500 or a crash', () => {
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

  for (const c of cases) {
    test(`${c.name} → ${c.status}`, async () => {
      const r = await client.request(c.method, c.path, c.body, c.headers ?? {});
      assert.equal(r.status, c.status, r.body.toString().slice(0, 300));
      const s = r.json();
      assert.equal(s.kind, 'Status');
      assert.equal(s.apiVersion, 'v1');
      assert.equal(s.status, 'Failure');
      assert.equal(s.code, c.status);
      assert.equal(typeof s.message, 'string');
      if (c.message !== undefined) assert.equal(s.message, c.message);
    });
  }

  test('unknown query parameters are ignored, as upstream ListOptions decoding does', async () => {
    const r = await client.request('GET', '/api/v1/namespaces?frobnicate=1&limit=1');
    assert.equal(r.status, 200);
    assert.equal(r.json().items.length, 1);
  });

  test('duplicate Authorization headers are rejected with 401 (headersDistinct)', async () => {
    const creds = credentialsFromKubeconfig(srv.kubeconfig);
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = connect(
        {
          host: '127.0.0.1',
          port: srv.port,
          ca: creds.ca,
          servername: 'localhost',
          ALPNProtocols: ['http/1.1'],
        },
        () => {
          sock.write(
            'GET /api/v1/namespaces HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer one\r\nAuthorization: Bearer two\r\nConnection: close\r\n\r\n',
          );
        },
      );
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 401/);
    assert.match(raw, /"reason":"Unauthorized"/);
  });

  test('nothing partial was stored and the server still answers', async () => {
    const r = await client.request('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(r.status, 200);
    const names = r.json().items.map((i: any) => i.metadata.name);
    for (const n of ['deep', 'bomb', 'big', 'x', 'Not_A_Name']) assert.ok(!names.includes(n), n);
    const h = await client.request('GET', '/readyz');
    assert.equal(h.status, 200);
  });
});
