/**
 * Secret `stringData` (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret): on every
 * write (create, update, patch, apply) each entry is written over `data`, base64-encoded, and
 * `stringData` is never stored or returned.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.js';
import { Client, credentialsFromKubeconfig } from './client.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const SECRETS = '/api/v1/namespaces/default/secrets';

describe('Secret stringData', () => {
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

  const get = async (name: string) => (await c.request('GET', `${SECRETS}/${name}`)).json();

  test('create merges stringData over data and drops it (response and storage)', async () => {
    const r = await c.request(
      'POST',
      SECRETS,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's1' },
        data: { kept: b64('k'), over: b64('old') },
        stringData: { over: 'new', added: 'ünïcode' },
      }),
    );
    assert.equal(r.status, 201, r.body.toString());
    const want = { kept: b64('k'), over: b64('new'), added: b64('ünïcode') };
    assert.deepEqual(r.json().data, want);
    assert.equal(r.json().stringData, undefined);
    const stored = await get('s1');
    assert.deepEqual(stored.data, want);
    assert.equal(stored.stringData, undefined);
  });

  test('stringData that is not a map of strings is a 400', async () => {
    for (const stringData of [{ n: 5 }, ['x'], 'str']) {
      const r = await c.request('POST', SECRETS, JSON.stringify({ metadata: { name: 'bad' }, stringData }));
      assert.equal(r.status, 400, r.body.toString());
      assert.match(
        r.json().message,
        /^Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal/,
      );
    }
    assert.equal((await c.request('GET', `${SECRETS}/bad`)).status, 404);
  });

  test('dry-run create answers the merged data too', async () => {
    const r = await c.request(
      'POST',
      `${SECRETS}?dryRun=All`,
      JSON.stringify({ metadata: { name: 's-dry' }, stringData: { a: 'b' } }),
    );
    assert.equal(r.status, 201, r.body.toString());
    assert.deepEqual(r.json().data, { a: b64('b') });
    assert.equal(r.json().stringData, undefined);
  });

  test('update and merge patch merge stringData', async () => {
    const cur = await get('s1');
    const u = await c.request(
      'PUT',
      `${SECRETS}/s1`,
      JSON.stringify({ ...cur, stringData: { kept: 'put' } }),
    );
    assert.equal(u.status, 200, u.body.toString());
    assert.equal(u.json().data.kept, b64('put'));
    assert.equal(u.json().stringData, undefined);
    const p = await c.request('PATCH', `${SECRETS}/s1`, JSON.stringify({ stringData: { patched: 'yes' } }), {
      'content-type': 'application/merge-patch+json',
    });
    assert.equal(p.status, 200, p.body.toString());
    assert.equal(p.json().data.patched, b64('yes'));
    assert.equal(p.json().data.kept, b64('put'));
    assert.equal(p.json().stringData, undefined);
    assert.equal((await get('s1')).stringData, undefined);
  });

  test('kubectl create secret generic --from-literal', async () => {
    const r = await k([
      'create',
      'secret',
      'generic',
      'lit',
      '--from-literal=user=admin',
      '--from-literal=pw=s3cr3t',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const s = await get('lit');
    assert.deepEqual(s.data, { user: b64('admin'), pw: b64('s3cr3t') });
    assert.equal(s.type, 'Opaque');
  });

  const manifest = (value: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: applied\nstringData:\n  token: ${value}\n`;

  test('kubectl apply of a YAML with stringData, then re-applied with a new value', async () => {
    let r = await k(['apply', '-f', '-'], manifest('first'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /secret\/applied created/);
    let s = await get('applied');
    assert.deepEqual(s.data, { token: b64('first') });
    assert.equal(s.stringData, undefined);
    r = await k(['apply', '-f', '-'], manifest('second'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /secret\/applied configured/);
    s = await get('applied');
    assert.deepEqual(s.data, { token: b64('second') });
    assert.equal(s.stringData, undefined);
    const json = await k(['get', 'secret', 'applied', '-o', 'jsonpath={.data.token}']);
    assert.equal(json.stdout, b64('second'));
  });

  test('kubectl apply --server-side with stringData', async () => {
    const r = await k(['apply', '--server-side', '-f', '-'], manifest('ssa').replace('applied', 'ssa'));
    assert.equal(r.code, 0, r.stderr);
    const s = await get('ssa');
    assert.deepEqual(s.data, { token: b64('ssa') });
    assert.equal(s.stringData, undefined);
  });
});
