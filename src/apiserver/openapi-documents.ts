/**
 * The `/openapi/v3` documents: the root index and one document per group version (PATCH paths with
 * the fieldValidation parameter kubectl probes, and the component schemas of ./openapi.ts), cached
 * per registry and rebuilt when the served set changes.
 */
import { allResources, groupVersions } from '../registry/index.js';
import type { ResourceRegistry } from '../registry/registry.js';
import type { ResourceDescriptor } from '../registry/types.js';
import { componentSchemas, servedKinds, type OpenAPISchema } from './openapi.js';

/** The GV document for `/openapi/v3/<path>` (`api/v1`, `apis/<group>/<version>`), or undefined. */
export function groupVersionDocument(
  group: string,
  version: string,
  resources: readonly ResourceDescriptor[] = allResources,
): OpenAPISchema | undefined {
  const kinds = servedKinds(group, version, resources);
  if (kinds.length === 0) return undefined;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  for (const k of kinds) {
    const gvk = { group, version, kind: k.kind };
    const collection = `${prefix}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.resource}`;
    if (k.virtual) {
      paths[collection] = { post: { 'x-kubernetes-group-version-kind': gvk } };
      continue;
    }
    paths[`${collection}/{name}`] = {
      patch: {
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas: componentSchemas(group, version, resources) },
  };
}

/**
 * Built documents per registry (STATIC without one) by path: the generation they were built at,
 * and whether their group had custom resources then.
 */
type Cached = { generation: number; custom: boolean; doc: Buffer };
const STATIC = {};
const caches = new WeakMap<object, Map<string, Cached>>();
function cacheOf(registry: ResourceRegistry | undefined): Map<string, Cached> {
  const k = registry ?? STATIC;
  let c = caches.get(k);
  if (!c) caches.set(k, (c = new Map()));
  return c;
}

const hasCustom = (registry: ResourceRegistry | undefined, group: string): boolean =>
  !!registry?.resources().some((r) => r.custom && r.group === group);

/**
 * A cached document is current when the served set has not changed since, or when its group had
 * and has no custom resources (the built-ins never change).
 */
function cached(path: string, registry: ResourceRegistry | undefined, group?: string): Buffer | undefined {
  const e = cacheOf(registry).get(path);
  if (!e) return undefined;
  if (e.generation === (registry?.generation ?? 0)) return e.doc;
  if (group !== undefined && !e.custom && !hasCustom(registry, group)) return e.doc;
  return undefined;
}

function remember(path: string, registry: ResourceRegistry | undefined, group: string, doc: Buffer): void {
  cacheOf(registry).set(path, {
    generation: registry?.generation ?? 0,
    custom: hasCustom(registry, group),
    doc,
  });
}

/** `/openapi/v3`: the served group versions with their document URLs. Cached. */
export function openapiV3Root(registry?: ResourceRegistry): Buffer {
  let b = cached('', registry);
  if (!b) {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const gv of registry ? registry.groupVersions() : groupVersions()) {
      for (const version of gv.versions) {
        const p = gv.group ? `apis/${gv.group}/${version}` : `api/${version}`;
        paths[p] = { serverRelativeURL: `/openapi/v3/${p}` };
      }
    }
    b = Buffer.from(JSON.stringify({ paths }));
    remember('', registry, '', b);
  }
  return b;
}

/** `/openapi/v3/<path>`: one GV document (built once, then served from cache), or undefined. */
export function openapiV3Doc(path: string, registry?: ResourceRegistry): Buffer | undefined {
  const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  let b = cached(path, registry, group);
  if (b) return b;
  const doc = groupVersionDocument(group, m[1] ?? m[3], registry?.resources() ?? allResources);
  if (!doc) return undefined;
  b = Buffer.from(JSON.stringify(doc));
  remember(path, registry, group, b);
  return b;
}
