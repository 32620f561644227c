/**
 * Startup reconciliation of default roles and bindings, a pure port of
 * staging/src/k8s.io/component-helpers/auth/rbac/reconciliation/reconcile_role.go
 * (`computeReconciledRole`, `aggregationRuleCovers`) and reconcile_rolebindings.go
 * (`computeReconciledRoleBinding`, `diffSubjectLists`). The caller reads the existing object,
 * calls these functions and performs the returned action; the post-start hook
 * (pkg/registry/rbac/rest/storage_rbac.go) uses the defaults: union of rules and subjects.
 *
 * @module
 */
import { covers } from '../covers.js';
import { semanticEqual } from './semantic.js';
import {
  AUTOUPDATE_ANNOTATION,
  type AggregationRule,
  type AnyBinding,
  type AnyRole,
  type LabelSelector,
  type PolicyRule,
  type RoleRef,
  type Subject,
} from './types.js';

export interface ReconcileRoleOptions {
  /** Replace the rules and selectors by the expected ones instead of adding the missing ones. */
  removeExtraPermissions?: boolean;
  /** Label prefixes (e.g. `rbac.authorization.k8s.io/aggregate-to-`) whose existing labels are dropped. */
  aggrLabelPrefixes?: string[];
}

export interface RoleReconcileResult<T extends AnyRole> {
  /** What the caller must write. `'none'` when nothing changed or the object is protected. */
  action: 'create' | 'update' | 'none';
  /** The object to create or update; the existing object when the action is `'none'`. */
  object: T;
  /** The existing object has `rbac.authorization.kubernetes.io/autoupdate: "false"`: left untouched. */
  protected: boolean;
  /** Expected rules (broken down) the existing role lacked. */
  missingRules: PolicyRule[];
  /** Rules (broken down) the existing role has beyond the expected ones; kept unless removing. */
  extraRules: PolicyRule[];
  missingAggregationRuleSelectors: LabelSelector[];
  extraAggregationRuleSelectors: LabelSelector[];
}

/**
 * Reconciles a default Role or ClusterRole with the stored one (`undefined` if there is none).
 * Labels and annotations are merged (existing values win), missing rules are appended, missing
 * aggregation selectors are appended, and an aggregationRule the expected role lacks is removed.
 *
 * @example
 * ```ts
 * const r = reconcileRole(await get(name), expected)
 * if (r.action === 'create') await create(r.object)
 * else if (r.action === 'update') await update(r.object)
 * else if (r.protected && r.missingRules.length) log(`${name} is protected, missing rules`)
 * ```
 */
export function reconcileRole<T extends AnyRole>(
  existing: T | undefined,
  expected: T,
  opts: ReconcileRoleOptions = {},
): RoleReconcileResult<T> {
  if (!existing) {
    return {
      action: 'create',
      object: structuredClone(expected),
      protected: false,
      missingRules: expected.rules ?? [],
      extraRules: [],
      missingAggregationRuleSelectors: aggregationOf(expected)?.clusterRoleSelectors ?? [],
      extraAggregationRuleSelectors: [],
    };
  }
  const removeExtra = opts.removeExtraPermissions ?? false;
  const isProtected = existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';
  const out = structuredClone(existing);
  let changed = false;

  out.metadata.annotations = merge(expected.metadata.annotations, out.metadata.annotations);
  if (!semanticEqual(out.metadata.annotations, existing.metadata.annotations)) changed = true;
  out.metadata.labels = merge(
    expected.metadata.labels,
    removeAggrLabels(out.metadata.labels, opts.aggrLabelPrefixes ?? []),
  );
  if (!semanticEqual(out.metadata.labels, existing.metadata.labels)) changed = true;

  const expectedAgg = aggregationOf(expected);
  const existingAgg = aggregationOf(existing);
  // Extra permissions are not computed when both roles are aggregated: the controller owns rules.
  const extraRules =
    !expectedAgg || !existingAgg
      ? (covers(expected.rules ?? [], existing.rules ?? []).uncovered as PolicyRule[])
      : [];
  const missingRules = covers(existing.rules ?? [], expected.rules ?? []).uncovered as PolicyRule[];
  if (!removeExtra && missingRules.length > 0) {
    out.rules = [...(out.rules ?? []), ...missingRules];
    changed = true;
  } else if (removeExtra && (missingRules.length > 0 || extraRules.length > 0)) {
    out.rules = structuredClone(expected.rules);
    changed = true;
  }

  const extraSelectors = uncoveredSelectors(expectedAgg, existingAgg);
  const missingSelectors = uncoveredSelectors(existingAgg, expectedAgg);
  if (!expectedAgg && existingAgg) {
    // we didn't expect this to be an aggregated role at all: remove the existing aggregation
    delete (out as { aggregationRule?: AggregationRule }).aggregationRule;
    changed = true;
  } else if (!removeExtra && missingSelectors.length > 0) {
    const agg = aggregationOf(out) ?? {};
    agg.clusterRoleSelectors = [...(agg.clusterRoleSelectors ?? []), ...structuredClone(missingSelectors)];
    (out as { aggregationRule?: AggregationRule }).aggregationRule = agg;
    changed = true;
  } else if (removeExtra && (missingSelectors.length > 0 || extraSelectors.length > 0)) {
    (out as { aggregationRule?: AggregationRule }).aggregationRule = structuredClone(expectedAgg);
    changed = true;
  }

  const write = changed && !isProtected;
  return {
    action: write ? 'update' : 'none',
    object: write ? out : existing,
    protected: isProtected,
    missingRules,
    extraRules,
    missingAggregationRuleSelectors: missingSelectors,
    extraAggregationRuleSelectors: extraSelectors,
  };
}

function aggregationOf(role: AnyRole): AggregationRule | undefined {
  return role.kind === 'ClusterRole' ? (role.aggregationRule ?? undefined) : undefined;
}

/** The servant's selectors that no owner selector equals (upstream aggregationRuleCovers). */
function uncoveredSelectors(
  owner: AggregationRule | undefined,
  servant: AggregationRule | undefined,
): LabelSelector[] {
  if (!servant) return [];
  if (!owner) return servant.clusterRoleSelectors ?? [];
  const own = owner.clusterRoleSelectors ?? [];
  return (servant.clusterRoleSelectors ?? []).filter((s) => !own.some((o) => semanticEqual(o, s)));
}

/** Merges maps, later maps winning; undefined when every map is undefined (upstream merge). */
function merge(...maps: (Record<string, string> | undefined)[]): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const m of maps) {
    if (m === undefined) continue;
    out = { ...out, ...m };
  }
  return out;
}

function removeAggrLabels(
  labels: Record<string, string> | undefined,
  prefixes: string[],
): Record<string, string> | undefined {
  if (labels === undefined) return undefined;
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !prefixes.some((p) => k.startsWith(p))));
}

export interface ReconcileBindingOptions {
  /** Replace the subjects by the expected ones instead of adding the missing ones. */
  removeExtraSubjects?: boolean;
}

export interface BindingReconcileResult<T extends AnyBinding> {
  /**
   * What the caller must write. `'recreate'`: the roleRef (immutable) differs, so delete the
   * existing binding (with its uid as precondition) and create `object`. `'none'` when nothing
   * changed or the binding is protected.
   */
  action: 'create' | 'update' | 'recreate' | 'none';
  /** The object to create or update; the existing object when the action is `'none'`. */
  object: T;
  protected: boolean;
  missingSubjects: Subject[];
  extraSubjects: Subject[];
}

/**
 * Reconciles a default RoleBinding or ClusterRoleBinding with the stored one (`undefined` if
 * there is none): a different roleRef recreates it; otherwise labels and annotations are merged
 * (existing values win) and missing subjects are appended.
 */
export function reconcileBinding<T extends AnyBinding>(
  existing: T | undefined,
  expected: T,
  opts: ReconcileBindingOptions = {},
): BindingReconcileResult<T> {
  if (!existing) {
    const object = structuredClone(expected);
    return {
      action: 'create',
      object,
      protected: false,
      missingSubjects: expected.subjects ?? [],
      extraSubjects: [],
    };
  }
  const isProtected = existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';
  if (!roleRefEqual(expected.roleRef, existing.roleRef)) {
    return {
      action: isProtected ? 'none' : 'recreate',
      object: isProtected ? existing : structuredClone(expected),
      protected: isProtected,
      missingSubjects: [],
      extraSubjects: [],
    };
  }
  const out = structuredClone(existing);
  let changed = false;
  out.metadata.annotations = merge(expected.metadata.annotations, out.metadata.annotations);
  if (!semanticEqual(out.metadata.annotations, existing.metadata.annotations)) changed = true;
  out.metadata.labels = merge(expected.metadata.labels, out.metadata.labels);
  if (!semanticEqual(out.metadata.labels, existing.metadata.labels)) changed = true;

  const missingSubjects = subtractSubjects(expected.subjects ?? [], existing.subjects ?? []);
  const extraSubjects = subtractSubjects(existing.subjects ?? [], expected.subjects ?? []);
  if (!opts.removeExtraSubjects && missingSubjects.length > 0) {
    out.subjects = [...(out.subjects ?? []), ...structuredClone(missingSubjects)];
    changed = true;
  } else if (opts.removeExtraSubjects && (missingSubjects.length > 0 || extraSubjects.length > 0)) {
    out.subjects = structuredClone(expected.subjects);
    changed = true;
  }
  const write = changed && !isProtected;
  return {
    action: write ? 'update' : 'none',
    object: write ? out : existing,
    protected: isProtected,
    missingSubjects,
    extraSubjects,
  };
}

function roleRefEqual(a: RoleRef, b: RoleRef): boolean {
  return (a.apiGroup ?? '') === (b.apiGroup ?? '') && a.kind === b.kind && a.name === b.name;
}

function subjectEqual(a: Subject, b: Subject): boolean {
  return (
    a.kind === b.kind &&
    (a.apiGroup ?? '') === (b.apiGroup ?? '') &&
    a.name === b.name &&
    (a.namespace ?? '') === (b.namespace ?? '')
  );
}

/** Subjects of `a` not in `b`, without duplicates (one half of upstream diffSubjectLists). */
function subtractSubjects(a: Subject[], b: Subject[]): Subject[] {
  const out: Subject[] = [];
  for (const s of a)
    if (!b.some((x) => subjectEqual(x, s)) && !out.some((x) => subjectEqual(x, s))) out.push(s);
  return out;
}
