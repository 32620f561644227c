/**
 * Rule coverage and semantic equality, after
 * staging/src/k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go (`Covers`,
 * `BreakdownRule`, `ruleCovers`) and apimachinery's `equality.Semantic.DeepEqual` as it applies to
 * JSON values (a missing, null, empty list or empty map field are the same thing).
 *
 * @module
 */
import type { PolicyRule } from './types.js';

/**
 * Splits a rule into rules of one verb, one group, one resource and at most one resource name
 * (and non-resource rules into one URL and one verb each).
 */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? [])
    for (const resource of rule.resources ?? [])
      for (const verb of rule.verbs ?? []) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames)
            out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        } else out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
      }
  for (const url of rule.nonResourceURLs ?? [])
    for (const verb of rule.verbs ?? []) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

/**
 * Whether `owner` rules allow everything `servant` rules allow. Returns the uncovered parts of the
 * servant rules, broken down by {@link breakdownRule}; empty means covered.
 */
export function covers(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const uncovered: PolicyRule[] = [];
  for (const sub of servant.flatMap(breakdownRule)) {
    if (!owner.some((o) => ruleCovers(o, sub))) uncovered.push(sub);
  }
  return uncovered;
}

const has = (set: readonly string[] | undefined, s: string): boolean => (set ?? []).includes(s);
const hasAll = (set: readonly string[] | undefined, xs: readonly string[] | undefined): boolean =>
  (xs ?? []).every((x) => has(set, x));

function resourceCoversAll(set: readonly string[] | undefined, want: readonly string[] | undefined): boolean {
  if (has(set, '*') || hasAll(set, want)) return true;
  for (const path of want ?? []) {
    if (has(set, path)) continue;
    const slash = path.indexOf('/');
    if (slash < 0) return false;
    if (!has(set, '*/' + path.slice(slash + 1))) return false;
  }
  return true;
}

function nonResourceURLCovers(owner: string, sub: string): boolean {
  if (owner === sub) return true;
  return owner.endsWith('*') && sub.startsWith(owner.replace(/\*+$/, ''));
}

/** Whether `owner` covers `sub`, a rule of at most one verb, resource and resource name. */
export function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  const verbs = has(owner.verbs, '*') || hasAll(owner.verbs, sub.verbs);
  const groups = has(owner.apiGroups, '*') || hasAll(owner.apiGroups, sub.apiGroups);
  const resources = resourceCoversAll(owner.resources, sub.resources);
  const urls = (sub.nonResourceURLs ?? []).every((p) =>
    (owner.nonResourceURLs ?? []).some((o) => nonResourceURLCovers(o, p)),
  );
  const ownerNames = owner.resourceNames ?? [];
  const names = sub.resourceNames?.length
    ? ownerNames.length === 0 || hasAll(ownerNames, sub.resourceNames)
    : ownerNames.length === 0;
  return verbs && groups && resources && names && urls;
}

/** True for values that decode to Go's zero value of a field: missing, null, '', [] and {}. */
function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/**
 * Deep equality of JSON values where a missing field, null, an empty list and an empty map are
 * equal, and so are a missing string and '' (equality.Semantic.DeepEqual on decoded API objects).
 * List order matters.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = isEmpty(a) ? [] : a;
    const y = isEmpty(b) ? [] : b;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => semanticEqual(v, y[i]));
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if ((isObject(a) || isEmpty(a)) && (isObject(b) || isEmpty(b))) {
    // a struct whose fields are all empty equals a missing one
    const ao = isObject(a) ? a : {};
    const bo = isObject(b) ? b : {};
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!semanticEqual(ao[k], bo[k])) return false;
    return true;
  }
  return a === b;
}
