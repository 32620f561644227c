/**
 * @module registry/resources/common
 *
 * Builders shared by the per-group descriptor files: the standard verb sets and the subresource
 * shapes upstream installs (status, scale, proxy...). Verb lists are sorted the way upstream's
 * discovery emits them (alphabetically; see api/discovery/*.json).
 */
import type { ResourceDescriptor, SubresourceDescriptor } from '../types.js';

/** Every storage-backed resource with list/watch (upstream's generic registry.Store). */
export const CRUD_VERBS: readonly string[] = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

/** Review-style resources (TokenReview, SubjectAccessReview...) and bindings accept only POST. */
export const CREATE_ONLY: readonly string[] = ['create'];

/** status, approval, ephemeralcontainers, scale: get + patch + update. */
export const GET_PATCH_UPDATE: readonly string[] = ['get', 'patch', 'update'];

/** The verbs of the proxy connecters (nodes/proxy, pods/proxy, services/proxy). */
export const PROXY_VERBS: readonly string[] = ['create', 'delete', 'get', 'patch', 'update'];

/** initialStatus of the kinds whose PrepareForCreate resets status to its zero value `{}`. */
export const emptyStatus = (): Record<string, unknown> => ({});

/** `<res>/status`, returning the parent's kind. */
export function statusSub(kind: string): SubresourceDescriptor {
  return { name: 'status', kind, verbs: [...GET_PATCH_UPDATE] };
}

/** `<res>/scale`, returning autoscaling/v1 Scale. */
export function scaleSub(): SubresourceDescriptor {
  return { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: [...GET_PATCH_UPDATE] };
}

/** `<res>/proxy`, returning `<Kind>ProxyOptions`. */
export function proxySub(kind: string): SubresourceDescriptor {
  return { name: 'proxy', kind: `${kind}ProxyOptions`, verbs: [...PROXY_VERBS] };
}

/** The fields every descriptor spells out; the rest default in {@link defineResource}. */
export type DescriptorInput = Omit<ResourceDescriptor, 'listKind' | 'verbs' | 'subresources' | 'singular'> &
  Partial<Pick<ResourceDescriptor, 'listKind' | 'verbs' | 'subresources' | 'singular'>>;

/**
 * Fills the mechanical parts of a descriptor: `listKind` = Kind + "List", `singular` =
 * lower-case kind, CRUD verbs and no subresources unless given. Virtual resources default to
 * create-only.
 */
export function defineResource(d: DescriptorInput): ResourceDescriptor {
  return {
    ...d,
    singular: d.singular ?? d.kind.toLowerCase(),
    listKind: d.listKind ?? `${d.kind}List`,
    verbs: d.verbs ?? [...(d.virtual ? CREATE_ONLY : CRUD_VERBS)],
    subresources: d.subresources ?? [],
  };
}
