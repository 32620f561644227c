/**
 * @module registry/certificates/strategy
 *
 * The kind-specific PrepareForUpdate of CertificateSigningRequests
 * (pkg/registry/certificates/certificates/strategy.go), after the generic one (which already keeps
 * the spec and, for the main resource, the whole status):
 * - `status` (csrStatusStrategy): the existing Approved/Denied conditions are kept as they were
 *   when the update has as many of them (preserveConditionInstances); an added or removed one is
 *   left for validation to refuse. Then populateConditionTimestamps.
 * - `approval` (csrApprovalStrategy): only the conditions change (the handler copies them onto the
 *   stored object); populateConditionTimestamps.
 */
import { timestamp } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';

interface Condition {
  type?: string;
  status?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

const conditions = (o: KubeObject): Condition[] | undefined => {
  const c = (o.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : undefined;
};

/** preserveConditionInstances: old instances of `type` replace the new ones, index by index. */
function preserveConditionInstances(obj: KubeObject, old: KubeObject, type: string): void {
  const now = conditions(obj) ?? [];
  const was = conditions(old) ?? [];
  const newIdx = now.flatMap((c, i) => (c?.type === type ? [i] : []));
  const oldIdx = was.flatMap((c, i) => (c?.type === type ? [i] : []));
  if (newIdx.length !== oldIdx.length) return;
  newIdx.forEach((ni, k) => {
    now[ni] = structuredClone(was[oldIdx[k]!]!);
  });
}

/** populateConditionTimestamps: missing lastUpdateTime is now; missing lastTransitionTime is kept from the old same type+status, else now. */
function populateConditionTimestamps(obj: KubeObject, old: KubeObject, now: Date): void {
  const ts = timestamp(now);
  for (const c of conditions(obj) ?? []) {
    if (!c || typeof c !== 'object') continue;
    if (!c.lastUpdateTime) c.lastUpdateTime = ts;
    if (!c.lastTransitionTime) {
      const same = (conditions(old) ?? []).find(
        (o) => o?.type === c.type && o?.status === c.status && o?.lastTransitionTime,
      );
      c.lastTransitionTime = same?.lastTransitionTime ?? ts;
    }
  }
}

/** The descriptor's prepareForUpdate hook. */
export function prepareCsrUpdate(
  obj: KubeObject,
  old: KubeObject,
  subresource: string | undefined,
  now: Date,
): void {
  if (subresource === 'status') {
    preserveConditionInstances(obj, old, 'Approved');
    preserveConditionInstances(obj, old, 'Denied');
    populateConditionTimestamps(obj, old, now);
  } else if (subresource === 'approval') {
    populateConditionTimestamps(obj, old, now);
  }
}
