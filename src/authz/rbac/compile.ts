/**
 * Compiles a role's rules into a lookup structure equivalent to RulesAllow
 * (plugin/pkg/auth/authorizer/rbac/rbac.go) over pkg/apis/rbac/v1/evaluation_helpers.go:
 *
 *   resource requests:  verb -> apiGroup -> { exact resource, `*`, `*\/<sub>` } -> resourceNames
 *   non-resource:       verb -> { exact paths, trailing-`*` prefixes }
 *
 * `*` verbs and groups are ordinary keys looked up alongside the request's own. A rule is the
 * product verbs × groups × resources × names, so the union of rules is stored exactly by merging
 * the name sets of equal (verb, group, resource) leaves; "any name" absorbs every set. A decision
 * is then at most 2 × 2 × 3 Map look-ups, independent of how many rules the role has.
 *
 * @module
 */
import { combinedResource, trimStars, type RuleAttributes } from './rule.js';
import { RESOURCE_ALL, type PolicyRule } from './types.js';

/** `true` = any name (the rule had no resourceNames); otherwise the allowed names. */
type NameSet = true | Set<string>;

interface ResourceNode {
  exact: Map<string, NameSet>;
  star: NameSet | undefined;
  /** `*\/<sub>` rules keyed by `<sub>`. */
  sub: Map<string, NameSet>;
}

interface UrlNode {
  exact: Set<string>;
  /** Trailing-`*` entries with the stars trimmed (`*` itself becomes the empty prefix). */
  prefixes: string[];
}

/** A role's rules, compiled. Immutable once built; rebuilt when the role changes. */
export interface CompiledRules {
  readonly rules: readonly PolicyRule[];
  readonly resource: Map<string, Map<string, ResourceNode>>;
  readonly nonResource: Map<string, UrlNode>;
}

function mergeNames(prev: NameSet | undefined, names: readonly string[]): NameSet {
  if (prev === true || names.length === 0) return true;
  const set = prev ?? new Set<string>();
  for (const n of names) set.add(n);
  return set;
}

function addResourceRule(out: CompiledRules['resource'], rule: PolicyRule): void {
  const groups = rule.apiGroups ?? [];
  const resources = rule.resources ?? [];
  if (groups.length === 0 || resources.length === 0) return;
  const names = rule.resourceNames ?? [];
  for (const verb of rule.verbs ?? []) {
    let byGroup = out.get(verb);
    if (!byGroup) out.set(verb, (byGroup = new Map()));
    for (const group of groups) {
      let node = byGroup.get(group);
      if (!node) byGroup.set(group, (node = { exact: new Map(), star: undefined, sub: new Map() }));
      for (const res of resources) {
        if (res === RESOURCE_ALL) {
          node.star = mergeNames(node.star, names);
          continue;
        }
        node.exact.set(res, mergeNames(node.exact.get(res), names));
        if (res.length > 2 && res.startsWith('*/')) {
          const sub = res.slice(2);
          node.sub.set(sub, mergeNames(node.sub.get(sub), names));
        }
      }
    }
  }
}

function addNonResourceRule(out: CompiledRules['nonResource'], rule: PolicyRule): void {
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length === 0) return;
  for (const verb of rule.verbs ?? []) {
    let node = out.get(verb);
    if (!node) out.set(verb, (node = { exact: new Set(), prefixes: [] }));
    for (const u of urls) {
      if (u.endsWith('*')) {
        const p = trimStars(u);
        if (!node.prefixes.includes(p)) node.prefixes.push(p);
      } else node.exact.add(u);
    }
  }
}

/** Compiles rules (null/absent fields are treated as empty, as in Go). */
export function compileRules(rules: readonly PolicyRule[] | null | undefined): CompiledRules {
  const out: CompiledRules = { rules: rules ?? [], resource: new Map(), nonResource: new Map() };
  for (const r of out.rules) {
    addResourceRule(out.resource, r);
    addNonResourceRule(out.nonResource, r);
  }
  return out;
}

function nameOk(set: NameSet | undefined, name: string): boolean {
  return set === true || (set !== undefined && set.has(name));
}

function nodeAllows(node: ResourceNode | undefined, combined: string, a: RuleAttributes): boolean {
  if (node === undefined) return false;
  if (nameOk(node.star, a.name) || nameOk(node.exact.get(combined), a.name)) return true;
  return a.subresource.length > 0 && nameOk(node.sub.get(a.subresource), a.name);
}

function groupsAllow(
  byGroup: Map<string, ResourceNode> | undefined,
  combined: string,
  a: RuleAttributes,
): boolean {
  if (byGroup === undefined) return false;
  return (
    nodeAllows(byGroup.get(a.apiGroup), combined, a) ||
    (a.apiGroup !== '*' && nodeAllows(byGroup.get('*'), combined, a))
  );
}

function urlAllows(node: UrlNode | undefined, path: string): boolean {
  if (node === undefined) return false;
  if (node.exact.has(path)) return true;
  for (const p of node.prefixes) if (path.startsWith(p)) return true;
  return false;
}

/**
 * Same answer as RulesAllow(a, rules). `combined` is `resource[/subresource]`, computed once per
 * decision by the caller (see combinedResource).
 */
export function compiledAllows(c: CompiledRules, a: RuleAttributes, combined: string): boolean {
  if (a.isResourceRequest) {
    return (
      groupsAllow(c.resource.get(a.verb), combined, a) ||
      (a.verb !== '*' && groupsAllow(c.resource.get('*'), combined, a))
    );
  }
  return (
    urlAllows(c.nonResource.get(a.verb), a.path) ||
    (a.verb !== '*' && urlAllows(c.nonResource.get('*'), a.path))
  );
}

/** Convenience form of compiledAllows that computes the combined resource itself. */
export function compiledAllowsAttrs(c: CompiledRules, a: RuleAttributes): boolean {
  return compiledAllows(c, a, combinedResource(a));
}
