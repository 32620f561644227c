/**
 * Writing responses: JSON bytes, Status errors, YAML when asked. Every error response goes through
 * writeError so that it is a Kubernetes Status with the upstream shape.
 */
import { stringify as yamlStringify } from 'yaml';
import { ApiError, internalError } from '../api/errors.js';
import { writer, type RequestContext } from './context.js';

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
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const res = writer(ctx);
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, headers(ctx, contentType, ctx.method === 'HEAD' ? 0 : buf.length));
  res.end(ctx.method === 'HEAD' ? undefined : buf);
}

/** Serializes a value as JSON (or YAML when the client prefers it). */
export function writeObject(ctx: RequestContext, code: number, obj: unknown): void {
  if (wantsYaml(ctx)) writeBytes(ctx, code, yamlStringify(obj), 'application/yaml');
  else writeBytes(ctx, code, JSON.stringify(obj));
}

/** Writes pre-serialized JSON bytes (the cached form of a stored object). */
export function writeJsonBytes(ctx: RequestContext, code: number, bytes: Buffer, obj: () => unknown): void {
  if (wantsYaml(ctx)) writeBytes(ctx, code, yamlStringify(obj()), 'application/yaml');
  else writeBytes(ctx, code, bytes);
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
