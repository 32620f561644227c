/**
 * Kinds × write paths × bad types against a real server, with upstream's exact code and text per
 * path (endpoints/handlers create.go, update.go, patch.go; fieldmanager structuredmerge.go):
 * create and update 400 `<Kind> in version "v1" cannot be handled as a <Kind>: <encoding/json>`,
 * merge and JSON patch 422 `Invalid value: "<patched JSON>": <encoding/json>`, strategic merge
 * 422 `Invalid value: "<patch as a Go map>": <FromUnstructured>`, apply 400
 * `failed to create typed patch object (...): <structured-merge-diff>`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentialsFromKubeconfig } from './client.js';
import { startServer, type TestServer } from './harness.js';

interface Row {
  kind: string;
  apiVersion: string;
  path: string;
  /** A valid object, created first. */
  valid: Record<string, unknown>;
  /** The bad part, merged over the valid object (create/update/apply) or sent as the patch. */
  bad: Record<string, unknown>;
  /** The bad member as JSON text, which must never be stored. */
  leaf: string;
  /** A JSON patch setting the same bad value. */
  jsonPatch: unknown[];
  json: string;
  smpValue: string;
  unstructured: string;
  apply: string;
}

const podTemplate = {
  metadata: { labels: { app: 'd' } },
  spec: { containers: [{ name: 'web', image: 'nginx' }] },
};

const rows: Row[] = [
  {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    path: '/api/v1/namespaces/default/configmaps',
    valid: { data: { a: 'b' } },
    bad: { metadata: { labels: 'x' } },
    leaf: '"labels":"x"',
    jsonPatch: [{ op: 'add', path: '/metadata/labels', value: 'x' }],
    json: 'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    smpValue: 'map[metadata:map[labels:x]]',
    unstructured: 'cannot restore map from string',
    apply: '.metadata.labels: expected map, got &{x}',
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    path: '/apis/apps/v1/namespaces/default/deployments',
    valid: { spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: podTemplate } },
    bad: { spec: { replicas: '3' } },
    leaf: '"replicas":"3"',
    jsonPatch: [{ op: 'replace', path: '/spec/replicas', value: '3' }],
    json: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    smpValue: 'map[spec:map[replicas:3]]',
    unstructured: 'unrecognized type: int32',
    apply: '.spec.replicas: expected numeric (int or float), got string',
  },
  {
    kind: 'Service',
    apiVersion: 'v1',
    path: '/api/v1/namespaces/default/services',
    valid: { spec: { ports: [{ port: 80 }] } },
    bad: { spec: { ports: '80' } },
    leaf: '"ports":"80"',
    jsonPatch: [{ op: 'replace', path: '/spec/ports', value: '80' }],
    json: 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort',
    smpValue: 'map[spec:map[ports:80]]',
    unstructured: 'cannot restore slice from string',
    apply: '.spec.ports: expected list, got &{80}',
  },
  {
    kind: 'Role',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles',
    valid: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    bad: { rules: [{ apiGroups: [''], resources: ['pods'], verbs: 'get' }] },
    leaf: '"verbs":"get"',
    jsonPatch: [{ op: 'replace', path: '/rules/0/verbs', value: 'get' }],
    json: 'json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string',
    smpValue: 'map[rules:[map[apiGroups:[] resources:[pods] verbs:get]]]',
    unstructured: 'cannot restore slice from string',
    apply: '.rules[0].verbs: expected list, got &{get}',
  },
  {
    kind: 'Pod',
    apiVersion: 'v1',
    path: '/api/v1/namespaces/default/pods',
    valid: { spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    bad: { spec: { containers: [{ name: 'web', image: 'nginx', stdin: 'yes' }] } },
    leaf: '"stdin":"yes"',
    jsonPatch: [{ op: 'add', path: '/spec/containers/0/stdin', value: 'yes' }],
    json: 'json: cannot unmarshal string into Go struct field Container.spec.containers.stdin of type bool',
    smpValue: 'map[spec:map[containers:[map[image:nginx name:web stdin:yes]]]]',
    unstructured: 'unrecognized type: bool',
    apply: '.spec.containers[name="web"].stdin: expected boolean, got &{yes}',
  },
];

function deepMerge(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) out[k] = deepMerge(out[k], v);
    return out;
  }
  return b;
}

const toYaml = (o: unknown): string => JSON.stringify(o); // JSON is YAML

describe('typed decoding: kinds × write paths', () => {
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

  for (const r of rows) {
    const obj = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
      deepMerge(
        { apiVersion: r.apiVersion, kind: r.kind, metadata: { name, namespace: 'default' }, ...r.valid },
        extra,
      ) as Record<string, unknown>;
    const version = r.apiVersion.split('/').pop()!;
    const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '';
    const handled = `${r.kind} in version "${version}" cannot be handled as a ${r.kind}: ${r.json}`;

    test(`${r.kind}: create, update, merge, JSON patch, strategic merge, apply`, async () => {
      const ok = await client.request('POST', r.path, JSON.stringify(obj('good')));
      assert.equal(ok.status, 201, ok.body.toString());

      const check = async (
        what: string,
        res: Promise<{ status: number; json(): any }>,
        code: number,
        message: string | RegExp,
      ): Promise<void> => {
        const got = await res;
        const s = got.json();
        assert.equal(got.status, code, `${what}: ${JSON.stringify(s)}`);
        assert.equal(s.code, code, what);
        assert.equal(s.reason, code === 422 ? 'Invalid' : 'BadRequest', what);
        if (typeof message === 'string') assert.equal(s.message, message, what);
        else assert.match(s.message, message, what);
      };

      await check('create', client.request('POST', r.path, JSON.stringify(obj('bad', r.bad))), 400, handled);
      await check(
        'create (YAML)',
        client.request('POST', r.path, toYaml(obj('bad', r.bad)), { 'content-type': 'application/yaml' }),
        400,
        handled,
      );
      await check(
        'update',
        client.request('PUT', `${r.path}/good`, JSON.stringify(obj('good', r.bad))),
        400,
        handled,
      );
      const patched = new RegExp(
        `^ "" is invalid: patch: Invalid value: "\\{.*\\}": ${r.json.replace(/[[\]().*+?]/g, '\\$&')}$`,
      );
      await check(
        'merge patch',
        client.request('PATCH', `${r.path}/good`, JSON.stringify(r.bad), {
          'content-type': 'application/merge-patch+json',
        }),
        422,
        patched,
      );
      await check(
        'JSON patch',
        client.request('PATCH', `${r.path}/good`, JSON.stringify(r.jsonPatch), {
          'content-type': 'application/json-patch+json',
        }),
        422,
        patched,
      );
      await check(
        'strategic merge patch',
        client.request('PATCH', `${r.path}/good`, JSON.stringify(r.bad), {
          'content-type': 'application/strategic-merge-patch+json',
        }),
        422,
        ` "" is invalid: patch: Invalid value: ${JSON.stringify(r.smpValue)}: ${r.unstructured}`,
      );
      await check(
        'apply',
        client.request('PATCH', `${r.path}/good?fieldManager=table&force=true`, toYaml(obj('good', r.bad)), {
          'content-type': 'application/apply-patch+yaml',
        }),
        400,
        `failed to create typed patch object (default/good; ${group}/${version}, Kind=${r.kind}): ${r.apply}`,
      );
      const still = await client.request('GET', `${r.path}/good`);
      assert.equal(still.status, 200);
      assert.ok(!still.body.toString().includes(r.leaf), 'nothing bad was stored');
      assert.ok(JSON.stringify(r.bad).includes(r.leaf), 'the leaf is the bad value');
    });
  }
});
