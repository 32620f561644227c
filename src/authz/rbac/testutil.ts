/**
 * Test fixtures shaped like the helpers of plugin/pkg/auth/authorizer/rbac/rbac_test.go
 * (newRule, newRole, newClusterRole, newRoleBinding, newClusterRoleBinding, defaultAttributes,
 * resourceRequest/nonresourceRequest builders) and a seeded random policy generator for the
 * differential tests.
 *
 * @module
 */
import type { Attributes } from '../interfaces.js';
import {
  RBAC_GROUP,
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  type RbacObject,
  type Role,
  type RoleBinding,
  type Subject,
} from './types.js';

/** newRule("get,list", "", "pods", "") with Go's strings.Split semantics ("" -> [""]). */
export function newRule(verbs: string, apiGroups: string, resources: string, urls: string): PolicyRule {
  return {
    verbs: verbs.split(','),
    apiGroups: apiGroups.split(','),
    resources: resources.split(','),
    nonResourceURLs: urls.split(','),
  };
}

export const newRole = (name: string, namespace: string, ...rules: PolicyRule[]): Role => ({
  kind: 'Role',
  metadata: { name, namespace },
  rules,
});

export const newClusterRole = (name: string, ...rules: PolicyRule[]): ClusterRole => ({
  kind: 'ClusterRole',
  metadata: { name },
  rules,
});

/** "User:alice", "Group:devs", "ServiceAccount:ns:name" or "ServiceAccount:name". */
export function subject(spec: string): Subject {
  const i = spec.indexOf(':');
  const kind = spec.slice(0, i);
  const rest = spec.slice(i + 1);
  if (kind === 'ServiceAccount') {
    const j = rest.indexOf(':');
    return j < 0
      ? { kind, apiGroup: '', name: rest }
      : { kind, apiGroup: '', namespace: rest.slice(0, j), name: rest.slice(j + 1) };
  }
  return { kind, apiGroup: RBAC_GROUP, name: rest };
}

let seq = 0;
export function newClusterRoleBinding(roleName: string, ...subjects: string[]): ClusterRoleBinding {
  return {
    kind: 'ClusterRoleBinding',
    metadata: { name: `crb-${roleName}-${seq++}` },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
    subjects: subjects.map(subject),
  };
}

export function newRoleBinding(
  namespace: string,
  roleName: string,
  roleKind: 'Role' | 'ClusterRole',
  ...subjects: string[]
): RoleBinding {
  return {
    kind: 'RoleBinding',
    metadata: { name: `rb-${roleName}-${seq++}`, namespace },
    roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: roleName },
    subjects: subjects.map(subject),
  };
}

/** Resource-request attributes; groups as in defaultAttributes ("a,b"; "" -> [""]). */
export function resAttrs(
  user: string,
  groups: string,
  verb: string,
  resource: string,
  subresource: string,
  namespace: string,
  apiGroup: string,
  name = '',
): Attributes {
  return {
    user: { name: user, uid: '', groups: groups.split(','), extra: {} },
    verb,
    isResourceRequest: true,
    path: '',
    namespace,
    apiGroup,
    apiVersion: '',
    resource,
    subresource,
    name,
  };
}

export function urlAttrs(user: string, groups: string[], verb: string, path: string): Attributes {
  return {
    user: { name: user, uid: '', groups, extra: {} },
    verb,
    isResourceRequest: false,
    path,
    namespace: '',
    apiGroup: '',
    apiVersion: '',
    resource: '',
    subresource: '',
    name: '',
  };
}

/** mulberry32: a small seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const VOCAB = {
  verbs: ['get', 'list', 'watch', 'create', 'delete', 'update', '*'],
  groups: ['', 'apps', 'batch', '*'],
  resources: [
    'pods',
    'pods/log',
    'pods/status',
    '*/status',
    '*/scale',
    'deployments',
    'deployments/scale',
    'secrets',
    '*',
    'pods/*',
  ],
  names: ['a', 'b', ''],
  urls: ['/healthz', '/healthz/*', '/api', '/api/*', '*', '/metrics', '/a**'],
  users: ['alice', 'bob', 'system:serviceaccount:ns1:sa', 'system:serviceaccount:ns2:sa'],
  groupNames: ['devs', 'ops', 'system:authenticated', 'system:serviceaccounts'],
  namespaces: ['ns1', 'ns2', 'ns3'],
};

/** A random policy over VOCAB: roles, cluster roles, bindings (some dangling, some odd kinds). */
export function randomPolicy(r: () => number): RbacObject[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const n = 1 + Math.floor(r() * max);
    return [...new Set(Array.from({ length: n }, () => pick(xs)))];
  };
  const rule = (): PolicyRule =>
    r() < 0.2
      ? { verbs: some(VOCAB.verbs, 2), nonResourceURLs: some(VOCAB.urls, 2) }
      : {
          verbs: some(VOCAB.verbs, 3),
          apiGroups: some(VOCAB.groups, 2),
          resources: some(VOCAB.resources, 3),
          ...(r() < 0.3 ? { resourceNames: some(VOCAB.names, 2) } : {}),
        };
  const rules = (): PolicyRule[] => Array.from({ length: 1 + Math.floor(r() * 3) }, rule);
  const subj = (): Subject => {
    const x = r();
    if (x < 0.35) return { kind: 'User', name: pick(VOCAB.users) };
    if (x < 0.65) return { kind: 'Group', name: pick(VOCAB.groupNames) };
    if (x < 0.95)
      return r() < 0.5
        ? { kind: 'ServiceAccount', name: 'sa' }
        : { kind: 'ServiceAccount', name: 'sa', namespace: pick(VOCAB.namespaces) };
    return { kind: 'Robot', name: 'alice' };
  };
  const out: RbacObject[] = [];
  for (let i = 0; i < 4; i++) out.push(newClusterRole(`cr${i}`, ...rules()));
  for (const ns of VOCAB.namespaces) for (let i = 0; i < 2; i++) out.push(newRole(`r${i}`, ns, ...rules()));
  const ref = (): { kind: string; name: string } =>
    r() < 0.5
      ? { kind: 'ClusterRole', name: `cr${Math.floor(r() * 5)}` }
      : r() < 0.95
        ? { kind: 'Role', name: `r${Math.floor(r() * 3)}` }
        : { kind: 'Bogus', name: 'x' };
  for (let i = 0; i < 3; i++) {
    out.push({
      kind: 'ClusterRoleBinding',
      metadata: { name: `crb${i}` },
      roleRef: { apiGroup: RBAC_GROUP, ...ref() },
      subjects: Array.from({ length: 1 + Math.floor(r() * 2) }, subj),
    });
  }
  for (const ns of VOCAB.namespaces) {
    for (let i = 0; i < 3; i++) {
      out.push({
        kind: 'RoleBinding',
        metadata: { name: `rb${i}`, namespace: ns },
        roleRef: { apiGroup: RBAC_GROUP, ...ref() },
        subjects: Array.from({ length: 1 + Math.floor(r() * 2) }, subj),
      });
    }
  }
  return out;
}

/** A random request over VOCAB. */
export function randomAttrs(r: () => number): Attributes {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const user = pick(VOCAB.users);
  const groups = VOCAB.groupNames.filter(() => r() < 0.4);
  if (r() < 0.2) {
    return urlAttrs(
      user,
      groups,
      pick(VOCAB.verbs),
      pick(['/healthz', '/healthz/etcd', '/api', '/api/v1', '/metrics', '/a', '/ab', '/']),
    );
  }
  const [resource, sub = ''] = pick([
    'pods',
    'pods/log',
    'pods/status',
    'deployments',
    'deployments/scale',
    'secrets',
    'nodes',
    'pods/*',
  ]).split('/');
  const a = resAttrs(
    user,
    '',
    pick(VOCAB.verbs),
    resource,
    sub,
    pick([...VOCAB.namespaces, '', 'other']),
    pick(VOCAB.groups),
    pick(VOCAB.names),
  );
  a.user.groups = groups;
  return a;
}
