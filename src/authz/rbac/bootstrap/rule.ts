/**
 * The PolicyRule builder, verb sets and API group names of the bootstrap policy, after
 * pkg/apis/rbac/v1/helpers.go (`NewRule(verbs...).Groups(...).Resources(...).Names(...).URLs(...)`,
 * `RuleOrDie`) and plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (Read, Write, ...).
 *
 * @module
 */
import type { PolicyRule } from './types.js';

export const Read: readonly string[] = ['get', 'list', 'watch'];
export const Write: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const ReadWrite: readonly string[] = [...Read, ...Write];
export const ReadUpdate: readonly string[] = ['get', 'list', 'watch', 'update', 'patch'];

export const legacyGroup = '';
export const admissionRegistrationGroup = 'admissionregistration.k8s.io';
export const apiExtensionsGroup = 'apiextensions.k8s.io';
export const appsGroup = 'apps';
export const authenticationGroup = 'authentication.k8s.io';
export const authorizationGroup = 'authorization.k8s.io';
export const autoscalingGroup = 'autoscaling';
export const batchGroup = 'batch';
export const certificatesGroup = 'certificates.k8s.io';
export const coordinationGroup = 'coordination.k8s.io';
export const discoveryGroup = 'discovery.k8s.io';
export const eventsGroup = 'events.k8s.io';
export const extensionsGroup = 'extensions';
export const networkingGroup = 'networking.k8s.io';
export const nodeGroup = 'node.k8s.io';
export const policyGroup = 'policy';
export const rbacGroup = 'rbac.authorization.k8s.io';
export const resourceGroup = 'resource.k8s.io';
export const storageGroup = 'storage.k8s.io';
export const storageMigrationGroup = 'storagemigration.k8s.io';
export const resMetricsGroup = 'metrics.k8s.io';
export const customMetricsGroup = 'custom.metrics.k8s.io';
export const externalMetricsGroup = 'external.metrics.k8s.io';

/**
 * A fluent PolicyRule builder. `build()` validates like upstream's `Rule()` (verbs required; a
 * rule is either a resource rule with apiGroups or a non-resource rule) and sorts every list, so
 * the order of arguments does not matter. It throws on an invalid rule: the policy is static code.
 *
 * @example
 * ```ts
 * rule('get', 'list').groups('').resources('pods').build()
 * ```
 */
export class RuleBuilder {
  private readonly r: Required<PolicyRule>;

  constructor(verbs: string[]) {
    this.r = { verbs: [...verbs], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [] };
  }

  groups(...groups: string[]): this {
    this.r.apiGroups.push(...groups);
    return this;
  }

  resources(...resources: string[]): this {
    this.r.resources.push(...resources);
    return this;
  }

  names(...names: string[]): this {
    this.r.resourceNames.push(...names);
    return this;
  }

  urls(...urls: string[]): this {
    this.r.nonResourceURLs.push(...urls);
    return this;
  }

  build(): PolicyRule {
    const { verbs, apiGroups, resources, resourceNames, nonResourceURLs } = this.r;
    const show = (): string => JSON.stringify(this.r);
    if (verbs.length === 0) throw new Error(`verbs are required: ${show()}`);
    if (nonResourceURLs.length > 0) {
      if (apiGroups.length || resources.length || resourceNames.length)
        throw new Error(`non-resource rule may not have apiGroups, resources, or resourceNames: ${show()}`);
      return { verbs: sorted(verbs), nonResourceURLs: sorted(nonResourceURLs) };
    }
    if (resources.length === 0)
      throw new Error(`a rule must have either nonResourceURLs or resources: ${show()}`);
    if (apiGroups.length === 0) throw new Error(`resource rule must have apiGroups: ${show()}`);
    // Key order follows the Go struct (verbs, apiGroups, resources, resourceNames), as upstream serializes.
    const out: PolicyRule = {
      verbs: sorted(verbs),
      apiGroups: sorted(apiGroups),
      resources: sorted(resources),
    };
    if (resourceNames.length) out.resourceNames = sorted(resourceNames);
    return out;
  }
}

/** Go's sort.Strings order (byte order; all policy strings are ASCII). */
function sorted(xs: string[]): string[] {
  return [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Starts a rule with the given verbs or verb sets (upstream `NewRule`): `rule(Read, 'create')`. */
export function rule(...verbs: (string | readonly string[])[]): RuleBuilder {
  return new RuleBuilder(verbs.flat());
}

/** Rules written with the builder or as finished objects. */
export type RuleLike = RuleBuilder | PolicyRule;

export function buildRules(rules: RuleLike[]): PolicyRule[] {
  return rules.map((r) => (r instanceof RuleBuilder ? r.build() : r));
}

/** The rule every component that records events needs (bootstrappolicy.eventsRule). */
export function eventsRule(): RuleBuilder {
  return rule('create', 'update', 'patch').groups(legacyGroup, eventsGroup).resources('events');
}
