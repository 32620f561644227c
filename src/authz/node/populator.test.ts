/**
 * Port of `TestNodeAuthorizerSharedResources` and `TestNodeAuthorizerAddEphemeralContainers`
 * (plugin/pkg/auth/authorizer/node/node_authorizer_test.go), plus graph maintenance (graph_test.go:
 * orphan cleanup on delete) and upstream's reason texts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../../authn/interfaces.js';
import type { Attributes, AuthzResult } from '../interfaces.js';
import { nodeAuthorizer } from './authorizer.js';
import { NodeGraph } from './populator.js';

const nodeUser = (name: string): UserInfo => ({
  name: `system:node:${name}`,
  uid: '',
  groups: ['system:nodes'],
  extra: {},
});
const base: Omit<Attributes, 'user'> = {
  verb: 'get',
  isResourceRequest: true,
  path: '',
  namespace: 'ns1',
  apiGroup: '',
  apiVersion: 'v1',
  resource: 'secrets',
  subresource: '',
  name: '',
};
const run = (g: NodeGraph, user: UserInfo, a: Partial<Attributes>): AuthzResult =>
  nodeAuthorizer(g).authorize({ ...base, user, ...a }) as AuthzResult;
const secretPod = (name: string, node: string, secrets: string[]) => ({
  metadata: { name, namespace: 'ns1' },
  spec: { nodeName: node, volumes: secrets.map((s) => ({ secret: { secretName: s } })) },
});

test('TestNodeAuthorizerSharedResources', () => {
  const g = new NodeGraph();
  g.upsert('Pod', secretPod('pod1-node1', 'node1', ['node1-only', 'node1-node2-only', 'shared-all']));
  g.upsert('Pod', secretPod('pod2-node2', 'node2', ['node1-node2-only', 'shared-all']));
  const pod3 = secretPod('pod3-node3', 'node3', ['shared-all']);
  g.upsert('Pod', pod3);
  const rows: [string, string, 'Allow' | 'NoOpinion'][] = [
    ['node1', 'node1-only', 'Allow'],
    ['node1', 'node1-node2-only', 'Allow'],
    ['node1', 'shared-all', 'Allow'],
    ['node2', 'node1-only', 'NoOpinion'],
    ['node2', 'node1-node2-only', 'Allow'],
    ['node2', 'shared-all', 'Allow'],
    ['node3', 'node1-only', 'NoOpinion'],
    ['node3', 'node1-node2-only', 'NoOpinion'],
    ['node3', 'shared-all', 'Allow'],
  ];
  for (const [node, secret, want] of rows) {
    assert.equal(run(g, nodeUser(node), { name: secret }).decision, want, `${node} ${secret}`);
  }
  // Dropping the volume from pod3 removes node3's access to the shared secret.
  g.upsert('Pod', { ...pod3, spec: { ...pod3.spec, volumes: [] } });
  assert.equal(run(g, nodeUser('node3'), { name: 'shared-all' }).decision, 'NoOpinion');
  assert.equal(run(g, nodeUser('node1'), { name: 'shared-all' }).decision, 'Allow');
});

test('TestNodeAuthorizerAddEphemeralContainers', () => {
  const g = new NodeGraph();
  const pod = secretPod('pod1-node1', 'node1', ['node1-only']);
  g.upsert('Pod', pod);
  const node1 = nodeUser('node1');
  assert.equal(run(g, node1, { name: 'node1-only' }).decision, 'Allow');
  assert.equal(run(g, node1, { name: 'new-secret' }).decision, 'NoOpinion');
  assert.equal(run(g, node1, { resource: 'configmaps', name: 'new-config-map' }).decision, 'NoOpinion');
  const eph = (envFrom: object) => ({
    name: 'eph',
    image: 'imageURL',
    targetContainerName: 't',
    envFrom: [envFrom],
  });
  g.upsert('Pod', {
    ...pod,
    spec: { ...pod.spec, ephemeralContainers: [eph({ secretRef: { name: 'new-secret' } })] },
  });
  assert.equal(run(g, node1, { name: 'new-secret' }).decision, 'Allow');
  g.upsert('Pod', {
    ...pod,
    spec: { ...pod.spec, ephemeralContainers: [eph({ configMapRef: { name: 'new-config-map' } })] },
  });
  assert.equal(run(g, node1, { resource: 'configmaps', name: 'new-config-map' }).decision, 'Allow');
});

test('every pod reference kind reaches the node; deleting the pod removes them all', () => {
  const g = new NodeGraph();
  const container = {
    name: 'c',
    env: [
      { name: 'A', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'k' } } },
      { name: 'B', valueFrom: { configMapKeyRef: { name: 'env-cm', key: 'k' } } },
    ],
    envFrom: [{ secretRef: { name: 'envfrom-secret' } }, { configMapRef: { name: 'envfrom-cm' } }],
  };
  g.upsert('Pod', {
    metadata: { name: 'p', namespace: 'ns1', uid: 'u1' },
    spec: {
      nodeName: 'n1',
      serviceAccountName: 'sa1',
      imagePullSecrets: [{ name: 'pull' }],
      initContainers: [container],
      volumes: [
        {
          name: 'v1',
          projected: { sources: [{ secret: { name: 'proj-secret' } }, { configMap: { name: 'proj-cm' } }] },
        },
        { name: 'v2', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi-secret' } } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: {} } },
      ],
    },
  });
  const n1 = nodeUser('n1');
  for (const s of ['env-secret', 'envfrom-secret', 'pull', 'proj-secret', 'csi-secret']) {
    assert.equal(run(g, n1, { name: s }).decision, 'Allow', s);
  }
  for (const c of ['env-cm', 'envfrom-cm', 'proj-cm']) {
    assert.equal(run(g, n1, { resource: 'configmaps', name: c }).decision, 'Allow', c);
  }
  assert.equal(run(g, n1, { resource: 'persistentvolumeclaims', name: 'p-scratch' }).decision, 'Allow');
  const token = { verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'sa1' };
  assert.equal(run(g, n1, token).decision, 'Allow');
  g.remove('Pod', 'ns1', 'p');
  assert.equal(g.graph.size, 0);
  assert.deepEqual(run(g, n1, { name: 'pull' }), {
    decision: 'NoOpinion',
    reason: "no relationship found between node 'n1' and this object",
  });
});

test('mirror pods grant nothing beyond the pod itself', () => {
  const g = new NodeGraph();
  const p = secretPod('static', 'n1', ['s']);
  g.upsert('Pod', { ...p, metadata: { ...p.metadata, annotations: { 'kubernetes.io/config.mirror': 'x' } } });
  assert.equal(run(g, nodeUser('n1'), { name: 's' }).decision, 'NoOpinion');
  assert.equal(run(g, nodeUser('n1'), { resource: 'pods', name: 'static' }).decision, 'Allow');
});

test('pv secrets follow the bound claim; rebinding the pv moves access', () => {
  const g = new NodeGraph();
  g.upsert('Pod', {
    metadata: { name: 'p', namespace: 'ns1' },
    spec: { nodeName: 'n1', volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'c1' } }] },
  });
  const pv = (claim: string) => ({
    metadata: { name: 'pv1' },
    spec: {
      claimRef: { namespace: 'ns1', name: claim },
      csi: {
        driver: 'd',
        controllerPublishSecretRef: { namespace: 'ns1', name: 'ctrl' },
        nodeStageSecretRef: { namespace: 'ns1', name: 'stage' },
      },
    },
  });
  g.upsert('PersistentVolume', pv('c1'));
  const n1 = nodeUser('n1');
  const pvGet = { resource: 'persistentvolumes', namespace: '', name: 'pv1' };
  assert.equal(run(g, n1, pvGet).decision, 'Allow');
  assert.equal(run(g, n1, { name: 'stage' }).decision, 'Allow');
  assert.equal(
    run(g, n1, { name: 'ctrl' }).decision,
    'NoOpinion',
    'controller secrets are not kubelet-visible',
  );
  g.upsert('PersistentVolume', pv('other'));
  assert.equal(run(g, n1, pvGet).decision, 'NoOpinion');
  assert.equal(run(g, n1, { name: 'stage' }).decision, 'NoOpinion');
});

test('reasons and non-node users', () => {
  const g = new NodeGraph();
  const anyone: UserInfo = { name: 'system:node:n1', uid: '', groups: [], extra: {} };
  assert.deepEqual(run(g, anyone, { name: 'x' }), { decision: 'NoOpinion', reason: '' });
  assert.deepEqual(run(g, nodeUser(''), { name: 'x' }), {
    decision: 'NoOpinion',
    reason: 'unknown node for user "system:node:"',
  });
  const n1 = nodeUser('n1');
  const cases: [Partial<Attributes>, string][] = [
    [{ verb: 'delete', name: 'x' }, 'can only read resources of this type'],
    [{ subresource: 'x', name: 'x' }, 'cannot read subresource'],
    [{ namespace: '', name: 'x' }, 'can only read namespaced object of this type'],
    [{ verb: 'list' }, 'No Object name found'],
    [{ resource: 'persistentvolumes', verb: 'list' }, 'can only get individual resources of this type'],
    [
      { resource: 'serviceaccounts', verb: 'get', name: 'x' },
      'can only create tokens for individual service accounts',
    ],
    [{ resource: 'nodes', verb: 'list' }, "node 'n1' cannot read all nodes, only its own Node object"],
    [{ resource: 'nodes', name: 'n2' }, "node 'n1' cannot read 'n2', only its own Node object"],
    [{ resource: 'pods', verb: 'list' }, 'can only list/watch pods with spec.nodeName field selector'],
    [
      { apiGroup: 'coordination.k8s.io', resource: 'leases', name: 'n1' },
      'can only access leases in the "kube-node-lease" system namespace',
    ],
  ];
  for (const [a, reason] of cases) assert.deepEqual(run(g, n1, a), { decision: 'NoOpinion', reason });
  // Static rules: events are allowed, anything unlisted is NoOpinion with no reason.
  assert.equal(run(g, n1, { resource: 'events', verb: 'create' }).decision, 'Allow');
  assert.deepEqual(run(g, n1, { resource: 'deployments', apiGroup: 'apps' }), {
    decision: 'NoOpinion',
    reason: '',
  });
});
