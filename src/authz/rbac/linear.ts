/**
 * The linear baseline: a direct port of upstream's DefaultRuleResolver
 * (pkg/registry/rbac/validation/rule.go: VisitRulesFor, GetRoleReferenceRules, appliesTo,
 * appliesToUser, RulesFor) and RBACAuthorizer.Authorize (plugin/pkg/auth/authorizer/rbac/rbac.go,
 * authorizingVisitor). Every request scans every ClusterRoleBinding, then every RoleBinding of the
 * namespace. Used as the benchmark baseline and as the oracle of the differential tests.
 *
 * @module
 */
import type { Attributes, Authorizer, AuthzResult } from '../interfaces.js';
import {
  aggregateMessage,
  describeBinding,
  roleNotFound,
  unsupportedRoleRef,
  type NotFoundStyle,
} from './format.js';
import { ruleAllows } from './rule.js';
import type { PolicyLister } from './source.js';
import {
  SERVICE_ACCOUNT_USERNAME_PREFIX,
  type AnyBinding,
  type PolicyRule,
  type RbacUser,
  type RoleRef,
  type Subject,
} from './types.js';

/** Where a visited rule came from. */
export interface RuleSource {
  binding: AnyBinding;
  /** The first subject of the binding that applies to the user. */
  subject: Subject;
  /** Index of the rule within the role's rules. */
  ruleIndex: number;
}

/** Returns false to stop visiting. Exactly one of rule/error is set. */
export type RuleVisitor = (
  source: RuleSource | undefined,
  rule: PolicyRule | undefined,
  error?: string,
) => boolean;

/** serviceaccount.MatchesUsername. */
export function serviceAccountMatches(namespace: string, name: string, username: string): boolean {
  return username === `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** appliesToUser: User by name, Group by membership, ServiceAccount by its username. */
export function appliesToUser(user: RbacUser, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return ns.length > 0 && serviceAccountMatches(ns, subject.name, user.name);
    }
    default:
      return false;
  }
}

/** appliesTo: index of the first applying subject, or -1. */
export function appliesTo(
  user: RbacUser,
  subjects: readonly Subject[] | null | undefined,
  namespace: string,
): number {
  const list = subjects ?? [];
  for (let i = 0; i < list.length; i++) if (appliesToUser(user, list[i], namespace)) return i;
  return -1;
}

/** GetRoleReferenceRules: the rules of the referenced Role/ClusterRole, or the error text. */
export function getRoleReferenceRules(
  lister: PolicyLister,
  roleRef: RoleRef,
  bindingNamespace: string,
  style: NotFoundStyle = 'lister',
): { rules: readonly PolicyRule[]; error?: undefined } | { rules?: undefined; error: string } {
  if (roleRef.kind === 'Role') {
    const role = lister.getRole(bindingNamespace, roleRef.name);
    return role ? { rules: role.rules ?? [] } : { error: roleNotFound(roleRef, style) };
  }
  if (roleRef.kind === 'ClusterRole') {
    const role = lister.getClusterRole(roleRef.name);
    return role ? { rules: role.rules ?? [] } : { error: roleNotFound(roleRef, style) };
  }
  return { error: unsupportedRoleRef(roleRef) };
}

function visitBinding(
  lister: PolicyLister,
  user: RbacUser,
  binding: AnyBinding,
  namespace: string,
  visitor: RuleVisitor,
  style: NotFoundStyle,
): boolean {
  const idx = appliesTo(user, binding.subjects, namespace);
  if (idx < 0) return true;
  const res = getRoleReferenceRules(lister, binding.roleRef, namespace, style);
  if (res.error !== undefined) return visitor(undefined, undefined, res.error);
  const subject = (binding.subjects ?? [])[idx];
  for (let i = 0; i < res.rules.length; i++) {
    if (!visitor({ binding, subject, ruleIndex: i }, res.rules[i])) return false;
  }
  return true;
}

/** VisitRulesFor: all ClusterRoleBindings, then (namespace != "") that namespace's RoleBindings. */
export function visitRulesFor(
  lister: PolicyLister,
  user: RbacUser,
  namespace: string,
  visitor: RuleVisitor,
  style: NotFoundStyle = 'lister',
): void {
  for (const crb of lister.listClusterRoleBindings()) {
    if (!visitBinding(lister, user, crb, '', visitor, style)) return;
  }
  if (namespace.length === 0) return;
  for (const rb of lister.listRoleBindings(namespace)) {
    if (!visitBinding(lister, user, rb, namespace, visitor, style)) return;
  }
}

/** RulesFor: every rule that applies, plus the resolution errors (rules stay usable). */
export function linearRulesFor(
  lister: PolicyLister,
  user: RbacUser,
  namespace: string,
  style: NotFoundStyle = 'lister',
): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRulesFor(
    lister,
    user,
    namespace,
    (_s, rule, err) => {
      if (rule) rules.push(rule);
      if (err !== undefined) errors.push(err);
      return true;
    },
    style,
  );
  return { rules, errors };
}

/** `ClusterRoleBinding "x" of ClusterRole "y" to User "z"` for a rule source. */
export function describeSource(s: RuleSource): string {
  const b = s.binding;
  return describeBinding(b.kind, b.metadata.name, b.metadata.namespace ?? '', b.roleRef, s.subject);
}

/** RBACAuthorizer.Authorize over a lister: Allow with the upstream reason, else NoOpinion. */
export function linearAuthorize(lister: PolicyLister, a: Attributes): AuthzResult {
  let allowed: RuleSource | undefined;
  const errors: string[] = [];
  visitRulesFor(lister, a.user, a.namespace, (source, rule, err) => {
    if (source && rule && ruleAllows(a, rule)) {
      allowed = source;
      return false;
    }
    if (err !== undefined) errors.push(err);
    return true;
  });
  if (allowed) return { decision: 'Allow', reason: `RBAC: allowed by ${describeSource(allowed)}` };
  return { decision: 'NoOpinion', reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '' };
}

/** The linear baseline as an Authorizer named "RBAC". */
export function linearAuthorizer(lister: PolicyLister): Authorizer {
  return { name: 'RBAC', authorize: (a) => linearAuthorize(lister, a) };
}
