/**
 * Hand-written schema tables for messages that protobuf-fields.json does not cover, in the same token
 * format (../types.ts). Each file cites the upstream generated.proto its numbers come from.
 *
 * @module
 */
import type { SchemaSource } from '../types.js';
import { AUTOSCALING_EXTRA } from './autoscaling.js';
import { CERTIFICATES_EXTRA } from './certificates.js';
import { CORE_V1_EXTRA } from './core.js';
import { RUNTIME_EXTRA } from './runtime.js';

export const EXTRA_SCHEMAS: readonly SchemaSource[] = [
  CORE_V1_EXTRA,
  RUNTIME_EXTRA,
  AUTOSCALING_EXTRA,
  CERTIFICATES_EXTRA,
];
