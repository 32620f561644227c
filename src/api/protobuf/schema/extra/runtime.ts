/**
 * runtime.RawExtension (k8s.io/apimachinery/pkg/runtime/generated.proto, v1.36.3:
 * `message RawExtension { optional bytes raw = 1; }`). Its JSON is the raw bytes inserted verbatim.
 *
 * @module
 */
import type { SchemaSource } from '../types.js';

// prettier-ignore
export const RUNTIME_EXTRA: SchemaSource = {
  'runtime.RawExtension': ['1:raw:bytes'],
};
