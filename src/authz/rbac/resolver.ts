/**
 * The rule resolver: every rule that applies to a user in a namespace, from the subject index
 * instead of upstream's scan (DefaultRuleResolver.RulesFor in pkg/registry/rbac/validation/rule.go),
 * and its SelfSubjectRulesReview form (RBACAuthorizer.RulesFor in
 * plugin/pkg/auth/authorizer/rbac/rbac.go; status shape of authorization.k8s.io/v1
 * SubjectRulesReviewStatus). Rules keep upstream's order of sources: ClusterRoleBindings first,
 * then RoleBindings of the namespace; each binding contributes once.
 *
 * @module
 */
import { entryError } from './authorizer.js';
import type { CompiledRules } from './compile.js';
import { aggregateMessage, roleNotFound, type NotFoundStyle } from './format.js';
import type { BindingEntry, RbacStore } from './store.js';
import type { PolicyRule, RbacUser } from './types.js';

/** authorization.k8s.io/v1 ResourceRule (empty lists omitted, as `omitempty`). */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorization.k8s.io/v1 NonResourceRule. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** authorization.k8s.io/v1 SubjectRulesReviewStatus. */
export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

/**
 * RulesFor: the rules of every binding applying to `user` (cluster bindings, then the
 * namespace's role bindings when namespace != ""), and the role-resolution errors. With
 * `style: 'registry'` missing roles read `roles.rbac.authorization.k8s.io "x" not found`
 * (the escalation checks' wording); the default is the lister wording (`role.rbac...`).
 */
export function policyRulesFor(
  store: RbacStore,
  user: RbacUser,
  namespace: string,
  style: NotFoundStyle = 'lister',
): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  const seen = new Set<BindingEntry>();
  store.visitBindings(user, namespace, (e) => {
    if (seen.has(e)) return true;
    seen.add(e);
    const compiled = e.slot?.compiled;
    if (compiled === undefined) {
      const err = entryError(e) ?? '';
      errors.push(e.slot && style === 'registry' ? roleNotFound(e.binding.roleRef, style) : err);
    } else for (const r of compiled.rules) rules.push(r);
    return true;
  });
  return { rules, errors };
}

const nonEmpty = (xs: readonly string[] | null | undefined): string[] | undefined =>
  xs && xs.length > 0 ? (xs as string[]) : undefined;

/**
 * Converts rules to the review status: a rule with resources becomes a resource rule, a rule with
 * nonResourceURLs a non-resource rule (a rule may yield both, one with neither yields nothing).
 * `incomplete` is true when there were resolution errors (as the authorizer union reports them);
 * `evaluationError` is the aggregate error text. The arrays are shared with the stored roles:
 * treat the result as read-only (serialize it, do not mutate it).
 */
export function toRulesReviewStatus(
  rules: readonly PolicyRule[],
  errors: readonly string[],
): SubjectRulesReviewStatus {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  for (const r of rules) {
    if (r.resources && r.resources.length > 0) {
      const rr: ResourceRule = { verbs: r.verbs ?? [] };
      const groups = nonEmpty(r.apiGroups);
      const names = nonEmpty(r.resourceNames);
      if (groups) rr.apiGroups = groups;
      rr.resources = r.resources;
      if (names) rr.resourceNames = names;
      resourceRules.push(rr);
    }
    if (r.nonResourceURLs && r.nonResourceURLs.length > 0) {
      nonResourceRules.push({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs });
    }
  }
  const status: SubjectRulesReviewStatus = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length > 0) status.evaluationError = aggregateMessage(errors);
  return status;
}

/** Review-form rules per compiled role, built once per role version (roles are immutable). */
const reviewCache = new WeakMap<CompiledRules, SubjectRulesReviewStatus>();

function reviewRules(c: CompiledRules): SubjectRulesReviewStatus {
  let r = reviewCache.get(c);
  if (r === undefined) reviewCache.set(c, (r = toRulesReviewStatus(c.rules, [])));
  return r;
}

/**
 * SelfSubjectRulesReview status for `user` in `namespace`: the concatenation of each applying
 * binding's precomputed role rules, so the cost is one array copy per binding.
 */
export function rulesFor(store: RbacStore, user: RbacUser, namespace: string): SubjectRulesReviewStatus {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  const errors: string[] = [];
  const seen = new Set<BindingEntry>();
  store.visitBindings(user, namespace, (e) => {
    if (seen.has(e)) return true;
    seen.add(e);
    const compiled = e.slot?.compiled;
    if (compiled === undefined) errors.push(entryError(e) ?? '');
    else {
      const r = reviewRules(compiled);
      for (const x of r.resourceRules) resourceRules.push(x);
      for (const x of r.nonResourceRules) nonResourceRules.push(x);
    }
    return true;
  });
  const status: SubjectRulesReviewStatus = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length > 0) status.evaluationError = aggregateMessage(errors);
  return status;
}
