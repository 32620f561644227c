/**
 * The RBAC decision engine: public surface. See each module for the upstream files it ports.
 *
 * Feeding: create one `RbacStore`, `replace()` it with the initial list of Roles, ClusterRoles,
 * RoleBindings and ClusterRoleBindings, then apply every watch event in revision order
 * (`applyWatchEvent`, or `upsert`/`remove`) synchronously before acknowledging the next request.
 *
 * @module
 */
export { rbacAuthorizer, decide } from './authorizer.js';
export type { RbacAuthorizer, RbacAuthorizerOptions } from './authorizer.js';
export { RbacStore } from './store.js';
export { PolicyObjects, applyWatchEvent, isRbacObject } from './source.js';
export type { RbacState, PolicyLister, RbacWatchEvent } from './source.js';
export { policyRulesFor, rulesFor, toRulesReviewStatus } from './resolver.js';
export type { NonResourceRule, ResourceRule, SubjectRulesReviewStatus } from './resolver.js';
export { explain, formatExplanation, failingDimensions } from './explain.js';
export type { Dimension, Explanation, FormatOptions, NearMiss, RuleOrigin, Unresolved } from './explain.js';
export { breakdownRule, compactRules, covers, nonResourceURLCovers, ruleCovers } from './covers.js';
export {
  FULL_AUTHORITY,
  bindingAuthorized,
  checkBindingWrite,
  checkRoleWrite,
  confirmNoEscalation,
  escalationAllowed,
  escalationForbiddenMessage,
  isOnlyMutatingGCFields,
  roleEscalationAuthorized,
  storeEscalationResolver,
} from './escalation.js';
export type { EscalationResolver, WriteCheck } from './escalation.js';
export {
  apiGroupMatches,
  nonResourceURLMatches,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  rulesAllow,
  verbMatches,
} from './rule.js';
export {
  appliesTo,
  getRoleReferenceRules,
  linearAuthorizer,
  linearAuthorize,
  linearRulesFor,
  visitRulesFor,
} from './linear.js';
export { compactString, goQuote, goQuoteList } from './format.js';
export type {
  AnyBinding,
  AnyRole,
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  RbacKind,
  RbacObject,
  RbacUser,
  Role,
  RoleBinding,
  RoleRef,
  Subject,
} from './types.js';
