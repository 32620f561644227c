/**
 * @module authz/node/rules
 *
 * The static rules every node gets for resources the graph does not subdivide, after
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go `NodeRules()` (the same list as the
 * `system:node` ClusterRole in test/fixtures/upstream/bootstrap-policy/cluster-roles.yaml), and a
 * minimal `rulesAllow`, after plugin/pkg/auth/authorizer/rbac/rbac.go `RuleAllows`.
 */
import type { Attributes } from '../interfaces.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const read = ['get', 'list', 'watch'];

/** bootstrappolicy.NodeRules() at the release the reference cluster roles were dumped from. */
export function defaultNodeRules(): PolicyRule[] {
  return [
    { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    {
      apiGroups: ['authorization.k8s.io'],
      resources: ['localsubjectaccessreviews', 'subjectaccessreviews'],
      verbs: ['create'],
    },
    { apiGroups: [''], resources: ['services'], verbs: read },
    { apiGroups: [''], resources: ['nodes'], verbs: ['create', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch', 'update'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['patch', 'update'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    { apiGroups: [''], resources: ['pods'], verbs: read },
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] },
    { apiGroups: [''], resources: ['pods/status'], verbs: ['patch', 'update'] },
    { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
    { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: read },
    { apiGroups: [''], resources: ['persistentvolumeclaims', 'persistentvolumes'], verbs: ['get'] },
    { apiGroups: [''], resources: ['endpoints'], verbs: ['get'] },
    {
      apiGroups: ['certificates.k8s.io'],
      resources: ['certificatesigningrequests'],
      verbs: ['create', 'get', 'list', 'watch'],
    },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get'] },
    { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
    { apiGroups: [''], resources: ['persistentvolumeclaims/status'], verbs: ['get', 'patch', 'update'] },
    { apiGroups: ['storage.k8s.io'], resources: ['csidrivers'], verbs: read },
    {
      apiGroups: ['storage.k8s.io'],
      resources: ['csinodes'],
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    { apiGroups: ['node.k8s.io'], resources: ['runtimeclasses'], verbs: read },
    { apiGroups: ['resource.k8s.io'], resources: ['resourceclaims'], verbs: ['get'] },
    { apiGroups: ['resource.k8s.io'], resources: ['resourceslices'], verbs: ['deletecollection'] },
    { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'] },
  ];
}

const has = (list: string[] | undefined, v: string): boolean =>
  !!list && (list.includes('*') || list.includes(v));

/** RuleAllows: verb, group, resource (`res/sub`, `*`, `*\/sub`), resourceName; or nonResourceURL. */
export function ruleAllows(a: Attributes, r: PolicyRule): boolean {
  if (!has(r.verbs, a.verb)) return false;
  if (!a.isResourceRequest) {
    return (r.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))),
    );
  }
  if (!has(r.apiGroups, a.apiGroup)) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resOk = (r.resources ?? []).some(
    (x) => x === '*' || x === combined || (!!a.subresource && x === `*/${a.subresource}`),
  );
  if (!resOk) return false;
  return !r.resourceNames?.length || r.resourceNames.includes(a.name);
}

export function rulesAllow(a: Attributes, rules: PolicyRule[]): boolean {
  return rules.some((r) => ruleAllows(a, r));
}
