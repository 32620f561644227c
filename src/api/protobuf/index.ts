/**
 * Decoding of Kubernetes protobuf request bodies (`Content-Type: application/vnd.kubernetes.protobuf`,
 * sent by kubectl >= 1.32 for `create <generator>`, `create token`, `auth can-i`, `auth whoami`,
 * `certificate approve`, ...) into the JSON object the same command sends as JSON in kubectl <= 1.31.
 *
 * Wire format: 4 magic bytes `k8s\0`, then a `runtime.Unknown` {1 typeMeta {1 apiVersion, 2 kind},
 * 2 raw (the object message), 3 contentEncoding, 4 contentType}
 * (k8s.io/apimachinery/pkg/runtime/generated.proto; kubectl-wire.md §6.2).
 *
 * @example
 * ```ts
 * const { apiVersion, kind, object } = decodeKubeProtobuf(body)
 * // object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'foo' }, spec: {}, status: {} }
 * ```
 *
 * @module
 */
import { decodeMessage, emptyMsg, renderMessage, type RawMsg } from './decode.js';
import { ProtobufDecodeError } from './errors.js';
import { listKinds, messageForKind } from './kinds.js';
import { EXTRA_SCHEMAS } from './schema/extra/index.js';
import { GENERATED_SCHEMAS } from './schema/index.gen.js';
import { compileSchemas, type MessageDef } from './schema/types.js';
import { WireReader } from './wire.js';

export { ProtobufDecodeError, type ProtobufDecodeErrorCode } from './errors.js';

/** The media type of Kubernetes protobuf bodies. */
export const KUBE_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** The 4-byte prefix of every Kubernetes protobuf body: `k8s\0`. */
export const KUBE_PROTOBUF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

const SCHEMA = compileSchemas([...GENERATED_SCHEMAS, ...EXTRA_SCHEMAS]);

function lookup(key: string): MessageDef {
  const def = SCHEMA.get(key);
  if (def === undefined) throw new Error(`protobuf schema: no message ${key}`);
  return def;
}

const has = (key: string): boolean => SCHEMA.has(key);

/** A decoded body: the envelope's apiVersion/kind and the JSON object (which carries both too). */
export interface DecodedKubeObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

/** True when the body starts with the Kubernetes protobuf magic `k8s\0`. */
export function hasKubeProtobufMagic(body: Uint8Array): boolean {
  return body.length >= 4 && KUBE_PROTOBUF_MAGIC.every((b, i) => body[i] === b);
}

/**
 * Decodes a Kubernetes protobuf request body into the JSON object kubectl <= 1.31 sends for it.
 *
 * @param body the full request body, magic bytes included.
 * @returns apiVersion and kind from the envelope, and the object with `apiVersion`/`kind` set.
 * @throws ProtobufDecodeError for bad magic, malformed protobuf, wrong wire types, nesting deeper
 *   than 100, a non-identity contentEncoding, or a kind without a schema (code `ERR_PB_UNKNOWN_KIND`,
 *   which the server may answer with 415). Never throws anything else for any input.
 */
export function decodeKubeProtobuf(body: Uint8Array): DecodedKubeObject {
  if (!hasKubeProtobufMagic(body)) {
    throw new ProtobufDecodeError(
      'ERR_PB_MAGIC',
      'protobuf: body does not start with the magic bytes "k8s\\x00"',
    );
  }
  const env = decodeMessage(lookup, lookup('runtime.Unknown'), new WireReader(body, 4), emptyMsg(), 0);
  const typeMeta = (env.fields.get(1) as RawMsg | undefined) ?? emptyMsg();
  const apiVersion = (typeMeta.fields.get(1) as string | undefined) ?? '';
  const kind = (typeMeta.fields.get(2) as string | undefined) ?? '';
  const encoding = (env.fields.get(3) as string | undefined) ?? '';
  if (encoding !== '') {
    throw new ProtobufDecodeError(
      'ERR_PB_INVALID',
      `protobuf: unsupported contentEncoding ${JSON.stringify(encoding)}`,
    );
  }
  return decodeKubeProtobufObject(
    apiVersion,
    kind,
    (env.fields.get(2) as Uint8Array | undefined) ?? new Uint8Array(0),
  );
}

/**
 * Decodes the bare object message (the envelope's `raw`) of a known apiVersion/kind.
 * @throws ProtobufDecodeError as {@link decodeKubeProtobuf}.
 */
export function decodeKubeProtobufObject(
  apiVersion: string,
  kind: string,
  raw: Uint8Array,
): DecodedKubeObject {
  if (apiVersion === '' || kind === '') {
    throw new ProtobufDecodeError('ERR_PB_UNKNOWN_KIND', 'protobuf: envelope has no apiVersion or kind');
  }
  const key = messageForKind(apiVersion, kind, has);
  if (key === undefined) {
    throw new ProtobufDecodeError(
      'ERR_PB_UNKNOWN_KIND',
      `protobuf: no protobuf decoder for kind ${JSON.stringify(kind)} in ${JSON.stringify(apiVersion)}`,
    );
  }
  const def = lookup(key);
  const msg = decodeMessage(lookup, def, new WireReader(raw), emptyMsg(), 1);
  return { apiVersion, kind, object: { apiVersion, kind, ...renderMessage(lookup, def, msg) } };
}

/** Every apiVersion/kind that {@link decodeKubeProtobuf} accepts. */
export function supportedProtobufKinds(): { apiVersion: string; kind: string }[] {
  return listKinds(has);
}

/**
 * The compiled schema message of a top-level apiVersion/kind (the one {@link decodeKubeProtobuf}
 * decodes into), or undefined when the kind has no schema. Read-only: for other walkers of the
 * same tables, such as server-side field validation.
 */
export function messageDefFor(apiVersion: string, kind: string): MessageDef | undefined {
  const key = messageForKind(apiVersion, kind, has);
  return key === undefined ? undefined : SCHEMA.get(key);
}

/** One compiled schema message by key (`core.v1.Container`), or undefined. */
export function messageDef(key: string): MessageDef | undefined {
  return SCHEMA.get(key);
}

/** The message keys of every top-level kind (the Go structs that embed TypeMeta). */
export function kindMessageKeys(): ReadonlySet<string> {
  const out = new Set<string>();
  for (const { apiVersion, kind } of listKinds(has)) {
    const key = messageForKind(apiVersion, kind, has);
    if (key !== undefined) out.add(key);
  }
  return out;
}

export type { MessageDef, FieldDef } from './schema/types.js';
