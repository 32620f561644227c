/**
 * The descriptor a CRD's custom resources are served with (customresource_handler.go's
 * per-version storage): accepted names, served versions in kube-aware order, storage version,
 * upstream's CR verb order, and per version the subresources, Table, selectable fields, pruning
 * (paths without the leading dot), defaulting and schema validation (CEL included).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { customResourceDescriptor } from './custom-resource.js';
import { customScale } from './scale.js';

const crd = {
  metadata: { name: 'widgets.example.com', uid: 'u1' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
    },
    versions: [
      {
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
      {
        name: 'v1',
        served: true,
        storage: false,
        subresources: {
          status: {},
          scale: {
            specReplicasPath: '.spec.replicas',
            statusReplicasPath: '.status.replicas',
            labelSelectorPath: '.status.selector',
          },
        },
        selectableFields: [{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }],
        additionalPrinterColumns: [{ name: 'Color', type: 'string', jsonPath: '.spec.color' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                'x-kubernetes-validations': [{ rule: 'self.size < 10', message: 'too big' }],
                properties: {
                  size: { type: 'integer', default: 1 },
                  color: { type: 'string' },
                  replicas: { type: 'integer' },
                },
              },
              status: {
                type: 'object',
                properties: { replicas: { type: 'integer' }, selector: { type: 'string' } },
              },
            },
          },
        },
      },
      { name: 'v0', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
    ],
  },
  status: {
    acceptedNames: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wd'],
    },
  },
};

test('names, served versions preferred first, storage version, verbs', () => {
  const d = customResourceDescriptor(crd, () => false);
  assert.deepEqual(
    [d.group, d.resource, d.singular, d.kind, d.listKind, d.namespaced, d.shortNames],
    ['example.com', 'widgets', 'widget', 'Widget', 'WidgetList', true, ['wd']],
  );
  assert.deepEqual(d.versions, ['v1', 'v1beta1']);
  assert.equal(d.custom!.storageVersion, 'v1beta1');
  assert.deepEqual(d.storageKind, { group: 'example.com', version: 'v1beta1', kind: 'Widget' });
  assert.deepEqual(d.verbs, [
    'delete',
    'deletecollection',
    'get',
    'list',
    'patch',
    'create',
    'update',
    'watch',
  ]);
  assert.equal(d.custom!.terminating(), false);
});

test('per version: subresources, status, table, field selectors, scale', () => {
  const d = customResourceDescriptor(crd, () => true);
  const v1 = d.custom!.forVersion('v1');
  const beta = d.custom!.forVersion('v1beta1');
  assert.equal(d.custom!.forVersion('v1'), v1, 'cached');
  assert.deepEqual(
    v1.subresources.map((s) => s.name),
    ['status', 'scale'],
  );
  assert.equal(v1.hasStatus, true);
  assert.deepEqual(beta.subresources, []);
  assert.equal(beta.hasStatus, false);
  assert.deepEqual(
    v1.table!.columns.map((c) => c.name),
    ['Name', 'Color'],
  );
  assert.deepEqual(
    beta.table!.columns.map((c) => c.name),
    ['Name', 'Age'],
  );
  const obj = { metadata: { name: 'w' }, spec: { color: 'red', size: 3 } } as KubeObject;
  assert.equal(v1.fieldSelectors!['spec.color']!(obj), 'red');
  assert.equal(v1.fieldSelectors!['spec.size']!(obj), '3');
  assert.equal(beta.fieldSelectors, undefined);
  assert.equal(d.custom!.scale('v1beta1'), undefined);
  const paths = d.custom!.scale('v1')!;
  const scale = customScale(
    {
      metadata: { name: 'w', namespace: 'n' },
      spec: { replicas: 4 },
      status: { replicas: 2, selector: 'a=b' },
    },
    paths,
  );
  assert.deepEqual([scale.spec, scale.status], [{ replicas: 4 }, { replicas: 2, selector: 'a=b' }]);
  assert.equal(d.custom!.terminating(), true);
});

test('pruning, defaulting and validation use the version schema', () => {
  const d = customResourceDescriptor(crd, () => false);
  const obj = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w' },
    spec: { color: 'red', extra: 1 },
  } as KubeObject;
  assert.deepEqual(d.custom!.prune('v1', obj), ['spec.extra']);
  assert.deepEqual(obj.spec, { color: 'red' });
  const v1 = d.custom!.forVersion('v1');
  v1.defaults!(obj);
  assert.deepEqual(obj.spec, { color: 'red', size: 1 });
  assert.deepEqual(v1.validate!(obj, {}), []);
  (obj.spec as { size: number }).size = 12;
  const errs = v1.validate!(obj, {});
  assert.equal(errs.length, 1);
  assert.equal(errs[0]!.field, 'spec');
  assert.equal(errs[0]!.detail, 'too big');
  const loose = { spec: { anything: true } } as KubeObject;
  assert.deepEqual(d.custom!.prune('v1beta1', loose), []);
});

test('apply schema from the CRD schema: list-type map and set, atomic maps, metadata', async () => {
  const { applySchemaOf } = await import('./apply-schema.js');
  const s = applySchemaOf({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['port', 'protocol'],
            items: {
              type: 'object',
              properties: { port: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' } },
            },
          },
          tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          args: { type: 'array', items: { type: 'string' } },
          labels: {
            type: 'object',
            additionalProperties: { type: 'string' },
            'x-kubernetes-map-type': 'atomic',
          },
        },
      },
    },
  })!;
  const spec = s.fields!.spec!.fields!;
  assert.deepEqual(
    [spec.ports!.listType, spec.ports!.listMapKeys, spec.ports!.keyDefaults],
    ['map', ['port', 'protocol'], { protocol: 'TCP' }],
  );
  assert.equal(spec.tags!.listType, 'set');
  assert.equal(spec.args!.listType, 'atomic');
  assert.equal(spec.labels!.atomic, true);
  assert.ok(s.fields!.metadata!.fields!.finalizers);
  assert.equal(applySchemaOf(undefined), undefined);
});

test('a deprecated version warns with its text or the default one', () => {
  const c = structuredClone(crd) as typeof crd & { spec: { versions: Record<string, unknown>[] } };
  c.spec.versions[0]!.deprecated = true;
  c.spec.versions[1]!.deprecated = true;
  c.spec.versions[1]!.deprecationWarning = 'use v2';
  const d = customResourceDescriptor(c, () => false);
  assert.equal(d.custom!.warning('v1beta1'), 'example.com/v1beta1 Widget is deprecated');
  assert.equal(d.custom!.warning('v1'), 'use v2');
});

test('OpenAPI v3 of a served CRD: root lists the group version, the document has the kind schema and ObjectMeta', async () => {
  const { ResourceRegistry } = await import('../registry/registry.js');
  const { openapiV3Doc, openapiV3Root } = await import('../apiserver/openapi-documents.js');
  const r = new ResourceRegistry();
  assert.equal(openapiV3Doc('apis/example.com/v1', r), undefined);
  r.set(
    'widgets.example.com',
    customResourceDescriptor(crd, () => false),
  );
  const root = JSON.parse(openapiV3Root(r).toString());
  assert.deepEqual(root.paths['apis/example.com/v1'], {
    serverRelativeURL: '/openapi/v3/apis/example.com/v1',
  });
  const doc = JSON.parse(openapiV3Doc('apis/example.com/v1', r)!.toString());
  const w = doc.components.schemas['com.example.v1.Widget'];
  assert.deepEqual(w['x-kubernetes-group-version-kind'], [
    { group: 'example.com', kind: 'Widget', version: 'v1' },
  ]);
  assert.deepEqual(Object.keys(w.properties), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.equal(w.properties.spec.properties.size.type, 'integer');
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch);
  // The preserve-unknown-fields version publishes an open object.
  const beta = JSON.parse(openapiV3Doc('apis/example.com/v1beta1', r)!.toString());
  assert.equal(
    beta.components.schemas['com.example.v1beta1.Widget']['x-kubernetes-preserve-unknown-fields'],
    true,
  );
  r.delete('widgets.example.com');
  assert.equal(openapiV3Doc('apis/example.com/v1', r), undefined);
  assert.equal(JSON.parse(openapiV3Root(r).toString()).paths['apis/example.com/v1'], undefined);
});

test('discovery of a CR: full response kinds, status before scale, fewer verbs while terminating', async () => {
  const { ResourceRegistry } = await import('../registry/registry.js');
  const { discoveryFor } = await import('../apiserver/discovery.js');
  let terminating = false;
  const r = new ResourceRegistry();
  const d = customResourceDescriptor(crd, () => terminating);
  r.set('widgets.example.com', d);
  const agg = JSON.parse(discoveryFor(r).aggregatedDiscovery('apis', 'v2').toString());
  const g = agg.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'example.com');
  assert.deepEqual(
    g.versions.map((v: { version: string }) => v.version),
    ['v1', 'v1beta1'],
  );
  const w = g.versions[0].resources[0];
  assert.deepEqual(w, {
    resource: 'widgets',
    responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
    scope: 'Namespaced',
    singularResource: 'widget',
    verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
    shortNames: ['wd'],
    subresources: [
      {
        subresource: 'status',
        responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
        verbs: ['get', 'patch', 'update'],
      },
      {
        subresource: 'scale',
        responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
        verbs: ['get', 'patch', 'update'],
      },
    ],
  });
  const legacy = JSON.parse(discoveryFor(r).apiResourceList('example.com', 'v1')!.toString());
  assert.deepEqual(
    legacy.resources.map((x: { name: string }) => x.name),
    ['widgets', 'widgets/scale', 'widgets/status'],
  );
  assert.equal(legacy.resources[0].storageVersionHash.length, 12);
  terminating = true;
  r.set('widgets.example.com', d);
  const t = JSON.parse(discoveryFor(r).apiResourceList('example.com', 'v1')!.toString());
  assert.deepEqual(t.resources[0].verbs, ['delete', 'deletecollection', 'get', 'list', 'watch']);
  assert.ok(d.verbs.includes('update'), 'updates (finalizer removal) stay possible');
});

test('served under the accepted names: a requested short name that was refused is not served', () => {
  const c = structuredClone(crd);
  c.spec.names.shortNames = ['wd', 'taken'];
  const d = customResourceDescriptor(c, () => false);
  assert.deepEqual(d.shortNames, ['wd']);
});
