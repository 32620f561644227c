/**
 * @module registry/resources/storage
 *
 * storage.k8s.io/v1 StorageClasses (aggregated_v2.json).
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';
import { storageClassTable } from '../printers/other.js';
import { defaultStorageClass } from '../defaults/core.js';

export const storageclasses = defineResource({
  group: 'storage.k8s.io',
  versions: ['v1'],
  resource: 'storageclasses',
  kind: 'StorageClass',
  namespaced: false,
  shortNames: ['sc'],
  table: storageClassTable,
  defaults: defaultStorageClass,
});

export const storageResources: ResourceDescriptor[] = [storageclasses];
