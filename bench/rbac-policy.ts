/**
 * Synthetic RBAC policy for bench/rbac.ts. At scale k: 300k namespaces, 700k ClusterRoles,
 * 1,400k Roles, 4,500k RoleBindings, 700k ClusterRoleBindings, with realistic rule counts (3-10 per
 * role, mixed verbs, groups, subresources, some resourceNames and non-resource URLs) and subjects
 * drawn from pools that grow with k (users, team groups, service accounts), so the number of
 * bindings per subject stays about constant. A fixed "probe" user has the same few bindings at
 * every scale, and a "heavy" user holds 1,000 bindings (300 cluster + 700 in one namespace) for
 * the SelfSubjectRulesReview measurement. Deterministic (seeded).
 */
import type { Attributes } from '../src/authz/interfaces.js';
import { rng } from '../src/authz/rbac/testutil.js';
import { RBAC_GROUP, type PolicyRule, type RbacObject, type Subject } from '../src/authz/rbac/types.js';

const VERB_SETS = [
  ['get', 'list', 'watch'],
  ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
  ['*'],
  ['get'],
  ['create', 'delete'],
  ['update', 'patch'],
];
const GROUP_RESOURCES: Array<[string, string[]]> = [
  [
    '',
    [
      'pods',
      'pods/log',
      'pods/exec',
      'services',
      'configmaps',
      'secrets',
      'endpoints',
      'events',
      'persistentvolumeclaims',
      'serviceaccounts',
    ],
  ],
  ['apps', ['deployments', 'deployments/scale', 'statefulsets', 'daemonsets', 'replicasets']],
  ['batch', ['jobs', 'cronjobs']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['rbac.authorization.k8s.io', ['roles', 'rolebindings']],
  ['coordination.k8s.io', ['leases']],
  ['example.com', ['widgets', 'widgets/status', 'gadgets']],
];

export interface Policy {
  objects: RbacObject[];
  counts: Record<string, number>;
  allowed: Attributes;
  denied: Attributes;
  heavyUser: { name: string; groups: string[] };
  heavyNamespace: string;
}

export function buildPolicy(k: number, seed = 1): Policy {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const nsCount = 300 * k;
  const ns = (i: number) => `ns-${i}`;
  const users = 3000 * k;
  const teams = 200 * k;

  const rule = (): PolicyRule => {
    const x = r();
    if (x < 0.04)
      return { verbs: ['get'], nonResourceURLs: [pick(['/healthz', '/metrics', '/version', '/api/*'])] };
    const [group, resources] = pick(GROUP_RESOURCES);
    const res = [...new Set(Array.from({ length: 1 + int(3) }, () => pick(resources)))];
    const out: PolicyRule = { verbs: pick(VERB_SETS), apiGroups: [group], resources: res };
    if (x > 0.93) out.resourceNames = [`obj-${int(50)}`];
    else if (x > 0.9 && group !== 'example.com') out.resources = ['*'];
    return out;
  };
  const rules = (cluster: boolean) =>
    Array.from({ length: 3 + int(8) }, rule).filter((ru) => cluster || !ru.nonResourceURLs);
  const subject = (bindingNs: string): Subject => {
    const x = r();
    if (x < 0.45) return { kind: 'User', apiGroup: RBAC_GROUP, name: `user-${int(users)}` };
    if (x < 0.75) return { kind: 'Group', apiGroup: RBAC_GROUP, name: `team-${int(teams)}` };
    const sns = bindingNs || ns(int(nsCount));
    return {
      kind: 'ServiceAccount',
      name: `sa-${int(5)}`,
      ...(bindingNs && r() < 0.5 ? {} : { namespace: sns }),
    };
  };
  const subjects = (bindingNs: string) => Array.from({ length: 1 + int(3) }, () => subject(bindingNs));
  const ref = (kind: string, name: string) => ({ apiGroup: RBAC_GROUP, kind, name });

  const objects: RbacObject[] = [];
  const counts = {
    namespaces: nsCount,
    clusterRoles: 700 * k,
    roles: 1400 * k,
    roleBindings: 4500 * k,
    clusterRoleBindings: 700 * k,
  };
  for (let i = 0; i < counts.clusterRoles; i++) {
    objects.push({ kind: 'ClusterRole', metadata: { name: `cr-${i}` }, rules: rules(true) });
  }
  const rolesPerNs = new Map<string, number>();
  for (let i = 0; i < counts.roles; i++) {
    const n = ns(i % nsCount);
    const idx = rolesPerNs.get(n) ?? 0;
    rolesPerNs.set(n, idx + 1);
    objects.push({ kind: 'Role', metadata: { name: `role-${idx}`, namespace: n }, rules: rules(false) });
  }

  // Fixed bindings, the same at every scale.
  const heavyUser = { name: 'heavy', groups: ['system:authenticated', 'heavy-team'] };
  const heavyNamespace = ns(1);
  const fixed: RbacObject[] = [
    {
      kind: 'ClusterRole',
      metadata: { name: 'probe-reader' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    },
    {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'basic-user' },
      roleRef: ref('ClusterRole', 'cr-0'),
      subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: 'system:authenticated' }],
    },
    {
      kind: 'ClusterRoleBinding',
      metadata: { name: 'discovery' },
      roleRef: ref('ClusterRole', 'cr-1'),
      subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: 'system:authenticated' }],
    },
    {
      kind: 'RoleBinding',
      metadata: { name: 'probe', namespace: ns(0) },
      roleRef: ref('ClusterRole', 'probe-reader'),
      subjects: [{ kind: 'User', apiGroup: RBAC_GROUP, name: 'probe' }],
    },
  ];
  for (let i = 0; i < 300; i++) {
    fixed.push({
      kind: 'ClusterRoleBinding',
      metadata: { name: `heavy-${i}` },
      roleRef: ref('ClusterRole', `cr-${2 + i}`),
      subjects: [{ kind: 'User', apiGroup: RBAC_GROUP, name: 'heavy' }],
    });
  }
  for (let i = 0; i < 700; i++) {
    const roleRef =
      i % 2
        ? ref('ClusterRole', `cr-${400 + i}`)
        : ref('Role', `role-${i % (rolesPerNs.get(heavyNamespace) ?? 1)}`);
    fixed.push({
      kind: 'RoleBinding',
      metadata: { name: `heavy-${i}`, namespace: heavyNamespace },
      roleRef,
      subjects: [{ kind: 'Group', apiGroup: RBAC_GROUP, name: 'heavy-team' }],
    });
  }
  const fixedCrb = fixed.filter((o) => o.kind === 'ClusterRoleBinding').length;
  const fixedRb = fixed.filter((o) => o.kind === 'RoleBinding').length;
  objects.push(...fixed);
  for (let i = 0; i < counts.clusterRoleBindings - fixedCrb; i++) {
    objects.push({
      kind: 'ClusterRoleBinding',
      metadata: { name: `crb-${i}` },
      roleRef: ref('ClusterRole', `cr-${2 + int(counts.clusterRoles - 2)}`),
      subjects: subjects(''),
    });
  }
  for (let i = 0; i < counts.roleBindings - fixedRb; i++) {
    const n = ns(i % nsCount);
    const roleRef =
      r() < 0.6
        ? ref('Role', `role-${int(rolesPerNs.get(n) ?? 1)}`)
        : ref('ClusterRole', `cr-${2 + int(counts.clusterRoles - 2)}`);
    objects.push({
      kind: 'RoleBinding',
      metadata: { name: `rb-${i}`, namespace: n },
      roleRef,
      subjects: subjects(n),
    });
  }

  const attrs = (verb: string, group: string, resource: string): Attributes => ({
    user: { name: 'probe', uid: '', groups: ['system:authenticated', 'team-3'], extra: {} },
    verb,
    isResourceRequest: true,
    path: `/api/v1/namespaces/${ns(0)}/${resource}`,
    namespace: ns(0),
    apiGroup: group,
    apiVersion: 'v1',
    resource,
    subresource: '',
    name: '',
  });
  return {
    objects,
    counts,
    allowed: attrs('list', '', 'pods'),
    // example.com rules exist (never with resources ["*"]), so the matcher walks verb -> group -> resource.
    denied: attrs('delete', 'example.com', 'things'),
    heavyUser,
    heavyNamespace,
  };
}
