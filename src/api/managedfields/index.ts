/**
 * Managed fields and server-side apply, after k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager
 * and sigs.k8s.io/structured-merge-diff.
 */
export { serverSideApply, tryServerSideApply, applyConflictError } from './apply.js';
export type { ApplyOptions, ApplyResult, ApplyAttempt, Conflicts } from './apply.js';
export { applyWithLastApplied, LAST_APPLIED } from './lastapplied.js';
export { capUpdateManagers, MAX_UPDATE_MANAGERS } from './capmanagers.js';
export { updateManagedFields, decodeManagedFields, encodeManagedFields } from './managedfields.js';
export type { UpdateOptions, ManagerEntry } from './managedfields.js';
export { fromFieldsV1, toFieldsV1, pathString } from './fieldpath.js';
export type { FieldSet } from './fieldpath.js';
