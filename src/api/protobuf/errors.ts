/**
 * The one error type of the protobuf decoder. Every malformed body (bad magic, truncated varint,
 * length past the end, wrong wire type, unknown kind, too deep nesting, invalid embedded JSON) throws
 * it; the API server maps it to a 400 BadRequest (or 415 for an unsupported kind) Status.
 *
 * @module
 */

/** Stable codes so callers can `switch (err.code)`. */
export type ProtobufDecodeErrorCode =
  | 'ERR_PB_MAGIC'
  | 'ERR_PB_TRUNCATED'
  | 'ERR_PB_VARINT'
  | 'ERR_PB_WIRE_TYPE'
  | 'ERR_PB_TOO_DEEP'
  | 'ERR_PB_UNKNOWN_KIND'
  | 'ERR_PB_INVALID';

/** A request body that is not a valid Kubernetes protobuf object this server can decode. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';

  constructor(
    readonly code: ProtobufDecodeErrorCode,
    message: string,
  ) {
    super(message);
    Error.captureStackTrace?.(this, ProtobufDecodeError);
  }
}
