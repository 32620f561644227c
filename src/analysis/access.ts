/**
 * Access analysis over a cluster's RBAC objects (loaded through the API or handed in directly):
 * `whoCan(attrs)` lists every subject a request would be allowed for and through which binding,
 * role and rule (system:masters always, as the apiserver's privileged-group authorizer); the
 * explanation of one user's decision comes from authz/rbac/explain.ts.
 */
import type { Attributes } from '../authz/interfaces.js';
import { RbacStore } from '../authz/rbac/store.js';
import { ruleAllows } from '../authz/rbac/rule.js';
import type { PolicyRule, RbacObject, Subject } from '../authz/rbac/types.js';
import type { KubeClient } from '../client/kube-client.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

export async function loadRbac(client: KubeClient): Promise<RbacStore> {
  const lists = await Promise.all(
    ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings'].map((r) => client.list(`${RBAC}/${r}`)),
  );
  return new RbacStore(lists.flat() as unknown as RbacObject[]);
}

export interface Grant {
  subject: Subject;
  bindingKind: 'ClusterRoleBinding' | 'RoleBinding' | 'PrivilegedGroup';
  bindingName: string;
  bindingNamespace?: string;
  roleKind?: string;
  roleName?: string;
  rule?: PolicyRule;
}

interface AnyBinding {
  kind: string;
  metadata: { name: string; namespace?: string };
  roleRef: { kind: string; name: string };
  subjects?: Subject[];
}

/** Every subject that may perform `attrs` (user fields of attrs are ignored). */
export function whoCan(objects: readonly RbacObject[], attrs: Omit<Attributes, 'user'>): Grant[] {
  const store = new RbacStore(objects);
  const grants: Grant[] = [
    {
      subject: { kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' },
      bindingKind: 'PrivilegedGroup',
      bindingName: 'system:masters',
    },
  ];
  const a = { ...attrs, user: { name: '', uid: '', groups: [], extra: {} } } as Attributes;
  for (const o of objects as unknown as AnyBinding[]) {
    if (o.kind !== 'ClusterRoleBinding' && o.kind !== 'RoleBinding') continue;
    const ns = o.metadata.namespace ?? '';
    if (o.kind === 'RoleBinding' && ns !== attrs.namespace) continue;
    const role =
      o.roleRef.kind === 'ClusterRole'
        ? store.getClusterRole(o.roleRef.name)
        : store.getRole(ns, o.roleRef.name);
    const rule = (role?.rules ?? []).find((r) => ruleAllows(a, r));
    if (!rule) continue;
    for (const subject of o.subjects ?? []) {
      grants.push({
        subject,
        bindingKind: o.kind,
        bindingName: o.metadata.name,
        bindingNamespace: ns || undefined,
        roleKind: o.roleRef.kind,
        roleName: o.roleRef.name,
        rule,
      });
    }
  }
  return grants;
}

export function formatGrants(grants: Grant[]): string {
  const rows = grants.map((g) => {
    const subj =
      g.subject.kind === 'ServiceAccount'
        ? `ServiceAccount ${g.subject.namespace}/${g.subject.name}`
        : `${g.subject.kind} ${g.subject.name}`;
    const via =
      g.bindingKind === 'PrivilegedGroup'
        ? 'always allowed (privileged group)'
        : `${g.bindingKind} ${g.bindingNamespace ? `${g.bindingNamespace}/` : ''}${g.bindingName} -> ${g.roleKind} ${g.roleName}`;
    return [subj, via];
  });
  const w = Math.max(7, ...rows.map((r) => r[0].length)) + 2;
  return ['SUBJECT'.padEnd(w) + 'VIA', ...rows.map(([s, v]) => s.padEnd(w) + v)].join('\n') + '\n';
}
