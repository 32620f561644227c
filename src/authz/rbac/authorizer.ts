/**
 * The indexed RBAC authorizer (name "RBAC"): the decisions of upstream's RBACAuthorizer
 * (plugin/pkg/auth/authorizer/rbac/rbac.go) without its linear scan. Candidate bindings come from
 * the subject index of RbacStore (the user's name, each of its groups; ServiceAccount subjects are
 * indexed under their username), ClusterRoleBindings first, then RoleBindings of the request
 * namespace; each candidate's role is a precompiled matcher (compile.ts). Answers synchronously:
 * Allow with upstream's reason `RBAC: allowed by <source>` or NoOpinion with `""` (or
 * `RBAC: <aggregate of role resolution errors>`). RBAC never denies.
 *
 * @module
 */
import type { Attributes, Authorizer, AuthzResult } from '../interfaces.js';
import { attributesKey, GenerationCache } from './cache.js';
import { compiledAllows } from './compile.js';
import { aggregateMessage, describeBinding, roleNotFound, unsupportedRoleRef } from './format.js';
import { appliesTo } from './linear.js';
import { combinedResource } from './rule.js';
import type { BindingEntry, RbacStore } from './store.js';

export interface RbacAuthorizerOptions {
  /** Maximum cached decisions; 0 disables the cache. Default 65536. */
  cacheSize?: number;
  /**
   * Only decisions for users with at least this many candidate bindings in the request scope go
   * through the cache. An indexed decision over a handful of bindings costs about what building
   * a collision-free key and hashing it does (~0.3-0.5 µs), so caching pays only for users with
   * many bindings. Default 16; 0 caches everything.
   */
  cacheMinBindings?: number;
}

/** The RBAC authorizer plus synchronous access and cache statistics. */
export interface RbacAuthorizer extends Authorizer {
  readonly name: 'RBAC';
  authorize(a: Attributes): AuthzResult;
  /** Decides without consulting or filling the cache. */
  decide(a: Attributes): AuthzResult;
  cacheStats(): { size: number; hits: number; misses: number };
}

const NO_OPINION: AuthzResult = Object.freeze({ decision: 'NoOpinion', reason: '' });

/** The resolution error of a binding whose role is missing or whose roleRef kind is unknown. */
export function entryError(e: BindingEntry): string | undefined {
  if (e.slot === undefined) return unsupportedRoleRef(e.binding.roleRef);
  return e.slot.compiled === undefined ? roleNotFound(e.binding.roleRef, 'lister') : undefined;
}

/** The allow reason for a binding entry: upstream's describer with the first applying subject. */
export function allowReason(e: BindingEntry, a: Attributes): string {
  const b = e.binding;
  const subjects = b.subjects ?? [];
  const i = Math.max(0, appliesTo(a.user, subjects, e.namespace));
  const reasons = (e.reasons ??= []);
  return (reasons[i] ??=
    `RBAC: allowed by ${describeBinding(b.kind, b.metadata.name, e.namespace, b.roleRef, subjects[i])}`);
}

/** One uncached decision over the index. */
export function decide(store: RbacStore, a: Attributes): AuthzResult {
  const combined = a.isResourceRequest ? combinedResource(a) : '';
  let allowed: BindingEntry | undefined;
  let errors: string[] | undefined;
  store.visitBindings(a.user, a.namespace, (e) => {
    const compiled = e.slot?.compiled;
    if (compiled === undefined) {
      (errors ??= []).push(entryError(e) ?? '');
      return true;
    }
    if (compiledAllows(compiled, a, combined)) {
      allowed = e;
      return false;
    }
    return true;
  });
  if (allowed) return { decision: 'Allow', reason: allowReason(allowed, a) };
  if (errors) return { decision: 'NoOpinion', reason: `RBAC: ${aggregateMessage(errors)}` };
  return NO_OPINION;
}

/**
 * Creates the authorizer over a store the caller keeps current (see source.ts).
 *
 * @example
 * ```ts
 * const store = new RbacStore(initialList)
 * const rbac = rbacAuthorizer(store)
 * rbac.authorize(attrs) // { decision: 'Allow', reason: 'RBAC: allowed by ...' }
 * ```
 */
export function rbacAuthorizer(store: RbacStore, opts: RbacAuthorizerOptions = {}): RbacAuthorizer {
  const size = opts.cacheSize ?? 65536;
  const cache = size > 0 ? new GenerationCache<AuthzResult>(size) : undefined;
  const minBindings = opts.cacheMinBindings ?? 16;
  return {
    name: 'RBAC',
    decide: (a) => decide(store, a),
    authorize(a: Attributes): AuthzResult {
      if (cache === undefined) return decide(store, a);
      if (minBindings > 0 && store.countBindings(a.user, a.namespace) < minBindings) return decide(store, a);
      const key = attributesKey(a);
      const gen = store.generation;
      const hit = cache.get(key, gen);
      if (hit !== undefined) return hit;
      const r = decide(store, a);
      cache.set(key, gen, Object.freeze(r));
      return r;
    },
    cacheStats: () => ({ size: cache?.size ?? 0, hits: cache?.hits ?? 0, misses: cache?.misses ?? 0 }),
  };
}
