/**
 * @module authz/node/populator
 *
 * Feeds the Node authorizer's graph from plain API objects, after
 * plugin/pkg/auth/authorizer/node/graph_populator.go and the `Add*` methods of graph.go.
 * Upstream watches Pods, PersistentVolumes, VolumeAttachments and ResourceSlices only; secrets,
 * configmaps, PVCs, service accounts and resource claims become vertices because something
 * references them, so `upsert` of those kinds (and of Node) is accepted and ignored.
 *
 * ```ts
 * const graph = new NodeGraph()
 * graph.upsert('Pod', pod)               // every add/update, in revision order
 * graph.remove('Pod', 'ns1', 'pod-a')    // every delete
 * ```
 */
import { Graph } from './graph.js';
import {
  podClaimNames,
  podConfigMapNames,
  podResourceClaimNames,
  podSecretNames,
  pvSecretRefs,
} from './refs.js';

export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Kinds the graph understands; others are ignored. */
export type NodeGraphKind =
  | 'Pod'
  | 'PersistentVolume'
  | 'VolumeAttachment'
  | 'ResourceSlice'
  | 'Node'
  | 'PersistentVolumeClaim'
  | 'ServiceAccount'
  | 'Secret'
  | 'ConfigMap'
  | 'ResourceClaim';

type Obj = Record<string, any>;

/** The graph plus the event handlers that keep it current. */
export class NodeGraph {
  readonly graph = new Graph();
  /** Last applied pod references, so unchanged updates (status churn) are skipped. */
  private readonly podSignatures = new Map<string, string>();
  /** Last applied VolumeAttachment node, as upstream skips updates with the same node. */
  private readonly vaNodes = new Map<string, string>();

  /** Applies an added or updated object. Synchronous; call in revision order. */
  upsert(kind: NodeGraphKind | string, obj: Obj): void {
    const name: string = obj?.metadata?.name ?? '';
    const ns: string = obj?.metadata?.namespace ?? '';
    switch (kind) {
      case 'Pod':
        return this.addPod(obj, ns, name);
      case 'PersistentVolume':
        return this.addPV(obj, name);
      case 'VolumeAttachment': {
        const node: string = obj.spec?.nodeName ?? '';
        if (this.vaNodes.get(name) === node) return;
        this.vaNodes.set(name, node);
        return this.addToNode('volumeattachment', name, node);
      }
      case 'ResourceSlice':
        return this.addToNode('resourceslice', name, obj.spec?.nodeName ?? obj.nodeName ?? '');
      default:
        return;
    }
  }

  /** Applies a deletion. */
  remove(kind: NodeGraphKind | string, namespace: string, name: string): void {
    switch (kind) {
      case 'Pod':
        this.podSignatures.delete(`${namespace}/${name}`);
        return this.graph.deleteVertex('pod', namespace, name);
      case 'PersistentVolume':
        return this.graph.deleteVertex('pv', '', name);
      case 'VolumeAttachment':
        this.vaNodes.delete(name);
        return this.graph.deleteVertex('volumeattachment', '', name);
      case 'ResourceSlice':
        return this.graph.deleteVertex('resourceslice', '', name);
      default:
        return;
    }
  }

  /** graph.go AddPod: pod -> node, and secret/configmap/pvc/sa/claim -> pod (not for mirror pods). */
  private addPod(pod: Obj, ns: string, name: string): void {
    const nodeName: string = pod.spec?.nodeName ?? '';
    if (!nodeName) return; // not scheduled yet
    const mirror = pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined;
    const refs = {
      nodeName,
      uid: pod.metadata?.uid ?? '',
      mirror,
      sa: mirror ? '' : (pod.spec?.serviceAccountName ?? ''),
      secrets: mirror ? [] : podSecretNames(pod),
      configmaps: mirror ? [] : podConfigMapNames(pod),
      pvcs: mirror ? [] : podClaimNames(pod),
      claims: mirror ? [] : podResourceClaimNames(pod),
    };
    const sig = JSON.stringify(refs);
    const k = `${ns}/${name}`;
    if (this.podSignatures.get(k) === sig) return;
    this.podSignatures.set(k, sig);

    const g = this.graph;
    g.deleteVertex('pod', ns, name);
    const podV = g.getOrCreateVertex('pod', ns, name);
    const nodeV = g.getOrCreateVertex('node', '', nodeName);
    g.addEdge(podV, nodeV, nodeV);
    // A node must never be able to create a pod that grants it access to other objects.
    if (mirror) return;
    if (refs.sa) g.addEdge(g.getOrCreateVertex('serviceAccount', ns, refs.sa), podV, nodeV);
    for (const s of refs.secrets) g.addEdge(g.getOrCreateVertex('secret', ns, s), podV, nodeV);
    for (const c of refs.configmaps) g.addEdge(g.getOrCreateVertex('configmap', ns, c), podV, nodeV);
    for (const c of refs.pvcs) g.addEdge(g.getOrCreateVertex('pvc', ns, c), podV, nodeV);
    for (const c of refs.claims) g.addEdge(g.getOrCreateVertex('resourceclaim', ns, c), podV, nodeV);
  }

  /** graph.go AddPV: pv -> pvc (claimRef) and kubelet-visible secret -> pv, as plain edges. */
  private addPV(pv: Obj, name: string): void {
    const g = this.graph;
    g.deleteVertex('pv', '', name);
    const ref = pv.spec?.claimRef;
    if (!ref) return;
    const pvV = g.getOrCreateVertex('pv', '', name);
    g.addEdge(pvV, g.getOrCreateVertex('pvc', ref.namespace ?? '', ref.name ?? ''), null);
    for (const [ns, secret] of pvSecretRefs(pv))
      g.addEdge(g.getOrCreateVertex('secret', ns, secret), pvV, null);
  }

  /** AddVolumeAttachment / AddResourceSlice: object -> node. */
  private addToNode(type: 'volumeattachment' | 'resourceslice', name: string, nodeName: string): void {
    const g = this.graph;
    g.deleteVertex(type, '', name);
    if (!nodeName) return;
    const nodeV = g.getOrCreateVertex('node', '', nodeName);
    g.addEdge(g.getOrCreateVertex(type, '', name), nodeV, nodeV);
  }
}
