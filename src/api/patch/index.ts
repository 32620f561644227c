/**
 * Patch application for the PATCH verb: RFC 6902 JSON patch, RFC 7386 merge patch and
 * strategic merge patch, plus the shared list-semantics schema table (also used by
 * server-side apply in ../managedfields). Mirrors k8s.io/apiserver/pkg/endpoints/handlers/patch.go.
 */
export { applyJsonPatch, decodeJsonPatch, parsePointer, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export type { JsonPatchOperation } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic.js';
export { strategicSchemaFor, applySchemaFor } from './schema-kinds.js';
export { fieldSchema } from './schema.js';
export type { Schema } from './schema.js';
export { strategicMergeUnsupported, tooManyOperations, unprocessable } from './errors.js';
export { MAX_DEPTH } from './json.js';
