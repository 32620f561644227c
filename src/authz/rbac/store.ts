/**
 * The indexed policy store: the state behind the RBAC authorizer, rule resolver and explain.
 * It keeps what upstream's listers hold (pkg/registry/rbac/validation/rule.go reads them on every
 * request) plus two indexes that make a decision independent of policy size:
 *
 * - bindings by subject, separately for ClusterRoleBindings and per namespace for RoleBindings:
 *   a user-name map holding User subjects and ServiceAccount subjects (as their username
 *   `system:serviceaccount:<ns>:<name>`, the namespace defaulting to the RoleBinding's; none →
 *   never matches, as appliesToUser), and a group-name map holding Group subjects;
 * - one slot per referenced role holding its compiled rules (compile.ts), recompiled only when
 *   that role changes. A binding points at its slot, so a binding whose role does not exist yet
 *   contributes nothing and starts working when the role appears.
 *
 * @module
 */
import { compileRules, type CompiledRules } from './compile.js';
import { nsMap, type PolicyLister, type RbacState } from './source.js';
import {
  SERVICE_ACCOUNT_USERNAME_PREFIX,
  type AnyBinding,
  type ClusterRole,
  type ClusterRoleBinding,
  type RbacKind,
  type RbacObject,
  type RbacUser,
  type Role,
  type RoleBinding,
} from './types.js';

/** A referenced role: present (with compiled rules) or not (yet). */
export interface RoleSlot {
  readonly kind: 'Role' | 'ClusterRole';
  readonly namespace: string;
  readonly name: string;
  role: Role | ClusterRole | undefined;
  compiled: CompiledRules | undefined;
}

/** A binding as indexed. `slot` is undefined for an unsupported roleRef kind. */
export interface BindingEntry {
  readonly binding: AnyBinding;
  /** "" for ClusterRoleBindings. */
  readonly namespace: string;
  readonly slot: RoleSlot | undefined;
  readonly users: readonly string[];
  readonly groups: readonly string[];
  /** Allow reasons by applying-subject index, filled lazily by the authorizer. */
  reasons?: string[];
}

interface SubjectIndex {
  users: Map<string, Set<BindingEntry>>;
  groups: Map<string, Set<BindingEntry>>;
}

const newIndex = (): SubjectIndex => ({ users: new Map(), groups: new Map() });

/** Calls `visit` for each binding applying to `user`; stop by returning false. May repeat entries. */
export type EntryVisitor = (e: BindingEntry) => boolean;

/** The user names and group names a binding's subjects match (see the module doc). */
function subjectKeys(b: AnyBinding, namespace: string): { users: string[]; groups: string[] } {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const s of b.subjects ?? []) {
    if (s.kind === 'User') users.add(s.name);
    else if (s.kind === 'Group') groups.add(s.name);
    else if (s.kind === 'ServiceAccount') {
      const ns = s.namespace || namespace;
      if (ns) users.add(`${SERVICE_ACCOUNT_USERNAME_PREFIX}${ns}:${s.name}`);
    }
  }
  return { users: [...users], groups: [...groups] };
}

function addKeys(m: Map<string, Set<BindingEntry>>, keys: readonly string[], e: BindingEntry): void {
  for (const k of keys) {
    let set = m.get(k);
    if (!set) m.set(k, (set = new Set()));
    set.add(e);
  }
}

function deleteKeys(m: Map<string, Set<BindingEntry>>, keys: readonly string[], e: BindingEntry): void {
  for (const k of keys) {
    const set = m.get(k);
    if (!set) continue;
    set.delete(e);
    if (set.size === 0) m.delete(k);
  }
}

export class RbacStore implements RbacState, PolicyLister {
  generation = 0;
  private readonly roleSlots = new Map<string, Map<string, RoleSlot>>();
  private readonly clusterRoleSlots = new Map<string, RoleSlot>();
  private readonly roleBindings = new Map<string, Map<string, BindingEntry>>();
  private readonly clusterRoleBindings = new Map<string, BindingEntry>();
  private readonly clusterIndex: SubjectIndex = newIndex();
  private readonly namespaceIndex = new Map<string, SubjectIndex>();

  constructor(objects: Iterable<RbacObject> = []) {
    for (const o of objects) this.upsert(o);
  }

  upsert(obj: RbacObject): void {
    const ns = obj.metadata.namespace ?? '';
    switch (obj.kind) {
      case 'Role':
      case 'ClusterRole': {
        const slot = this.slot(obj.kind, ns, obj.metadata.name);
        slot.role = obj;
        slot.compiled = compileRules(obj.rules);
        break;
      }
      case 'RoleBinding':
      case 'ClusterRoleBinding':
        this.removeBinding(obj.kind, ns, obj.metadata.name);
        this.addBinding(obj, obj.kind === 'RoleBinding' ? ns : '');
        break;
      default:
        throw new Error(`unsupported kind ${(obj as { kind: string }).kind}`);
    }
    this.generation++;
  }

  remove(kind: RbacKind, namespace: string, name: string): void {
    if (kind === 'Role' || kind === 'ClusterRole') {
      const slot =
        kind === 'Role' ? this.roleSlots.get(namespace)?.get(name) : this.clusterRoleSlots.get(name);
      if (slot) {
        slot.role = undefined;
        slot.compiled = undefined;
      }
    } else this.removeBinding(kind, namespace, name);
    this.generation++;
  }

  replace(objects: Iterable<RbacObject>): void {
    this.roleSlots.clear();
    this.clusterRoleSlots.clear();
    this.roleBindings.clear();
    this.clusterRoleBindings.clear();
    this.clusterIndex.users.clear();
    this.clusterIndex.groups.clear();
    this.namespaceIndex.clear();
    for (const o of objects) this.upsert(o);
    this.generation++;
  }

  /** The slot of a role, created empty on first reference. */
  private slot(kind: 'Role' | 'ClusterRole', namespace: string, name: string): RoleSlot {
    const m = kind === 'Role' ? nsMap(this.roleSlots, namespace) : this.clusterRoleSlots;
    let s = m.get(name);
    if (!s) {
      s = { kind, namespace: kind === 'Role' ? namespace : '', name, role: undefined, compiled: undefined };
      m.set(name, s);
    }
    return s;
  }

  private addBinding(b: AnyBinding, namespace: string): void {
    const ref = b.roleRef;
    const slot =
      ref.kind === 'ClusterRole'
        ? this.slot('ClusterRole', '', ref.name)
        : ref.kind === 'Role'
          ? this.slot('Role', namespace, ref.name)
          : undefined;
    const entry: BindingEntry = { binding: b, namespace, slot, ...subjectKeys(b, namespace) };
    let index: SubjectIndex;
    if (b.kind === 'ClusterRoleBinding') {
      this.clusterRoleBindings.set(b.metadata.name, entry);
      index = this.clusterIndex;
    } else {
      nsMap(this.roleBindings, namespace).set(b.metadata.name, entry);
      index = this.namespaceIndex.get(namespace) ?? newIndex();
      this.namespaceIndex.set(namespace, index);
    }
    addKeys(index.users, entry.users, entry);
    addKeys(index.groups, entry.groups, entry);
  }

  private removeBinding(kind: 'RoleBinding' | 'ClusterRoleBinding', namespace: string, name: string): void {
    const owner = kind === 'ClusterRoleBinding' ? this.clusterRoleBindings : this.roleBindings.get(namespace);
    const entry = owner?.get(name);
    if (!owner || !entry) return;
    owner.delete(name);
    const index = kind === 'ClusterRoleBinding' ? this.clusterIndex : this.namespaceIndex.get(namespace);
    if (!index) return;
    deleteKeys(index.users, entry.users, entry);
    deleteKeys(index.groups, entry.groups, entry);
  }

  /**
   * Visits the ClusterRoleBindings applying to `user`, then (namespace != "") the RoleBindings of
   * that namespace applying to it. An entry bound to several of the user's keys is visited once
   * per key. Returns false when the visitor stopped.
   */
  visitBindings(user: RbacUser, namespace: string, visit: EntryVisitor): boolean {
    if (!visitIndex(this.clusterIndex, user, visit)) return false;
    if (namespace.length === 0) return true;
    const idx = this.namespaceIndex.get(namespace);
    return idx === undefined || visitIndex(idx, user, visit);
  }

  /**
   * How many bindings could apply to `user` in `namespace` (sum of the index buckets of its name
   * and groups; a binding matching several keys counts several times). A few Map look-ups.
   */
  countBindings(user: RbacUser, namespace: string): number {
    let n = countIndex(this.clusterIndex, user);
    if (namespace.length > 0) {
      const idx = this.namespaceIndex.get(namespace);
      if (idx !== undefined) n += countIndex(idx, user);
    }
    return n;
  }

  /** Visits the user's RoleBindings in every namespace (for explain). */
  visitAllRoleBindings(user: RbacUser, visit: EntryVisitor): void {
    for (const idx of this.namespaceIndex.values()) if (!visitIndex(idx, user, visit)) return;
  }

  /** Counts, for diagnostics and benchmarks. */
  stats(): { roles: number; clusterRoles: number; roleBindings: number; clusterRoleBindings: number } {
    let roles = 0;
    let roleBindings = 0;
    for (const m of this.roleSlots.values()) for (const s of m.values()) if (s.role) roles++;
    for (const m of this.roleBindings.values()) roleBindings += m.size;
    let clusterRoles = 0;
    for (const s of this.clusterRoleSlots.values()) if (s.role) clusterRoles++;
    return { roles, clusterRoles, roleBindings, clusterRoleBindings: this.clusterRoleBindings.size };
  }

  // PolicyLister, so the linear baseline can run on the same state.
  *listClusterRoleBindings(): Iterable<ClusterRoleBinding> {
    for (const e of this.clusterRoleBindings.values()) yield e.binding as ClusterRoleBinding;
  }
  *listRoleBindings(namespace: string): Iterable<RoleBinding> {
    const m = this.roleBindings.get(namespace);
    if (m) for (const e of m.values()) yield e.binding as RoleBinding;
  }
  getRole(namespace: string, name: string): Role | undefined {
    return this.roleSlots.get(namespace)?.get(name)?.role as Role | undefined;
  }
  getClusterRole(name: string): ClusterRole | undefined {
    return this.clusterRoleSlots.get(name)?.role as ClusterRole | undefined;
  }
}

function visitSet(set: Set<BindingEntry> | undefined, visit: EntryVisitor): boolean {
  if (set === undefined) return true;
  for (const e of set) if (!visit(e)) return false;
  return true;
}

function countIndex(index: SubjectIndex, user: RbacUser): number {
  let n = index.users.get(user.name)?.size ?? 0;
  if (index.groups.size === 0) return n;
  const groups = user.groups;
  for (let i = 0; i < groups.length; i++) n += index.groups.get(groups[i])?.size ?? 0;
  return n;
}

function visitIndex(index: SubjectIndex, user: RbacUser, visit: EntryVisitor): boolean {
  if (!visitSet(index.users.get(user.name), visit)) return false;
  if (index.groups.size === 0) return true;
  const groups = user.groups;
  for (let i = 0; i < groups.length; i++) if (!visitSet(index.groups.get(groups[i]), visit)) return false;
  return true;
}
