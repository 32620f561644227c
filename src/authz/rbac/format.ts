/**
 * Go-compatible text helpers for the messages RBAC produces: `%q` quoting (strconv.Quote), `%q` on
 * a []string, utilerrors.NewAggregate's Error(), rbacv1helpers.CompactString
 * (pkg/apis/rbac/v1/evaluation_helpers.go), the binding describers of
 * pkg/registry/rbac/validation/rule.go (describeSubject, clusterRoleBindingDescriber,
 * roleBindingDescriber) and the NotFound texts of listers and registries.
 *
 * @module
 */
import type { PolicyRule, RoleRef, Subject } from './types.js';

const ESCAPES: Record<string, string> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Go `%q` of a string: double-quoted, with Go escapes for quotes, backslash and control bytes. */
export function goQuote(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const esc = ESCAPES[ch];
    if (esc !== undefined) out += esc;
    else {
      const c = ch.codePointAt(0) ?? 0;
      if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
      else if (c >= 0x80 && c < 0xa0) out += `\\u${c.toString(16).padStart(4, '0')}`;
      else out += ch;
    }
  }
  return out + '"';
}

/** Go `%q` of a []string: `["a" "b"]`; nil and empty both print `[]`. */
export function goQuoteList(list: readonly string[] | null | undefined): string {
  return `[${(list ?? []).map(goQuote).join(' ')}]`;
}

/** utilerrors.NewAggregate(errs).Error(): one message as is, several de-duplicated in `[a, b]`. */
export function aggregateMessage(messages: readonly string[]): string {
  if (messages.length === 0) return '';
  if (messages.length === 1) return messages[0];
  const seen = [...new Set(messages)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/**
 * CompactString: only non-empty fields, in the order APIGroups, Resources, NonResourceURLs,
 * ResourceNames, Verbs, e.g. `{APIGroups:["apps"], Resources:["deployments"], Verbs:["create"]}`.
 */
export function compactString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoteList(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoteList(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoteList(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoteList(r.resourceNames)}`);
  if (r.verbs?.length) parts.push(`Verbs:${goQuoteList(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}

/** `User "alice"`, `Group "devs"`, `ServiceAccount "name/ns"` (ns defaulted to the binding's). */
export function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') {
    return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  }
  return `${s.kind} ${goQuote(s.name)}`;
}

/**
 * The source of a rule as rbac.go's allow reason prints it (without the `RBAC: allowed by `
 * prefix): `ClusterRoleBinding "x" of ClusterRole "y" to User "z"` or
 * `RoleBinding "name/ns" of Role "y" to Group "g"`.
 */
export function describeBinding(
  kind: 'ClusterRoleBinding' | 'RoleBinding',
  name: string,
  namespace: string,
  roleRef: RoleRef,
  subject: Subject,
): string {
  const bname = kind === 'RoleBinding' ? `${name}/${namespace}` : name;
  return `${kind} ${goQuote(bname)} of ${roleRef.kind} ${goQuote(roleRef.name)} to ${describeSubject(subject, namespace)}`;
}

/** Which NotFound text a missing role yields: listers use the singular, registries the plural. */
export type NotFoundStyle = 'lister' | 'registry';

/** `role.rbac.authorization.k8s.io "x" not found` (lister) or `roles...` (registry). */
export function roleNotFound(roleRef: RoleRef, style: NotFoundStyle): string {
  const base = roleRef.kind === 'Role' ? 'role' : 'clusterrole';
  const res = style === 'registry' ? `${base}s` : base;
  return `${res}.rbac.authorization.k8s.io ${goQuote(roleRef.name)} not found`;
}

/** GetRoleReferenceRules' error for a kind other than Role/ClusterRole. */
export function unsupportedRoleRef(roleRef: RoleRef): string {
  return `unsupported role reference kind: ${goQuote(roleRef.kind)}`;
}
