/**
 * @module authz/node
 *
 * The Node authorizer (plugin/pkg/auth/authorizer/node): a graph of pods and the objects they
 * reference, fed from watch events, and an authorizer that lets a kubelet read only what the
 * pods bound to it need.
 */
export { nodeAuthorizer, NODE_LEASE_NAMESPACE } from './authorizer.js';
export type { NodeAuthorizerOptions } from './authorizer.js';
export { NodeGraph, MIRROR_POD_ANNOTATION } from './populator.js';
export type { NodeGraphKind } from './populator.js';
export { Graph } from './graph.js';
export type { Vertex, VertexType } from './graph.js';
export { nodeIdentity, NODE_USER_PREFIX, NODES_GROUP } from './identity.js';
export { defaultNodeRules, ruleAllows, rulesAllow } from './rules.js';
export type { PolicyRule } from './rules.js';
