/**
 * @module registry/resources/apiregistration
 *
 * apiregistration.k8s.io/v1 APIServices (aggregated discovery: cluster-scoped, category
 * `api-extensions`, a status subresource). Names are path segments checked against
 * `<version>.<group>` by the validator, as kube-aggregator's ValidateAPIService. The local entries
 * for the built-in group versions are kept by controllers/apiservices.ts; proxying to extension
 * API servers is not built (such APIServices are stored and reported unavailable).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource, statusSub } from './common.js';
import { apiServiceTable } from '../printers/autoscaling.js';
import {
  defaultAPIService,
  prepareAPIServiceForCreate,
  validateAPIService,
} from '../validators/apiregistration.js';

export const apiservices = defineResource({
  group: 'apiregistration.k8s.io',
  versions: ['v1'],
  resource: 'apiservices',
  kind: 'APIService',
  namespaced: false,
  categories: ['api-extensions'],
  subresources: [statusSub('APIService')],
  hasStatus: true,
  // kube-aggregator apiservice strategy: status reset on create (then marked Available when local).
  initialStatus: () => ({}),
  nameValidation: 'path',
  table: apiServiceTable,
  prepareForCreate: prepareAPIServiceForCreate,
  defaults: defaultAPIService,
  validate: validateAPIService,
});

export const apiregistrationResources: ResourceDescriptor[] = [apiservices];
