/**
 * The generated OpenAPI v3 documents: upstream schema names, field types, special types,
 * strategic-merge extensions, minimal schemas of kinds without a protobuf schema, and the PATCH
 * operations kubectl's fieldValidation detection reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allResources, groupVersions } from '../registry/index.js';
import { componentSchemas, kindSchemaName, schemaName, type OpenAPISchema } from './openapi.js';
import { groupVersionDocument, openapiV3Doc, openapiV3Root } from './openapi-documents.js';

const REF = '#/components/schemas/';
type Props = Record<string, OpenAPISchema>;
const core = componentSchemas('', 'v1');
const props = (s: OpenAPISchema | undefined): Props => (s?.properties ?? {}) as Props;
const refOf = (s: OpenAPISchema): string =>
  (s.$ref as string | undefined) ?? ((s.allOf as OpenAPISchema[] | undefined)?.[0]?.$ref as string);

/** Every `$ref` in a document resolves to one of its component schemas. */
function checkRefs(schemas: Record<string, OpenAPISchema>, where: string): void {
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref') {
          assert.ok((x as string).startsWith(REF), `${where}: ${String(x)}`);
          assert.ok(
            Object.hasOwn(schemas, (x as string).slice(REF.length)),
            `${where}: dangling ${String(x)}`,
          );
        } else walk(x);
      }
    }
  };
  walk(schemas);
}

test('schema names follow upstream', () => {
  assert.equal(schemaName('core.v1.Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(schemaName('meta.v1.ObjectMeta'), 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.equal(schemaName('intstr.IntOrString'), 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(schemaName('resource.Quantity'), 'io.k8s.apimachinery.pkg.api.resource.Quantity');
  assert.equal(schemaName('rbac.v1.RoleBinding'), 'io.k8s.api.rbac.v1.RoleBinding');
  assert.equal(kindSchemaName('apps', 'v1', 'ReplicaSet'), 'io.k8s.api.apps.v1.ReplicaSet');
  assert.equal(kindSchemaName('coordination.k8s.io', 'v1', 'Lease'), 'io.k8s.api.coordination.v1.Lease');
});

test('Pod: GVK, common fields, spec.containers is an array of Container', () => {
  const pod = core['io.k8s.api.core.v1.Pod']!;
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.match(pod.description as string, /^Pod is a collection of containers/);
  const p = props(pod);
  assert.deepEqual(Object.keys(p), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.equal(p.apiVersion!.type, 'string');
  assert.match(p.apiVersion!.description as string, /^APIVersion defines the versioned schema/);
  assert.equal(refOf(p.metadata!), `${REF}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`);
  assert.equal(refOf(p.spec!), `${REF}io.k8s.api.core.v1.PodSpec`);
  const containers = props(core['io.k8s.api.core.v1.PodSpec']).containers!;
  assert.equal(containers.type, 'array');
  assert.deepEqual(containers.items, { $ref: `${REF}io.k8s.api.core.v1.Container` });
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(core['io.k8s.api.core.v1.Container']!['x-kubernetes-group-version-kind'], undefined);
  assert.deepEqual(props(core['io.k8s.api.core.v1.Container']).image, {
    description: props(core['io.k8s.api.core.v1.Container']).image!.description,
    type: 'string',
  });
});

test('scalar, map, bytes and special types', () => {
  const meta = props(core['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.equal(meta.labels!.type, 'object');
  assert.deepEqual(meta.labels!.additionalProperties, { type: 'string' });
  assert.deepEqual(meta.generation, { type: 'integer', format: 'int64' });
  assert.equal(refOf(meta.creationTimestamp!), `${REF}io.k8s.apimachinery.pkg.apis.meta.v1.Time`);
  assert.equal(core['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!.type, 'string');
  assert.equal(core['io.k8s.apimachinery.pkg.apis.meta.v1.Time']!.format, 'date-time');
  assert.equal(core['io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1']!.type, 'object');
  assert.equal(core['io.k8s.apimachinery.pkg.util.intstr.IntOrString']!['x-kubernetes-int-or-string'], true);
  assert.equal(core['io.k8s.apimachinery.pkg.api.resource.Quantity']!['x-kubernetes-int-or-string'], true);
  const port = props(core['io.k8s.api.core.v1.ContainerPort']);
  assert.deepEqual(port.containerPort, { type: 'integer', format: 'int32' });
  const secret = props(core['io.k8s.api.core.v1.Secret']);
  assert.deepEqual(secret.data!.additionalProperties, { type: 'string', format: 'byte' });
  assert.deepEqual(props(core['io.k8s.api.core.v1.ConfigMap']).immutable, { type: 'boolean' });
  const limits = props(core['io.k8s.api.core.v1.ResourceRequirements']).limits!;
  assert.deepEqual(limits.additionalProperties, {
    $ref: `${REF}io.k8s.apimachinery.pkg.api.resource.Quantity`,
  });
  // Inline (embedded) structs are merged: ConfigMapKeySelector has LocalObjectReference's name.
  assert.deepEqual(Object.keys(props(core['io.k8s.api.core.v1.ConfigMapKeySelector'])), [
    'name',
    'key',
    'optional',
  ]);
});

test('RoleBinding subjects and Role rules', () => {
  const rbac = componentSchemas('rbac.authorization.k8s.io', 'v1');
  const subjects = props(rbac['io.k8s.api.rbac.v1.RoleBinding']).subjects!;
  assert.equal(subjects.type, 'array');
  assert.deepEqual(subjects.items, { $ref: `${REF}io.k8s.api.rbac.v1.Subject` });
  assert.deepEqual(Object.keys(props(rbac['io.k8s.api.rbac.v1.Subject'])).sort(), [
    'apiGroup',
    'kind',
    'name',
    'namespace',
  ]);
  const verbs = props(rbac['io.k8s.api.rbac.v1.PolicyRule']).verbs!;
  assert.deepEqual(verbs, { type: 'array', items: { type: 'string' } });
  assert.equal(rbac['io.k8s.api.core.v1.Pod'], undefined, 'only referenced types are listed');
});

test('kinds without a protobuf schema get a minimal object schema', () => {
  const apps = componentSchemas('apps', 'v1');
  const rs = apps['io.k8s.api.apps.v1.ReplicaSet']!;
  assert.deepEqual(rs['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'ReplicaSet', version: 'v1' },
  ]);
  assert.deepEqual(Object.keys(props(rs)), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.equal(props(rs).spec!.type, 'object');
  assert.ok(apps['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(apps['io.k8s.api.core.v1.Container'], 'Deployment references the pod template');
});

test('every served kind has exactly one schema with its GVK, and every $ref resolves', () => {
  for (const gv of groupVersions()) {
    for (const version of gv.versions) {
      const schemas = componentSchemas(gv.group, version);
      checkRefs(schemas, `${gv.group}/${version}`);
      for (const r of allResources.filter((x) => x.group === gv.group && x.versions.includes(version))) {
        const gvk = { group: gv.group, kind: r.kind, version };
        const matches = Object.values(schemas).filter((s) =>
          ((s['x-kubernetes-group-version-kind'] ?? []) as object[]).some((g) => isEqual(g, gvk)),
        );
        assert.equal(matches.length, 1, `${gv.group}/${version} ${r.kind}`);
      }
    }
  }
});

function isEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

test('PATCH operations keep the fieldValidation parameter and GVK; documents are cached', () => {
  const doc = groupVersionDocument('rbac.authorization.k8s.io', 'v1')!;
  const paths = doc.paths as Record<string, { patch?: OpenAPISchema }>;
  const op = paths['/apis/rbac.authorization.k8s.io/v1/namespaces/{namespace}/roles/{name}']!.patch!;
  assert.deepEqual(op['x-kubernetes-group-version-kind'], {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
  });
  assert.deepEqual((op.parameters as OpenAPISchema[])[0]!.name, 'fieldValidation');
  const review = groupVersionDocument('authentication.k8s.io', 'v1')!.paths as Record<string, OpenAPISchema>;
  assert.ok(review['/apis/authentication.k8s.io/v1/tokenreviews']!.post);
  const b = openapiV3Doc('api/v1')!;
  assert.equal(openapiV3Doc('api/v1'), b, 'same Buffer on the second request');
  assert.deepEqual(Object.keys(JSON.parse(b.toString()) as object), [
    'openapi',
    'info',
    'paths',
    'components',
  ]);
  assert.equal(openapiV3Doc('apis/nosuch/v1'), undefined);
  assert.equal(openapiV3Doc('api/v2'), undefined);
  const root = JSON.parse(openapiV3Root().toString()) as {
    paths: Record<string, { serverRelativeURL: string }>;
  };
  assert.equal(root.paths['apis/apps/v1']!.serverRelativeURL, '/openapi/v3/apis/apps/v1');
});
