/**
 * Serving `/openapi/v2` as kube-openapi's handler does (pkg/handler/handler.go
 * RegisterOpenAPIVersionedService): the Accept header picks JSON (`application/json`, also for
 * `*` and no Accept) or the gnostic protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`
 * or `...spec.v2.v1.0+protobuf`, answered as `application/com.github.proto-openapi.spec.v2.v1.0+protobuf`);
 * nothing acceptable is a bare 406. Each form carries `Etag` (the quoted upper-case hex SHA-512
 * of its bytes), `Last-Modified` and `Vary: Accept`; a matching `If-None-Match` is a 304, as
 * http.ServeContent answers. Bodies are gzipped for clients that accept it (kube-openapi wraps
 * the handler in gziphandler). Built on first request and kept until {@link resetOpenAPIv2Cache}.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { writer, type RequestContext } from './context.js';
import { openapiV2Document } from './openapi-v2.js';
import { encodeOpenAPIv2 } from './openapi-v2-proto.js';

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Served {
  body: Buffer;
  gzip: Buffer;
  etag: string;
  contentType: string;
}

let cached: { json: Served; proto: Served; lastModified: string } | undefined;

function served(body: Buffer, contentType: string): Served {
  const etag = `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;
  return { body, gzip: gzipSync(body), etag, contentType };
}

/** The JSON and protobuf forms (built on first use). */
export function openapiV2Cached(): { json: Served; proto: Served; lastModified: string } {
  if (!cached) {
    const doc = openapiV2Document();
    cached = {
      json: served(Buffer.from(JSON.stringify(doc)), 'application/json'),
      proto: served(encodeOpenAPIv2(doc), OPENAPI_V2_PROTOBUF),
      lastModified: new Date().toUTCString(),
    };
  }
  return cached;
}

/** Drops the built forms; the next request rebuilds them (for when the served kinds change). */
export function resetOpenAPIv2Cache(): void {
  cached = undefined;
}

const ACCEPTED: readonly { type: string; subtype: string; form: 'json' | 'proto' }[] = [
  { type: 'application', subtype: 'json', form: 'json' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', form: 'proto' },
  { type: 'application', subtype: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', form: 'proto' },
];

interface Clause {
  type: string;
  subtype: string;
  q: number;
}

/** goautoneg.ParseAccept: clauses sorted by q, then by specificity (stable otherwise). */
export function parseAccept(header: string): Clause[] {
  const out: Clause[] = [];
  for (const part of header.split(',')) {
    const [mt, ...params] = part.trim().split(';');
    if (!mt) continue;
    const slash = mt.indexOf('/');
    const type = (slash < 0 ? mt : mt.slice(0, slash)).trim();
    const subtype = slash < 0 ? '*' : mt.slice(slash + 1).trim();
    let q = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((x) => x.trim());
      if (k === 'q' && v !== undefined && !Number.isNaN(Number(v))) q = Number(v);
    }
    out.push({ type, subtype, q });
  }
  const spec = (c: Clause) => (c.type === '*' ? 0 : c.subtype === '*' ? 1 : 2);
  return out
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.q - a.c.q || spec(b.c) - spec(a.c) || a.i - b.i)
    .map(({ c }) => c);
}

/** The form to serve for an Accept header, or undefined (406). */
export function negotiateOpenAPIv2(accept: string | undefined): 'json' | 'proto' | undefined {
  for (const c of parseAccept(accept || '*/*')) {
    if (c.q <= 0) continue;
    for (const a of ACCEPTED) {
      if ((c.type === a.type || c.type === '*') && (c.subtype === a.subtype || c.subtype === '*'))
        return a.form;
    }
  }
  return undefined;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim().replace(/^W\//, '');
    return v === '*' || v === etag;
  });
}

/** Answers GET/HEAD `/openapi/v2`. */
export function serveOpenAPIv2(ctx: RequestContext): void {
  const res = writer(ctx);
  const form = negotiateOpenAPIv2(ctx.req.headers['accept'] as string | undefined);
  if (!form) {
    res.writeHead(406, { vary: 'Accept', 'content-length': 0, 'audit-id': ctx.auditID });
    res.end();
    return;
  }
  const all = openapiV2Cached();
  const s = all[form];
  const base: Record<string, string | number> = {
    vary: 'Accept',
    etag: s.etag,
    'last-modified': all.lastModified,
    'audit-id': ctx.auditID,
    'cache-control': 'no-cache, private',
  };
  if (etagMatches(ctx.req.headers['if-none-match'] as string | undefined, s.etag)) {
    res.writeHead(304, base);
    res.end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(ctx.req.headers['accept-encoding'] ?? ''));
  const body = gzip ? s.gzip : s.body;
  res.writeHead(200, {
    ...base,
    'content-type': s.contentType,
    'content-length': ctx.method === 'HEAD' ? 0 : body.length,
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(ctx.method === 'HEAD' ? undefined : body);
}
