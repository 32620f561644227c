/**
 * Port of plugin/pkg/admission/noderestriction/admission_test.go `Test_nodePlugin_Admit`: rows of
 * (attributes, expected error substring, '' for admitted), over the same fixtures (mynode,
 * othernode, mirror and non-mirror pods bound to mynode / othernode / nobody).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../authn/interfaces.js';
import {
  admitNodeRestriction,
  type NodeRestrictionAttributes,
  type NodeRestrictionLookup,
} from './noderestriction.js';

type Obj = Record<string, any>;
const mynode: UserInfo = { name: 'system:node:mynode', uid: '', groups: ['system:nodes'], extra: {} };
const bob: UserInfo = { name: 'bob', uid: '', groups: [], extra: {} };

const makePod = (name: string, node: string, mirror: boolean, extra: Obj = {}): Obj => ({
  metadata: {
    name,
    namespace: 'ns',
    uid: 'pod-uid',
    ...(mirror ? { annotations: { 'kubernetes.io/config.mirror': 'true' } } : {}),
    ...(mirror
      ? {
          ownerReferences: [
            { apiVersion: 'v1', kind: 'Node', name: node, uid: 'mynode-uid', controller: true },
          ],
        }
      : {}),
  },
  spec: { nodeName: node, ...extra },
});
const pods: Record<string, Obj> = {};
for (const [n, node, m] of [
  ['mymirrorpod', 'mynode', true],
  ['othermirrorpod', 'othernode', true],
  ['unboundmirrorpod', '', true],
  ['mypod', 'mynode', false],
  ['otherpod', 'othernode', false],
  ['unboundpod', '', false],
] as const) {
  pods[n] = makePod(n, node, m);
}
const existing: NodeRestrictionLookup = {
  getPod: (ns, name) => (ns === 'ns' ? pods[name] : undefined),
  getNode: (name) => (name === 'mynode' ? { metadata: { name, uid: 'mynode-uid' } } : undefined),
};
const none: NodeRestrictionLookup = { getPod: () => undefined, getNode: existing.getNode };

const podAttrs = (op: NodeRestrictionAttributes['operation'], pod: Obj, sub = '', old?: Obj) => ({
  operation: op,
  resource: 'pods',
  subresource: sub,
  namespace: 'ns',
  name: pod.metadata.name,
  object: op === 'DELETE' ? undefined : pod,
  oldObject: old,
});
const eviction = (name: string) => ({
  operation: 'CREATE' as const,
  resource: 'pods',
  subresource: 'eviction',
  namespace: 'ns',
  name: '',
  object: { metadata: { name, namespace: 'ns' } },
});
const tokenReq = (podName: string, uid: string) => ({
  operation: 'CREATE' as const,
  resource: 'serviceaccounts',
  subresource: 'token',
  namespace: 'ns',
  name: 'mysa',
  object: {
    spec: {
      audiences: ['foo'],
      ...(podName ? { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: podName, uid } } : {}),
    },
  },
});
const withRefs = (extra: Obj) => makePod('mymirrorpod', 'mynode', true, extra);
type Row = [string, Omit<NodeRestrictionAttributes, 'user'>, string, NodeRestrictionLookup?, UserInfo?];
const rows: Row[] = [
  // mirror pods bound to us
  ['allow creating a mirror pod bound to self', podAttrs('CREATE', pods.mymirrorpod), '', none],
  [
    'forbid update of mirror pod bound to self',
    podAttrs('UPDATE', pods.mymirrorpod, '', pods.mymirrorpod),
    'forbidden: unexpected operation',
  ],
  ['allow delete of mirror pod bound to self', podAttrs('DELETE', pods.mymirrorpod), ''],
  [
    'forbid create of mirror pod status bound to self',
    podAttrs('CREATE', pods.mymirrorpod, 'status'),
    'forbidden: unexpected operation',
  ],
  [
    'allow update of mirror pod status bound to self',
    podAttrs('UPDATE', pods.mymirrorpod, 'status', pods.mymirrorpod),
    '',
  ],
  [
    'forbid delete of mirror pod status bound to self',
    podAttrs('DELETE', pods.mymirrorpod, 'status'),
    'forbidden: unexpected operation',
  ],
  ['allow create of eviction for mirror pod bound to self', eviction('mymirrorpod'), ''],
  [
    'forbid update of eviction for mirror pod bound to self',
    { ...eviction('mymirrorpod'), operation: 'UPDATE' },
    'forbidden: unexpected operation',
  ],
  [
    'forbid create of unknown subresource of mirror pod',
    podAttrs('CREATE', pods.mymirrorpod, 'unknown'),
    "unexpected pod subresource \"unknown\", only 'status' and 'eviction' are allowed",
  ],
  // mirror pods bound to another node / to nobody
  [
    'forbid creating a mirror pod bound to another',
    podAttrs('CREATE', pods.othermirrorpod),
    'spec.nodeName set to itself',
  ],
  [
    'forbid delete of mirror pod bound to another',
    podAttrs('DELETE', pods.othermirrorpod),
    'spec.nodeName set to itself',
  ],
  [
    'forbid update of mirror pod status bound to another',
    podAttrs('UPDATE', pods.othermirrorpod, 'status', pods.othermirrorpod),
    'spec.nodeName set to itself',
  ],
  [
    'forbid create of eviction for mirror pod bound to another',
    eviction('othermirrorpod'),
    'spec.nodeName set to itself',
  ],
  [
    'forbid creating a mirror pod unbound',
    podAttrs('CREATE', pods.unboundmirrorpod),
    'spec.nodeName set to itself',
  ],
  [
    'forbid delete of mirror pod unbound',
    podAttrs('DELETE', pods.unboundmirrorpod),
    'spec.nodeName set to itself',
  ],
  [
    'forbid create of eviction for mirror pod unbound',
    eviction('unboundmirrorpod'),
    'spec.nodeName set to itself',
  ],
  // normal pods
  [
    'forbid creating a normal pod bound to self',
    podAttrs('CREATE', pods.mypod),
    'can only create mirror pods',
  ],
  ['allow delete of normal pod bound to self', podAttrs('DELETE', pods.mypod), ''],
  [
    'allow update of normal pod status bound to self',
    podAttrs('UPDATE', pods.mypod, 'status', pods.mypod),
    '',
  ],
  ['allow create of eviction for normal pod bound to self', eviction('mypod'), ''],
  [
    'allow create of eviction for normal pod bound to self by URL name',
    { ...eviction('mypod'), name: 'mypod', object: { metadata: {} } },
    '',
  ],
  ['forbid create of unnamed eviction', eviction(''), 'could not determine pod from request data'],
  [
    'forbid delete of normal pod bound to another',
    podAttrs('DELETE', pods.otherpod),
    'spec.nodeName set to itself',
  ],
  [
    'forbid create of eviction for normal pod bound to another',
    eviction('otherpod'),
    'spec.nodeName set to itself',
  ],
  ['forbid delete of unknown pod', podAttrs('DELETE', pods.mypod), 'pods "mypod" not found', none],
  ['forbid create of eviction for unknown pod', eviction('mypod'), 'not found', none],
  [
    'forbid pod status label changes',
    podAttrs('UPDATE', makePod('mypod', 'mynode', false), 'status', {
      ...pods.mypod,
      metadata: { ...pods.mypod.metadata, labels: { a: 'b' } },
    }),
    'cannot update labels through pod status',
  ],
  [
    'forbid pod status resource claim status changes',
    podAttrs(
      'UPDATE',
      { ...pods.mypod, status: { resourceClaimStatuses: [{ name: 'c', resourceClaimName: 'x' }] } },
      'status',
      pods.mypod,
    ),
    'cannot update resource claim statues',
  ],
  // mirror pod shape
  [
    'forbid mirror pod with a service account',
    podAttrs('CREATE', withRefs({ serviceAccountName: 'foo' })),
    'reference a service account',
  ],
  [
    'forbid mirror pod with a secret volume',
    podAttrs('CREATE', withRefs({ volumes: [{ name: 'v', secret: { secretName: 'foo' } }] })),
    'reference secrets',
  ],
  [
    'forbid mirror pod with a configmap volume',
    podAttrs('CREATE', withRefs({ volumes: [{ name: 'v', configMap: { name: 'foo' } }] })),
    'reference configmaps',
  ],
  [
    'forbid mirror pod with a pvc volume',
    podAttrs('CREATE', withRefs({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'foo' } }] })),
    'reference persistentvolumeclaims',
  ],
  [
    'forbid mirror pod with a clustertrustbundle',
    podAttrs(
      'CREATE',
      withRefs({
        volumes: [{ name: 'v', projected: { sources: [{ clusterTrustBundle: { name: 'b', path: 'p' } }] } }],
      }),
    ),
    'reference clustertrustbundles',
  ],
  [
    'forbid mirror pod without owner',
    podAttrs('CREATE', {
      ...pods.mymirrorpod,
      metadata: { ...pods.mymirrorpod.metadata, ownerReferences: [] },
    }),
    'with an owner reference set to itself',
  ],
  [
    'forbid mirror pod with non-controller owner',
    podAttrs('CREATE', {
      ...pods.mymirrorpod,
      metadata: {
        ...pods.mymirrorpod.metadata,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'mynode', uid: 'mynode-uid' }],
      },
    }),
    'controller owner reference',
  ],
  [
    'forbid mirror pod with blockOwnerDeletion',
    podAttrs('CREATE', {
      ...pods.mymirrorpod,
      metadata: {
        ...pods.mymirrorpod.metadata,
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Node',
            name: 'mynode',
            uid: 'mynode-uid',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
    }),
    'must not set blockOwnerDeletion',
  ],
  [
    'forbid mirror pod with wrong node uid',
    podAttrs('CREATE', {
      ...pods.mymirrorpod,
      metadata: {
        ...pods.mymirrorpod.metadata,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'mynode', uid: 'x', controller: true }],
      },
    }),
    'node mynode UID mismatch: expected x got mynode-uid',
  ],
  // service account tokens
  ['forbid create of unbound token', tokenReq('', ''), 'not bound to a pod'],
  ['forbid create of token bound to nonexistant pod', tokenReq('nopod', 'someuid'), 'not found'],
  ['forbid create of token bound to pod without uid', tokenReq('mypod', ''), 'pod binding without a uid'],
  [
    'forbid create of token bound to pod scheduled on another node',
    tokenReq('otherpod', 'pod-uid'),
    'pod scheduled on a different node',
  ],
  [
    'forbid create of token with uid mismatch',
    tokenReq('mypod', 'x'),
    'the UID in the bound object reference (x) does not match the UID in record',
  ],
  ['allow create of token bound to pod scheduled this node', tokenReq('mypod', 'pod-uid'), ''],
  ['allow create of service account itself', { ...tokenReq('', ''), subresource: '' }, ''],
  // other resources and users
  [
    'allow unrelated resource',
    {
      operation: 'CREATE',
      resource: 'configmaps',
      subresource: '',
      namespace: 'ns',
      name: 'x',
      object: { metadata: { name: 'x' } },
    },
    '',
  ],
  ['allow a non-node user anything', podAttrs('CREATE', pods.othermirrorpod), '', undefined, bob],
  [
    'forbid a node without a name',
    podAttrs('CREATE', pods.mymirrorpod),
    'pods "mymirrorpod" is forbidden: could not determine node from user "system:node:"',
    undefined,
    { ...mynode, name: 'system:node:' },
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

test('Forbidden message and Status shape (admission.NewForbidden)', () => {
  const err = admitNodeRestriction({ user: mynode, ...podAttrs('CREATE', pods.mypod) }, existing)!;
  assert.equal(
    err.message,
    'pods "mypod" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "mynode" can only create mirror pods',
  );
  assert.deepEqual(err.toStatus().details, { name: 'mypod', kind: 'pods' });
  const del = admitNodeRestriction({ user: mynode, ...podAttrs('DELETE', pods.otherpod) }, existing)!;
  assert.equal(
    del.message,
    'pods "Unknown" is forbidden: node "mynode" can only delete pods with spec.nodeName set to itself',
  );
});
