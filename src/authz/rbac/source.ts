/**
 * The policy-source contract. The engine consumes plain rbac.authorization.k8s.io/v1 objects; the
 * API server feeds them from its watch caches: `replace()` with the initial list (and after a
 * relist), then every ADDED/MODIFIED event as `upsert()` and every DELETED event as `remove()`,
 * synchronously and in resourceVersion order, so that a write is visible to the very next request
 * after it is acknowledged. `generation` is bumped on every change; caches compare against it.
 *
 * The read side mirrors the listers/getters of pkg/registry/rbac/validation/rule.go
 * (RoleGetter, RoleBindingLister, ClusterRoleGetter, ClusterRoleBindingLister).
 *
 * @module
 */
import type { ClusterRole, ClusterRoleBinding, RbacKind, RbacObject, Role, RoleBinding } from './types.js';

/** Write side: what the watch-cache adapter calls. */
export interface RbacState {
  /** Bumped on every upsert/remove/replace. */
  readonly generation: number;
  /** ADDED or MODIFIED. Objects are treated as immutable and kept by reference. */
  upsert(obj: RbacObject): void;
  /** DELETED. Unknown objects are ignored. `namespace` is "" for cluster-scoped kinds. */
  remove(kind: RbacKind, namespace: string, name: string): void;
  /** Initial list or relist: drops everything, then loads `objects`. */
  replace(objects: Iterable<RbacObject>): void;
}

/** Read side, as upstream's listers: used by the linear baseline. */
export interface PolicyLister {
  listClusterRoleBindings(): Iterable<ClusterRoleBinding>;
  listRoleBindings(namespace: string): Iterable<RoleBinding>;
  getRole(namespace: string, name: string): Role | undefined;
  getClusterRole(name: string): ClusterRole | undefined;
}

/** A watch event as the watch cache delivers it. */
export interface RbacWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: RbacObject;
}

/** Applies one watch event to a state. */
export function applyWatchEvent(state: RbacState, ev: RbacWatchEvent): void {
  if (ev.type === 'DELETED') {
    state.remove(ev.object.kind, ev.object.metadata.namespace ?? '', ev.object.metadata.name);
  } else state.upsert(ev.object);
}

/** Kinds this engine accepts (anything else passed to upsert throws). */
export function isRbacObject(o: { kind?: unknown }): o is RbacObject {
  return (
    o.kind === 'Role' ||
    o.kind === 'ClusterRole' ||
    o.kind === 'RoleBinding' ||
    o.kind === 'ClusterRoleBinding'
  );
}

/**
 * Plain object maps with lister access and no index: the StaticRoles of upstream's rule.go, used
 * as the linear baseline's source in tests and benchmarks.
 */
export class PolicyObjects implements RbacState, PolicyLister {
  generation = 0;
  private roles = new Map<string, Map<string, Role>>();
  private clusterRoles = new Map<string, ClusterRole>();
  private roleBindings = new Map<string, Map<string, RoleBinding>>();
  private clusterRoleBindings = new Map<string, ClusterRoleBinding>();

  constructor(objects: Iterable<RbacObject> = []) {
    for (const o of objects) this.upsert(o);
  }

  upsert(obj: RbacObject): void {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name;
    switch (obj.kind) {
      case 'Role':
        nsMap(this.roles, ns).set(name, obj);
        break;
      case 'ClusterRole':
        this.clusterRoles.set(name, obj);
        break;
      case 'RoleBinding':
        nsMap(this.roleBindings, ns).set(name, obj);
        break;
      case 'ClusterRoleBinding':
        this.clusterRoleBindings.set(name, obj);
        break;
      default:
        throw new Error(`unsupported kind ${(obj as { kind: string }).kind}`);
    }
    this.generation++;
  }

  remove(kind: RbacKind, namespace: string, name: string): void {
    if (kind === 'Role') this.roles.get(namespace)?.delete(name);
    else if (kind === 'ClusterRole') this.clusterRoles.delete(name);
    else if (kind === 'RoleBinding') this.roleBindings.get(namespace)?.delete(name);
    else this.clusterRoleBindings.delete(name);
    this.generation++;
  }

  replace(objects: Iterable<RbacObject>): void {
    this.roles.clear();
    this.clusterRoles.clear();
    this.roleBindings.clear();
    this.clusterRoleBindings.clear();
    for (const o of objects) this.upsert(o);
    this.generation++;
  }

  listClusterRoleBindings(): Iterable<ClusterRoleBinding> {
    return this.clusterRoleBindings.values();
  }
  listRoleBindings(namespace: string): Iterable<RoleBinding> {
    return this.roleBindings.get(namespace)?.values() ?? [];
  }
  getRole(namespace: string, name: string): Role | undefined {
    return this.roles.get(namespace)?.get(name);
  }
  getClusterRole(name: string): ClusterRole | undefined {
    return this.clusterRoles.get(name);
  }
}

/** Gets or creates the inner map of a two-level map. */
export function nsMap<V>(m: Map<string, Map<string, V>>, ns: string): Map<string, V> {
  let inner = m.get(ns);
  if (!inner) m.set(ns, (inner = new Map()));
  return inner;
}
