/**
 * Encodes the Swagger 2.0 document (./openapi-v2.ts) as the gnostic `openapi.v2.Document`
 * protobuf, the form kubectl asks for with
 * `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`. Field numbers from
 * github.com/google/gnostic-models openapiv2/OpenAPIv2.proto (commit a84a29ee8efa); proto3, so
 * empty strings, false and empty lists are not written. Vendor extensions (`x-*` keys) become
 * `NamedAny{name, Any{yaml}}` with the value as YAML, as kube-openapi's converter writes them.
 *
 * Only the parts of the grammar the generated document uses are encoded: Info, Paths, PathItem,
 * Operation, body / query / path parameters, Responses, Definitions, Schema (ref, format,
 * description, required, additionalProperties, type, items, allOf, properties, extensions) and
 * the apiKey security definition. Anything else in the JSON is a programming error and throws.
 *
 * @module
 */
import { stringify as yamlStringify } from 'yaml';

type J = Record<string, unknown>;

/** A minimal protobuf writer: fields are appended in call order. */
class Writer {
  private readonly parts: Buffer[] = [];

  /** A non-negative varint (tags and lengths; the document has no negative numbers). */
  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    this.parts.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  string(field: number, v: unknown): void {
    if (typeof v !== 'string' || v === '') return;
    this.bytes(field, Buffer.from(v, 'utf8'));
  }

  strings(field: number, v: unknown): void {
    if (Array.isArray(v)) for (const s of v) this.bytes(field, Buffer.from(String(s), 'utf8'));
  }

  bool(field: number, v: unknown): void {
    if (v !== true) return;
    this.tag(field, 0);
    this.varint(1);
  }

  bytes(field: number, b: Buffer): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.parts.push(b);
  }

  /** A nested message, always written (an empty message still marks presence). */
  message(field: number, encode: (w: Writer) => void): void {
    const w = new Writer();
    encode(w);
    this.bytes(field, w.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const isObj = (v: unknown): v is J => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkKeys(what: string, o: J, allowed: readonly string[]): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k) && !k.startsWith('x-'))
      throw new Error(`openapi v2 proto: unexpected ${what}.${k}`);
}

/** NamedAny{1 name, 2 Any{2 yaml}} for each `x-*` key. */
function vendorExtensions(w: Writer, field: number, o: J): void {
  for (const [k, v] of Object.entries(o)) {
    if (!k.startsWith('x-')) continue;
    w.message(field, (n) => {
      n.string(1, k);
      n.message(2, (a) => a.string(2, yamlStringify(v)));
    });
  }
}

const SCHEMA_KEYS = [
  '$ref',
  'format',
  'description',
  'required',
  'additionalProperties',
  'type',
  'items',
  'allOf',
  'properties',
  'uniqueItems',
];

/** Schema: 1 _ref, 2 format, 4 description, 16 unique_items, 19 required, 21 additional_properties,
 * 22 type, 23 items, 24 all_of, 25 properties, 31 vendor_extension. */
function schema(w: Writer, s: J): void {
  checkKeys('schema', s, SCHEMA_KEYS);
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(4, s.description);
  w.bool(16, s.uniqueItems);
  w.strings(19, s.required);
  if (s.additionalProperties !== undefined) {
    const ap = s.additionalProperties;
    w.message(21, (a) => {
      if (isObj(ap)) a.message(1, (x) => schema(x, ap));
      else if (ap === true) a.bool(2, true);
    });
  }
  if (typeof s.type === 'string') w.message(22, (t) => t.strings(1, [s.type]));
  if (isObj(s.items)) {
    const items = s.items;
    w.message(23, (i) => i.message(1, (x) => schema(x, items)));
  }
  if (Array.isArray(s.allOf)) for (const a of s.allOf) w.message(24, (x) => schema(x, a as J));
  if (isObj(s.properties)) {
    const props = s.properties;
    w.message(25, (p) => {
      for (const [name, ps] of Object.entries(props))
        p.message(1, (n) => {
          n.string(1, name);
          n.message(2, (x) => schema(x, ps as J));
        });
    });
  }
  vendorExtensions(w, 31, s);
}

/** ParametersItem{1 Parameter{1 BodyParameter | 2 NonBodyParameter{3 query | 4 path}}}. */
function parameter(w: Writer, p: J): void {
  w.message(1, (pi) => {
    if (p.in === 'body') {
      checkKeys('body parameter', p, ['name', 'in', 'required', 'schema', 'description']);
      pi.message(1, (b) => {
        b.string(1, p.description);
        b.string(2, p.name);
        b.string(3, p.in);
        b.bool(4, p.required);
        if (isObj(p.schema)) {
          const s = p.schema;
          b.message(5, (x) => schema(x, s));
        }
      });
      return;
    }
    checkKeys('parameter', p, ['uniqueItems', 'type', 'description', 'name', 'in', 'required']);
    const query = p.in === 'query';
    if (!query && p.in !== 'path') throw new Error(`openapi v2 proto: parameter in ${String(p.in)}`);
    pi.message(2, (nb) =>
      nb.message(query ? 3 : 4, (q) => {
        // Query and path sub-schemas share 1 required, 2 in, 3 description, 4 name; type is 6 in
        // QueryParameterSubSchema (after allow_empty_value) and 5 in PathParameterSubSchema.
        q.bool(1, p.required);
        q.string(2, p.in);
        q.string(3, p.description);
        q.string(4, p.name);
        q.string(query ? 6 : 5, p.type);
        q.bool(query ? 20 : 19, p.uniqueItems);
      }),
    );
  });
}

/** Operation: 1 tags, 3 description, 5 operation_id, 6 produces, 7 consumes, 8 parameters,
 * 9 responses, 10 schemes, 13 vendor_extension. */
function operation(w: Writer, o: J): void {
  checkKeys('operation', o, [
    'description',
    'consumes',
    'produces',
    'schemes',
    'tags',
    'operationId',
    'parameters',
    'responses',
  ]);
  w.strings(1, o.tags);
  w.string(3, o.description);
  w.string(5, o.operationId);
  w.strings(6, o.produces);
  w.strings(7, o.consumes);
  for (const p of (o.parameters as J[] | undefined) ?? []) w.message(8, (x) => parameter(x, p));
  if (isObj(o.responses)) {
    const responses = o.responses;
    w.message(9, (rs) => {
      for (const [code, r] of Object.entries(responses)) {
        rs.message(1, (n) => {
          n.string(1, code);
          n.message(2, (rv) =>
            rv.message(1, (resp) => {
              const rr = r as J;
              resp.string(1, rr.description);
              if (isObj(rr.schema)) {
                const s = rr.schema;
                resp.message(2, (si) => si.message(1, (x) => schema(x, s)));
              }
            }),
          );
        });
      }
    });
  }
  w.strings(10, o.schemes);
  vendorExtensions(w, 13, o);
}

const METHODS: Readonly<Record<string, number>> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };

/** PathItem: 2 get, 3 put, 4 post, 5 delete, 8 patch, 9 parameters. */
function pathItem(w: Writer, p: J): void {
  checkKeys('path item', p, [...Object.keys(METHODS), 'parameters']);
  for (const [m, n] of Object.entries(METHODS)) {
    const op = p[m];
    if (isObj(op)) w.message(n, (x) => operation(x, op));
  }
  for (const param of (p.parameters as J[] | undefined) ?? []) w.message(9, (x) => parameter(x, param));
}

/**
 * The gnostic Document: 1 swagger, 2 info, 8 paths, 9 definitions, 12 security,
 * 13 security_definitions.
 * @throws Error on a document shape this encoder does not know (never on client input).
 */
export function encodeOpenAPIv2(doc: J): Buffer {
  checkKeys('document', doc, ['swagger', 'info', 'paths', 'definitions', 'security', 'securityDefinitions']);
  const w = new Writer();
  w.string(1, doc.swagger);
  if (isObj(doc.info)) {
    const info = doc.info;
    w.message(2, (i) => {
      i.string(1, info.title);
      i.string(2, info.version);
    });
  }
  if (isObj(doc.paths)) {
    const paths = doc.paths;
    w.message(8, (ps) => {
      for (const [name, item] of Object.entries(paths))
        ps.message(2, (n) => {
          n.string(1, name);
          n.message(2, (x) => pathItem(x, item as J));
        });
    });
  }
  if (isObj(doc.definitions)) {
    const defs = doc.definitions;
    w.message(9, (d) => {
      for (const [name, s] of Object.entries(defs))
        d.message(1, (n) => {
          n.string(1, name);
          n.message(2, (x) => schema(x, s as J));
        });
    });
  }
  for (const req of (doc.security as J[] | undefined) ?? [])
    w.message(12, (sr) => {
      for (const [name, scopes] of Object.entries(req))
        sr.message(1, (n) => {
          n.string(1, name);
          n.message(2, (sa) => sa.strings(1, scopes));
        });
    });
  if (isObj(doc.securityDefinitions)) {
    const sd = doc.securityDefinitions;
    w.message(13, (d) => {
      for (const [name, item] of Object.entries(sd)) {
        const it = item as J;
        if (it.type !== 'apiKey') throw new Error(`openapi v2 proto: security definition ${name}`);
        d.message(1, (n) => {
          n.string(1, name);
          n.message(2, (sdi) =>
            sdi.message(2, (k) => {
              k.string(1, it.type);
              k.string(2, it.name);
              k.string(3, it.in);
              k.string(4, it.description);
            }),
          );
        });
      }
    });
  }
  return w.finish();
}
