/**
 * Port of plugin/pkg/admission/noderestriction/admission_test.go `Test_nodePlugin_Admit`, second
 * half: nodes (labels, taints, configSource), leases, CSINodes, PVC status, ResourceSlices and CSRs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../authn/interfaces.js';
import { createCsr } from '../pki/csr.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import {
  admitNodeRestriction,
  forbiddenNodeLabels,
  type NodeRestrictionAttributes,
  type NodeRestrictionLookup,
} from './noderestriction.js';

type Obj = Record<string, any>;
const mynode: UserInfo = { name: 'system:node:mynode', uid: '', groups: ['system:nodes'], extra: {} };
const existing: NodeRestrictionLookup = { getPod: () => undefined, getNode: () => undefined };

const nodeObj = (extra: Obj = {}, labels?: Record<string, string>): Obj => ({
  metadata: { name: 'mynode', ...(labels ? { labels } : {}) },
  spec: { ...extra },
});
const nodeAttrs = (op: NodeRestrictionAttributes['operation'], obj?: Obj, old?: Obj, name = 'mynode') => ({
  operation: op,
  resource: 'nodes',
  subresource: '',
  namespace: '',
  name,
  object: obj,
  oldObject: old,
});
const lease = (op: NodeRestrictionAttributes['operation'], name: string, namespace = 'kube-node-lease') => ({
  operation: op,
  resource: 'leases',
  subresource: '',
  namespace,
  name: op === 'CREATE' ? '' : name,
  object: op === 'DELETE' ? undefined : { metadata: { name, namespace } },
});
const csinode = (op: NodeRestrictionAttributes['operation'], name: string) => ({
  operation: op,
  resource: 'csinodes',
  apiGroup: 'storage.k8s.io',
  subresource: '',
  namespace: '',
  name: op === 'CREATE' ? '' : name,
  object: op === 'DELETE' ? undefined : { metadata: { name } },
});
const pvc = (op: NodeRestrictionAttributes['operation'], sub: string, obj: Obj, old: Obj) => ({
  operation: op,
  resource: 'persistentvolumeclaims',
  subresource: sub,
  namespace: 'ns',
  name: 'claim',
  object: obj,
  oldObject: old,
});
const pvcObj = (status: Obj, labels?: Record<string, string>): Obj => ({
  metadata: { name: 'claim', namespace: 'ns', resourceVersion: '1', ...(labels ? { labels } : {}) },
  spec: { volumeName: 'pv' },
  status: { phase: 'Bound', ...status },
});
const taint = (v: string) => ({ taints: [{ key: 'mykey', value: v, effect: 'NoSchedule' }] });
const cfgSource = (name: string) => ({
  configSource: { configMap: { name, namespace: 'bar', uid: `${name}UID`, kubeletConfigKey: 'kubelet' } },
});

type Row = [string, Omit<NodeRestrictionAttributes, 'user'>, string, NodeRestrictionLookup?, UserInfo?];
const rows: Row[] = [
  // nodes
  ['allow create of my node', nodeAttrs('CREATE', nodeObj()), ''],
  [
    'allow create of my node with kubelet labels',
    nodeAttrs(
      'CREATE',
      nodeObj(
        {},
        {
          'kubernetes.io/hostname': 'h',
          'node.kubernetes.io/foo': 'x',
          'foo.kubelet.kubernetes.io/a': 'b',
          'example.com/x': 'y',
        },
      ),
    ),
    '',
  ],
  [
    'forbid create of my node with forbidden labels',
    nodeAttrs('CREATE', nodeObj({}, { 'node-restriction.kubernetes.io/foo': 'v', 'other.k8s.io/foo': 'v' })),
    'is not allowed to set the following labels: node-restriction.kubernetes.io/foo, other.k8s.io/foo',
  ],
  [
    'forbid create of my node with config source',
    nodeAttrs('CREATE', nodeObj(cfgSource('foo'))),
    'is not allowed to create pods with a non-nil configSource',
  ],
  [
    'forbid create of other node',
    nodeAttrs('CREATE', { metadata: { name: 'othernode' } }, undefined, ''),
    'is not allowed to modify node "othernode"',
  ],
  ['allow update of my node', nodeAttrs('UPDATE', nodeObj(), nodeObj()), ''],
  ['allow delete of my node', nodeAttrs('DELETE', undefined, nodeObj()), ''],
  [
    'allow update of my node status',
    { ...nodeAttrs('UPDATE', nodeObj(), nodeObj()), subresource: 'status' },
    '',
  ],
  [
    'forbid update of other node',
    nodeAttrs('UPDATE', nodeObj(), nodeObj(), 'othernode'),
    'node "mynode" is not allowed to modify node "othernode"',
  ],
  [
    'forbid delete of other node',
    nodeAttrs('DELETE', undefined, nodeObj(), 'othernode'),
    'is not allowed to modify node "othernode"',
  ],
  [
    'forbid update of my node: nil configSource to new non-nil',
    nodeAttrs('UPDATE', nodeObj(cfgSource('foo')), nodeObj()),
    'update configSource to a new non-nil configSource',
  ],
  [
    'forbid update of my node: configSource A to B',
    nodeAttrs('UPDATE', nodeObj(cfgSource('qux')), nodeObj(cfgSource('foo'))),
    'update configSource to a new non-nil configSource',
  ],
  [
    'allow update of my node: configSource unchanged',
    nodeAttrs('UPDATE', nodeObj(cfgSource('foo')), nodeObj(cfgSource('foo'))),
    '',
  ],
  [
    'allow update of my node: configSource dropped',
    nodeAttrs('UPDATE', nodeObj(), nodeObj(cfgSource('foo'))),
    '',
  ],
  [
    'forbid update of my node: add taints',
    nodeAttrs('UPDATE', nodeObj(taint('A')), nodeObj()),
    'is not allowed to modify taints',
  ],
  [
    'forbid update of my node: remove taints',
    nodeAttrs('UPDATE', nodeObj(), nodeObj(taint('A'))),
    'is not allowed to modify taints',
  ],
  [
    'forbid update of my node: change taints',
    nodeAttrs('UPDATE', nodeObj(taint('B')), nodeObj(taint('A'))),
    'is not allowed to modify taints',
  ],
  [
    'allow update of my node: taints unchanged',
    nodeAttrs('UPDATE', nodeObj(taint('A')), nodeObj(taint('A'))),
    '',
  ],
  [
    'forbid update of my node: add forbidden labels',
    nodeAttrs('UPDATE', nodeObj({}, { 'other.kubernetes.io/foo': 'v' }), nodeObj()),
    'is not allowed to modify labels: other.kubernetes.io/foo',
  ],
  [
    'forbid update of my node: remove forbidden labels',
    nodeAttrs('UPDATE', nodeObj(), nodeObj({}, { 'node-restriction.kubernetes.io/foo': 'v' })),
    'is not allowed to modify labels: node-restriction.kubernetes.io/foo',
  ],
  [
    'allow update of my node: change allowed labels',
    nodeAttrs(
      'UPDATE',
      nodeObj({}, { 'topology.kubernetes.io/zone': 'b' }),
      nodeObj({}, { 'topology.kubernetes.io/zone': 'a' }),
    ),
    '',
  ],
  [
    'allow update of my node: unchanged forbidden label',
    nodeAttrs('UPDATE', nodeObj({}, { 'other.k8s.io/foo': 'v' }), nodeObj({}, { 'other.k8s.io/foo': 'v' })),
    '',
  ],
  // leases
  [
    'disallowed create lease - namespace other than kube-node-lease',
    lease('CREATE', 'mynode', 'foo'),
    'can only access leases in the "kube-node-lease" system namespace',
  ],
  [
    'disallowed update lease - namespace other than kube-node-lease',
    lease('UPDATE', 'mynode', 'foo'),
    'can only access leases in the "kube-node-lease" system namespace',
  ],
  [
    "disallowed create another node's lease",
    lease('CREATE', 'foo'),
    'can only access node lease with the same name',
  ],
  [
    "disallowed update another node's lease",
    lease('UPDATE', 'foo'),
    'can only access node lease with the same name',
  ],
  [
    "disallowed delete another node's lease",
    lease('DELETE', 'foo'),
    'can only access node lease with the same name',
  ],
  ['allowed create node lease', lease('CREATE', 'mynode'), ''],
  ['allowed update node lease', lease('UPDATE', 'mynode'), ''],
  ['allowed delete node lease', lease('DELETE', 'mynode'), ''],
  // csinodes
  [
    "disallowed create another node's CSINode",
    csinode('CREATE', 'foo'),
    'can only access CSINode with the same name as the requesting node',
  ],
  [
    "disallowed update another node's CSINode",
    csinode('UPDATE', 'foo'),
    'can only access CSINode with the same name as the requesting node',
  ],
  ['allowed create node CSINode', csinode('CREATE', 'mynode'), ''],
  ['allowed delete node CSINode', csinode('DELETE', 'mynode'), ''],
  // pvcs
  ['forbid create of pvc', pvc('CREATE', '', pvcObj({}), pvcObj({})), 'may only update PVC status'],
  ['forbid update of pvc spec', pvc('UPDATE', '', pvcObj({}), pvcObj({})), 'may only update PVC status'],
  [
    'allow update of pvc status capacity and conditions',
    pvc(
      'UPDATE',
      'status',
      pvcObj({ capacity: { storage: '2Gi' }, conditions: [{ type: 'Resizing', status: 'True' }] }),
      pvcObj({ capacity: { storage: '1Gi' } }),
    ),
    '',
  ],
  [
    'allow update of pvc status allocated resources',
    pvc('UPDATE', 'status', pvcObj({ allocatedResources: { storage: '2Gi' } }), pvcObj({})),
    '',
  ],
  [
    'forbid update of pvc status phase',
    pvc('UPDATE', 'status', pvcObj({ phase: 'Lost' }), pvcObj({})),
    'is not allowed to update fields other than status.quantity and status.conditions: .status.phase',
  ],
  [
    'forbid update of pvc labels through status',
    pvc('UPDATE', 'status', pvcObj({}, { a: 'b' }), pvcObj({})),
    'update fields other than',
  ],
  [
    'forbid delete of pvc status',
    pvc('DELETE', 'status', pvcObj({}), pvcObj({})),
    'unexpected operation "DELETE"',
  ],
  // resource slices
  [
    'allow create of own resourceslice',
    {
      operation: 'CREATE',
      resource: 'resourceslices',
      subresource: '',
      namespace: '',
      name: '',
      object: { metadata: { name: 's' }, spec: { nodeName: 'mynode' } },
    },
    '',
  ],
  [
    'forbid create of other resourceslice',
    {
      operation: 'CREATE',
      resource: 'resourceslices',
      subresource: '',
      namespace: '',
      name: '',
      object: { metadata: { name: 's' }, spec: { nodeName: 'x' } },
    },
    'can only create ResourceSlice with the same NodeName as the requesting node',
  ],
  [
    'forbid delete of other resourceslice',
    {
      operation: 'DELETE',
      resource: 'resourceslices',
      subresource: '',
      namespace: '',
      name: 's',
      oldObject: { metadata: { name: 's' }, spec: { nodeName: 'x' } },
    },
    'resourceslices.resource.k8s.io "Unknown" is forbidden: can only delete ResourceSlice',
  ],
];

for (const [name, a, want, lookup, user] of rows) {
  test(name, () => {
    const err = admitNodeRestriction({ user: user ?? mynode, ...a }, lookup ?? existing);
    if (want === '') assert.equal(err, undefined, err?.message);
    else {
      assert.ok(err, `expected an error containing ${JSON.stringify(want)}`);
      assert.ok(err.message.includes(want), err.message);
      assert.equal(err.code, want.includes('not found') ? 404 : 403);
    }
  });
}

test('forbiddenNodeLabels: kubelet labels and namespaces are allowed, others in k8s domains are not', () => {
  const allowed = [
    'foo',
    'example.com/foo',
    'kubernetes.io/hostname',
    'kubernetes.io/os',
    'kubernetes.io/arch',
    'beta.kubernetes.io/os',
    'beta.kubernetes.io/arch',
    'beta.kubernetes.io/instance-type',
    'node.kubernetes.io/instance-type',
    'failure-domain.beta.kubernetes.io/zone',
    'failure-domain.beta.kubernetes.io/region',
    'topology.kubernetes.io/zone',
    'topology.kubernetes.io/region',
    'kubelet.kubernetes.io/foo',
    'foo.kubelet.kubernetes.io/foo',
    'node.kubernetes.io/foo',
    'foo.node.kubernetes.io/foo',
  ];
  assert.deepEqual(forbiddenNodeLabels(Object.fromEntries(allowed.map((k) => [k, 'v']))), []);
  const forbidden = [
    'node-restriction.kubernetes.io/foo',
    'foo.node-restriction.kubernetes.io/foo',
    'other.kubernetes.io/foo',
    'other.k8s.io/foo',
    'k8s.io/foo',
    'beta.kubernetes.io/other',
  ];
  assert.deepEqual(
    forbiddenNodeLabels(Object.fromEntries(forbidden.map((k) => [k, 'v']))),
    [...forbidden].sort(),
  );
});

test('CSRs for kubelet signers must carry CN=system:node:<self>', async () => {
  const { privateKeyPem } = await generateRsaKeyPair();
  const csr = async (cn: string, signerName: string) => ({
    operation: 'CREATE' as const,
    resource: 'certificatesigningrequests',
    subresource: '',
    namespace: '',
    name: '',
    object: {
      metadata: { generateName: 'csr-' },
      spec: {
        signerName,
        request: Buffer.from(await createCsr({ commonName: cn, privateKeyPem })).toString('base64'),
      },
    },
  });
  const serving = 'kubernetes.io/kubelet-serving';
  assert.equal(
    admitNodeRestriction({ user: mynode, ...(await csr('system:node:mynode', serving)) }, existing),
    undefined,
  );
  const other = admitNodeRestriction(
    { user: mynode, ...(await csr('system:node:other', serving)) },
    existing,
  );
  assert.equal(
    other?.message,
    'certificatesigningrequests.certificates.k8s.io "csr-" is forbidden: can only create a node CSR with CN=system:node:mynode',
  );
  const custom = await csr('system:node:other', 'example.com/custom');
  assert.equal(admitNodeRestriction({ user: mynode, ...custom }, existing), undefined);
  const garbage = { ...custom, object: { spec: { signerName: serving, request: 'Zm9v' } } };
  assert.match(
    admitNodeRestriction({ user: mynode, ...garbage }, existing)?.message ?? '',
    /unable to parse csr/,
  );
  const insecure = admitNodeRestriction({ user: mynode, ...(await csr('x', serving)) }, existing, {
    allowInsecureKubeletCSRs: true,
  });
  assert.equal(insecure, undefined);
});
