/**
 * RBAC privilege-escalation prevention, as the REST storage of rbac.authorization.k8s.io applies it
 * (pkg/registry/rbac/escalation_check.go: EscalationAllowed, RoleEscalationAuthorized,
 * BindingAuthorized; pkg/registry/rbac/validation/rule.go: ConfirmNoEscalation;
 * pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased/storage.go).
 * The caller has already been authorized to create/update the object; these checks run after.
 *
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import type { UserInfo } from '../../authn/interfaces.js';
import { resourceAttributes, type Attributes, type Authorizer } from '../interfaces.js';
import { compactRules, covers } from './covers.js';
import { aggregateMessage, compactString, goQuote, goQuoteList } from './format.js';
import { getRoleReferenceRules } from './linear.js';
import { policyRulesFor } from './resolver.js';
import type { RbacStore } from './store.js';
import {
  RBAC_GROUP,
  type AnyBinding,
  type ClusterRole,
  type PolicyRule,
  type RbacUser,
  type Role,
  type RoleRef,
} from './types.js';

/** What the checks need from the policy: the user's rules and a roleRef's rules. */
export interface EscalationResolver {
  rulesFor(user: RbacUser, namespace: string): { rules: readonly PolicyRule[]; errors: readonly string[] };
  roleReferenceRules(
    roleRef: RoleRef,
    bindingNamespace: string,
  ): { rules: readonly PolicyRule[]; error?: undefined } | { rules?: undefined; error: string };
}

/** A resolver over the store, with the registry's NotFound wording (`roles.rbac... "x" not found`). */
export function storeEscalationResolver(store: RbacStore): EscalationResolver {
  return {
    rulesFor: (user, ns) => policyRulesFor(store, user, ns, 'registry'),
    roleReferenceRules: (ref, ns) => getRoleReferenceRules(store, ref, ns, 'registry'),
  };
}

/** `*` on everything: required to set a ClusterRole aggregationRule. */
export const FULL_AUTHORITY: readonly PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** EscalationAllowed: members of system:masters may grant anything. */
export function escalationAllowed(user: RbacUser): boolean {
  return user.groups.includes('system:masters');
}

/**
 * ConfirmNoEscalation: undefined when the user's rules in `namespace` cover `rules`, else the
 * upstream error text (wrap it with escalationForbiddenMessage for the Status message).
 */
export function confirmNoEscalation(
  user: RbacUser,
  rules: readonly PolicyRule[],
  namespace: string,
  resolver: EscalationResolver,
): string | undefined {
  const owner = resolver.rulesFor(user, namespace);
  const res = covers(owner.rules, rules);
  if (res.covers) return undefined;
  const lines = [...new Set(compactRules(res.uncovered).map(compactString))].sort();
  let msg = `user ${goQuote(user.name)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length > 0) msg += `; resolution errors: [${aggregateMessage(owner.errors)}]`;
  return msg;
}

/** NewForbidden(rbac group resource, name, err).Error(): `roles.rbac.authorization.k8s.io "x" is forbidden: <msg>`. */
export function escalationForbiddenMessage(resource: string, name: string, message: string): string {
  return `${resource}.${RBAC_GROUP} ${goQuote(name)} is forbidden: ${message}`;
}

function attrs(
  user: UserInfo,
  verb: string,
  resource: string,
  name: string,
  namespace: string,
  apiGroup: string,
): Attributes {
  return resourceAttributes(user, { verb, namespace, apiGroup, apiVersion: '*', resource, name });
}

/**
 * RoleEscalationAuthorized: may the user `escalate` the role resource being written? `name` is
 * the request name (empty on create), `namespace` the request namespace.
 */
export async function roleEscalationAuthorized(
  authorizer: Authorizer,
  user: UserInfo,
  resource: 'roles' | 'clusterroles',
  name: string,
  namespace: string,
): Promise<boolean> {
  const r = await authorizer.authorize(attrs(user, 'escalate', resource, name, namespace, RBAC_GROUP));
  return r.decision === 'Allow';
}

/** BindingAuthorized: may the user `bind` the referenced role in the binding's namespace ("" for cluster)? */
export async function bindingAuthorized(
  authorizer: Authorizer,
  user: UserInfo,
  roleRef: RoleRef,
  bindingNamespace: string,
): Promise<boolean> {
  const resource =
    roleRef.kind === 'ClusterRole' ? 'clusterroles' : roleRef.kind === 'Role' ? 'roles' : undefined;
  if (!resource) return false;
  const r = await authorizer.authorize(
    attrs(user, 'bind', resource, roleRef.name, bindingNamespace, roleRef.apiGroup),
  );
  return r.decision === 'Allow';
}

/** Outcome of a write check: allowed, or the Status reason and message to answer with. */
export type WriteCheck =
  { ok: true } | { ok: false; reason: 'Forbidden' | 'NotFound' | 'BadRequest'; message: string };

const hasAggregation = (r: Role | ClusterRole | undefined): boolean =>
  r?.kind === 'ClusterRole' && (r.aggregationRule?.clusterRoleSelectors?.length ?? 0) > 0;

/**
 * Role/ClusterRole create or update (role/ and clusterrole/policybased/storage.go). `old` is the
 * stored object on update; GC-only updates are allowed without checks.
 */
export async function checkRoleWrite(
  authorizer: Authorizer,
  resolver: EscalationResolver,
  user: UserInfo,
  obj: Role | ClusterRole,
  old?: Role | ClusterRole,
): Promise<WriteCheck> {
  if (old && isOnlyMutatingGCFields(obj, old)) return { ok: true };
  const resource = obj.kind === 'Role' ? 'roles' : 'clusterroles';
  const ns = obj.kind === 'Role' ? (obj.metadata.namespace ?? '') : '';
  const name = old ? obj.metadata.name : '';
  if (escalationAllowed(user) || (await roleEscalationAuthorized(authorizer, user, resource, name, ns)))
    return { ok: true };
  const err = confirmNoEscalation(user, obj.rules ?? [], ns, resolver);
  if (err)
    return {
      ok: false,
      reason: 'Forbidden',
      message: escalationForbiddenMessage(resource, obj.metadata.name, err),
    };
  if (hasAggregation(obj) || hasAggregation(old)) {
    if (confirmNoEscalation(user, FULL_AUTHORITY, ns, resolver)) {
      return {
        ok: false,
        reason: 'Forbidden',
        message: escalationForbiddenMessage(
          resource,
          obj.metadata.name,
          'must have cluster-admin privileges to use the aggregationRule',
        ),
      };
    }
  }
  return { ok: true };
}

/** RoleBinding/ClusterRoleBinding create or update (rolebinding/ and clusterrolebinding/policybased/storage.go). */
export async function checkBindingWrite(
  authorizer: Authorizer,
  resolver: EscalationResolver,
  user: UserInfo,
  obj: AnyBinding,
  old?: AnyBinding,
): Promise<WriteCheck> {
  if (old && isOnlyMutatingGCFields(obj, old)) return { ok: true };
  const ns = obj.kind === 'RoleBinding' ? (obj.metadata.namespace ?? '') : '';
  if (obj.kind === 'RoleBinding' && !ns)
    return { ok: false, reason: 'BadRequest', message: 'namespace is required' };
  if (escalationAllowed(user) || (await bindingAuthorized(authorizer, user, obj.roleRef, ns)))
    return { ok: true };
  const ref = resolver.roleReferenceRules(obj.roleRef, ns);
  if (ref.error !== undefined) return { ok: false, reason: 'NotFound', message: ref.error };
  const resource = obj.kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
  const err = confirmNoEscalation(user, ref.rules, ns, resolver);
  return err
    ? {
        ok: false,
        reason: 'Forbidden',
        message: escalationForbiddenMessage(resource, obj.metadata.name, err),
      }
    : { ok: true };
}

const GC_FIELDS = ['ownerReferences', 'finalizers', 'selfLink', 'managedFields'];

/** IsOnlyMutatingGCFields: equal once ownerReferences, finalizers, selfLink and managedFields are ignored. */
export function isOnlyMutatingGCFields(obj: { metadata: object }, old: { metadata: object }): boolean {
  const strip = (o: { metadata: object }) => {
    const meta: Record<string, unknown> = { ...o.metadata };
    for (const f of GC_FIELDS) delete meta[f];
    return { ...o, metadata: meta };
  };
  return isDeepStrictEqual(strip(obj), strip(old));
}
