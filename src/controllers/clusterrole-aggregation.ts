/**
 * ClusterRole aggregation as pure functions, after
 * pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go (`syncClusterRole`):
 * a ClusterRole with an `aggregationRule` gets as rules the union of the rules of every other
 * ClusterRole matched by its `clusterRoleSelectors`, selector by selector, matches sorted by name,
 * duplicates (semantic equality) dropped keeping the first. The caller (a controller over the
 * ClusterRole watch cache) writes the result, upstream with server-side apply of `rules` only,
 * field manager `clusterrole-aggregation-controller`.
 *
 * @module
 */
import { matchLabels, type LabelRequirement } from '../api/selectors.js';
import { semanticEqual } from '../authz/rbac/bootstrap/semantic.js';
import type { ClusterRole, LabelSelector, PolicyRule } from '../authz/rbac/bootstrap/types.js';

/** The field manager upstream's controller applies with. */
export const AGGREGATION_FIELD_MANAGER = 'clusterrole-aggregation-controller';

/**
 * Converts a metav1.LabelSelector to label requirements (metav1.LabelSelectorAsSelector): an
 * empty selector matches everything. Throws on an invalid operator or value count.
 */
export function selectorRequirements(sel: LabelSelector): LabelRequirement[] {
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({
    key,
    op: 'in',
    values: [v],
  }));
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) throw new Error(`for '${e.operator}' operator, values set can't be empty`);
        reqs.push({ key: e.key, op: e.operator === 'In' ? 'in' : 'notin', values });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) throw new Error(`values set must be empty for exists and does not exist`);
        reqs.push({ key: e.key, op: e.operator === 'Exists' ? 'exists' : '!', values: [] });
        break;
      default:
        throw new Error(`"${String(e.operator)}" is not a valid label selector operator`);
    }
  }
  return reqs;
}

/** Whether a LabelSelector matches the labels. A null selector matches nothing. */
export function selectorMatches(
  sel: LabelSelector | null | undefined,
  labels?: Record<string, string>,
): boolean {
  if (!sel) return false;
  return matchLabels(selectorRequirements(sel), labels);
}

const byName = (a: ClusterRole, b: ClusterRole): number =>
  a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;

/**
 * The aggregated rules of `target` computed from `all` ClusterRoles (which may include `target`).
 * Returns `undefined` when no change is needed: `target` has no aggregationRule, or its current
 * rules already equal the result. Throws on an invalid selector (upstream retries the key).
 *
 * @example
 * ```ts
 * const rules = aggregateRules(admin, cache.list())
 * if (rules) await apply(admin.metadata.name, { rules })
 * ```
 */
export function aggregateRules(target: ClusterRole, all: readonly ClusterRole[]): PolicyRule[] | undefined {
  const selectors = target.aggregationRule?.clusterRoleSelectors;
  if (!target.aggregationRule) return undefined;
  const rules: PolicyRule[] = [];
  for (const sel of selectors ?? []) {
    const reqs = sel ? selectorRequirements(sel) : undefined;
    const matched = all
      .filter((r) => r.metadata.name !== target.metadata.name && reqs && matchLabels(reqs, r.metadata.labels))
      .sort(byName);
    for (const role of matched)
      for (const rule of role.rules ?? []) if (!rules.some((x) => semanticEqual(x, rule))) rules.push(rule);
  }
  return semanticEqual(rules, target.rules) ? undefined : rules;
}

/**
 * The aggregated ClusterRoles (sorted by name) to recompute after `changed` was created, updated
 * or deleted: those whose selectors match its labels, or `previous`'s labels (pass the old
 * version on update so a role that lost a label is removed), and `changed` itself when it is
 * aggregated. Chains (view → edit → admin) follow through the next change events. Upstream
 * simply re-enqueues every aggregated ClusterRole; this is the narrow equivalent.
 */
export function dependents(
  changed: ClusterRole,
  all: readonly ClusterRole[],
  previous?: ClusterRole,
): ClusterRole[] {
  const labelSets = [changed.metadata.labels, previous?.metadata.labels];
  const out = all.filter((r) => {
    if (!r.aggregationRule) return false;
    if (r.metadata.name === changed.metadata.name) return true;
    return (r.aggregationRule.clusterRoleSelectors ?? []).some((sel) =>
      labelSets.some((labels) => safeMatches(sel, labels)),
    );
  });
  return out.sort(byName);
}

function safeMatches(sel: LabelSelector | null, labels: Record<string, string> | undefined): boolean {
  try {
    return selectorMatches(sel, labels);
  } catch {
    // an invalid selector is reported when its role is aggregated; enqueue it so it is
    return true;
  }
}

/**
 * Runs aggregation over a set of ClusterRoles until nothing changes (what the controller converges
 * to), returning new objects for the changed roles and the same objects otherwise. At most
 * `all.length + 1` rounds: a cycle of aggregated roles may never settle (upstream's controller
 * flaps on one), so the rounds are bounded.
 */
export function aggregateAll(all: readonly ClusterRole[]): ClusterRole[] {
  let roles = [...all];
  for (let round = 0; round <= all.length; round++) {
    let changed = false;
    roles = roles.map((r) => {
      const rules = aggregateRules(r, roles);
      if (!rules) return r;
      changed = true;
      return { ...r, rules };
    });
    if (!changed) break;
  }
  return roles;
}
