/**
 * Covers, ported from k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go
 * (Covers, BreakdownRule, ruleCovers, resourceCoversAll, nonResourceURLCovers) and CompactRules
 * from pkg/registry/rbac/validation/policy_compact.go. Servant rules are broken into atoms of one
 * verb × one group × one resource × at most one name (and URL × verb); each atom must be covered
 * by a single owner rule. Owner rules are never merged.
 *
 * @module
 */
import { trimStars } from './rule.js';
import { API_GROUP_ALL, RESOURCE_ALL, VERB_ALL, type PolicyRule } from './types.js';

/** BreakdownRule: the atomic rules equivalent to `rule`. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  const names = rule.resourceNames ?? [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs ?? []) {
        if (names.length > 0) {
          for (const name of names) {
            out.push({ apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [name] });
          }
        } else out.push({ apiGroups: [group], resources: [resource], verbs: [verb] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs ?? []) out.push({ nonResourceURLs: [url], verbs: [verb] });
  }
  return out;
}

const has = (set: readonly string[] | null | undefined, x: string): boolean => (set ?? []).includes(x);
const hasAll = (
  set: readonly string[] | null | undefined,
  xs: readonly string[] | null | undefined,
): boolean => (xs ?? []).every((x) => has(set, x));

function resourceCoversAll(
  set: readonly string[] | null | undefined,
  covers: readonly string[] | null | undefined,
): boolean {
  if (has(set, RESOURCE_ALL) || hasAll(set, covers)) return true;
  for (const path of covers ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(set, `*/${path.slice(slash + 1)}`)) return false;
  }
  return true;
}

/** An owner URL covers a path when equal, or when it ends in `*` and prefixes the path. */
export function nonResourceURLCovers(owner: string, path: string): boolean {
  return owner === path || (owner.endsWith('*') && path.startsWith(trimStars(owner)));
}

function nonResourceURLsCoversAll(
  set: readonly string[] | null | undefined,
  covers: readonly string[] | null | undefined,
): boolean {
  return (covers ?? []).every((p) => (set ?? []).some((o) => nonResourceURLCovers(o, p)));
}

/** ruleCovers: does one owner rule cover one atomic rule? */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, VERB_ALL) || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, API_GROUP_ALL) || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = nonResourceURLsCoversAll(owner.nonResourceURLs, sub.nonResourceURLs);
  const ownerNames = owner.resourceNames ?? [];
  const names =
    (sub.resourceNames ?? []).length === 0
      ? ownerNames.length === 0
      : ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames);
  return verbs && groups && resources && names && urls;
}

/** Covers: whether `owner` covers every servant rule, and the uncovered atomic rules. */
export function covers(
  owner: readonly PolicyRule[],
  servant: readonly PolicyRule[],
): { covers: boolean; uncovered: PolicyRule[] } {
  const uncovered: PolicyRule[] = [];
  for (const s of servant) {
    for (const sub of breakdownRule(s)) if (!owner.some((o) => ruleCovers(o, sub))) uncovered.push(sub);
  }
  return { covers: uncovered.length === 0, uncovered };
}

/**
 * CompactRules: rules with exactly one group and one resource, verbs and nothing else, are merged
 * per group/resource (verbs concatenated in order); other rules are kept as they are.
 */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const out: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple =
      !(r.resourceNames ?? []).length &&
      !(r.nonResourceURLs ?? []).length &&
      (r.apiGroups ?? []).length === 1 &&
      (r.resources ?? []).length === 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups?.[0], r.resources?.[0]]);
    const prev = simple.get(key);
    if (prev) prev.verbs = [...prev.verbs, ...(r.verbs ?? [])];
    else
      simple.set(key, {
        apiGroups: [...(r.apiGroups ?? [])],
        resources: [...(r.resources ?? [])],
        verbs: [...(r.verbs ?? [])],
      });
  }
  return [...out, ...simple.values()];
}
