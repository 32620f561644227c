/**
 * The per-request context threaded through the handler chain. Filters are `Handler → Handler`
 * functions (see chain.ts); each reads what the earlier ones put here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { UserInfo } from '../authn/interfaces.js';
import type { RequestInfo } from './request-info.js';

export type AnyRequest = IncomingMessage | Http2ServerRequest;
export type AnyResponse = ServerResponse | Http2ServerResponse;

export interface RequestContext {
  req: AnyRequest;
  res: AnyResponse;
  method: string;
  /** The URL path as received (percent-encoding kept). */
  path: string;
  query: URLSearchParams;
  /** Set by the requestInfo filter. */
  info: RequestInfo;
  /** Set by the authentication filter (and replaced by impersonation). */
  user?: UserInfo;
  auditID: string;
  /** process.hrtime.bigint() at receipt. */
  receivedAt: bigint;
  /** Warnings to send as `Warning: 299 - "..."` headers. */
  warnings: string[];
}

/** The subset of the response API used by the handlers, common to HTTP/1.1 and HTTP/2. */
export interface ResponseWriter {
  writeHead(code: number, headers: Record<string, string | number | string[]>): unknown;
  write(chunk: string | Buffer): boolean;
  end(chunk?: string | Buffer): unknown;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  on(event: 'close', cb: () => void): unknown;
}

export function writer(ctx: RequestContext): ResponseWriter {
  return ctx.res as unknown as ResponseWriter;
}

export type Handler = (ctx: RequestContext) => Promise<void>;
export type Filter = (next: Handler) => Handler;

const distinctCache = new WeakMap<object, Record<string, string[]>>();

/**
 * Every value of every header, repeated headers kept apart (IncomingMessage.headersDistinct for
 * HTTP/1.1; rebuilt from rawHeaders for HTTP/2, whose request object has no headersDistinct).
 * `headers` merges or drops repeats, which must not decide who a request is.
 */
export function headersDistinct(req: AnyRequest): Record<string, string[]> {
  const own = (req as { headersDistinct?: Record<string, string[]> }).headersDistinct;
  if (own) return own;
  let out = distinctCache.get(req);
  if (!out) {
    out = {};
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const k = raw[i].toLowerCase();
      if (k.startsWith(':')) continue;
      (out[k] ??= []).push(raw[i + 1]);
    }
    distinctCache.set(req, out);
  }
  return out;
}
