/**
 * @module registry/resources/events
 *
 * events.k8s.io/v1 Events (aggregated_v2.json). Upstream serves them from the core Event storage
 * (pkg/registry/events/rest/storage_events.go), so the storage version is core v1 Event.
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';
import { eventTable } from '../printers/core.js';
import { eventsV1Fields } from '../fields.js';

export const eventsV1 = defineResource({
  group: 'events.k8s.io',
  versions: ['v1'],
  resource: 'events',
  kind: 'Event',
  namespaced: true,
  shortNames: ['ev'],
  storageKind: { group: '', version: 'v1', kind: 'Event' },
  table: eventTable,
  fieldSelectors: eventsV1Fields,
});

export const eventsResources: ResourceDescriptor[] = [eventsV1];
