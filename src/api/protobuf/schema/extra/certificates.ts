/**
 * certificates.k8s.io/v1beta1 CertificateSigningRequest messages, which protobuf-fields.json does
 * not cover (upstream stopped serving them in 1.22; the types remain in k8s.io/api).
 *
 * Field numbers and JSON tags: kubernetes/kubernetes staging/src/k8s.io/api/certificates/v1beta1
 * types.go (the `protobuf:"..."` and `json:"..."` struct tags). They equal v1's except that
 * `signerName` is an optional pointer (`*string`, omitempty).
 *
 * @module
 */
import type { SchemaSource } from '../types.js';

// prettier-ignore
export const CERTIFICATES_EXTRA: SchemaSource = {
  'certificates.v1beta1.CertificateSigningRequest': [
    '1:metadata:@meta.v1.ObjectMeta?', '2:spec:@certificates.v1beta1.CertificateSigningRequestSpec',
    '3:status:@certificates.v1beta1.CertificateSigningRequestStatus?',
  ],
  'certificates.v1beta1.CertificateSigningRequestCondition': [
    '1:type:string', '6:status:string', '2:reason:string?', '3:message:string?',
    '4:lastUpdateTime:@meta.v1.Time?', '5:lastTransitionTime:@meta.v1.Time?',
  ],
  'certificates.v1beta1.CertificateSigningRequestSpec': [
    '1:request:bytes', '7:signerName:string?*', '8:expirationSeconds:int32?*', '5:usages:string[]?',
    '2:username:string?', '3:uid:string?', '4:groups:string[]?', '6:extra:map<@certificates.v1beta1.ExtraValue>?',
  ],
  'certificates.v1beta1.CertificateSigningRequestStatus': [
    '1:conditions:@certificates.v1beta1.CertificateSigningRequestCondition[]?', '2:certificate:bytes?',
  ],
  'certificates.v1beta1.ExtraValue': ['1:items:string[]'],
};
