/**
 * Which top-level kinds the decoder accepts, by apiVersion, and the schema message of each.
 * The message is `<package>.<Kind>` (protobuf-fields.json notes: "k8s.io.api." + package + "." +
 * kind), so adding a kind whose schema exists is one word in {@link KINDS}.
 *
 * @module
 */

/** apiVersion -> schema package and the kinds served from it. */
export const KINDS: Readonly<Record<string, { readonly pkg: string; readonly kinds: readonly string[] }>> = {
  v1: {
    pkg: 'core.v1',
    kinds: [
      'Namespace',
      'ServiceAccount',
      'ConfigMap',
      'Secret',
      'Service',
      'Pod',
      'ResourceQuota',
      'LimitRange',
      'PersistentVolumeClaim',
    ],
  },
  'apps/v1': { pkg: 'apps.v1', kinds: ['Deployment'] },
  'autoscaling/v2': { pkg: 'autoscaling.v2', kinds: ['HorizontalPodAutoscaler'] },
  'autoscaling/v1': { pkg: 'autoscaling.v1', kinds: ['HorizontalPodAutoscaler'] },
  'apiregistration.k8s.io/v1': { pkg: 'apiregistration.v1', kinds: ['APIService'] },
  'batch/v1': { pkg: 'batch.v1', kinds: ['Job', 'CronJob'] },
  'networking.k8s.io/v1': { pkg: 'networking.v1', kinds: ['Ingress'] },
  'policy/v1': { pkg: 'policy.v1', kinds: ['PodDisruptionBudget', 'Eviction'] },
  'scheduling.k8s.io/v1': { pkg: 'scheduling.v1', kinds: ['PriorityClass'] },
  'rbac.authorization.k8s.io/v1': {
    pkg: 'rbac.v1',
    kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  },
  'authentication.k8s.io/v1': {
    pkg: 'authentication.v1',
    kinds: ['TokenRequest', 'TokenReview', 'SelfSubjectReview'],
  },
  'authorization.k8s.io/v1': {
    pkg: 'authorization.v1',
    kinds: [
      'SelfSubjectAccessReview',
      'LocalSubjectAccessReview',
      'SubjectAccessReview',
      'SelfSubjectRulesReview',
    ],
  },
  'certificates.k8s.io/v1': { pkg: 'certificates.v1', kinds: ['CertificateSigningRequest'] },
  'certificates.k8s.io/v1beta1': { pkg: 'certificates.v1beta1', kinds: ['CertificateSigningRequest'] },
};

/** meta/v1 kinds that every group version accepts (kubectl may send DeleteOptions in any of them). */
const META_KINDS: Readonly<Record<string, string>> = {
  DeleteOptions: 'meta.v1.DeleteOptions',
};

/**
 * The schema message key for a top-level apiVersion/kind, or undefined if not supported.
 * `has` tells whether a message exists in the compiled schema (kinds listed without a schema are
 * reported as unsupported rather than failing later).
 */
export function messageForKind(
  apiVersion: string,
  kind: string,
  has: (key: string) => boolean,
): string | undefined {
  const meta = Object.hasOwn(META_KINDS, kind) ? META_KINDS[kind] : undefined;
  if (meta !== undefined && (apiVersion === 'meta.k8s.io/v1' || Object.hasOwn(KINDS, apiVersion)))
    return meta;
  if (!Object.hasOwn(KINDS, apiVersion)) return undefined;
  const entry = KINDS[apiVersion]!;
  if (!entry.kinds.includes(kind)) return undefined;
  const key = `${entry.pkg}.${kind}`;
  return has(key) ? key : undefined;
}

/** Every apiVersion/kind pair that decodes with the given schema. */
export function listKinds(has: (key: string) => boolean): { apiVersion: string; kind: string }[] {
  const out: { apiVersion: string; kind: string }[] = [];
  for (const [apiVersion, entry] of Object.entries(KINDS)) {
    for (const kind of entry.kinds) if (has(`${entry.pkg}.${kind}`)) out.push({ apiVersion, kind });
  }
  for (const kind of Object.keys(META_KINDS)) out.push({ apiVersion: 'meta.k8s.io/v1', kind });
  return out;
}
