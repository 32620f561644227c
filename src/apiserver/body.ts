/**
 * Reading and decoding request bodies: a hard size limit (upstream's 3 MiB MaxRequestBodyBytes),
 * JSON with a nesting-depth check before parsing, YAML without alias bombs, and Kubernetes
 * protobuf envelopes. Malformed input is a 400/413/415 Status, never a crash.
 */
import { parseDocument } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType, ApiError } from '../api/errors.js';
import type { AnyRequest } from './context.js';
import { goJsonSyntaxError, summarizeData } from './json-syntax.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** sigs.k8s.io/json and the YAML decoder refuse documents nested deeper than this. */
export const MAX_DEPTH = 10000;

export function readBody(req: AnyRequest, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? -1);
  if (declared > limit) return Promise.reject(requestEntityTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(requestEntityTooLarge(limit));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks, size));
      }
    });
    req.on('error', (e) => {
      if (!done) {
        done = true;
        reject(badRequest(`error reading request body: ${e.message}`));
      }
    });
    // A stream closed before its end (client gone, or the request timed out and was destroyed).
    req.on('close', () => {
      if (!done) {
        done = true;
        reject(badRequest('the request body was not completely received'));
      }
    });
  });
}

/** Nesting depth of a JSON text, ignoring brackets inside strings. Linear, no recursion. */
export function jsonDepth(buf: Buffer | string, max = MAX_DEPTH): number {
  const s = typeof buf === 'string' ? buf : buf.toString('utf8');
  let depth = 0;
  let maxSeen = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++;
      else if (c === 34) inStr = false;
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxSeen) {
        maxSeen = depth;
        if (maxSeen > max) return maxSeen;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return maxSeen;
}

export function parseJson(buf: Buffer | string): unknown {
  if (jsonDepth(buf) > MAX_DEPTH)
    throw badRequest(`the object provided is nested too deeply: exceeded max depth ${MAX_DEPTH}`);
  try {
    return JSON.parse(typeof buf === 'string' ? buf : buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function parseYaml(buf: Buffer | string): unknown {
  const text = typeof buf === 'string' ? buf : buf.toString('utf8');
  // A YAML flow collection nests like JSON; the same depth bound applies.
  if (jsonDepth(text) > MAX_DEPTH)
    throw badRequest(`the object provided is nested too deeply: exceeded max depth ${MAX_DEPTH}`);
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  if (doc.errors.length) throw badRequest(`error converting YAML to JSON: ${doc.errors[0].message}`);
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function formatOf(contentType: string | undefined): BodyFormat {
  const mt = mediaType(contentType);
  if (mt === '' || mt === 'application/json' || mt === '*/*') return 'json';
  if (mt === 'application/yaml' || mt === 'application/x-yaml' || mt === 'text/yaml') return 'yaml';
  if (mt === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  throw unsupportedMediaType();
}

export type ProtobufDecoder = (body: Uint8Array) => {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
};

/**
 * upstream's transformDecodeError (handlers/rest.go) for a body whose version and kind could not
 * be read: `the object provided is unrecognized (must be of type <Kind>): <err> (<body summary>)`.
 */
export function unrecognized(kind: string, err: string, body: Uint8Array): ApiError {
  return badRequest(
    `the object provided is unrecognized (must be of type ${kind}): ${err} (${summarizeData(body)})`,
  );
}

/** Go's type of the struct runtime's SimpleMetaFactory.Interpret decodes apiVersion/kind into. */
const FIND_KIND =
  'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

function jsonWordOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'number' : 'string';
}

/**
 * What SimpleMetaFactory.Interpret (k8s.io/apimachinery pkg/runtime/serializer/json/meta.go) says
 * of a parsed body: an error for a non-object or a non-string apiVersion/kind, else undefined.
 */
function interpretError(v: unknown): string | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    return `json: cannot unmarshal ${jsonWordOf(v)} into Go value of type ${FIND_KIND}`;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if ((k === 'apiVersion' || k === 'kind') && x !== null && typeof x !== 'string')
      return `json: cannot unmarshal ${jsonWordOf(x)} into Go struct field .${k} of type string`;
  }
  return undefined;
}

const RAW_JSON = new WeakMap<object, Buffer>();

/** The JSON text an object returned by {@link decodeObject} (with a kind) was parsed from. */
export function rawJsonOf(obj: object): Buffer | undefined {
  return RAW_JSON.get(obj);
}

/**
 * Decodes a request body into a plain object; the caller checks kind/apiVersion. With `kind` (the
 * kind the endpoint decodes into), a JSON or YAML body that is not an object, or not JSON, gets
 * upstream's `the object provided is unrecognized (must be of type <kind>): couldn't get
 * version/kind; json parse error: <Go's syntax error>` and `null` is an empty object, as there.
 */
export function decodeObject(
  buf: Buffer,
  contentType: string | undefined,
  protobuf?: ProtobufDecoder,
  kind?: string,
): Record<string, unknown> {
  const fmt = formatOf(contentType);
  let v: unknown;
  if (fmt === 'protobuf') {
    if (!protobuf) throw unsupportedMediaType();
    try {
      v = protobuf(buf).object;
    } catch (e) {
      if (e instanceof ApiError) throw e;
      // An unknown kind in a well-formed envelope is a media type we do not serve (415).
      if ((e as { code?: string }).code === 'ERR_PB_UNKNOWN_KIND')
        throw new ApiError(415, 'UnsupportedMediaType', (e as Error).message);
      throw badRequest(`unable to decode protobuf body: ${(e as Error).message}`);
    }
  } else if (kind !== undefined) {
    return decodeKindBody(buf, fmt, kind);
  } else if (buf.length === 0) {
    throw badRequest('request body must not be empty');
  } else v = fmt === 'json' ? parseJson(buf) : parseYaml(buf);
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw badRequest('the body of the request must be a JSON object');
  return v as Record<string, unknown>;
}

function decodeKindBody(buf: Buffer, fmt: 'json' | 'yaml', kind: string): Record<string, unknown> {
  let v: unknown;
  if (fmt === 'json') {
    if (jsonDepth(buf) > MAX_DEPTH)
      throw badRequest(`the object provided is nested too deeply: exceeded max depth ${MAX_DEPTH}`);
    try {
      v = JSON.parse(buf.toString('utf8'));
    } catch (e) {
      const msg = goJsonSyntaxError(buf) ?? (e as Error).message;
      throw unrecognized(kind, `couldn't get version/kind; json parse error: ${msg}`, buf);
    }
  } else {
    try {
      v = buf.length === 0 ? null : parseYaml(buf);
    } catch (e) {
      if (!(e instanceof ApiError) || !e.message.startsWith('error converting YAML to JSON')) throw e;
      throw unrecognized(kind, e.message, buf);
    }
  }
  const err = interpretError(v);
  if (err !== undefined) throw unrecognized(kind, `couldn't get version/kind; json parse error: ${err}`, buf);
  const obj = (v ?? {}) as Record<string, unknown>;
  if (fmt === 'json') RAW_JSON.set(obj, buf);
  return obj;
}
