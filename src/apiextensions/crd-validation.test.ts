/**
 * CRD validation and defaults, after apiextensions validation_test.go cases: the name rule, group,
 * scope, versions (unique, exactly one storage, schema required in v1), names, printer columns,
 * scale paths, selectable fields, conversion (Webhook refused here), update rules; and the v1
 * defaults (singular, listKind, conversion None, storedVersions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { customresourcedefinitions, markCrdForDeletion } from './crd-resource.js';
import { validateCrd } from './crd-validation.js';

const schema = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
};

function crd(mut: (c: any) => void = () => undefined): KubeObject {
  const c: any = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }],
    },
  };
  mut(c);
  customresourcedefinitions.defaults!(c);
  return c;
}

const errs = (o: KubeObject, old?: KubeObject) => validateCrd(o, { old }).map(fieldErrorString);

test('defaults: singular, listKind, conversion None, acceptedNames, storedVersions', () => {
  const c = crd() as any;
  assert.equal(c.spec.names.singular, 'widget');
  assert.equal(c.spec.names.listKind, 'WidgetList');
  assert.deepEqual(c.spec.conversion, { strategy: 'None' });
  assert.deepEqual(c.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
  assert.deepEqual(errs(c), []);
});

test('metadata.name must be <plural>.<group>', () => {
  assert.deepEqual(errs(crd((c) => (c.metadata.name = 'widgets.example.org'))), [
    'metadata.name: Invalid value: "widgets.example.org": must be spec.names.plural+"."+spec.group',
  ]);
});

test('group, scope and names', () => {
  const e = errs(
    crd((c) => {
      c.metadata.name = 'widgets.example';
      c.spec.group = 'example';
      c.spec.scope = 'Global';
      c.spec.names.shortNames = ['Bad_Name'];
      c.spec.names.listKind = 'Widget';
      c.spec.names.categories = ['all'];
    }),
  );
  assert.ok(
    e.includes('spec.group: Invalid value: "example": should be a domain with at least one dot'),
    e.join('\n'),
  );
  assert.ok(e.includes('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'));
  assert.ok(
    e.some((m) => m.startsWith('spec.names.shortNames[0]: Invalid value: "Bad_Name": a DNS-1035 label')),
  );
  assert.ok(
    e.includes('spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same'),
  );
  const req = errs(crd((c) => (c.spec.names = {})));
  for (const f of ['plural', 'singular', 'kind', 'listKind'])
    assert.ok(req.includes(`spec.names.${f}: Required value`), f);
  assert.ok(errs(crd((c) => delete c.spec.scope)).includes('spec.scope: Required value'));
});

test('versions: exactly one storage version, unique names, schema required in v1', () => {
  const two = crd((c) =>
    c.spec.versions.push({ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: schema } }),
  );
  assert.ok(
    errs(two).some((m) =>
      /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/.test(m),
    ),
  );
  const dup = crd((c) =>
    c.spec.versions.push({ name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: schema } }),
  );
  assert.ok(errs(dup).some((m) => m.endsWith('must contain unique version names')));
  const none = crd((c) => delete c.spec.versions[0].schema);
  assert.deepEqual(errs(none), [
    'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
  ]);
  const bad = crd((c) => (c.spec.versions[0].name = 'V1'));
  assert.ok(
    errs(bad).some((m) => m.startsWith('spec.versions[0].name: Invalid value: "V1": a DNS-1035 label')),
  );
});

test('printer columns, scale paths, selectable fields', () => {
  const e = errs(
    crd((c) => {
      c.spec.versions[0].additionalPrinterColumns = [
        { name: 'Size', type: 'int', jsonPath: '.spec.size' },
        { name: '', type: 'string', format: 'weird', jsonPath: 'spec.size' },
      ];
      c.spec.versions[0].subresources = {
        scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '' },
      };
      c.spec.versions[0].selectableFields = [{ jsonPath: '.spec.size' }, { jsonPath: '.spec.size' }];
    }),
  );
  const want = [
    'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
    'spec.versions[0].subresources.scale.statusReplicasPath: Required value',
    'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string',
    'spec.versions[0].additionalPrinterColumns[1].name: Required value',
    'spec.versions[0].additionalPrinterColumns[1].format: Invalid value: "weird": must be one of byte,date,date-time,double,float,int32,int64,password',
    'spec.versions[0].additionalPrinterColumns[1].jsonPath: Invalid value: "spec.size": must be a simple json path starting with .',
    'spec.versions[0].selectableFields[1].jsonPath: Duplicate value: ".spec.size"',
  ];
  for (const w of want) assert.ok(e.includes(w), `${w}\n got:\n${e.join('\n')}`);
});

test('conversion: None only; Webhook is refused with a clear message', () => {
  const w = errs(crd((c) => (c.spec.conversion = { strategy: 'Webhook' })));
  assert.deepEqual(w, [
    'spec.conversion.strategy: Forbidden: Webhook conversion is not supported by this server (kubeauth cannot call conversion webhooks); use strategy None',
  ]);
  assert.deepEqual(errs(crd((c) => (c.spec.conversion = { strategy: 'Magic' }))), [
    'spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"',
  ]);
  assert.ok(
    errs(crd((c) => (c.spec.preserveUnknownFields = true)))[0]!.startsWith(
      'spec.preserveUnknownFields: Invalid value: true: cannot set to true',
    ),
  );
});

test('schema errors come from the schema library with the version path', () => {
  const e = errs(
    crd((c) => (c.spec.versions[0].schema.openAPIV3Schema = { type: 'object', properties: { spec: {} } })),
  );
  assert.ok(e.length > 0);
  assert.ok(
    e.every((m) => m.startsWith('spec.versions[0].schema.openAPIV3Schema')),
    e.join('\n'),
  );
});

test('update: group and plural immutable; scope and kind once Established; storedVersions in spec', () => {
  const old = crd() as any;
  old.status.conditions = [{ type: 'Established', status: 'True' }];
  const scope = crd((c) => (c.spec.scope = 'Cluster'));
  assert.deepEqual(errs(scope, old), ['spec.scope: Invalid value: "Cluster": field is immutable']);
  const oldNotEst = crd();
  assert.deepEqual(errs(scope, oldNotEst), []);
  const plural = crd((c) => {
    c.spec.names.plural = 'gadgets';
    c.metadata.name = 'gadgets.example.com';
  });
  assert.ok(errs(plural, old).includes('spec.names.plural: Invalid value: "gadgets": field is immutable'));
  const stored = crd() as any;
  stored.status.storedVersions = ['v1', 'v0'];
  assert.deepEqual(errs(stored, old), [
    'status.storedVersions[1]: Invalid value: "v0": must appear in spec.versions',
  ]);
});

test('the first delete adds the cleanup finalizer and a Terminating condition', () => {
  const c = crd() as any;
  markCrdForDeletion(c, '2026-01-01T00:00:00Z');
  assert.deepEqual(c.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
  assert.deepEqual(c.status.conditions, [
    {
      type: 'Terminating',
      status: 'True',
      lastTransitionTime: '2026-01-01T00:00:00Z',
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    },
  ]);
});

test('wrong JSON types are the decoder 400, never a crash', () => {
  assert.throws(
    () => crd((c) => (c.spec.names.plural = 5)),
    (e: Error) =>
      e.message ===
      'CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: json: cannot unmarshal number into Go struct field CustomResourceDefinitionNames.spec.names.plural of type string',
  );
  assert.throws(
    () => crd((c) => (c.spec.versions[0].served = 'yes')),
    /cannot unmarshal string into Go struct field CustomResourceDefinitionVersion\.spec\.versions\.served of type bool/,
  );
  assert.throws(
    () => crd((c) => (c.spec.versions = {})),
    /cannot unmarshal object into Go struct field CustomResourceDefinitionSpec\.spec\.versions of type \[\]v1\.CustomResourceDefinitionVersion/,
  );
  assert.throws(
    () => crd((c) => (c.spec = 'x')),
    /Go struct field CustomResourceDefinition\.spec of type v1\.CustomResourceDefinitionSpec/,
  );
});

test('property: any JSON in the spec gives field errors or a 400, never a TypeError', async () => {
  const fc = (await import('fast-check')).default;
  const { ApiError } = await import('../api/errors.js');
  const keys = [
    'group',
    'names',
    'scope',
    'versions',
    'conversion',
    'plural',
    'kind',
    'name',
    'schema',
    'openAPIV3Schema',
    'subresources',
    'scale',
    'additionalPrinterColumns',
    'jsonPath',
    'storage',
    'served',
  ];
  const json = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...keys), tie('v'), { maxKeys: 4 }),
    ),
  })).v;
  fc.assert(
    fc.property(json, json, (spec, status) => {
      const o: any = { metadata: { name: 'a.b.c' }, spec, status };
      const old: any = { metadata: { name: 'a.b.c' }, spec: status, status: spec };
      try {
        customresourcedefinitions.defaults!(o);
        validateCrd(o, {});
        validateCrd(o, { old: o });
        customresourcedefinitions.defaults!(old);
        validateCrd(o, { old });
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 400) throw e;
      }
    }),
    { numRuns: 500 },
  );
});

test('with a status subresource, the root schema is an object with the allowed keywords only', () => {
  const e = errs(
    crd((c) => {
      c.spec.versions[0].subresources = { status: {} };
      c.spec.versions[0].schema.openAPIV3Schema = {
        ...schema,
        additionalProperties: { type: 'string' },
        properties: undefined,
      };
    }),
  );
  assert.ok(
    e.some((m) =>
      /^spec\.versions\[0\]\.schema\.openAPIV3Schema: Invalid value: .*: only \[Description Type Format .* XValidations\] fields are allowed at the root of the schema if the status subresource is enabled$/.test(
        m,
      ),
    ),
    e.join('\n'),
  );
  const t = errs(
    crd((c) => {
      c.spec.versions[0].subresources = { status: {} };
      c.spec.versions[0].schema.openAPIV3Schema = { type: 'array', items: { type: 'string' } };
    }),
  );
  assert.ok(
    t.includes(
      'spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "array": only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
    ),
    t.join('\n'),
  );
  assert.deepEqual(errs(crd((c) => (c.spec.versions[0].subresources = { status: {} }))), []);
});

test('protected groups need the api-approved.kubernetes.io annotation (validateAPIApproval)', () => {
  const prot = (ann?: string) =>
    crd((c) => {
      c.spec.group = 'widgets.k8s.io';
      c.metadata.name = 'widgets.widgets.k8s.io';
      if (ann !== undefined) c.metadata.annotations = { 'api-approved.kubernetes.io': ann };
    });
  assert.deepEqual(errs(prot()), [
    'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
  ]);
  assert.deepEqual(errs(prot('yes please')), [
    'metadata.annotations[api-approved.kubernetes.io]: Invalid value: "yes please": protected groups must have approval annotation "api-approved.kubernetes.io" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111',
  ]);
  assert.deepEqual(errs(prot('https://github.com/kubernetes/kubernetes/pull/78458')), []);
  assert.deepEqual(errs(prot('unapproved, experimental-only')), []);
  // An update that keeps the (missing) approval state is not refused for it.
  const old = prot() as any;
  assert.deepEqual(errs(prot(), old), []);
});
