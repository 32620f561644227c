/**
 * The OpenAPI v2 document (definitions from the same schema tables as v3, upstream's paths and
 * operation ids), its gnostic protobuf encoding (decoded back field by field with the numbers of
 * gnostic-models openapiv2/OpenAPIv2.proto) and the /openapi/v2 content negotiation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { allResources } from '../registry/index.js';
import { definitionsV2, openapiV2Document, operationGroup, pathsV2, toV2Schema } from './openapi-v2.js';
import { encodeOpenAPIv2 } from './openapi-v2-proto.js';
import { negotiateOpenAPIv2, openapiV2Cached, parseAccept, resetOpenAPIv2Cache } from './openapi-v2-serve.js';
import { kindSchemaName, messageKeyForKind, type OpenAPISchema } from './openapi.js';

type Props = Record<string, OpenAPISchema>;
const defs = definitionsV2();
const paths = pathsV2();
const props = (name: string): Props => (defs[name]?.properties ?? {}) as Props;

test('v3 forms become v2: #/definitions refs, flattened allOf', () => {
  assert.deepEqual(toV2Schema({ description: 'd', allOf: [{ $ref: '#/components/schemas/io.k8s.X' }] }), {
    description: 'd',
    $ref: '#/definitions/io.k8s.X',
  });
  const meta = props('io.k8s.api.core.v1.Pod').metadata!;
  assert.equal(meta.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.match(String(meta.description), /^Standard object's metadata/);
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.type, 'string');
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!.format, 'int-or-string');
  assert.deepEqual(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']!.type, 'string');
  const text = JSON.stringify(defs);
  assert.ok(!text.includes('"allOf"') && !text.includes('#/components/'));
});

test('every $ref resolves; every served kind has one definition with its GVK (and a List)', () => {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') assert.ok(Object.hasOwn(defs, String(x).replace('#/definitions/', '')), String(x));
        else walk(x);
      }
  };
  walk({ defs, paths });
  for (const r of allResources)
    for (const version of r.versions) {
      const gvk = { group: r.group, kind: r.kind, version };
      const withGvk = Object.values(defs).filter((s) =>
        ((s['x-kubernetes-group-version-kind'] ?? []) as object[]).some(
          (g) => JSON.stringify(g) === JSON.stringify(gvk),
        ),
      );
      // Kinds without a schema table have a minimal definition without GVK (see definitionsV2).
      assert.equal(
        withGvk.length,
        messageKeyForKind(r.group, version, r.kind) ? 1 : 0,
        `${r.group}/${version} ${r.kind}`,
      );
      if (!r.virtual) {
        const list = kindSchemaName(r.group, version, r.kind).replace(/\.[^.]+$/, `.${r.listKind}`);
        assert.ok(defs[list], list);
      }
    }
  assert.ok(defs['io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler']);
  assert.ok(props('io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec').behavior);
  assert.ok(defs['io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService']);
});

test('strategic-merge extensions are on the v2 properties', () => {
  const containers = props('io.k8s.api.core.v1.PodSpec').containers!;
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.deepEqual(containers.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
});

test('paths: upstream operation ids, actions, GVK and inline fieldValidation on PATCH', () => {
  assert.equal(operationGroup('', 'v1'), 'CoreV1');
  assert.equal(operationGroup('rbac.authorization.k8s.io', 'v1'), 'RbacAuthorizationV1');
  assert.equal(operationGroup('apiregistration.k8s.io', 'v1'), 'ApiregistrationV1');
  assert.equal(operationGroup('autoscaling', 'v2'), 'AutoscalingV2');
  const pod = paths['/api/v1/namespaces/{namespace}/pods/{name}']!;
  const patch = pod.patch as OpenAPISchema;
  assert.equal(patch.operationId, 'patchCoreV1NamespacedPod');
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Pod', version: 'v1' });
  assert.ok(
    (patch.parameters as OpenAPISchema[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'),
  );
  assert.equal((pod.get as OpenAPISchema).operationId, 'readCoreV1NamespacedPod');
  assert.equal((pod.delete as OpenAPISchema).operationId, 'deleteCoreV1NamespacedPod');
  const ids = Object.values(paths).flatMap((pi) =>
    ['get', 'put', 'post', 'delete', 'patch'].map((m) => (pi[m] as OpenAPISchema | undefined)?.operationId),
  );
  for (const id of [
    'listRbacAuthorizationV1ClusterRole',
    'deleteAppsV1CollectionNamespacedDeployment',
    'listAppsV1DeploymentForAllNamespaces',
    'replaceAutoscalingV2NamespacedHorizontalPodAutoscalerStatus',
    'patchAutoscalingV1NamespacedHorizontalPodAutoscaler',
    'createAuthorizationV1SelfSubjectAccessReview',
    'readApiregistrationV1APIServiceStatus',
  ])
    assert.ok(ids.includes(id), id);
  // CRDs are served, so the Namespace PATCH carries fieldValidation like every other (see patchParams).
  const nsPatch = paths['/api/v1/namespaces/{name}']!.patch as OpenAPISchema;
  assert.ok((nsPatch.parameters as OpenAPISchema[]).some((p) => p.name === 'fieldValidation'));
  for (const r of allResources)
    if (!r.virtual && r.verbs.includes('patch'))
      for (const v of r.versions) {
        const found = Object.values(paths).some(
          (pi) =>
            JSON.stringify((pi.patch as OpenAPISchema | undefined)?.['x-kubernetes-group-version-kind']) ===
            JSON.stringify({ group: r.group, kind: r.kind, version: v }),
        );
        assert.ok(found, `PATCH for ${r.group}/${v} ${r.kind}`);
      }
});

/** Field number -> raw values (varints as numbers, length-delimited as Buffers). */
function msg(b: Buffer): Map<number, (Buffer | number)[]> {
  const out = new Map<number, (Buffer | number)[]>();
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const byte = b[i++]!;
      n += (byte & 0x7f) * mul;
      mul *= 128;
      if (byte < 0x80) return n;
    }
  };
  while (i < b.length) {
    const tag = varint();
    let v: Buffer | number;
    if ((tag & 7) === 0) v = varint();
    else {
      const len = varint();
      v = b.subarray(i, i + len);
      i += len;
    }
    out.set(tag >>> 3, [...(out.get(tag >>> 3) ?? []), v]);
  }
  return out;
}
const one = (m: Map<number, (Buffer | number)[]>, n: number): Buffer => m.get(n)![0] as Buffer;
const str = (m: Map<number, (Buffer | number)[]>, n: number): string => one(m, n).toString('utf8');

test('gnostic protobuf: Document, paths with the PATCH GVK extension and query parameter, definitions', () => {
  const doc = openapiV2Document();
  const pb = encodeOpenAPIv2(doc);
  const d = msg(pb);
  assert.equal(str(d, 1), '2.0');
  assert.equal(str(msg(one(d, 2)), 1), 'Kubernetes');
  const named = msg(one(d, 8))
    .get(2)!
    .map((x) => msg(x as Buffer));
  assert.equal(named.length, Object.keys(doc.paths as object).length);
  const rolePath = named.find(
    (n) => str(n, 1) === '/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}',
  )!;
  const patch = msg(one(msg(one(rolePath, 2)), 8));
  assert.equal(str(patch, 5), 'patchRbacAuthorizationV1NamespacedRole');
  const ext = patch.get(13)!.map((x) => msg(x as Buffer));
  const gvk = ext.find((e) => str(e, 1) === 'x-kubernetes-group-version-kind')!;
  assert.deepEqual(parseYaml(str(msg(one(gvk, 2)), 2)), {
    group: 'rbac.authorization.k8s.io',
    kind: 'Role',
    version: 'v1',
  });
  const queryNames = patch
    .get(8)!
    .map((p) => msg(one(msg(p as Buffer), 1)))
    .filter((p) => p.has(2))
    .map((p) => msg(one(msg(one(p, 2)), 3)))
    .map((q) => str(q, 4));
  assert.ok(queryNames.includes('fieldValidation'), queryNames.join(','));
  const defsPb = msg(one(d, 9))
    .get(1)!
    .map((x) => msg(x as Buffer));
  assert.equal(defsPb.length, Object.keys(doc.definitions as object).length);
  const pod = msg(
    one(
      defsPb.find((n) => str(n, 1) === 'io.k8s.api.core.v1.Pod')!,
      2,
    ),
  );
  assert.equal(str(msg(one(pod, 22)), 1), 'object');
  const podProps = msg(one(pod, 25))
    .get(1)!
    .map((x) => msg(x as Buffer));
  const meta = msg(
    one(
      podProps.find((p) => str(p, 1) === 'metadata')!,
      2,
    ),
  );
  assert.equal(str(meta, 1), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  const podExt = pod.get(31)!.map((x) => msg(x as Buffer));
  assert.deepEqual(parseYaml(str(msg(one(podExt[0]!, 2)), 2)), [{ group: '', kind: 'Pod', version: 'v1' }]);
});

test('content negotiation as kube-openapi: JSON by default, protobuf on request, 406 otherwise', () => {
  assert.equal(negotiateOpenAPIv2(undefined), 'json');
  assert.equal(negotiateOpenAPIv2('*/*'), 'json');
  assert.equal(negotiateOpenAPIv2('application/json, */*'), 'json');
  assert.equal(negotiateOpenAPIv2('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), 'proto');
  assert.equal(negotiateOpenAPIv2('application/com.github.proto-openapi.spec.v2.v1.0+protobuf'), 'proto');
  assert.equal(
    negotiateOpenAPIv2('application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf'),
    'proto',
  );
  assert.equal(negotiateOpenAPIv2('text/html'), undefined);
  assert.deepEqual(
    parseAccept('*/*;q=0.8, application/json').map((c) => c.subtype),
    ['json', '*'],
  );
  const c = openapiV2Cached();
  assert.equal(openapiV2Cached(), c, 'built once');
  assert.match(c.json.etag, /^"[0-9A-F]{128}"$/);
  assert.notEqual(c.json.etag, c.proto.etag);
  resetOpenAPIv2Cache();
  const rebuilt = openapiV2Cached();
  assert.notEqual(rebuilt, c, 'rebuilt after a reset');
  assert.equal(rebuilt.json.etag, c.json.etag, 'same content, same ETag');
});
