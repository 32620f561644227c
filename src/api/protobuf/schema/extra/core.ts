/**
 * core/v1 messages that protobuf-fields.json does not cover: LimitRange and PersistentVolumeClaim.
 *
 * Field numbers: kubernetes/api core/v1/generated.proto (stored copy at commit 35f2b3a24dcf, the
 * mirror of kubernetes/kubernetes staging/src/k8s.io/api/core/v1/generated.proto); proto numbers are
 * never reused, so they hold for v1.36. JSON flags from the Go struct tags in core/v1/types.go.
 * That copy predates PersistentVolumeClaimStatus 5 allocatedResources, 7 allocatedResourceStatuses,
 * 8 currentVolumeAttributesClassName and 9 modifyVolumeStatus; they are skipped as unknown (status is
 * ignored on create/update anyway).
 *
 * @module
 */
import type { SchemaSource } from '../types.js';

// prettier-ignore
export const CORE_V1_EXTRA: SchemaSource = {
  'core.v1.LimitRange': ['1:metadata:@meta.v1.ObjectMeta?', '2:spec:@core.v1.LimitRangeSpec?'],
  'core.v1.LimitRangeSpec': ['1:limits:@core.v1.LimitRangeItem[]'],
  'core.v1.LimitRangeItem': [
    '1:type:string', '2:max:map<@resource.Quantity>?', '3:min:map<@resource.Quantity>?',
    '4:default:map<@resource.Quantity>?', '5:defaultRequest:map<@resource.Quantity>?',
    '6:maxLimitRequestRatio:map<@resource.Quantity>?',
  ],
  'core.v1.PersistentVolumeClaim': [
    '1:metadata:@meta.v1.ObjectMeta?', '2:spec:@core.v1.PersistentVolumeClaimSpec?',
    '3:status:@core.v1.PersistentVolumeClaimStatus?',
  ],
  'core.v1.PersistentVolumeClaimStatus': [
    '1:phase:string?', '2:accessModes:string[]?', '3:capacity:map<@resource.Quantity>?',
    '4:conditions:@core.v1.PersistentVolumeClaimCondition[]?',
  ],
  'core.v1.PersistentVolumeClaimCondition': [
    '1:type:string', '2:status:string', '3:lastProbeTime:@meta.v1.Time?', '4:lastTransitionTime:@meta.v1.Time?',
    '5:reason:string?', '6:message:string?',
  ],
};
