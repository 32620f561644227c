/**
 * Schema-driven protobuf -> JSON decoding of one message, in two steps:
 *
 * 1. {@link decodeMessage} reads the wire bytes into a {@link RawMsg} (field number -> value), as
 *    Go's generated `Unmarshal` does: the last scalar wins, a repeated non-repeated message merges,
 *    unknown fields are skipped, a known field with the wrong wire type is an error.
 * 2. {@link renderMessage} writes the JSON object Go's `encoding/json` would write for the decoded Go
 *    struct: keys in Go field order, `omitempty`/`omitzero` applied, unset pointers omitted or null,
 *    and the custom JSON forms of Time, MicroTime, Duration, Quantity, IntOrString, FieldsV1,
 *    RawExtension and ExtraValue.
 *
 * @module
 */
import { ProtobufDecodeError } from './errors.js';
import type { FieldDef, MessageDef } from './schema/types.js';
import { base64, embeddedJson, formatDuration, formatMicroTime, formatTime, utf8String } from './special.js';
import { WireReader } from './wire.js';

/** Maximum message nesting (the object itself is depth 1). */
export const MAX_DEPTH = 100;

/** A decoded scalar, list, map or nested message. */
export type RawValue = string | boolean | number | bigint | Uint8Array | RawMsg | RawValue[] | RawMap;
/** A decoded map field (string keys). */
export type RawMap = Map<string, RawValue>;
/** A decoded message: `size` is the total payload length seen (0 = a zero-length message). */
export interface RawMsg {
  size: number;
  readonly fields: Map<number, RawValue>;
}

/** Looks up a compiled message definition. */
export type SchemaLookup = (key: string) => MessageDef;

export function emptyMsg(): RawMsg {
  return { size: 0, fields: new Map() };
}

function wrongWire(def: MessageDef, f: FieldDef, wire: number): never {
  throw new ProtobufDecodeError(
    'ERR_PB_WIRE_TYPE',
    `protobuf: ${def.key}.${f.name} (field ${f.n}) has wire type ${wire}, expected ${wireOf(f)}`,
  );
}

function wireOf(f: FieldDef): number {
  return f.type === 'bool' || f.type === 'int32' || f.type === 'int64' ? 0 : 2;
}

function readScalar(r: WireReader, type: FieldDef['type']): RawValue {
  switch (type) {
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'int64':
      return r.int64();
    case 'string': {
      const [s, e] = r.delimited();
      return utf8String(r.buf.subarray(s, e));
    }
    default: {
      const [s, e] = r.delimited();
      return r.buf.slice(s, e);
    }
  }
}

/**
 * Decodes the message bytes in `r` into `into` (merging, as protobuf does for a repeated message).
 * @throws ProtobufDecodeError on malformed input or nesting deeper than {@link MAX_DEPTH}.
 */
export function decodeMessage(
  schema: SchemaLookup,
  def: MessageDef,
  r: WireReader,
  into: RawMsg,
  depth: number,
): RawMsg {
  if (depth > MAX_DEPTH) {
    throw new ProtobufDecodeError('ERR_PB_TOO_DEEP', `protobuf: messages nested deeper than ${MAX_DEPTH}`);
  }
  into.size += r.end - r.pos;
  while (!r.done()) {
    const { field, wire } = r.tag();
    const f = def.byNumber.get(field);
    if (f === undefined) {
      r.skip(wire, field);
      continue;
    }
    if (f.type === 'map') {
      if (wire !== 2) wrongWire(def, f, wire);
      let map = into.fields.get(f.n) as RawMap | undefined;
      if (map === undefined) into.fields.set(f.n, (map = new Map()));
      decodeMapEntry(schema, def, f, sub(r), map, depth + 1);
    } else if (f.type === 'message') {
      if (wire !== 2) wrongWire(def, f, wire);
      const subDef = schema(f.ref!);
      if (f.repeated) {
        list(into, f.n).push(decodeMessage(schema, subDef, sub(r), emptyMsg(), depth + 1));
      } else {
        const prev = into.fields.get(f.n) as RawMsg | undefined;
        into.fields.set(f.n, decodeMessage(schema, subDef, sub(r), prev ?? emptyMsg(), depth + 1));
      }
    } else if (f.repeated && wire === 2 && wireOf(f) === 0) {
      // Packed repeated varints: Go's generated code accepts both forms.
      const [s, e] = r.delimited();
      const pr = new WireReader(r.buf, s, e);
      const out = list(into, f.n);
      while (!pr.done()) out.push(readScalar(pr, f.type));
    } else {
      if (wire !== wireOf(f)) wrongWire(def, f, wire);
      const v = readScalar(r, f.type);
      if (f.repeated) list(into, f.n).push(v);
      else into.fields.set(f.n, v);
    }
  }
  return into;
}

function sub(r: WireReader): WireReader {
  const [s, e] = r.delimited();
  return new WireReader(r.buf, s, e);
}

function list(msg: RawMsg, n: number): RawValue[] {
  let l = msg.fields.get(n) as RawValue[] | undefined;
  if (l === undefined) msg.fields.set(n, (l = []));
  return l;
}

/** A map entry is a message {1: key, 2: value}; a missing key or value is the zero value. */
function decodeMapEntry(
  schema: SchemaLookup,
  def: MessageDef,
  f: FieldDef,
  r: WireReader,
  map: RawMap,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    throw new ProtobufDecodeError('ERR_PB_TOO_DEEP', `protobuf: messages nested deeper than ${MAX_DEPTH}`);
  }
  let key = '';
  let value: RawValue | undefined;
  while (!r.done()) {
    const { field, wire } = r.tag();
    if (field !== 1 && field !== 2) {
      r.skip(wire, field);
      continue;
    }
    if (wire !== 2) {
      throw new ProtobufDecodeError(
        'ERR_PB_WIRE_TYPE',
        `protobuf: ${def.key}.${f.name} map entry field ${field} has wire type ${wire}, expected 2`,
      );
    }
    if (field === 1) key = readScalar(r, 'string') as string;
    else if (f.mapValue === 'message') {
      value = decodeMessage(schema, schema(f.ref!), sub(r), emptyMsg(), depth + 1);
    } else value = readScalar(r, f.mapValue!);
  }
  if (value === undefined) {
    value = f.mapValue === 'string' ? '' : f.mapValue === 'bytes' ? new Uint8Array(0) : emptyMsg();
  }
  map.set(key, value);
}

/** Sets an own property, also for the key `__proto__` (as JSON.parse does). */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else obj[key] = value;
}

function num(v: RawValue): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

function scalarJson(type: FieldDef['type'], v: RawValue): unknown {
  if (type === 'bytes') return base64(v as Uint8Array);
  if (type === 'int64' || type === 'int32') return num(v);
  return v;
}

function isZeroScalar(v: RawValue): boolean {
  return v === '' || v === false || v === 0 || v === 0n || (v instanceof Uint8Array && v.length === 0);
}

/** The JSON value of a message-typed value (custom JSON forms first). */
export function renderMessageValue(schema: SchemaLookup, ref: string, raw: RawMsg | undefined): unknown {
  const m = raw ?? emptyMsg();
  const f1 = m.fields.get(1);
  switch (ref) {
    case 'meta.v1.Time':
      return m.size === 0 ? null : formatTime((f1 as bigint | undefined) ?? 0n);
    case 'meta.v1.MicroTime':
      return m.size === 0
        ? null
        : formatMicroTime((f1 as bigint | undefined) ?? 0n, num(m.fields.get(2) ?? 0));
    case 'meta.v1.Duration':
      return formatDuration((f1 as bigint | undefined) ?? 0n);
    case 'resource.Quantity':
      return (f1 as string | undefined) || '0';
    case 'intstr.IntOrString': {
      const type = (f1 as bigint | undefined) ?? 0n;
      if (type === 0n) return num(m.fields.get(2) ?? 0);
      if (type === 1n) return (m.fields.get(3) as string | undefined) ?? '';
      throw new ProtobufDecodeError('ERR_PB_INVALID', `protobuf: IntOrString has invalid type ${type}`);
    }
    case 'meta.v1.FieldsV1':
    case 'runtime.RawExtension':
      return embeddedJson((f1 as Uint8Array | undefined) ?? new Uint8Array(0), ref);
  }
  if (ref.endsWith('.ExtraValue')) return [...((f1 as string[] | undefined) ?? [])];
  return renderMessage(schema, schema(ref), m);
}

/** Renders a decoded message as the JSON object Go's encoding/json writes for it. */
export function renderMessage(schema: SchemaLookup, def: MessageDef, raw: RawMsg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of def.fields) {
    const v = raw.fields.get(f.n);
    if (f.inline) {
      Object.assign(out, renderMessageValue(schema, f.ref!, v as RawMsg | undefined));
      continue;
    }
    const j = renderField(schema, f, v);
    if (j !== OMIT) out[f.name] = j;
  }
  return out;
}

const OMIT = Symbol('omit');

function renderField(schema: SchemaLookup, f: FieldDef, v: RawValue | undefined): unknown {
  // Unset pointer, nil slice or nil map: omitted with omitempty, else null.
  const unset = f.omitempty ? OMIT : null;
  if (f.type === 'map') {
    const map = v as RawMap | undefined;
    if (map === undefined || map.size === 0) return unset;
    const obj: Record<string, unknown> = {};
    for (const [k, val] of map) {
      put(
        obj,
        k,
        f.mapValue === 'message'
          ? renderMessageValue(schema, f.ref!, val as RawMsg)
          : scalarJson(f.mapValue!, val),
      );
    }
    return obj;
  }
  if (f.repeated) {
    const l = v as RawValue[] | undefined;
    if (l === undefined || l.length === 0) return unset;
    return f.type === 'message'
      ? l.map((e) => renderMessageValue(schema, f.ref!, e as RawMsg))
      : l.map((e) => scalarJson(f.type, e));
  }
  if (f.type === 'message') {
    if (v === undefined && f.ptr) return unset;
    const j = renderMessageValue(schema, f.ref!, v as RawMsg | undefined);
    // omitzero on a struct: Time is zero when it renders as null; other structs when never sent.
    if (f.omitzero && (j === null || v === undefined || (v as RawMsg).size === 0)) return OMIT;
    return j;
  }
  if (v === undefined) {
    if (f.ptr || f.type === 'bytes') return unset;
    return f.omitempty ? OMIT : zeroJson(f.type);
  }
  if (f.omitempty && !f.ptr && isZeroScalar(v)) return OMIT;
  return scalarJson(f.type, v);
}

function zeroJson(type: FieldDef['type']): unknown {
  return type === 'string' ? '' : type === 'bool' ? false : 0;
}
