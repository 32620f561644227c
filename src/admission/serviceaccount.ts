/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go) for pod
 * creation: mirror pods may not reference service accounts, secrets or token projections; other
 * pods default `spec.serviceAccountName` to "default", the account must exist, and unless
 * `automountServiceAccountToken` (pod, then account) says false a projected
 * `kube-api-access-<5 chars>` volume (token, kube-root-ca.crt, namespace) is added and mounted
 * read-only at /var/run/secrets/kubernetes.io/serviceaccount in every init and app container;
 * the account's imagePullSecrets are copied when the pod has none.
 *
 * Contract: `admitServiceAccount` mutates the pod in place and returns `undefined`, or returns the
 * reason the pod is refused (the caller turns it into a 403 Forbidden for the pod).
 */
import { generateName, type Randomness } from '../api/meta.js';
import {
  enforcesMountableSecrets,
  limitSecretReferences,
  type SecretsPodSpec,
  type SecretsServiceAccount,
} from './mountable-secrets.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const DEFAULT_API_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-';
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
/** pkg/serviceaccount: WarnOnlyBoundTokenExpirationSeconds, 1h + 7s. */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 3607;

type Obj = Record<string, unknown>;
interface Container extends Obj {
  volumeMounts?: Obj[];
  env?: { valueFrom?: { secretKeyRef?: unknown } }[];
  envFrom?: { secretRef?: unknown }[];
}
interface PodSpec extends Obj {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Obj[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
  imagePullSecrets?: { name?: string }[];
}
export interface PodLike {
  metadata?: { namespace?: string; annotations?: Record<string, string> | null };
  spec?: PodSpec;
}
export interface ServiceAccountLike extends SecretsServiceAccount {
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: { name?: string }[];
}

export interface ServiceAccountAdmissionDeps {
  /** The account in the pod's namespace, or undefined when it does not exist. */
  getServiceAccount(namespace: string, name: string): ServiceAccountLike | undefined;
  rnd: Randomness;
}

/** Admit (mutate) then Validate, for a pod CREATE. */
export function admitServiceAccount(
  pod: PodLike,
  namespace: string,
  deps: ServiceAccountAdmissionDeps,
): string | undefined {
  const spec = (pod.spec ??= {});
  if (isMirrorPod(pod)) return validateMirrorPod(spec);
  if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  // pkg/apis/core/v1 conversion keeps the deprecated alias equal to the name.
  spec.serviceAccount = spec.serviceAccountName;
  const name = spec.serviceAccountName;
  const sa = deps.getServiceAccount(namespace, name);
  if (!sa) return `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`;
  if (shouldAutomount(sa, spec)) mountServiceAccountToken(spec, deps.rnd);
  if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length)
    spec.imagePullSecrets = sa.imagePullSecrets.map((s) => ({ name: s.name ?? '' }));
  // Validate, after Admit's changes.
  if (enforcesMountableSecrets(sa)) return limitSecretReferences(sa, spec as SecretsPodSpec);
  return undefined;
}

export function isMirrorPod(pod: PodLike): boolean {
  const a = pod.metadata?.annotations;
  return !!a && Object.prototype.hasOwnProperty.call(a, MIRROR_POD_ANNOTATION);
}

function validateMirrorPod(spec: PodSpec): string | undefined {
  if (spec.serviceAccountName) return 'a mirror pod may not reference service accounts';
  if (referencesSecrets(spec)) return 'a mirror pod may not reference secrets';
  for (const v of spec.volumes ?? []) {
    const sources = (v.projected as { sources?: Obj[] } | undefined)?.sources ?? [];
    if (sources.some((p) => p.serviceAccountToken))
      return 'a mirror pod may not use ServiceAccountToken volume projections';
  }
  return undefined;
}

/** pkg/api/v1/pod VisitPodSecretNames over all containers: does the pod name any Secret? */
function referencesSecrets(spec: PodSpec): boolean {
  if (spec.imagePullSecrets?.length) return true;
  const containers = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  for (const c of containers) {
    if (c.envFrom?.some((e) => e.secretRef)) return true;
    if (c.env?.some((e) => e.valueFrom?.secretKeyRef)) return true;
  }
  const secretRefKinds = ['cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos', 'csi'];
  for (const v of spec.volumes ?? []) {
    if (v.secret) return true;
    if ((v.azureFile as Obj | undefined)?.secretName) return true;
    const sources = (v.projected as { sources?: Obj[] } | undefined)?.sources ?? [];
    if (sources.some((p) => p.secret)) return true;
    for (const k of secretRefKinds) {
      const src = v[k] as Obj | undefined;
      if (src && (src.secretRef || src.nodePublishSecretRef)) return true;
    }
  }
  return false;
}

/** The pod's preference wins, then the account's; true by default. */
export function shouldAutomount(sa: ServiceAccountLike, spec: PodSpec): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

/** TokenVolumeSource(): the projected sources of the kube-api-access volume. */
export function tokenVolumeSource(): Obj {
  return {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  };
}

function mountServiceAccountToken(spec: PodSpec, rnd: Randomness): void {
  const existing = (spec.volumes ?? []).find(
    (v) => typeof v.name === 'string' && v.name.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX),
  );
  const volumeName = existing ? (existing.name as string) : generateName(SERVICE_ACCOUNT_VOLUME_PREFIX, rnd);
  let needsVolume = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const mounts = (c.volumeMounts ??= []);
    if (mounts.some((m) => m.mountPath === DEFAULT_API_TOKEN_MOUNT_PATH)) continue;
    mounts.push({ name: volumeName, readOnly: true, mountPath: DEFAULT_API_TOKEN_MOUNT_PATH });
    needsVolume = true;
  }
  if (!existing && needsVolume)
    (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() });
}
