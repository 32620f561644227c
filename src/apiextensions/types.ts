/**
 * @module apiextensions/types
 *
 * apiextensions.k8s.io/v1 CustomResourceDefinition as JSON (the fields the server reads), and the
 * small helpers over it shared by the validation, the controllers and the custom-resource
 * descriptors.
 */
import type { KubeObject } from '../api/types.js';

export const CRD_GROUP = 'apiextensions.k8s.io';
/** The finalizer the CRD REST delete adds; the finalizer controller removes it once the CRs are gone. */
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdColumn {
  name?: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

export interface CrdScale {
  specReplicasPath?: string;
  statusReplicasPath?: string;
  labelSelectorPath?: string;
}

export interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: Record<string, unknown>; scale?: CrdScale };
  additionalPrinterColumns?: CrdColumn[];
  selectableFields?: { jsonPath?: string }[];
}

export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface CrdSpec {
  group?: string;
  names?: CrdNames;
  scope?: string;
  versions?: CrdVersion[];
  conversion?: { strategy?: string; webhook?: unknown };
  preserveUnknownFields?: boolean;
}

export interface CrdStatus {
  acceptedNames?: CrdNames;
  conditions?: CrdCondition[];
  storedVersions?: string[];
}

export type Crd = KubeObject & { spec?: CrdSpec; status?: CrdStatus };

export function specOf(crd: KubeObject): CrdSpec {
  const s = crd.spec;
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as CrdSpec) : {};
}

export function statusOf(crd: KubeObject): CrdStatus {
  const s = crd.status;
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as CrdStatus) : {};
}

export function condition(crd: KubeObject, type: string): CrdCondition | undefined {
  return (statusOf(crd).conditions ?? []).find((c) => c.type === type);
}

export function isConditionTrue(crd: KubeObject, type: string): boolean {
  return condition(crd, type)?.status === 'True';
}

/**
 * SetCRDCondition: replaces the condition of that type, keeping lastTransitionTime when the
 * status does not change. Returns the new conditions list.
 */
export function setCondition(
  conditions: readonly CrdCondition[] | undefined,
  c: CrdCondition,
  now: string,
): CrdCondition[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex((x) => x.type === c.type);
  const lastTransitionTime = i >= 0 && out[i]!.status === c.status ? out[i]!.lastTransitionTime : now;
  const next = { type: c.type, status: c.status, lastTransitionTime, reason: c.reason, message: c.message };
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out;
}
