/**
 * Schema tables for the Kubernetes protobuf decoder: the source form (compact field tokens, as
 * generated from `protobuf-fields.json` by `scripts/gen-protobuf-schemas.ts`) and the compiled form
 * the decoder walks.
 *
 * A table maps a message key (`core.v1.Container`, `meta.v1.ObjectMeta`, `intstr.IntOrString`) to
 * its fields, listed in Go JSON order (the Go struct's field order). Each field is one token:
 *
 * ```
 * <number>:<jsonName>:<type>[flags]
 * type  = string | bool | int32 | int64 | bytes | @<messageKey> | map<string> | map<bytes> | map<@<messageKey>>
 * flags = [] repeated, ? omitempty, ! omitzero, * Go pointer (presence matters), ~ inline (Go embedded struct)
 * ```
 *
 * Example: `10:livenessProbe:@core.v1.Probe*?` is field 10, JSON name `livenessProbe`, a pointer to a
 * `core.v1.Probe` message, omitted from JSON when unset.
 *
 * @module
 */

/** Source form of a schema table: message key -> field tokens in JSON order. */
export type SchemaSource = Readonly<Record<string, readonly string[]>>;

/** Scalar protobuf types used by the Kubernetes API (proto2, no enums, floats or sints). */
export type ScalarType = 'string' | 'bool' | 'int32' | 'int64' | 'bytes';

/** One compiled field. */
export interface FieldDef {
  readonly n: number;
  readonly name: string;
  readonly type: ScalarType | 'message' | 'map';
  /** Message key for `message` fields and for maps whose value is a message. */
  readonly ref?: string;
  /** Map value type; map keys are always strings. */
  readonly mapValue?: 'string' | 'bytes' | 'message';
  readonly repeated: boolean;
  readonly omitempty: boolean;
  readonly omitzero: boolean;
  readonly ptr: boolean;
  readonly inline: boolean;
}

/** One compiled message: fields in JSON order, plus a lookup by field number. */
export interface MessageDef {
  readonly key: string;
  readonly fields: readonly FieldDef[];
  readonly byNumber: ReadonlyMap<number, FieldDef>;
}

const TOKEN =
  /^(\d+):([A-Za-z_][A-Za-z0-9_]*):([a-z0-9]+|@[A-Za-z0-9_.]+|map<(?:string|bytes|@[A-Za-z0-9_.]+)>)((?:\[\])?)([?!*~]*)$/;

/**
 * Parses one field token.
 * @throws Error on a malformed token (a bug in a schema table, not in client input).
 */
export function parseFieldToken(token: string, messageKey: string): FieldDef {
  const m = TOKEN.exec(token);
  if (!m) throw new Error(`protobuf schema ${messageKey}: bad field token ${JSON.stringify(token)}`);
  const [, num, name, typ, rep, flags] = m as unknown as [string, string, string, string, string, string];
  const base = {
    n: Number(num),
    name,
    repeated: rep === '[]',
    omitempty: flags.includes('?'),
    omitzero: flags.includes('!'),
    ptr: flags.includes('*'),
    inline: flags.includes('~'),
  };
  if (typ.startsWith('@')) return { ...base, type: 'message', ref: typ.slice(1) };
  if (typ.startsWith('map<')) {
    const v = typ.slice(4, -1);
    if (v.startsWith('@')) return { ...base, type: 'map', mapValue: 'message', ref: v.slice(1) };
    return { ...base, type: 'map', mapValue: v as 'string' | 'bytes' };
  }
  if (typ === 'string' || typ === 'bool' || typ === 'int32' || typ === 'int64' || typ === 'bytes') {
    return { ...base, type: typ };
  }
  throw new Error(`protobuf schema ${messageKey}: unknown type ${typ}`);
}

/**
 * Compiles schema tables into message definitions and checks that every referenced message exists.
 * @throws Error on a duplicate message, duplicate field number or dangling reference.
 */
export function compileSchemas(sources: readonly SchemaSource[]): ReadonlyMap<string, MessageDef> {
  const out = new Map<string, MessageDef>();
  for (const source of sources) {
    for (const [key, tokens] of Object.entries(source)) {
      if (out.has(key)) throw new Error(`protobuf schema: duplicate message ${key}`);
      const fields = tokens.map((t) => parseFieldToken(t, key));
      const byNumber = new Map<number, FieldDef>();
      for (const f of fields) {
        if (byNumber.has(f.n)) throw new Error(`protobuf schema ${key}: duplicate field ${f.n}`);
        byNumber.set(f.n, f);
      }
      out.set(key, { key, fields, byNumber });
    }
  }
  for (const def of out.values()) {
    for (const f of def.fields) {
      if (f.ref !== undefined && !out.has(f.ref)) {
        throw new Error(`protobuf schema ${def.key}.${f.name}: unknown message ${f.ref}`);
      }
    }
  }
  return out;
}
