/**
 * @module registry/resources/certificates
 *
 * certificates.k8s.io CertificateSigningRequests, served as v1 (preferred, the storage version,
 * api/discovery/apis__certificates.k8s.io__v1.json) and v1beta1, as kube-apiserver 1.19-1.21
 * served them, so that the manifests of that era (no signerName) work as written; v1beta1 bodies
 * are defaulted and converted by ../certificates/convert.ts.
 * Deliberate difference: upstream stopped serving CSRs in v1beta1 in 1.22; its current v1beta1
 * (ClusterTrustBundle, PodCertificateRequest) is not served.
 * Strategy as pkg/registry/certificates/certificates/strategy.go: any name (ValidateCertificate
 * RequestName returns nil); create clears the status; the spec never changes after create (the
 * main resource keeps spec and status, `status` keeps the spec, `approval` changes only the
 * conditions); ../certificates/strategy.ts keeps Approved/Denied through `status` and fills in
 * condition timestamps.
 */
import type { ResourceDescriptor } from '../types.js';
import { GET_PATCH_UPDATE, defineResource, emptyStatus, statusSub } from './common.js';
import { csrTable } from '../printers/other.js';
import { validateCertificateSigningRequest } from '../validators/certificates.js';
import { convertCsr } from '../certificates/convert.js';
import { prepareCsrUpdate } from '../certificates/strategy.js';
import { csrFields } from '../fields.js';

export const certificatesigningrequests = defineResource({
  group: 'certificates.k8s.io',
  versions: ['v1', 'v1beta1'],
  resource: 'certificatesigningrequests',
  kind: 'CertificateSigningRequest',
  namespaced: false,
  shortNames: ['csr'],
  subresources: [
    { name: 'approval', kind: 'CertificateSigningRequest', verbs: [...GET_PATCH_UPDATE] },
    statusSub('CertificateSigningRequest'),
  ],
  hasStatus: true,
  initialStatus: emptyStatus,
  keptOnUpdate: [['spec']],
  prepareForUpdate: prepareCsrUpdate,
  nameValidation: 'none',
  table: csrTable,
  validate: validateCertificateSigningRequest,
  convert: convertCsr,
  fieldSelectors: csrFields,
});

export const certificatesResources: ResourceDescriptor[] = [certificatesigningrequests];
