/**
 * @module registry/resources/certificates
 *
 * certificates.k8s.io/v1 CertificateSigningRequests (api/discovery/apis__certificates.k8s.io__v1.json).
 * Any name is accepted (ValidateCertificateRequestName returns nil). The v1beta1 group version of
 * newer servers (ClusterTrustBundle, PodCertificateRequest) is not served.
 */
import type { ResourceDescriptor } from '../types.js';
import { GET_PATCH_UPDATE, defineResource, emptyStatus, statusSub } from './common.js';
import { csrTable } from '../printers/other.js';
import { validateCertificateSigningRequest } from '../validators/other.js';
import { csrFields } from '../fields.js';

export const certificatesigningrequests = defineResource({
  group: 'certificates.k8s.io',
  versions: ['v1'],
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
  nameValidation: 'none',
  table: csrTable,
  validate: validateCertificateSigningRequest,
  fieldSelectors: csrFields,
});

export const certificatesResources: ResourceDescriptor[] = [certificatesigningrequests];
