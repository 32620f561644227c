/**
 * RBAC rule matching, ported from kubernetes pkg/apis/rbac/v1/evaluation_helpers.go
 * (VerbMatches, APIGroupMatches, ResourceMatches, ResourceNameMatches, NonResourceURLMatches) and
 * plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows, RulesAllow). These are the reference
 * semantics; the compiled matcher (compile.ts) must agree with them on every input.
 *
 * @module
 */
import type { Attributes } from '../interfaces.js';
import { API_GROUP_ALL, NON_RESOURCE_ALL, RESOURCE_ALL, VERB_ALL, type PolicyRule } from './types.js';

/** The request attributes rule matching needs (authz Attributes minus the user). */
export type RuleAttributes = Pick<
  Attributes,
  'verb' | 'isResourceRequest' | 'path' | 'apiGroup' | 'resource' | 'subresource' | 'name'
>;

/** Rule verbs contain `*` or the exact (case-sensitive) request verb. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs ?? []) if (v === VERB_ALL || v === verb) return true;
  return false;
}

/** Rule apiGroups contain `*` or the exact group (`""` is the core group). */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) if (g === API_GROUP_ALL || g === group) return true;
  return false;
}

/**
 * Rule resources contain `*`, the exact combined `resource[/subresource]`, or `*\/<subresource>`
 * when the request has a subresource. `pods` does not match `pods/log`.
 */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === RESOURCE_ALL || r === combined) return true;
    if (
      subresource.length > 0 &&
      r.length === subresource.length + 2 &&
      r.startsWith('*/') &&
      r.endsWith(subresource)
    ) {
      return true;
    }
  }
  return false;
}

/** An empty resourceNames list matches any name (including none); otherwise exact membership. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames;
  if (!names || names.length === 0) return true;
  for (const n of names) if (n === name) return true;
  return false;
}

/** `*`, an exact path, or an entry ending in `*` whose prefix (all trailing `*` trimmed) starts the path. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === NON_RESOURCE_ALL || u === path) return true;
    if (u.endsWith('*') && path.startsWith(trimStars(u))) return true;
  }
  return false;
}

/** strings.TrimRight(s, "*"). */
export function trimStars(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 42) end--;
  return s.slice(0, end);
}

/** `resource` or `resource/subresource`, as RBAC compares it. */
export function combinedResource(a: Pick<RuleAttributes, 'resource' | 'subresource'>): string {
  return a.subresource.length > 0 ? `${a.resource}/${a.subresource}` : a.resource;
}

/** RuleAllows: resource requests never consult nonResourceURLs, and the reverse. */
export function ruleAllows(a: RuleAttributes, rule: PolicyRule): boolean {
  if (a.isResourceRequest) {
    return (
      verbMatches(rule, a.verb) &&
      apiGroupMatches(rule, a.apiGroup) &&
      resourceMatches(rule, combinedResource(a), a.subresource) &&
      resourceNameMatches(rule, a.name)
    );
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

/** RulesAllow: any rule allows. */
export function rulesAllow(a: RuleAttributes, rules: readonly PolicyRule[]): boolean {
  for (const r of rules) if (ruleAllows(a, r)) return true;
  return false;
}
