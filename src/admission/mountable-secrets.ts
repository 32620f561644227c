/**
 * The ServiceAccount plugin's opt-in mountable-secrets policy (limitSecretReferences in
 * plugin/pkg/admission/serviceaccount/admission.go): an account annotated
 * `kubernetes.io/enforce-mountable-secrets: "true"` lets its pods use only the Secrets it lists in
 * `secrets` (volumes, env, envFrom) and `imagePullSecrets`. Returns the refusal text, or undefined.
 */
export const ENFORCE_MOUNTABLE_SECRETS_ANNOTATION = 'kubernetes.io/enforce-mountable-secrets';

interface Ref {
  name?: string;
}
interface ContainerRefs {
  name?: string;
  env?: { name?: string; valueFrom?: { secretKeyRef?: Ref } }[];
  envFrom?: { secretRef?: Ref }[];
}
export interface SecretsPodSpec {
  volumes?: { secret?: { secretName?: string } }[];
  initContainers?: ContainerRefs[];
  containers?: ContainerRefs[];
  imagePullSecrets?: Ref[];
}
export interface SecretsServiceAccount {
  metadata?: { name?: string; annotations?: Record<string, string> | null };
  secrets?: Ref[];
  imagePullSecrets?: Ref[];
}

/** Go strconv.ParseBool's true spellings. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export function enforcesMountableSecrets(sa: SecretsServiceAccount): boolean {
  const v = sa.metadata?.annotations?.[ENFORCE_MOUNTABLE_SECRETS_ANNOTATION];
  return v !== undefined && TRUE.has(v);
}

export function limitSecretReferences(sa: SecretsServiceAccount, spec: SecretsPodSpec): string | undefined {
  const saName = sa.metadata?.name ?? '';
  const tail = `is not allowed because service account ${saName} does not reference that secret`;
  const mountable = new Set((sa.secrets ?? []).map((s) => s.name ?? ''));
  for (const v of spec.volumes ?? []) {
    const name = v.secret?.secretName;
    if (v.secret && !mountable.has(name ?? ''))
      return `volume with secret.secretName="${name ?? ''}" ${tail}`;
  }
  const groups: [string, ContainerRefs[]][] = [
    ['init container', spec.initContainers ?? []],
    ['container', spec.containers ?? []],
  ];
  for (const [kind, containers] of groups) {
    for (const c of containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !mountable.has(ref.name ?? ''))
          return `${kind} ${c.name ?? ''} with envVar ${e.name ?? ''} referencing secret.secretName="${ref.name ?? ''}" ${tail}`;
      }
      for (const e of c.envFrom ?? []) {
        const ref = e.secretRef;
        if (ref && !mountable.has(ref.name ?? ''))
          return `${kind} ${c.name ?? ''} with envFrom referencing secret.secretName="${ref.name ?? ''}" ${tail}`;
      }
    }
  }
  const pull = new Set((sa.imagePullSecrets ?? []).map((s) => s.name ?? ''));
  for (const [i, ref] of (spec.imagePullSecrets ?? []).entries()) {
    if (!pull.has(ref.name ?? ''))
      return `imagePullSecrets[${i}].name="${ref.name ?? ''}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }
  return undefined;
}
