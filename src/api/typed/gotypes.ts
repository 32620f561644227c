/**
 * Go names of the API types, as Go's reflect.Type.String() prints them in decoding errors
 * (`v1.PodSpec`, `[]v1.Container`, `map[string]string`, `*int32` printed as `int32`): the last
 * package segment and the message name of a schema key (`core.v1.Container` -> `v1.Container`,
 * `resource.Quantity`), `[]` for repeated fields, `map[string]` for maps, `[]uint8` for bytes.
 *
 * The schema tables do not record Go's named string types (`v1.RestartPolicy`, `v1.Protocol`...):
 * {@link NAMED} lists the common ones; the others print as `string` (upstream prints the name).
 *
 * @module
 */
import type { FieldDef } from '../protobuf/index.js';

/** `core.v1.Container` -> `v1.Container`; `intstr.IntOrString` stays. */
export function goMessageName(key: string): string {
  return key.split('.').slice(-2).join('.');
}

/** The Go struct name alone, as encoding/json's error context prints it (`Container`). */
export function goStructName(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** Named types of common fields, keyed `<message key>.<json name>` (k8s.io/api types.go). */
const NAMED: Readonly<Record<string, string>> = {
  'core.v1.Container.imagePullPolicy': 'v1.PullPolicy',
  'core.v1.Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'core.v1.ContainerPort.protocol': 'v1.Protocol',
  'core.v1.ServicePort.protocol': 'v1.Protocol',
  'core.v1.PodSpec.restartPolicy': 'v1.RestartPolicy',
  'core.v1.PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'core.v1.PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'core.v1.ServiceSpec.type': 'v1.ServiceType',
  'core.v1.ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'core.v1.ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'core.v1.Secret.type': 'v1.SecretType',
  'core.v1.NamespaceSpec.finalizers': '[]v1.FinalizerName',
  'core.v1.NamespaceStatus.phase': 'v1.NamespacePhase',
  'core.v1.PodStatus.phase': 'v1.PodPhase',
  'apps.v1.DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'batch.v1.JobSpec.completionMode': 'v1.CompletionMode',
  'batch.v1.CronJobSpec.concurrencyPolicy': 'v1.ConcurrencyPolicy',
  'certificates.v1.CertificateSigningRequestSpec.usages': '[]v1.KeyUsage',
  'certificates.v1.CertificateSigningRequestCondition.type': 'v1.RequestConditionType',
  'certificates.v1.CertificateSigningRequestCondition.status': 'v1.ConditionStatus',
  'core.v1.Container.restartPolicy': 'v1.ContainerRestartPolicy',
  'core.v1.Capabilities.add': '[]v1.Capability',
  'core.v1.Capabilities.drop': '[]v1.Capability',
  'core.v1.SecurityContext.procMount': 'v1.ProcMountType',
  'core.v1.SeccompProfile.type': 'v1.SeccompProfileType',
  'core.v1.PodSecurityContext.fsGroupChangePolicy': 'v1.PodFSGroupChangePolicy',
  'core.v1.HostPathVolumeSource.type': 'v1.HostPathType',
  'core.v1.Toleration.operator': 'v1.TolerationOperator',
  'core.v1.Toleration.effect': 'v1.TaintEffect',
  'core.v1.NodeSelectorRequirement.operator': 'v1.NodeSelectorOperator',
  'core.v1.TopologySpreadConstraint.whenUnsatisfiable': 'v1.UnsatisfiableConstraintAction',
  'core.v1.PodCondition.type': 'v1.PodConditionType',
  'core.v1.PodCondition.status': 'v1.ConditionStatus',
  'core.v1.PodStatus.qosClass': 'v1.PodQOSClass',
  'core.v1.ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'core.v1.ServiceSpec.ipFamilies': '[]v1.IPFamily',
  'core.v1.ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'core.v1.PersistentVolumeClaimSpec.accessModes': '[]v1.PersistentVolumeAccessMode',
  'core.v1.PersistentVolumeClaimSpec.volumeMode': 'v1.PersistentVolumeMode',
  'core.v1.PersistentVolumeClaimStatus.phase': 'v1.PersistentVolumeClaimPhase',
  'core.v1.NamespaceCondition.type': 'v1.NamespaceConditionType',
  'core.v1.NamespaceCondition.status': 'v1.ConditionStatus',
  'core.v1.ResourceQuotaSpec.scopes': '[]v1.ResourceQuotaScope',
  'core.v1.LimitRangeItem.type': 'v1.LimitType',
  'apps.v1.DeploymentCondition.type': 'v1.DeploymentConditionType',
  'apps.v1.DeploymentCondition.status': 'v1.ConditionStatus',
  'batch.v1.JobCondition.type': 'v1.JobConditionType',
  'batch.v1.JobCondition.status': 'v1.ConditionStatus',
  'networking.v1.HTTPIngressPath.pathType': 'v1.PathType',
};

function scalarName(f: FieldDef): string {
  if (f.type === 'bytes') return '[]uint8';
  if (f.type === 'message' || f.type === 'map') return goMessageName(f.ref ?? '');
  return f.type;
}

/** The Go type of one element of a field (the field itself when it is not repeated). */
export function goElemType(owner: string, f: FieldDef): string {
  const named = NAMED[`${owner}.${f.name}`];
  if (named !== undefined) return named.startsWith('[]') ? named.slice(2) : named;
  return scalarName(f);
}

/** The Go type of a field (`[]v1.Container`, `map[string]string`, `v1.ResourceList`). */
export function goFieldType(owner: string, f: FieldDef): string {
  const named = NAMED[`${owner}.${f.name}`];
  if (named !== undefined) return named;
  if (f.type === 'map') {
    if (f.ref === 'resource.Quantity' && owner.startsWith('core.v1.')) return 'v1.ResourceList';
    const v =
      f.mapValue === 'string' ? 'string' : f.mapValue === 'bytes' ? '[]uint8' : goMessageName(f.ref ?? '');
    return `map[string]${v}`;
  }
  return f.repeated ? `[]${scalarName(f)}` : scalarName(f);
}

/** The Go type of a map's value. */
export function goMapValueType(f: FieldDef): string {
  if (f.mapValue === 'string') return 'string';
  if (f.mapValue === 'bytes') return '[]uint8';
  return goMessageName(f.ref ?? '');
}
