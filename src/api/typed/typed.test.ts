/**
 * Typed decoding tables: kinds × decoder (encoding/json for create/update bodies and JSON/merge
 * patch results, FromUnstructured for strategic merge results, structured-merge-diff for apply
 * configurations) × bad types, with upstream's exact texts. Sources: Go encoding/json
 * UnmarshalTypeError; k8s.io/apimachinery pkg/runtime/converter.go (fromUnstructured,
 * mapFromUnstructured, sliceFromUnstructured, structFromUnstructured); structured-merge-diff
 * typed/validate.go; pkg/api/resource/quantity.go; pkg/util/intstr/intstr.go; meta/v1 time.go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySchemaFor } from '../patch/index.js';
import { applyTypeErrors } from './apply-validate.js';
import { goQuote } from './custom.js';
import { decodeJsonTyped } from './json-decode.js';
import { decodeUnstructuredTyped } from './unstructured-decode.js';

const QTY = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

interface Row {
  name: string;
  key: string;
  obj: Record<string, unknown>;
  /** encoding/json (create, update, JSON patch, merge patch). */
  json: string | undefined;
  /** FromUnstructured (strategic merge patch). */
  unstructured: string | undefined;
  /** structured-merge-diff (apply). */
  apply: string[];
}

const pod = (container: Record<string, unknown>): Record<string, unknown> => ({
  spec: { containers: [{ name: 'app', image: 'nginx', ...container }] },
});

const rows: Row[] = [
  {
    name: 'ConfigMap metadata.labels as a string',
    key: 'core.v1.ConfigMap',
    obj: { metadata: { name: 'a', labels: 'x' } },
    json: 'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string',
    unstructured: 'cannot restore map from string',
    apply: ['.metadata.labels: expected map, got &{x}'],
  },
  {
    name: 'ConfigMap a label value as a number',
    key: 'core.v1.ConfigMap',
    obj: { metadata: { name: 'a', labels: { app: 1 } } },
    json: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string',
    unstructured: 'cannot convert int64 to string',
    apply: ['.metadata.labels.app: expected string, got &value.valueUnstructured{Value:1}'],
  },
  {
    name: 'ConfigMap data as a list',
    key: 'core.v1.ConfigMap',
    obj: { data: ['a', 'b'] },
    json: 'json: cannot unmarshal array into Go struct field ConfigMap.data of type map[string]string',
    unstructured: 'cannot restore map from slice',
    apply: ['.data: expected map, got &{[a b]}'],
  },
  {
    name: 'ConfigMap immutable as a string',
    key: 'core.v1.ConfigMap',
    obj: { immutable: 'yes' },
    json: 'json: cannot unmarshal string into Go struct field ConfigMap.immutable of type bool',
    unstructured: 'unrecognized type: bool',
    apply: ['.immutable: expected boolean, got &{yes}'],
  },
  {
    name: 'Secret data that is not base64',
    key: 'core.v1.Secret',
    obj: { data: { password: 'not base64!' } },
    json: 'illegal base64 data at input byte 3',
    unstructured: 'error decoding from json: illegal base64 data at input byte 3',
    apply: [],
  },
  {
    name: 'Pod spec as a string',
    key: 'core.v1.Pod',
    obj: { spec: 'x' },
    json: 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec',
    unstructured: 'cannot restore struct from: string',
    apply: ['.spec: expected map, got &{x}'],
  },
  {
    name: 'Pod containers as an object',
    key: 'core.v1.Pod',
    obj: { spec: { containers: { name: 'app' } } },
    json: 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container',
    unstructured: 'cannot restore slice from map',
    apply: ['.spec.containers: expected list, got &{map[name:app]}'],
  },
  {
    name: 'Pod env value as a number',
    key: 'core.v1.Pod',
    obj: pod({ env: [{ name: 'N', value: 5 }] }),
    json: 'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string',
    unstructured: 'cannot convert int64 to string',
    apply: [
      '.spec.containers[name="app"].env[name="N"].value: expected string, got &value.valueUnstructured{Value:5}',
    ],
  },
  {
    name: 'Pod containerPort 1.5',
    key: 'core.v1.Pod',
    obj: pod({ ports: [{ containerPort: 1.5 }] }),
    json: 'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    unstructured: 'cannot convert float64 to int32',
    apply: [],
  },
  {
    name: 'Pod containerPort as a string',
    key: 'core.v1.Pod',
    obj: pod({ ports: [{ containerPort: '80' }] }),
    json: 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    unstructured: 'unrecognized type: int32',
    apply: [
      '.spec.containers[name="app"].ports[containerPort="80",protocol="TCP"].containerPort: expected numeric (int or float), got string',
    ],
  },
  {
    name: 'Pod imagePullPolicy as a number (a named string type)',
    key: 'core.v1.Pod',
    obj: pod({ imagePullPolicy: 1 }),
    json: 'json: cannot unmarshal number into Go struct field Container.spec.containers.imagePullPolicy of type v1.PullPolicy',
    unstructured: 'cannot convert int64 to v1.PullPolicy',
    apply: [
      '.spec.containers[name="app"].imagePullPolicy: expected string, got &value.valueUnstructured{Value:1}',
    ],
  },
  {
    name: 'Pod resource limit as a bool',
    key: 'core.v1.Pod',
    obj: pod({ resources: { limits: { cpu: true } } }),
    json: QTY,
    unstructured: QTY,
    apply: [],
  },
  {
    name: 'Pod resource limit with a bad suffix',
    key: 'core.v1.Pod',
    obj: pod({ resources: { requests: { memory: '1Qi' } } }),
    json: QTY,
    unstructured: QTY,
    apply: [],
  },
  {
    name: 'Pod resources as a list',
    key: 'core.v1.Pod',
    obj: pod({ resources: { limits: [1] } }),
    json: 'json: cannot unmarshal array into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList',
    unstructured: 'cannot restore map from slice',
    apply: ['.spec.containers[name="app"].resources.limits: expected map, got &{[1]}'],
  },
  {
    name: 'Pod metadata.creationTimestamp as a number',
    key: 'core.v1.Pod',
    obj: { metadata: { creationTimestamp: 5 } },
    json: 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    unstructured: 'json: cannot unmarshal number into Go value of type string',
    apply: ['.metadata.creationTimestamp: expected string, got &value.valueUnstructured{Value:5}'],
  },
  {
    name: 'Pod toleration operator as a bool (a named string type)',
    key: 'core.v1.Pod',
    obj: { spec: { tolerations: [{ key: 'k', operator: true }] } },
    json: 'json: cannot unmarshal bool into Go struct field Toleration.spec.tolerations.operator of type v1.TolerationOperator',
    unstructured: 'unrecognized type: string',
    apply: ['.spec.tolerations[0].operator: expected string, got &value.valueUnstructured{Value:true}'],
  },
  {
    name: 'Service targetPort as a bool',
    key: 'core.v1.Service',
    obj: { spec: { ports: [{ port: 80, targetPort: true }] } },
    json: 'json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32',
    unstructured: 'json: cannot unmarshal bool into Go value of type int32',
    apply: [],
  },
  {
    name: 'Service type as a number',
    key: 'core.v1.Service',
    obj: { spec: { type: 1 } },
    json: 'json: cannot unmarshal number into Go struct field ServiceSpec.spec.type of type v1.ServiceType',
    unstructured: 'cannot convert int64 to v1.ServiceType',
    apply: ['.spec.type: expected string, got &value.valueUnstructured{Value:1}'],
  },
  {
    name: 'Deployment replicas as a string',
    key: 'apps.v1.Deployment',
    obj: { spec: { replicas: '3' } },
    json: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    unstructured: 'unrecognized type: int32',
    apply: ['.spec.replicas: expected numeric (int or float), got string'],
  },
  {
    name: 'Deployment replicas 3000000000 (out of int32)',
    key: 'apps.v1.Deployment',
    obj: { spec: { replicas: 3000000000 } },
    json: 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32',
    unstructured: undefined,
    apply: [],
  },
  {
    name: 'Job parallelism as a bool',
    key: 'batch.v1.Job',
    obj: { spec: { parallelism: false } },
    json: 'json: cannot unmarshal bool into Go struct field JobSpec.spec.parallelism of type int32',
    unstructured: 'unrecognized type: int32',
    apply: ['.spec.parallelism: expected numeric (int or float), got bool'],
  },
  {
    name: 'Role rules verbs as a string',
    key: 'rbac.v1.Role',
    obj: { rules: [{ verbs: 'get', resources: ['pods'] }] },
    json: 'json: cannot unmarshal string into Go struct field PolicyRule.rules.verbs of type []string',
    unstructured: 'cannot restore slice from string',
    apply: ['.rules[0].verbs: expected list, got &{get}'],
  },
  {
    name: 'Namespace finalizers item as a number',
    key: 'core.v1.Namespace',
    obj: { spec: { finalizers: [1] } },
    json: 'json: cannot unmarshal number into Go struct field NamespaceSpec.spec.finalizers of type v1.FinalizerName',
    unstructured: 'cannot convert int64 to v1.FinalizerName',
    apply: ['.spec.finalizers[0]: expected string, got &value.valueUnstructured{Value:1}'],
  },
];

for (const r of rows) {
  test(`typed decode: ${r.name}`, () => {
    assert.equal(decodeJsonTyped(r.key, structuredClone(r.obj)), r.json, 'encoding/json');
    assert.equal(decodeUnstructuredTyped(r.key, structuredClone(r.obj)), r.unstructured, 'FromUnstructured');
    const [pkg, version, kind] = r.key.split('.') as [string, string, string];
    const group = pkg === 'core' ? '' : pkg === 'rbac' ? 'rbac.authorization.k8s.io' : pkg;
    const schema = applySchemaFor(group, version, kind);
    assert.deepEqual(
      applyTypeErrors(r.key, structuredClone(r.obj), schema),
      r.apply,
      'structured-merge-diff',
    );
  });
}

test('encoding/json keeps the first mismatch in document order; sorted order for Go maps', () => {
  const obj = { metadata: { labels: 'x', annotations: 1 } };
  assert.match(decodeJsonTyped('core.v1.ConfigMap', structuredClone(obj))!, /metadata\.labels /);
  const rev = { metadata: { annotations: 1, labels: 'x' } };
  assert.match(decodeJsonTyped('core.v1.ConfigMap', structuredClone(rev))!, /metadata\.annotations /);
  assert.match(decodeJsonTyped('core.v1.ConfigMap', structuredClone(rev), true)!, /metadata\.annotations /);
});

test('an UnmarshalJSON error stops decoding and wins over an earlier type mismatch', () => {
  const obj = {
    metadata: { labels: 'x' },
    spec: { containers: [{ name: 'a', resources: { limits: { cpu: true } } }] },
  };
  assert.equal(decodeJsonTyped('core.v1.Pod', obj), QTY);
});

test('FromUnstructured walks in Go struct order, not document order', () => {
  // ObjectMeta declares labels (11) before annotations (12).
  const obj = { metadata: { annotations: 1, labels: 'x' } };
  assert.equal(decodeUnstructuredTyped('core.v1.ConfigMap', obj), 'cannot restore map from string');
});

test('apply reports every error, sorted by path', () => {
  const obj = { metadata: { labels: 'x' }, spec: { replicas: 'three', paused: 1 } };
  assert.deepEqual(applyTypeErrors('apps.v1.Deployment', obj, applySchemaFor('apps', 'v1', 'Deployment')), [
    '.metadata.labels: expected map, got &{x}',
    '.spec.paused: expected boolean, got &{1}',
    '.spec.replicas: expected numeric (int or float), got string',
  ]);
});

test('normalisation: null as Go zero values, whole floats as ints, integer Quantities as strings', () => {
  const obj: Record<string, unknown> = {
    metadata: { name: 'p', labels: null, annotations: { a: null } },
    spec: {
      containers: [
        { name: 'a', image: null, ports: [{ containerPort: 80.0 }], resources: { limits: { cpu: 2 } } },
      ],
      nodeSelector: null,
      terminationGracePeriodSeconds: null,
    },
    status: null,
  };
  assert.equal(decodeJsonTyped('core.v1.Pod', obj), undefined);
  assert.deepEqual(obj, {
    metadata: { name: 'p', annotations: { a: '' } },
    spec: {
      containers: [{ name: 'a', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '2' } } }],
    },
    status: {},
  });
  const u: Record<string, unknown> = { spec: { replicas: 2.0, paused: null } };
  assert.equal(decodeUnstructuredTyped('apps.v1.Deployment', u), undefined);
  assert.deepEqual(u, { spec: { replicas: 2 } });
});

test('valid objects and unknown fields pass every decoder', () => {
  const obj = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', labels: { a: 'b' }, creationTimestamp: '2024-01-02T03:04:05Z', oops: 1 },
    spec: {
      containers: [
        {
          name: 'a',
          image: 'x',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '100m', memory: 1 } },
        },
      ],
    },
  };
  assert.equal(decodeJsonTyped('core.v1.Pod', structuredClone(obj)), undefined);
  assert.equal(decodeUnstructuredTyped('core.v1.Pod', structuredClone(obj)), undefined);
  assert.deepEqual(applyTypeErrors('core.v1.Pod', structuredClone(obj), applySchemaFor('', 'v1', 'Pod')), []);
});

test('goQuote is strconv.Quote for control characters', () => {
  assert.equal(
    goQuote('a\u0001\u0007\u000b\n"\\u0001\u007f\u2028é'),
    '"a\\x01\\a\\v\\n\\"\\\\u0001\\x7f\\u2028é"',
  );
});
