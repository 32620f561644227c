/**
 * @module authz/node/refs
 *
 * What a Pod or PersistentVolume references, as plain JSON objects (v1 field names):
 * - `podSecretNames` / `podConfigMapNames`: pkg/api/v1/pod/util.go `VisitPodSecretNames`,
 *   `VisitPodConfigmapNames` (imagePullSecrets, env/envFrom of init, regular and ephemeral
 *   containers, and the volume sources that name a secret or configmap; empty names skipped).
 * - `podClaimNames`: pvc volumes and generic ephemeral volumes (`<pod>-<volume>`,
 *   component-helpers/storage/ephemeral `VolumeClaimName`).
 * - `podResourceClaimNames`: dynamic-resource-allocation/resourceclaim `Name` (direct claim name, or
 *   the generated name from status.resourceClaimStatuses for templates) plus
 *   status.extendedResourceClaimStatus.resourceClaimName.
 * - `pvSecretRefs`: pkg/api/v1/persistentvolume/util.go `VisitPVSecretNames`, kubelet-visible only.
 */

type Obj = Record<string, any>;

const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function containers(spec: Obj): Obj[] {
  return [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)];
}

function nonEmpty(names: (string | undefined)[]): string[] {
  return names.filter((n): n is string => typeof n === 'string' && n.length > 0);
}

/** Every secret name the pod spec references (duplicates possible). */
export function podSecretNames(pod: Obj): string[] {
  const spec: Obj = pod.spec ?? {};
  const out: (string | undefined)[] = arr(spec.imagePullSecrets).map((r) => r.name);
  for (const c of containers(spec)) {
    for (const e of arr(c.envFrom)) if (e.secretRef) out.push(e.secretRef.name);
    for (const e of arr(c.env)) if (e.valueFrom?.secretKeyRef) out.push(e.valueFrom.secretKeyRef.name);
  }
  for (const v of arr(spec.volumes)) {
    if (v.azureFile) out.push(v.azureFile.secretName);
    else if (v.cephfs) out.push(v.cephfs.secretRef?.name);
    else if (v.cinder) out.push(v.cinder.secretRef?.name);
    else if (v.flexVolume) out.push(v.flexVolume.secretRef?.name);
    else if (v.projected) for (const s of arr(v.projected.sources)) out.push(s.secret?.name);
    else if (v.rbd) out.push(v.rbd.secretRef?.name);
    else if (v.secret) out.push(v.secret.secretName);
    else if (v.scaleIO) out.push(v.scaleIO.secretRef?.name);
    else if (v.iscsi) out.push(v.iscsi.secretRef?.name);
    else if (v.storageos) out.push(v.storageos.secretRef?.name);
    else if (v.csi) out.push(v.csi.nodePublishSecretRef?.name);
  }
  return nonEmpty(out);
}

/** Every configmap name the pod spec references. */
export function podConfigMapNames(pod: Obj): string[] {
  const spec: Obj = pod.spec ?? {};
  const out: (string | undefined)[] = [];
  for (const c of containers(spec)) {
    for (const e of arr(c.envFrom)) if (e.configMapRef) out.push(e.configMapRef.name);
    for (const e of arr(c.env)) if (e.valueFrom?.configMapKeyRef) out.push(e.valueFrom.configMapKeyRef.name);
  }
  for (const v of arr(spec.volumes)) {
    if (v.projected) for (const s of arr(v.projected.sources)) out.push(s.configMap?.name);
    else if (v.configMap) out.push(v.configMap.name);
  }
  return nonEmpty(out);
}

/** PVC names: persistentVolumeClaim volumes and generic ephemeral volumes (`<pod>-<volume>`). */
export function podClaimNames(pod: Obj): string[] {
  const out: string[] = [];
  for (const v of arr(pod.spec?.volumes)) {
    if (v.persistentVolumeClaim) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral) out.push(`${pod.metadata?.name ?? ''}-${v.name ?? ''}`);
  }
  return nonEmpty(out);
}

/** ResourceClaim names the pod uses, including template-generated ones once known. */
export function podResourceClaimNames(pod: Obj): string[] {
  const out: (string | undefined)[] = [];
  const statuses = arr(pod.status?.resourceClaimStatuses);
  for (const c of arr(pod.spec?.resourceClaims)) {
    if (c.resourceClaimName) out.push(c.resourceClaimName);
    else if (c.resourceClaimTemplateName) {
      // Not yet generated (no status entry) or intentionally none (null name): no edge.
      out.push(statuses.find((s) => s.name === c.name)?.resourceClaimName ?? undefined);
    }
  }
  out.push(pod.status?.extendedResourceClaimStatus?.resourceClaimName);
  return nonEmpty(out);
}

/** Kubelet-visible secrets of a PV as `[namespace, name]` (claimRef namespace as fallback). */
export function pvSecretRefs(pv: Obj): [string, string][] {
  const s: Obj = pv.spec ?? {};
  const claimNs: string = pv.spec?.claimRef?.namespace ?? '';
  const out: [string, string][] = [];
  const push = (ns: string | undefined, name: string | undefined): void => {
    if (name) out.push([ns ?? '', name]);
  };
  const withFallback = (ref: Obj | undefined): void => {
    if (ref) push(ref.namespace ? ref.namespace : claimNs, ref.name);
  };
  if (s.azureFile)
    push(s.azureFile.secretNamespace ? s.azureFile.secretNamespace : claimNs, s.azureFile.secretName);
  else if (s.cephfs) withFallback(s.cephfs.secretRef);
  else if (s.cinder) push(s.cinder.secretRef?.namespace, s.cinder.secretRef?.name);
  else if (s.flexVolume) withFallback(s.flexVolume.secretRef);
  else if (s.rbd) withFallback(s.rbd.secretRef);
  else if (s.scaleIO) withFallback(s.scaleIO.secretRef);
  else if (s.iscsi) withFallback(s.iscsi.secretRef);
  else if (s.storageos) push(s.storageos.secretRef?.namespace, s.storageos.secretRef?.name);
  else if (s.csi) {
    // controllerPublish/controllerExpand secrets are not kubelet-visible: no edge.
    for (const k of ['nodePublishSecretRef', 'nodeStageSecretRef', 'nodeExpandSecretRef']) {
      push(s.csi[k]?.namespace, s.csi[k]?.name);
    }
  }
  return out;
}
