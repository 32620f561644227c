/**
 * @module authz/node/authorizer
 *
 * The Node authorizer, after plugin/pkg/auth/authorizer/node/node_authorizer.go (the release with
 * `AuthorizeNodeWithSelectors`). For users that are nodes (`system:node:<name>` in `system:nodes`):
 * - secrets, configmaps: get/list/watch of a single named, namespaced object related to the node;
 * - persistentvolumeclaims (get; status update/patch), persistentvolumes, resourceclaims,
 *   volumeattachments: get of a related object;
 * - serviceaccounts: create of the `token` subresource of a related service account;
 * - leases (kube-node-lease) and csinodes: get/create/update/patch/delete of its own;
 * - resourceslices: create; get/update/patch/delete if related; list/watch/deletecollection with
 *   a `spec.nodeName=<node>` field selector;
 * - nodes and pods (selector gate on): see `authorizeNode` / `authorizePod`;
 * - everything else: the static node rules (`defaultNodeRules`).
 * It never answers Deny: refusals are NoOpinion with upstream's reason, so RBAC may still allow.
 * Non-nodes get NoOpinion with an empty reason. Always synchronous.
 */
import { parseFieldSelector, type FieldRequirement } from '../../api/selectors.js';
import type { Attributes, Authorizer, AuthzResult } from '../interfaces.js';
import type { Graph, VertexType } from './graph.js';
import { nodeIdentity } from './identity.js';
import { NodeGraph } from './populator.js';
import { defaultNodeRules, rulesAllow, type PolicyRule } from './rules.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeAuthorizerOptions {
  /** Static rules for resources the graph does not subdivide. Default `defaultNodeRules()`. */
  rules?: PolicyRule[];
  /** The AuthorizeNodeWithSelectors feature gate (beta, on by default since 1.32). Default true. */
  selectors?: boolean;
}

const ALLOW: AuthzResult = { decision: 'Allow', reason: '' };
const no = (reason: string): AuthzResult => ({ decision: 'NoOpinion', reason });

function fieldRequirements(a: Attributes): FieldRequirement[] {
  if (!a.fieldSelector) return [];
  try {
    return parseFieldSelector(a.fieldSelector);
  } catch {
    return []; // upstream ignores the parse error: selectors only narrow
  }
}

const selects = (a: Attributes, field: string, value: string): boolean =>
  fieldRequirements(a).some((r) => r.field === field && r.op === '=' && r.value === value);

/**
 * Creates the Node authorizer over a graph the caller keeps current.
 *
 * @example
 * ```ts
 * const graph = new NodeGraph()
 * const authz = nodeAuthorizer(graph)
 * graph.upsert('Pod', pod)
 * authz.authorize(attrs) // { decision: 'Allow', reason: '' }
 * ```
 */
export function nodeAuthorizer(source: NodeGraph | Graph, opts: NodeAuthorizerOptions = {}): Authorizer {
  const graph: Graph = source instanceof NodeGraph ? source.graph : source;
  const rules = opts.rules ?? defaultNodeRules();
  const selectorsEnabled = opts.selectors ?? true;

  const related = (node: string, type: VertexType, a: Attributes): AuthzResult => {
    if (!a.name) return no('No Object name found');
    if (!graph.hasPathFrom(node, type, a.namespace, a.name)) {
      return no(`no relationship found between node '${node}' and this object`);
    }
    return ALLOW;
  };

  const authorizeGet = (node: string, type: VertexType, a: Attributes): AuthzResult => {
    if (a.verb !== 'get') return no('can only get individual resources of this type');
    if (a.subresource) return no('cannot get subresource');
    return related(node, type, a);
  };

  const authorizeReadNamespaced = (node: string, type: VertexType, a: Attributes): AuthzResult => {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') {
      return no('can only read resources of this type');
    }
    if (a.subresource) return no('cannot read subresource');
    if (!a.namespace) return no('can only read namespaced object of this type');
    return related(node, type, a);
  };

  const authorizeStatusUpdate = (node: string, type: VertexType, a: Attributes): AuthzResult => {
    if (a.verb !== 'update' && a.verb !== 'patch') return no('can only get/update/patch this type');
    if (a.subresource !== 'status') return no('can only update status subresource');
    return related(node, type, a);
  };

  const authorizeCreateToken = (node: string, a: Attributes): AuthzResult => {
    if (a.verb !== 'create' || !a.name) return no('can only create tokens for individual service accounts');
    if (a.subresource !== 'token') return no('can only create token subresource of serviceaccount');
    if (!graph.hasPathFrom(node, 'serviceAccount', a.namespace, a.name)) {
      return no(`no relationship found between node '${node}' and this object`);
    }
    return ALLOW;
  };

  const ownNamed = (a: Attributes, what: string): AuthzResult | undefined => {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) {
      return no(`can only get, create, update, patch, or delete a ${what}`);
    }
    return undefined;
  };

  const authorizeLease = (node: string, a: Attributes): AuthzResult => {
    const bad = ownNamed(a, 'node lease');
    if (bad) return bad;
    if (a.namespace !== NODE_LEASE_NAMESPACE) {
      return no(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    }
    // On create the name is unknown here; NodeRestriction admission checks it.
    if (a.verb !== 'create' && a.name !== node) {
      return no('can only access node lease with the same name as the requesting node');
    }
    return ALLOW;
  };

  const authorizeCSINode = (node: string, a: Attributes): AuthzResult => {
    const bad = ownNamed(a, 'CSINode');
    if (bad) return bad;
    if (a.subresource) return no('cannot authorize CSINode subresources');
    if (a.verb !== 'create' && a.name !== node) {
      return no('can only access CSINode with the same name as the requesting node');
    }
    return ALLOW;
  };

  const authorizeResourceSlice = (node: string, a: Attributes): AuthzResult => {
    if (a.subresource) return no('cannot authorize ResourceSlice subresources');
    switch (a.verb) {
      case 'create':
        return ALLOW; // NodeRestriction admission checks spec.nodeName
      case 'get':
      case 'update':
      case 'patch':
      case 'delete':
        return related(node, 'resourceslice', a);
      case 'watch':
      case 'list':
      case 'deletecollection':
        if (!selectorsEnabled || selects(a, 'spec.nodeName', node)) return ALLOW;
        return no('can only list/watch/deletecollection resourceslices with nodeName field selector');
      default:
        return no(
          'only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection',
        );
    }
  };

  const authorizeNode = (node: string, a: Attributes): AuthzResult => {
    if (a.subresource === '') {
      if (a.verb === 'create' || a.verb === 'update' || a.verb === 'patch') return ALLOW;
      if (a.verb === 'get' || a.verb === 'list' || a.verb === 'watch') {
        // By name rather than through the graph, so a kubelet can read its Node before creating it.
        if (a.name === node) return ALLOW;
        if (a.name === '') return no(`node '${node}' cannot read all nodes, only its own Node object`);
        return no(`node '${node}' cannot read '${a.name}', only its own Node object`);
      }
    } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
      return ALLOW;
    }
    return no('');
  };

  const authorizePod = (node: string, a: Attributes): AuthzResult => {
    switch (a.subresource) {
      case '':
        if (a.verb === 'get') return authorizeGet(node, 'pod', a);
        if (a.verb === 'list' || a.verb === 'watch') {
          if (selects(a, 'spec.nodeName', node)) return ALLOW;
          if (a.name !== '') return related(node, 'pod', a);
          return no('can only list/watch pods with spec.nodeName field selector');
        }
        if (a.verb === 'create' || a.verb === 'delete') return ALLOW; // mirror pods; NodeRestriction limits
        break;
      case 'status':
        if (a.verb === 'update' || a.verb === 'patch') return ALLOW;
        break;
      case 'eviction':
        if (a.verb === 'create') return ALLOW;
        break;
    }
    return no('');
  };

  return {
    name: 'Node',
    authorize(a: Attributes): AuthzResult {
      const { nodeName, isNode } = nodeIdentity(a.user);
      if (!isNode) return no('');
      if (!nodeName) return no(`unknown node for user ${JSON.stringify(a.user.name)}`);
      if (a.isResourceRequest) {
        const r = a.resource;
        switch (a.apiGroup) {
          case '':
            if (r === 'secrets') return authorizeReadNamespaced(nodeName, 'secret', a);
            if (r === 'configmaps') return authorizeReadNamespaced(nodeName, 'configmap', a);
            if (r === 'persistentvolumeclaims') {
              return a.subresource === 'status'
                ? authorizeStatusUpdate(nodeName, 'pvc', a)
                : authorizeGet(nodeName, 'pvc', a);
            }
            if (r === 'persistentvolumes') return authorizeGet(nodeName, 'pv', a);
            if (r === 'serviceaccounts') return authorizeCreateToken(nodeName, a);
            if (r === 'nodes' && selectorsEnabled) return authorizeNode(nodeName, a);
            if (r === 'pods' && selectorsEnabled) return authorizePod(nodeName, a);
            break;
          case 'resource.k8s.io':
            if (r === 'resourceclaims') return authorizeGet(nodeName, 'resourceclaim', a);
            if (r === 'resourceslices') return authorizeResourceSlice(nodeName, a);
            break;
          case 'storage.k8s.io':
            if (r === 'volumeattachments') return authorizeGet(nodeName, 'volumeattachment', a);
            if (r === 'csinodes') return authorizeCSINode(nodeName, a);
            break;
          case 'coordination.k8s.io':
            if (r === 'leases') return authorizeLease(nodeName, a);
            break;
        }
      }
      return rulesAllow(a, rules) ? ALLOW : no('');
    },
  };
}
