/**
 * The `rbac/bootstrap-roles` post-start hook (pkg/registry/rbac/rest/storage_rbac.go): reconciles
 * the default ClusterRoles, ClusterRoleBindings, Roles and RoleBindings (plus kubeadm's) with
 * what is stored — missing objects are created, missing rules/subjects added, a binding whose
 * roleRef changed is recreated, and objects annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` are left as the user edited them.
 */
import { ApiError } from '../api/errors.js';
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { InternalClient } from '../apiserver/internal-client.js';
import { bootstrapObjects, reconcileBinding, reconcileRole } from '../authz/rbac/bootstrap/index.js';
import type { RbacObject } from '../authz/rbac/bootstrap/types.js';

const RBAC = 'rbac.authorization.k8s.io';
const resourceOf: Record<string, string> = {
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
};

async function reconcileOne(
  client: InternalClient,
  expected: RbacObject,
  log: (m: string) => void,
): Promise<void> {
  const exp = expected as unknown as KubeObject;
  const store = client.store(RBAC, resourceOf[exp.kind!]);
  const ns = exp.metadata?.namespace ?? '';
  const name = exp.metadata!.name!;
  for (let attempt = 0; attempt < 5; attempt++) {
    const cur = store.get(ns, name)?.obj;
    const isRole = exp.kind === 'ClusterRole' || exp.kind === 'Role';
    const r = isRole
      ? reconcileRole(cur as never, expected as never)
      : reconcileBinding(cur as never, expected as never);
    try {
      if (r.action === 'none') {
        if (
          r.protected &&
          ((r as { missingRules?: unknown[] }).missingRules?.length ||
            (r as { missingSubjects?: unknown[] }).missingSubjects?.length)
        ) {
          log(
            `skipped reconcile of ${exp.kind} ${name}: autoupdate is off and it lacks default permissions or subjects`,
          );
        }
        return;
      }
      if (r.action === 'create') {
        await client.ensure(RBAC, resourceOf[exp.kind!], r.object as unknown as KubeObject);
      } else if (r.action === 'update') {
        const next = r.object as unknown as KubeObject;
        await store.guaranteedUpdate(ns, name, (c) =>
          c.rv === Number(cur?.metadata?.resourceVersion)
            ? deepCopy(next)
            : Promise.reject(new ApiError(409, 'Conflict', 'retry')),
        );
      } else {
        await store.delete(ns, name, Number(cur?.metadata?.resourceVersion));
        await client.ensure(RBAC, resourceOf[exp.kind!], r.object as unknown as KubeObject);
      }
      return;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 409 || e.code === 404)) continue;
      throw e;
    }
  }
  log(`could not reconcile ${exp.kind} ${name} after 5 attempts`);
}

/** Reconciles the whole default policy; objects are independent, so they go in parallel per kind. */
export async function reconcileBootstrapPolicy(
  client: InternalClient,
  log: (m: string) => void,
): Promise<number> {
  const objs = bootstrapObjects({ kubeadm: true });
  // Roles before bindings, as upstream, so a binding never points at a missing default role.
  for (const kinds of [
    ['ClusterRole', 'Role'],
    ['ClusterRoleBinding', 'RoleBinding'],
  ]) {
    await Promise.all(objs.filter((o) => kinds.includes(o.kind)).map((o) => reconcileOne(client, o, log)));
  }
  return objs.length;
}
