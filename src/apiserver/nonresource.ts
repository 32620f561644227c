/**
 * Non-resource endpoints: /version, health checks (/healthz, /livez, /readyz with ?verbose and
 * per-check paths), discovery (/api, /apis, /api/v1, /apis/<g>[/<v>], aggregated v2/v2beta1)
 * and OpenAPI (/openapi/v2 serves the Swagger 2.0 document as JSON or gnostic protobuf, built by
 * ./openapi-v2.ts and served by ./openapi-v2-serve.ts; /openapi/v3 serves per-group-version documents with PATCH
 * operations carrying the fieldValidation parameter and component schemas for `kubectl explain`,
 * built by ./openapi.ts).
 */
import { notFoundPath } from '../api/errors.js';
import * as discovery from './discovery.js';
import type { RequestContext } from './context.js';
import { openapiV3Doc, openapiV3Root } from './openapi-documents.js';
import { serveOpenAPIv2 } from './openapi-v2-serve.js';
import { writeBytes, writeJsonDocument } from './responses.js';
import type { ResourceRegistry } from '../registry/registry.js';
import {
  JWKS_PATH,
  OPENID_CONFIGURATION_PATH,
  type IssuerDiscoveryDocs,
} from '../serviceaccount/discovery.js';

export interface HealthCheck {
  name: string;
  check(): Promise<void> | void;
}

export interface NonResourceConfig {
  version: Record<string, string>;
  /** host:port the server advertises to clients (APIVersions.serverAddressByClientCIDRs). */
  serverAddress: string;
  livez: HealthCheck[];
  readyz: HealthCheck[];
  /** The served set (built-in and custom resources); the static built-ins without it. */
  registry?: ResourceRegistry;
  /** Service-account issuer discovery documents, when the issuer is an https URL. */
  issuerDiscovery?: IssuerDiscoveryDocs;
}

async function health(ctx: RequestContext, kind: string, checks: HealthCheck[], sub: string): Promise<void> {
  const results: [string, Error | undefined][] = [];
  const selected = sub ? checks.filter((c) => c.name === sub) : checks;
  if (sub && selected.length === 0) throw notFoundPath();
  const exclude = new Set(ctx.query.getAll('exclude'));
  for (const c of selected) {
    if (exclude.has(c.name)) continue;
    try {
      await c.check();
      results.push([c.name, undefined]);
    } catch (e) {
      results.push([c.name, e as Error]);
    }
  }
  const failed = results.filter(([, e]) => e);
  const verbose = ctx.query.has('verbose');
  if (failed.length === 0 && !verbose) return writeBytes(ctx, 200, 'ok', 'text/plain; charset=utf-8');
  const lines = results.map(([n, e]) => (e ? `[-]${n} failed: reason withheld` : `[+]${n} ok`));
  for (const x of exclude) lines.push(`[+]${x} excluded: ok`);
  lines.push(failed.length ? `${kind} check failed` : `${kind} check passed`);
  writeBytes(ctx, failed.length ? 500 : 200, lines.join('\n') + '\n', 'text/plain; charset=utf-8');
}

export async function handleNonResource(ctx: RequestContext, cfg: NonResourceConfig): Promise<void> {
  const path = ctx.path.replace(/\/+$/, '') || '/';
  if (path === '/version') return writeBytes(ctx, 200, JSON.stringify(cfg.version, null, 2));
  for (const [kind, checks] of [
    ['healthz', cfg.readyz],
    ['livez', cfg.livez],
    ['readyz', cfg.readyz],
  ] as const) {
    if (path === `/${kind}` || path.startsWith(`/${kind}/`))
      return health(ctx, kind, checks, path.slice(kind.length + 2));
  }
  if (path === OPENID_CONFIGURATION_PATH && cfg.issuerDiscovery) {
    ctx.res.setHeader('cache-control', 'public, max-age=3600');
    return writeBytes(ctx, 200, cfg.issuerDiscovery.openidConfiguration, 'application/json');
  }
  if (path === JWKS_PATH && cfg.issuerDiscovery) {
    ctx.res.setHeader('cache-control', 'public, max-age=3600');
    return writeBytes(ctx, 200, cfg.issuerDiscovery.jwks, 'application/jwk-set+json');
  }
  if (path === '/openapi/v2') return serveOpenAPIv2(ctx);
  if (path === '/openapi/v3') return writeBytes(ctx, 200, openapiV3Root(cfg.registry));
  if (path.startsWith('/openapi/v3/')) {
    const doc = openapiV3Doc(path.slice('/openapi/v3/'.length), cfg.registry);
    if (doc) return writeBytes(ctx, 200, doc);
    throw notFoundPath();
  }
  const accept = ctx.req.headers['accept'] as string | undefined;
  const docs = discovery.discoveryFor(cfg.registry);
  if (path === '/api' || path === '/apis') {
    const neg = discovery.negotiateDiscovery(accept);
    if (neg.kind === 'aggregated') {
      return writeJsonDocument(
        ctx,
        200,
        docs.aggregatedDiscovery(path === '/api' ? 'api' : 'apis', neg.version),
        neg.contentType,
      );
    }
    return writeJsonDocument(
      ctx,
      200,
      path === '/api' ? docs.legacyApiVersions(cfg.serverAddress) : docs.legacyApiGroupList(),
    );
  }
  let m: RegExpExecArray | null;
  if ((m = /^\/api\/([^/]+)$/.exec(path))) {
    const b = docs.apiResourceList('', m[1]);
    if (b) return writeJsonDocument(ctx, 200, b);
  } else if ((m = /^\/apis\/([^/]+)$/.exec(path))) {
    const b = docs.apiGroup(m[1]);
    if (b) return writeJsonDocument(ctx, 200, b);
  } else if ((m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path))) {
    const b = docs.apiResourceList(m[1], m[2]);
    if (b) return writeJsonDocument(ctx, 200, b);
  }
  if (path === '/') {
    const paths = [
      '/api',
      '/api/v1',
      '/apis',
      '/healthz',
      '/livez',
      '/openapi/v2',
      '/openapi/v3',
      '/readyz',
      '/version',
    ];
    return writeBytes(ctx, 200, JSON.stringify({ paths }, null, 2));
  }
  throw notFoundPath();
}
