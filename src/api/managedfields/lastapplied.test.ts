/**
 * Ported from k8s.io/apimachinery/pkg/util/managedfields/internal lastappliedmanager_test.go
 * (TestApplyUsingLastAppliedAnnotation, TestServiceApply, TestReplicationControllerApply,
 * TestPodApply) and lastappliedupdater_test.go (TestLastAppliedUpdater, TestLargeLastApplied).
 * Fixtures are rebuilt with small builders rather than upstream's YAML text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import type { KubeObject } from '../types.js';
import { LAST_APPLIED, goJson } from './lastapplied.js';
import { TestFieldManager, deepDerivative } from './testfieldmanager.js';

type Obj = Record<string, unknown>;

function deploy(o: {
  labels?: Obj;
  replicas?: number;
  selector?: Obj;
  tmpl?: Obj;
  containers?: Obj[];
  apiVersion?: string;
}): KubeObject {
  const spec: Obj = {};
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  if (o.selector) spec.selector = { matchLabels: o.selector };
  if (o.tmpl || o.containers) {
    spec.template = {
      ...(o.tmpl ? { metadata: { labels: o.tmpl } } : {}),
      ...(o.containers ? { spec: { containers: o.containers } } : {}),
    };
  }
  return {
    apiVersion: o.apiVersion ?? 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'my-deployment', ...(o.labels ? { labels: o.labels as Record<string, string> } : {}) },
    spec,
  };
}

const app = (v: string): Obj => ({ app: v });
const c = (image: string, name = 'my-c'): Obj => ({ name, image });
const full = (labels: string, replicas: number, image: string): KubeObject =>
  deploy({ labels: app(labels), replicas, selector: app(labels), tmpl: app(labels), containers: [c(image)] });

interface Row {
  name: string;
  manager: string;
  /** The annotation's value; defaults to the original object's JSON. */
  lastApplied?: KubeObject | string;
  original: KubeObject;
  applied: KubeObject;
  /** Conflicting paths (all owned by test_client_side_apply); none means the apply succeeds. */
  conflicts?: string[];
}

/** testConflicts: an Update carrying the annotation, then an apply, then a forced apply. */
function runRows(apiVersion: string, kind: string, rows: Row[]): void {
  for (const row of rows) {
    test(`${kind}: ${row.name}`, () => {
      const f = new TestFieldManager({ apiVersion, kind });
      const original = structuredClone(row.original);
      const last = row.lastApplied ?? row.original;
      original.metadata = {
        ...original.metadata,
        annotations: { [LAST_APPLIED]: typeof last === 'string' ? last : `${goJson(last as never)}\n` },
      };
      f.update(original, 'test_client_side_apply');
      if (!row.conflicts) {
        f.apply(row.applied, row.manager);
      } else {
        assert.throws(
          () => f.apply(row.applied, row.manager),
          (e: unknown) => {
            assert.ok(e instanceof ApiError && e.code === 409, String(e));
            const fields = (e.details?.causes ?? []).map((x) => x.field);
            assert.deepEqual([...fields].sort(), [...row.conflicts!].sort());
            for (const cause of e.details?.causes ?? []) {
              assert.equal(cause.reason, 'FieldManagerConflict');
              assert.equal(cause.message, `conflict with "test_client_side_apply" using ${apiVersion}`);
            }
            return true;
          },
        );
        f.apply(row.applied, row.manager, true);
      }
      assert.ok(deepDerivative(row.applied, f.liveObject()), JSON.stringify(f.liveObject()));
    });
  }
}

// TestApplyUsingLastAppliedAnnotation
runRows('apps/v1', 'Deployment', [
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 0 (fields not matching last-applied conflict)',
    manager: 'kubectl',
    lastApplied: deploy({
      replicas: 3,
      selector: app('my-app'),
      tmpl: app('my-app'),
      containers: [c('my-image-v1'), c('my-image2', 'my-c2')],
    }),
    original: full('my-app', 100, 'my-image-v2'),
    applied: full('my-new-label', 333, 'my-image-new'),
    conflicts: [
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.template.spec.containers[name="my-c"].image',
    ],
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 1 (replicas changed since last-applied)',
    manager: 'kubectl',
    lastApplied: full('my-app', 3, 'my-image'),
    original: full('my-app', 100, 'my-image'),
    applied: deploy({
      labels: app('my-new-label'),
      replicas: 3,
      tmpl: app('my-app'),
      containers: [c('my-image')],
    }),
    conflicts: ['.spec.replicas'],
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 2 (applied matches original)',
    manager: 'kubectl',
    original: full('my-app', 100, 'my-image'),
    applied: full('my-app', 100, 'my-image'),
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 3 (allowed update, no conflicts)',
    manager: 'kubectl',
    original: full('my-app', 3, 'my-image'),
    applied: full('my-new-label', 333, 'my-image'),
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 4 (not kubectl: every change conflicts)',
    manager: 'not_kubectl',
    lastApplied: full('my-app', 3, 'my-image-v1'),
    original: full('my-app', 100, 'my-image-v2'),
    applied: full('my-new-label', 333, 'my-image-new'),
    conflicts: [
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.selector',
      '.spec.template.metadata.labels.app',
      '.spec.template.spec.containers[name="my-c"].image',
    ],
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 5 (allowed image update)',
    manager: 'kubectl',
    original: full('my-app', 3, 'my-image'),
    applied: deploy({
      labels: app('my-new-label'),
      replicas: 3,
      selector: app('my-app'),
      tmpl: app('my-app'),
      containers: [c('my-new-image')],
    }),
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 6 (not kubectl, no last-applied help)',
    manager: 'not_kubectl',
    original: full('my-app', 100, 'my-image'),
    applied: deploy({
      labels: app('my-new-label'),
      replicas: 3,
      selector: app('my-app'),
      tmpl: app('my-app'),
      containers: [c('my-new-image')],
    }),
    conflicts: [
      '.metadata.labels.app',
      '.spec.replicas',
      '.spec.template.spec.containers[name="my-c"].image',
    ],
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 7 (replicas only)',
    manager: 'kubectl',
    original: deploy({ replicas: 3 }),
    applied: deploy({ replicas: 100 }),
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 8 (last-applied of another apiVersion)',
    manager: 'kubectl',
    lastApplied: deploy({ replicas: 3, apiVersion: 'extensions/v1beta1' }),
    original: deploy({ replicas: 3 }),
    applied: deploy({ replicas: 100 }),
    conflicts: ['.spec.replicas'],
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 9 (invalid last-applied object)',
    manager: 'kubectl',
    lastApplied: '{"apiVersion":"foo","kind":"bar","spec":"expect conflict due to invalid object"}',
    original: deploy({ replicas: 3 }),
    applied: deploy({ replicas: 100 }),
    conflicts: ['.spec.replicas'],
  },
  {
    name: 'TestApplyUsingLastAppliedAnnotation/test 10 (empty last-applied)',
    manager: 'kubectl',
    lastApplied: '{}\n',
    original: deploy({ replicas: 3 }),
    applied: deploy({ replicas: 100 }),
    conflicts: ['.spec.replicas'],
  },
]);

const svc = (targetPort: number, selector: Obj): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'test' },
  spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort }], selector },
});

runRows('v1', 'Service', [
  {
    name: 'TestServiceApply/test 0',
    manager: 'kubectl',
    original: svc(8443, { old: 'test' }),
    applied: svc(8444, { new: 'test' }),
  },
  {
    name: 'TestServiceApply/test 1',
    manager: 'kubectl',
    original: svc(8443, { old: 'test' }),
    applied: svc(8444, {}),
  },
  {
    name: 'TestServiceApply/test 2',
    manager: 'not_kubectl',
    original: svc(8443, { old: 'test' }),
    applied: svc(8444, { new: 'test' }),
    conflicts: ['.spec.selector', '.spec.ports[port=443,protocol="TCP"].targetPort'],
  },
]);

const rc = (replicas: number, selector: Obj): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ReplicationController',
  metadata: { name: 'test' },
  spec: { replicas, selector },
});

runRows('v1', 'ReplicationController', [
  {
    name: 'TestReplicationControllerApply/test 0',
    manager: 'kubectl',
    original: rc(0, { old: 'test' }),
    applied: rc(3, { new: 'test' }),
  },
  {
    name: 'TestReplicationControllerApply/test 1',
    manager: 'not_kubectl',
    original: rc(0, { old: 'test' }),
    applied: rc(3, { new: 'test' }),
    conflicts: ['.spec.selector', '.spec.replicas'],
  },
]);

const pod = (nodeName: string | undefined, nodeSelector: Obj): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'test', namespace: 'test' },
  spec: {
    containers: [
      { args: ['-v=2'], command: ['controller'], image: 'some.registry/app:latest', name: 'doJob' },
    ],
    ...(nodeName ? { nodeName } : {}),
    nodeSelector,
  },
});
const master = { 'node-role.kubernetes.io/master': '' };

runRows('v1', 'Pod', [
  {
    name: 'TestPodApply/test 0',
    manager: 'kubectl',
    original: pod('definetlyControlPlane', master),
    applied: pod(undefined, { 'node-role.kubernetes.io/worker': '' }),
  },
  {
    name: 'TestPodApply/test 1',
    manager: 'not_kubectl',
    original: pod('definetlyControlPlane', master),
    applied: pod('definetlyControlPlane', { ...master, otherNodeType: '' }),
    conflicts: ['.spec.nodeSelector'],
  },
  {
    name: 'TestPodApply/test 2',
    manager: 'not_kubectl',
    original: pod('definetlyControlPlane', master),
    applied: pod('another', {}),
    conflicts: ['.spec.nodeSelector', '.spec.nodeName'],
  },
  {
    name: 'TestPodApply/test 3',
    manager: 'kubectl',
    original: pod('definetlyControlPlane', master),
    applied: pod('another', {}),
  },
]);

const annotation = (o: KubeObject): string | undefined => o.metadata?.annotations?.[LAST_APPLIED];

test('TestLastAppliedUpdater: only manager "kubectl" rewrites the annotation', () => {
  const f = new TestFieldManager({ apiVersion: 'apps/v1', kind: 'Deployment' });
  const applied = full('my-app', 20, 'my-image');
  applied.metadata!.annotations = { [LAST_APPLIED]: 'nonempty' };
  f.apply(applied, 'NOT-KUBECTL');
  assert.equal(annotation(f.liveObject()), 'nonempty');
  f.apply(applied, 'kubectl');
  const got = annotation(f.liveObject())!;
  assert.notEqual(got, 'nonempty');
  // the applied configuration without the annotation, keys sorted, newline-terminated
  const expected = structuredClone(applied);
  expected.metadata!.annotations = {};
  assert.equal(got, `${goJson(expected as never)}\n`);
  assert.match(got, /"image":"my-image"/);
});

for (const [name, dataKeys, annotationKeys] of [
  ['old object + new object last-applied annotation is too big', 9999, 0],
  ['old object + new object annotations + new object last-applied annotation is too big', 2000, 2000],
] as const) {
  test(`TestLargeLastApplied/${name}`, () => {
    const f = new TestFieldManager({ apiVersion: 'v1', kind: 'ConfigMap' });
    const cm = (): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'large-update-test-cm',
        namespace: 'default',
        annotations: { [LAST_APPLIED]: 'nonempty' },
      },
      data: { k: 'v' },
    });
    f.apply(cm(), 'kubectl');
    const first = annotation(f.liveObject());
    assert.ok(first && first !== 'nonempty');
    const big = cm();
    const key = (i: number) => `this-key-is-very-long-so-as-to-create-a-very-large-serialized-fieldset-${i}`;
    for (let i = 0; i < dataKeys; i++) (big.data as Record<string, string>)[key(i)] = 'A';
    for (let i = 0; i < annotationKeys; i++) big.metadata!.annotations![key(i)] = 'A';
    f.apply(big, 'kubectl');
    const live = f.liveObject();
    assert.ok(live.metadata?.annotations, 'annotations kept');
    assert.equal(annotation(live), undefined);
  });
}
