/**
 * Port of plugin/pkg/auth/authorizer/node/node_authorizer_test.go (`TestNodeAuthorizer`,
 * `TestNodeAuthorizerSharedResources`, `TestNodeAuthorizerAddEphemeralContainers`): every row runs
 * with the AuthorizeNodeWithSelectors gate off and on unless it names one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../../authn/interfaces.js';
import type { Attributes, Decision } from '../interfaces.js';
import { nodeAuthorizer } from './authorizer.js';
import { NodeGraph } from './populator.js';

export interface SampleDataOpts {
  nodes: number;
  namespaces: number;
  podsPerNode: number;
  attachmentsPerNode?: number;
  sharedConfigMapsPerPod?: number;
  sharedSecretsPerPod?: number;
  sharedPVCsPerPod?: number;
  uniqueSecretsPerPod?: number;
  uniqueConfigMapsPerPod?: number;
  uniquePVCsPerPod?: number;
  uniqueResourceClaimsPerPod?: number;
  uniqueResourceClaimTemplatesPerPod?: number;
  uniqueResourceClaimTemplatesWithClaimPerPod?: number;
  nodeResourceSlicesPerNode?: number;
}

type Obj = Record<string, any>;

export function generatePod(name: string, ns: string, node: string, sa: string, o: SampleDataOpts) {
  const volumes: Obj[] = [];
  const pvs: Obj[] = [];
  const resourceClaims: Obj[] = [];
  const resourceClaimStatuses: Obj[] = [];
  for (let i = 0; i < (o.uniqueSecretsPerPod ?? 0); i++)
    volumes.push({ secret: { secretName: `secret${i}-${name}` } });
  for (let i = 0; i < (o.sharedSecretsPerPod ?? 0); i++)
    volumes.push({ secret: { secretName: `secret${i}-shared` } });
  for (let i = 0; i < (o.uniqueConfigMapsPerPod ?? 0); i++)
    volumes.push({ configMap: { name: `configmap${i}-${name}` } });
  for (let i = 0; i < (o.sharedConfigMapsPerPod ?? 0); i++)
    volumes.push({ configMap: { name: `configmap${i}-shared` } });
  const addPV = (pvName: string, claim: string): void => {
    pvs.push({
      metadata: { name: pvName },
      spec: {
        flexVolume: { secretRef: { name: `secret-${pvName}` } },
        claimRef: { name: claim, namespace: ns },
      },
    });
    volumes.push({ persistentVolumeClaim: { claimName: claim } });
  };
  for (let i = 0; i < (o.uniquePVCsPerPod ?? 0); i++) addPV(`pv${i}-${name}-${ns}`, `pvc${i}-${name}`);
  for (let i = 0; i < (o.uniqueResourceClaimsPerPod ?? 0); i++) {
    resourceClaims.push({ name: `claim${i}`, resourceClaimName: `claim${i}-${name}-${ns}` });
  }
  for (let i = 0; i < (o.uniqueResourceClaimTemplatesPerPod ?? 0); i++) {
    resourceClaims.push({
      name: `claimtemplate${i}`,
      resourceClaimTemplateName: `claimtemplate${i}-${name}-${ns}`,
    });
  }
  for (let i = 0; i < (o.uniqueResourceClaimTemplatesWithClaimPerPod ?? 0); i++) {
    const podClaimName = `claimtemplate-with-claim${i}`;
    resourceClaims.push({ name: podClaimName, resourceClaimTemplateName: `claimtemplate${i}-${name}-${ns}` });
    resourceClaimStatuses.push({
      name: podClaimName,
      resourceClaimName: `generated-claim-${name}-${ns}-${i}`,
    });
  }
  for (let i = 0; i < (o.sharedPVCsPerPod ?? 0); i++) addPV(`pv${i}-shared-${ns}`, `pvc${i}-shared`);
  const pod = {
    metadata: { name, namespace: ns },
    spec: { nodeName: node, serviceAccountName: sa, volumes, resourceClaims },
    status: { resourceClaimStatuses },
  };
  return { pod, pvs };
}

/** Generates the sample objects and feeds them to the graph (pods, PVs, attachments, slices). */
export function populate(g: NodeGraph, o: SampleDataOpts): void {
  for (let n = 0; n < o.nodes; n++) {
    const node = `node${n}`;
    for (let p = 0; p < o.podsPerNode; p++) {
      const { pod, pvs } = generatePod(
        `pod${p}-${node}`,
        `ns${p % o.namespaces}`,
        node,
        `svcacct${p}-${node}`,
        o,
      );
      g.upsert('Pod', pod);
      for (const pv of pvs) g.upsert('PersistentVolume', pv);
    }
    for (let a = 0; a < (o.attachmentsPerNode ?? 0); a++) {
      g.upsert('VolumeAttachment', {
        metadata: { name: `attachment${a}-${node}` },
        spec: { nodeName: node },
      });
    }
    for (let s = 0; s <= (o.nodeResourceSlicesPerNode ?? 0); s++) {
      g.upsert('ResourceSlice', { metadata: { name: `slice${s}-${node}` }, spec: { nodeName: node } });
    }
  }
}

export const nodeUser = (name: string): UserInfo => ({
  name: `system:node:${name}`,
  uid: '',
  groups: ['system:nodes'],
  extra: {},
});

/** An AttributesRecord with upstream's zero values. */
export function attrs(p: Partial<Attributes> & { user: UserInfo }): Attributes {
  return {
    verb: '',
    isResourceRequest: true,
    path: '',
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
    ...p,
  };
}

const node0 = nodeUser('node0');
const A = 'Allow' as const;
const N = 'NoOpinion' as const;
type Row = [name: string, a: Partial<Attributes>, expect: Decision, selectors?: boolean];

const g = new NodeGraph();
populate(g, {
  nodes: 2,
  namespaces: 2,
  podsPerNode: 2,
  attachmentsPerNode: 1,
  uniqueConfigMapsPerPod: 1,
  sharedSecretsPerPod: 1,
  uniqueSecretsPerPod: 1,
  uniquePVCsPerPod: 1,
  uniqueResourceClaimsPerPod: 1,
  uniqueResourceClaimTemplatesPerPod: 1,
  uniqueResourceClaimTemplatesWithClaimPerPod: 1,
  nodeResourceSlicesPerNode: 2,
});
const authzBy = {
  true: nodeAuthorizer(g, { selectors: true }),
  false: nodeAuthorizer(g, { selectors: false }),
};

const get = (resource: string, name: string, namespace = '', apiGroup = ''): Partial<Attributes> => ({
  verb: 'get',
  resource,
  name,
  namespace,
  apiGroup,
});
const lease = (verb: string, name: string, namespace = 'kube-node-lease'): Partial<Attributes> => ({
  verb,
  resource: 'leases',
  apiGroup: 'coordination.k8s.io',
  name,
  namespace,
});
const csinode = (verb: string, name = '', subresource = ''): Partial<Attributes> => ({
  verb,
  resource: 'csinodes',
  apiGroup: 'storage.k8s.io',
  name,
  subresource,
});
const slice = (verb: string, name = '', extra: Partial<Attributes> = {}): Partial<Attributes> => ({
  verb,
  resource: 'resourceslices',
  apiGroup: 'resource.k8s.io',
  name,
  ...extra,
});
const pod = (verb: string, name = '', extra: Partial<Attributes> = {}): Partial<Attributes> => ({
  verb,
  resource: 'pods',
  name,
  namespace: name ? 'ns0' : '',
  ...extra,
});
const nodeAttr = (verb: string, name = '', subresource = ''): Partial<Attributes> => ({
  verb,
  resource: 'nodes',
  name,
  subresource,
});
const rc = 'resource.k8s.io';

const rows: Row[] = [
  ['allowed configmap', get('configmaps', 'configmap0-pod0-node0', 'ns0'), A],
  ['allowed secret via pod', get('secrets', 'secret0-pod0-node0', 'ns0'), A],
  ['list allowed secret via pod', { ...get('secrets', 'secret0-pod0-node0', 'ns0'), verb: 'list' }, A],
  ['watch allowed secret via pod', { ...get('secrets', 'secret0-pod0-node0', 'ns0'), verb: 'watch' }, A],
  ['disallowed list many secrets', { ...get('secrets', '', 'ns0'), verb: 'list' }, N],
  ['disallowed watch many secrets', { ...get('secrets', '', 'ns0'), verb: 'watch' }, N],
  [
    'disallowed list secrets from all namespaces with name',
    { ...get('secrets', 'secret0-pod0-node0'), verb: 'list' },
    N,
  ],
  ['allowed shared secret via pod', get('secrets', 'secret0-shared', 'ns0'), A],
  ['allowed shared secret via pvc', get('secrets', 'secret-pv0-pod0-node0-ns0', 'ns0'), A],
  ['allowed pvc', get('persistentvolumeclaims', 'pvc0-pod0-node0', 'ns0'), A],
  ['allowed resource claim', get('resourceclaims', 'claim0-pod0-node0-ns0', 'ns0', rc), A],
  [
    'allowed resource claim with template',
    get('resourceclaims', 'generated-claim-pod0-node0-ns0-0', 'ns0', rc),
    A,
  ],
  ['allowed pv', get('persistentvolumes', 'pv0-pod0-node0-ns0'), A],
  ['disallowed configmap', get('configmaps', 'configmap0-pod0-node1', 'ns0'), N],
  ['disallowed secret via pod', get('secrets', 'secret0-pod0-node1', 'ns0'), N],
  ['disallowed shared secret via pvc', get('secrets', 'secret-pv0-pod0-node1-ns0', 'ns0'), N],
  ['disallowed pvc', get('persistentvolumeclaims', 'pvc0-pod0-node1', 'ns0'), N],
  ['disallowed resource claim, other node', get('resourceclaims', 'claim0-pod0-node1-ns0', 'ns0', rc), N],
  [
    'disallowed resource claim with template',
    get('resourceclaims', 'pod0-node1-claimtemplate0', 'ns0', rc),
    N,
  ],
  ['disallowed pv', get('persistentvolumes', 'pv0-pod0-node1-ns0'), N],
  ['allowed attachment', get('volumeattachments', 'attachment0-node0', '', 'storage.k8s.io'), A],
  [
    'disallowed attachment - no relationship',
    get('volumeattachments', 'attachment0-node1', '', 'storage.k8s.io'),
    N,
  ],
  [
    'allowed svcacct token create',
    {
      verb: 'create',
      resource: 'serviceaccounts',
      subresource: 'token',
      name: 'svcacct0-node0',
      namespace: 'ns0',
    },
    A,
  ],
  [
    'disallowed svcacct token create - serviceaccount not attached to node',
    {
      verb: 'create',
      resource: 'serviceaccounts',
      subresource: 'token',
      name: 'svcacct0-node1',
      namespace: 'ns0',
    },
    N,
  ],
  [
    'disallowed svcacct token create - no subresource',
    { verb: 'create', resource: 'serviceaccounts', name: 'svcacct0-node0', namespace: 'ns0' },
    N,
  ],
  [
    'disallowed svcacct token create - non create',
    {
      verb: 'update',
      resource: 'serviceaccounts',
      subresource: 'token',
      name: 'svcacct0-node0',
      namespace: 'ns0',
    },
    N,
  ],
  ...(['get', 'create', 'update', 'patch', 'delete'].map((v) => [
    `disallowed ${v} lease in namespace other than kube-node-lease`,
    lease(v, 'node0', 'foo'),
    N,
  ]) as Row[]),
  ...(['get', 'update', 'patch', 'delete'].map((v) => [
    `disallowed ${v} another node's lease`,
    lease(v, 'node1'),
    N,
  ]) as Row[]),
  ['disallowed list node leases', lease('list', ''), N],
  ['disallowed watch node leases', lease('watch', ''), N],
  ...(['get', 'create', 'update', 'patch', 'delete'].map((v) => [
    `allowed ${v} node lease`,
    lease(v, 'node0'),
    A,
  ]) as Row[]),
  ['disallowed CSINode with subresource', csinode('get', 'node0', 'csiDrivers'), N],
  ...(['get', 'update', 'patch', 'delete'].map((v) => [
    `disallowed ${v} another node's CSINode`,
    csinode(v, 'node1'),
    N,
  ]) as Row[]),
  ['disallowed list CSINodes', csinode('list'), N],
  ['disallowed watch CSINodes', csinode('watch'), N],
  ...(['get', 'create', 'update', 'patch', 'delete'].map((v) => [
    `allowed ${v} CSINode`,
    csinode(v, 'node0'),
    A,
  ]) as Row[]),
  ['disallowed ResourceSlice with subresource', slice('get', 'slice0-node0', { subresource: 'status' }), N],
  ...(['get', 'update', 'patch', 'delete'].map((v) => [
    `disallowed ${v} another node's ResourceSlice`,
    slice(v, 'slice0-node1'),
    N,
  ]) as Row[]),
  ['allowed filtered list ResourceSlices', slice('list', '', { fieldSelector: 'spec.nodeName==node0' }), A],
  ['allowed unfiltered list ResourceSlices - selector authz disabled', slice('list'), A, false],
  ['disallowed unfiltered list ResourceSlices - selector authz enabled', slice('list'), N, true],
  ['allowed filtered watch ResourceSlices', slice('watch', '', { fieldSelector: 'spec.nodeName==node0' }), A],
  ['allowed unfiltered watch ResourceSlices - selector authz disabled', slice('watch'), A, false],
  ['disallowed unfiltered watch ResourceSlices - selector authz enabled', slice('watch'), N, true],
  ...(['get', 'create', 'update', 'patch', 'delete'].map((v) => [
    `allowed ${v} ResourceSlice`,
    slice(v, 'slice0-node0'),
    A,
  ]) as Row[]),
  // pods
  ['get related pod', pod('get', 'pod0-node0'), A],
  ['get unrelated pod - selector disabled', pod('get', 'pod0-node1'), A, false],
  ['get unrelated pod - selector enabled', pod('get', 'pod0-node1'), N, true],
  ['list related pods', pod('list', '', { fieldSelector: 'spec.nodeName=node0' }), A],
  ['list related pods - alternate selector', pod('list', '', { fieldSelector: 'spec.nodeName==node0' }), A],
  ['list single related pod', pod('list', 'pod0-node0'), A],
  ['list unrelated pods - selector disabled', pod('list'), A, false],
  ['list unrelated pods - selector enabled', pod('list'), N, true],
  ['watch related pods', pod('watch', '', { fieldSelector: 'spec.nodeName=node0' }), A],
  ['watch related pods - alternate selector', pod('watch', '', { fieldSelector: 'spec.nodeName==node0' }), A],
  ['watch single related pod', pod('watch', 'pod0-node0'), A],
  ['watch unrelated pods - selector disabled', pod('watch'), A, false],
  ['watch unrelated pods - selector enabled', pod('watch'), N, true],
  ['create unnamed pod', pod('create', '', { namespace: 'ns0' }), A],
  [
    'create pod proxy subresource forbidden',
    pod('create', '', { namespace: 'ns0', subresource: 'proxy' }),
    N,
  ],
  ['delete related pod', pod('delete', 'pod0-node0'), A],
  ['delete unrelated pod', pod('delete', 'pod0-node1'), A],
  ['delete pod proxy subresource forbidden', pod('delete', 'pod0-node0', { subresource: 'proxy' }), N],
  ['update related pod status', pod('update', 'pod0-node0', { subresource: 'status' }), A],
  ['update unrelated pod status', pod('update', 'pod0-node1', { subresource: 'status' }), A],
  ['patch related pod status', pod('patch', 'pod0-node0', { subresource: 'status' }), A],
  ['patch unrelated pod status', pod('patch', 'pod0-node1', { subresource: 'status' }), A],
  ['get pod status', pod('get', 'pod0-node0', { subresource: 'status' }), N],
  ['create related pod eviction', pod('create', 'pod0-node0', { subresource: 'eviction' }), A],
  ['create unrelated pod eviction', pod('create', 'pod0-node1', { subresource: 'eviction' }), A],
  // nodes
  ['get related node', nodeAttr('get', 'node0'), A],
  ['get unrelated node - selector disabled', nodeAttr('get', 'node1'), A, false],
  ['get unrelated node - selector enabled', nodeAttr('get', 'node1'), N, true],
  ['list single related node', nodeAttr('list', 'node0'), A],
  ['list single unrelated node - selector disabled', nodeAttr('list', 'node1'), A, false],
  ['list single unrelated node - selector enabled', nodeAttr('list', 'node1'), N, true],
  ['list all nodes - selector disabled', nodeAttr('list'), A, false],
  ['list all nodes - selector enabled', nodeAttr('list'), N, true],
  ['watch single related node', nodeAttr('watch', 'node0'), A],
  ['watch single unrelated node - selector disabled', nodeAttr('watch', 'node1'), A, false],
  ['watch single unrelated node - selector enabled', nodeAttr('watch', 'node1'), N, true],
  ['watch all nodes - selector disabled', nodeAttr('watch'), A, false],
  ['watch all nodes - selector enabled', nodeAttr('watch'), N, true],
  ['create node', nodeAttr('create'), A],
  ['update related node', nodeAttr('update', 'node0'), A],
  ['update unrelated node', nodeAttr('update', 'node1'), A],
  ['patch related node', nodeAttr('patch', 'node0'), A],
  ['patch unrelated node', nodeAttr('patch', 'node1'), A],
  ['update related node status', nodeAttr('update', 'node0', 'status'), A],
  ['update unrelated node status', nodeAttr('update', 'node1', 'status'), A],
  ['patch related node status', nodeAttr('patch', 'node0', 'status'), A],
  ['patch unrelated node status', nodeAttr('patch', 'node1', 'status'), A],
];

for (const [name, a, expect, only] of rows) {
  for (const selectors of only === undefined ? [false, true] : [only]) {
    test(`${name}_selector_${selectors ? 'enabled' : 'disabled'}`, () => {
      const r = authzBy[`${selectors}`].authorize(attrs({ user: node0, ...a }));
      assert.ok(!(r instanceof Promise));
      assert.equal(r.decision, expect, r.reason);
    });
  }
}

test('get related unregistered node (by name, before the Node exists)', () => {
  const r = authzBy.true.authorize(
    attrs({ user: nodeUser('nodeunregistered'), ...nodeAttr('get', 'nodeunregistered') }),
  );
  assert.deepEqual(r, { decision: 'Allow', reason: '' });
});
