/**
 * Explain a decision (beyond upstream): which binding and rule allowed a request, or, when none
 * did, the "near misses": rules from bindings that apply to the user and fail on exactly one
 * dimension (verb, apiGroup, resource, resourceName, nonResourceURL), and rules of the user's
 * RoleBindings in other namespaces that would have allowed it (missing "namespace"). Rule
 * dimensions are those of RuleAllows (plugin/pkg/auth/authorizer/rbac/rbac.go); bindings come
 * from the subject index in upstream's order (cluster bindings, then the namespace's).
 *
 * @module
 */
import type { Attributes } from '../interfaces.js';
import { decide, entryError } from './authorizer.js';
import { compactString, goQuote, goQuoteList } from './format.js';
import {
  apiGroupMatches,
  combinedResource,
  nonResourceURLMatches,
  resourceMatches,
  resourceNameMatches,
  verbMatches,
} from './rule.js';
import type { BindingEntry, RbacStore } from './store.js';
import type { PolicyRule } from './types.js';

export type Dimension = 'verb' | 'apiGroup' | 'resource' | 'resourceName' | 'namespace' | 'nonResourceURL';

/** A rule and where it comes from. `namespace` is set for RoleBindings. */
export interface RuleOrigin {
  bindingKind: 'ClusterRoleBinding' | 'RoleBinding';
  bindingName: string;
  namespace?: string;
  roleKind: string;
  roleName: string;
  ruleIndex: number;
  rule: PolicyRule;
}

export interface NearMiss extends RuleOrigin {
  missing: Dimension[];
}

export interface Unresolved {
  bindingKind: 'ClusterRoleBinding' | 'RoleBinding';
  bindingName: string;
  namespace?: string;
  error: string;
}

export interface Explanation {
  decision: 'Allow' | 'NoOpinion';
  /** The authorizer's reason (upstream text). */
  reason: string;
  allowedBy?: RuleOrigin;
  nearMisses: NearMiss[];
  /** Applying bindings whose role does not resolve. */
  unresolved: Unresolved[];
  /** The request, for formatting. */
  attributes: Attributes;
}

/** The dimensions on which `rule` fails `a`; undefined when the rule is of the other kind. */
export function failingDimensions(a: Attributes, rule: PolicyRule): Dimension[] | undefined {
  const out: Dimension[] = [];
  if (a.isResourceRequest) {
    if (!(rule.resources ?? []).length) return undefined;
    if (!verbMatches(rule, a.verb)) out.push('verb');
    if (!apiGroupMatches(rule, a.apiGroup)) out.push('apiGroup');
    if (!resourceMatches(rule, combinedResource(a), a.subresource)) out.push('resource');
    if (!resourceNameMatches(rule, a.name)) out.push('resourceName');
  } else {
    if (!(rule.nonResourceURLs ?? []).length) return undefined;
    if (!verbMatches(rule, a.verb)) out.push('verb');
    if (!nonResourceURLMatches(rule, a.path)) out.push('nonResourceURL');
  }
  return out;
}

function origin(e: BindingEntry, ruleIndex: number, rule: PolicyRule): RuleOrigin {
  const b = e.binding;
  const o: RuleOrigin = {
    bindingKind: b.kind,
    bindingName: b.metadata.name,
    roleKind: b.roleRef.kind,
    roleName: b.roleRef.name,
    ruleIndex,
    rule,
  };
  if (b.kind === 'RoleBinding') o.namespace = e.namespace;
  return o;
}

/** Explains the RBAC decision for `a` over the store's current state. */
export function explain(store: RbacStore, a: Attributes): Explanation {
  const result = decide(store, a);
  const exp: Explanation = {
    decision: result.decision === 'Allow' ? 'Allow' : 'NoOpinion',
    reason: result.reason,
    nearMisses: [],
    unresolved: [],
    attributes: a,
  };
  const seen = new Set<BindingEntry>();
  store.visitBindings(a.user, a.namespace, (e) => {
    if (seen.has(e)) return true;
    seen.add(e);
    const compiled = e.slot?.compiled;
    if (compiled === undefined) {
      const u: Unresolved = {
        bindingKind: e.binding.kind,
        bindingName: e.binding.metadata.name,
        error: entryError(e) ?? '',
      };
      if (e.binding.kind === 'RoleBinding') u.namespace = e.namespace;
      exp.unresolved.push(u);
      return true;
    }
    compiled.rules.forEach((rule, i) => {
      const missing = failingDimensions(a, rule);
      if (missing === undefined) return;
      if (missing.length === 0) exp.allowedBy ??= origin(e, i, rule);
      else if (missing.length === 1) exp.nearMisses.push({ ...origin(e, i, rule), missing });
    });
    return true;
  });
  store.visitAllRoleBindings(a.user, (e) => {
    if (e.namespace === a.namespace || seen.has(e)) return true;
    seen.add(e);
    e.slot?.compiled?.rules.forEach((rule, i) => {
      if (failingDimensions(a, rule)?.length === 0)
        exp.nearMisses.push({ ...origin(e, i, rule), missing: ['namespace'] });
    });
    return true;
  });
  return exp;
}

function describeOrigin(o: RuleOrigin): string {
  const b = o.bindingKind === 'RoleBinding' ? `${o.bindingName}/${o.namespace}` : o.bindingName;
  return `${o.bindingKind} ${goQuote(b)} of ${o.roleKind} ${goQuote(o.roleName)}, rule ${o.ruleIndex} ${compactString(o.rule)}`;
}

/** Why a near miss missed, in words. */
export function describeMiss(m: NearMiss, a: Attributes): string {
  const r = m.rule;
  switch (m.missing[0]) {
    case 'verb':
      return `verb ${goQuote(a.verb)} not in ${goQuoteList(r.verbs)}`;
    case 'apiGroup':
      return `API group ${goQuote(a.apiGroup)} not in ${goQuoteList(r.apiGroups)}`;
    case 'resource':
      return `resource ${goQuote(combinedResource(a))} not in ${goQuoteList(r.resources)}`;
    case 'resourceName':
      return a.name
        ? `name ${goQuote(a.name)} not in ${goQuoteList(r.resourceNames)}`
        : `the request has no name but the rule is limited to ${goQuoteList(r.resourceNames)}`;
    case 'nonResourceURL':
      return `path ${goQuote(a.path)} not matched by ${goQuoteList(r.nonResourceURLs)}`;
    default:
      return `would allow in namespace ${goQuote(m.namespace ?? '')}, but the request is ${a.namespace ? `in namespace ${goQuote(a.namespace)}` : 'cluster-scoped'}`;
  }
}

/** `get resource "pods" in API group "" in the namespace "dev"` (upstream Forbidden wording). */
function describeRequest(a: Attributes): string {
  if (!a.isResourceRequest) return `${a.verb} path ${goQuote(a.path)}`;
  const where = a.namespace ? `in the namespace ${goQuote(a.namespace)}` : 'at the cluster scope';
  const named = a.name ? ` named ${goQuote(a.name)}` : '';
  return `${a.verb} resource ${goQuote(combinedResource(a))}${named} in API group ${goQuote(a.apiGroup)} ${where}`;
}

export interface FormatOptions {
  /** One line for a SAR/SSAR status.reason: the verdict and the closest near miss. */
  short?: boolean;
  /** Most near misses listed in the long form (default 10). */
  maxNearMisses?: number;
}

/** Human text, one line per fact (or one line with `short`). */
export function formatExplanation(exp: Explanation, opts: FormatOptions = {}): string {
  const a = exp.attributes;
  if (opts.short) {
    if (exp.allowedBy) return `allowed by ${describeOrigin(exp.allowedBy)}`;
    const m = exp.nearMisses[0];
    if (m) return `no RBAC rule allows it; closest: ${describeOrigin(m)}: ${describeMiss(m, a)}`;
    return exp.unresolved.length
      ? `no RBAC rule allows it; ${exp.unresolved.length} applicable binding(s) reference missing roles`
      : 'no RBAC binding grants this user anything that comes close';
  }
  const who = `User ${goQuote(a.user.name)} (groups=${goQuoteList(a.user.groups)})`;
  const lines: string[] = [];
  if (exp.allowedBy) {
    lines.push(`${who} can ${describeRequest(a)}`);
    lines.push(`allowed by ${describeOrigin(exp.allowedBy)}`);
  } else {
    lines.push(`${who} cannot ${describeRequest(a)}: no RBAC rule allows it`);
  }
  const max = opts.maxNearMisses ?? 10;
  if (!exp.allowedBy) {
    for (const m of exp.nearMisses.slice(0, max))
      lines.push(`near miss: ${describeOrigin(m)}: ${describeMiss(m, a)}`);
    if (exp.nearMisses.length > max) lines.push(`... and ${exp.nearMisses.length - max} more near misses`);
    if (exp.nearMisses.length === 0)
      lines.push('no near misses: no applicable rule differs from the request in only one respect');
  }
  for (const u of exp.unresolved) {
    const b = u.bindingKind === 'RoleBinding' ? `${u.bindingName}/${u.namespace}` : u.bindingName;
    lines.push(`unresolved: ${u.bindingKind} ${goQuote(b)}: ${u.error}`);
  }
  return lines.join('\n');
}
