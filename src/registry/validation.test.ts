/**
 * Object-metadata and per-kind validation messages, checked as the exact strings upstream's
 * field.Error renders (via api/errors fieldErrorString).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorString, type FieldError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { findResource } from './index.js';
import { validateObjectMeta } from './validation.js';
import type { ResourceDescriptor } from './types.js';

const desc = (group: string, resource: string): ResourceDescriptor => {
  const d = findResource(group, 'v1', resource);
  assert.ok(d, resource);
  return d;
};
const strs = (errs: FieldError[]) => errs.map(fieldErrorString);
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

test('object meta: names per rule', () => {
  const cm = desc('', 'configmaps');
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'Bad_Name', namespace: 'default' } }, cm)), [
    `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`,
  ]);
  assert.deepEqual(strs(validateObjectMeta({ metadata: { namespace: 'default' } }, cm)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
  assert.deepEqual(
    strs(validateObjectMeta({ metadata: { name: 'a', generateName: 'web-', namespace: 'default' } }, cm)),
    [],
  );
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'a.b' } }, desc('', 'namespaces'))), [
    'metadata.name: Invalid value: "a.b": must not contain dots',
  ]);
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'Team' } }, desc('', 'namespaces'))), [
    `metadata.name: Invalid value: "Team": ${LABEL}`,
  ]);
  assert.deepEqual(
    strs(validateObjectMeta({ metadata: { name: '1svc', namespace: 'd' } }, desc('', 'services'))),
    [
      `metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
  );
  const rbac = desc('rbac.authorization.k8s.io', 'clusterroles');
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'system:node' } }, rbac)), []);
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'a/b' } }, rbac)), [
    `metadata.name: Invalid value: "a/b": may not contain '/'`,
  ]);
  const csr = desc('certificates.k8s.io', 'certificatesigningrequests');
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'Any Name: ok' } }, csr)), []);
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'x'.repeat(254), namespace: 'd' } }, cm)), [
    `metadata.name: Invalid value: "${'x'.repeat(254)}": must be no more than 253 characters`,
  ]);
});

test('object meta: scope, labels, annotations', () => {
  const cm = desc('', 'configmaps');
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'a' } }, cm)), [
    'metadata.namespace: Required value',
  ]);
  assert.deepEqual(strs(validateObjectMeta({ metadata: { name: 'a', namespace: 'x' } }, desc('', 'nodes'))), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
  assert.deepEqual(
    strs(
      validateObjectMeta(
        { metadata: { name: 'a', namespace: 'd', labels: { 'a/b/c': 'x', ok: 'bad value' } } },
        cm,
      ),
    ),
    [
      `metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      `metadata.labels: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  );
  assert.deepEqual(
    strs(validateObjectMeta({ metadata: { name: 'a', namespace: 'd', labels: { '/x': '' } } }, cm)),
    ['metadata.labels: Invalid value: "/x": prefix part must be non-empty'],
  );
  assert.deepEqual(
    strs(
      validateObjectMeta(
        { metadata: { name: 'a', namespace: 'd', annotations: { big: 'x'.repeat(256 * 1024) } } },
        cm,
      ),
    ),
    ['metadata.annotations: Too long: must have at most 262144 bytes'],
  );
  assert.deepEqual(
    strs(
      validateObjectMeta(
        { metadata: { name: 'a', namespace: 'd', annotations: { 'Example.com/Key': 'v' } } },
        cm,
      ),
    ),
    [],
  );
});

test('object meta on update', () => {
  const cm = desc('', 'configmaps');
  const old: KubeObject = {
    metadata: { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '5', generation: 2 },
  };
  assert.deepEqual(strs(validateObjectMeta({ metadata: { ...old.metadata } }, cm, { old })), []);
  assert.deepEqual(
    strs(
      validateObjectMeta({ metadata: { name: 'a', namespace: 'd', uid: 'u2', generation: 1 } }, cm, { old }),
    ),
    [
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.generation: Invalid value: 1: must not be decremented',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ],
  );
});

const v = (group: string, resource: string, o: KubeObject, old?: KubeObject) => {
  const d = desc(group, resource);
  assert.ok(d.validate, `${resource} validates`);
  return strs(d.validate(o, { old }));
};

test('Pod validation', () => {
  const spec = { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' };
  assert.deepEqual(v('', 'pods', { spec }), ['spec.containers: Required value']);
  assert.deepEqual(
    v('', 'pods', {
      spec: {
        ...spec,
        containers: [
          { name: 'a', image: 'x' },
          { name: 'a', image: 'y' },
          { name: 'B' },
          { image: 'z', ports: [{ containerPort: 70000, protocol: 'ICMP' }] },
        ],
      },
    }),
    [
      'spec.containers[1].name: Duplicate value: "a"',
      `spec.containers[2].name: Invalid value: "B": ${LABEL}`,
      'spec.containers[2].image: Required value',
      'spec.containers[3].name: Required value',
      'spec.containers[3].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[3].ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ],
  );
  assert.deepEqual(
    v('', 'pods', {
      spec: {
        dnsPolicy: 'ClusterFirst',
        restartPolicy: 'Sometimes',
        containers: [{ name: 'a', image: 'x' }],
      },
    }),
    ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
  );
});

test('Deployment validation', () => {
  const tpl = {
    metadata: { labels: { app: 'web' } },
    spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', containers: [{ name: 'c', image: 'i' }] },
  };
  assert.deepEqual(
    v('apps', 'deployments', { spec: { selector: { matchLabels: { app: 'web' } }, template: tpl } }),
    [],
  );
  assert.deepEqual(v('apps', 'deployments', { spec: { template: tpl } }), ['spec.selector: Required value']);
  assert.deepEqual(
    v('apps', 'deployments', { spec: { selector: { matchLabels: { app: 'other' } }, template: tpl } }),
    [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ],
  );
  assert.deepEqual(v('apps', 'deployments', { spec: { selector: {}, template: tpl } }), [
    'spec.selector: Invalid value: {}: empty selector is invalid for deployment',
  ]);
  const old = { spec: { selector: { matchLabels: { app: 'web' } }, template: tpl } };
  assert.deepEqual(
    v(
      'apps',
      'deployments',
      {
        spec: {
          selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'app', operator: 'Exists' }] },
          template: tpl,
        },
      },
      old,
    ),
    [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"app","operator":"Exists"}]}: field is immutable',
    ],
  );
});

test('Service validation', () => {
  assert.deepEqual(v('', 'services', { spec: { type: 'ClusterIP' } }), ['spec.ports: Required value']);
  assert.deepEqual(v('', 'services', { spec: { type: 'ClusterIP', clusterIP: 'None' } }), []);
  assert.deepEqual(
    v('', 'services', {
      spec: {
        type: 'Foo',
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 0, protocol: 'TCP' },
        ],
      },
    }),
    [
      'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      'spec.ports[0].name: Required value',
      'spec.ports[1].name: Required value',
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ],
  );
});

test('RBAC validation', () => {
  const rb = {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
  };
  assert.deepEqual(v('rbac.authorization.k8s.io', 'rolebindings', rb), []);
  assert.deepEqual(
    v('rbac.authorization.k8s.io', 'rolebindings', { ...rb, roleRef: { ...rb.roleRef, name: 'other' } }, rb),
    [
      'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"other"}: cannot change roleRef',
    ],
  );
  assert.deepEqual(
    v('rbac.authorization.k8s.io', 'clusterrolebindings', {
      roleRef: rb.roleRef,
      subjects: [
        { kind: 'ServiceAccount', name: 'sa' },
        { kind: 'Robot', name: 'x' },
      ],
    }),
    [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ],
  );
  assert.deepEqual(v('rbac.authorization.k8s.io', 'rolebindings', { subjects: [] }), [
    'roleRef.apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
    'roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
  ]);
  assert.deepEqual(
    v('rbac.authorization.k8s.io', 'roles', {
      rules: [
        { apiGroups: [''], resources: ['pods'] },
        { verbs: ['get'], nonResourceURLs: ['/healthz'] },
      ],
    }),
    [
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
    ],
  );
  assert.deepEqual(
    v('rbac.authorization.k8s.io', 'clusterroles', {
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    }),
    [],
  );
});

// CertificateSigningRequests: ./validators/certificates.test.ts.

test('ConfigMap, Secret, Lease, PriorityClass', () => {
  assert.deepEqual(v('', 'configmaps', { data: { 'ok.key': 'v', 'bad key': 'v', '..x': 'v' } }), [
    `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    `data[..x]: Invalid value: "..x": must not start with '..'`,
  ]);
  assert.deepEqual(v('', 'secrets', { type: 'kubernetes.io/tls', data: {} }), [
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
  assert.deepEqual(
    v(
      '',
      'secrets',
      { type: 'Opaque', data: { a: 'YQ==' } },
      { type: 'kubernetes.io/tls', immutable: true, data: {} },
    ),
    [
      'type: Invalid value: "Opaque": field is immutable',
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ],
  );
  assert.deepEqual(v('coordination.k8s.io', 'leases', { spec: { leaseDurationSeconds: 0 } }), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  assert.deepEqual(
    v('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'high' }, value: 2000000000 }),
    ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
  );
  assert.deepEqual(
    v('scheduling.k8s.io', 'priorityclasses', { metadata: { name: 'system-foo' }, value: 1 }),
    [
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-foo is not a known system priority class",
    ],
  );
  assert.deepEqual(
    v(
      'scheduling.k8s.io',
      'priorityclasses',
      { metadata: { name: 'p' }, value: 2 },
      { metadata: { name: 'p' }, value: 1 },
    ),
    ['value: Forbidden: may not be changed in an update.'],
  );
});
