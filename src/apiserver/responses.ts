/**
 * Writing responses: JSON bytes, Status errors, YAML when asked. Every error response goes through
 * writeError so that it is a Kubernetes Status with the upstream shape. JSON is written as
 * upstream's serializer writes it (json-encode.ts): one document ending in a newline, or indented
 * without one for `?pretty=true` and curl/Wget/browser user agents.
 */
import { stringify as yamlStringify } from 'yaml';
import { ApiError, internalError } from '../api/errors.js';
import { writer, type RequestContext } from './context.js';
import { goJson, goJsonIndent, isPrettyPrint } from './json-encode.js';

export const JSON_TYPE = 'application/json';

function headers(
  ctx: RequestContext,
  contentType: string,
  length: number,
): Record<string, string | number | string[]> {
  const h: Record<string, string | number | string[]> = {
    'content-type': contentType,
    'content-length': length,
    'audit-id': ctx.auditID,
    'cache-control': 'no-cache, private',
  };
  if (ctx.warnings.length) h['warning'] = ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  return h;
}

/** True when the client asked for YAML and not JSON first. */
export function wantsYaml(ctx: RequestContext): boolean {
  const accept = ctx.req.headers['accept'];
  if (!accept) return false;
  const first = String(accept).split(',')[0].trim().split(';')[0];
  return first === 'application/yaml';
}

export function writeBytes(
  ctx: RequestContext,
  code: number,
  body: Buffer | string,
  contentType = JSON_TYPE,
  trailer?: Buffer,
): void {
  const raw = typeof body === 'string' ? Buffer.from(body) : body;
  // One chunk (one DATA frame for small bodies): a copy is cheaper than a second write.
  const buf = trailer === undefined ? raw : Buffer.concat([raw, trailer], raw.length + trailer.length);
  const res = writer(ctx);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, headers(ctx, contentType, ctx.method === 'HEAD' ? 0 : buf.length));
  res.end(ctx.method === 'HEAD' ? undefined : buf);
}

const NEWLINE = Buffer.from('\n');

/** True when this request gets indented JSON (upstream's isPrettyPrint). */
export function wantsPretty(ctx: RequestContext): boolean {
  const q = ctx.query.has('pretty') ? ctx.query.get('pretty') : null;
  const ua = ctx.req.headers['user-agent'];
  return isPrettyPrint(q, typeof ua === 'string' ? ua : undefined);
}

/** Serializes a value as JSON (or YAML when the client prefers it). */
export function writeObject(ctx: RequestContext, code: number, obj: unknown, contentType = JSON_TYPE): void {
  if (wantsYaml(ctx)) writeBytes(ctx, code, yamlStringify(obj), 'application/yaml');
  else if (wantsPretty(ctx)) writeBytes(ctx, code, goJsonIndent(obj), contentType);
  else writeBytes(ctx, code, goJson(obj) + '\n', contentType);
}

/**
 * Writes pre-serialized JSON bytes (the cached form of a stored object, a list) followed by
 * json.Encoder's newline; `obj` gives the value for YAML and pretty output. `framed`, when given,
 * is `bytes` already followed by the newline (written as is, no copy: the GET fast path).
 */
export function writeJsonBytes(
  ctx: RequestContext,
  code: number,
  bytes: Buffer,
  obj: () => unknown = () => JSON.parse(bytes.toString('utf8')) as unknown,
  framed?: Buffer,
): void {
  if (wantsYaml(ctx)) writeBytes(ctx, code, yamlStringify(obj()), 'application/yaml');
  else if (wantsPretty(ctx)) writeBytes(ctx, code, goJsonIndent(obj()));
  else if (framed !== undefined) writeBytes(ctx, code, framed);
  else writeBytes(ctx, code, bytes, JSON_TYPE, NEWLINE);
}

/** A JSON document that is always JSON (discovery): newline-terminated, or indented when pretty. */
export function writeJsonDocument(
  ctx: RequestContext,
  code: number,
  body: Buffer | string,
  contentType = JSON_TYPE,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (wantsPretty(ctx)) writeBytes(ctx, code, goJsonIndent(JSON.parse(bytes.toString('utf8'))), contentType);
  else writeBytes(ctx, code, bytes, contentType, NEWLINE);
}

export function writeError(ctx: RequestContext, err: unknown): void {
  const e = err instanceof ApiError ? err : internalError(err);
  if (!(err instanceof ApiError)) {
    // Never echo internals beyond the message; log the stack server-side.
    process.stderr.write(
      `E ${new Date().toISOString()} internal error on ${ctx.method} ${ctx.path}: ${err instanceof Error ? err.stack : String(err)}\n`,
    );
  }
  if (e.code === 401) {
    // UnauthenticatedHTTP2DOSMitigation: close the connection of unauthenticated clients.
    if (ctx.req.httpVersionMajor === 1) ctx.res.setHeader('connection', 'close');
  }
  writeObject(ctx, e.code, e.toStatus());
}
