/**
 * @module apiserver/discovery
 *
 * The discovery documents, built once from the registry descriptors and pre-serialized, since
 * kubectl fetches them on every invocation with a cold cache:
 * - `/api` (APIVersions) and `/apis` (APIGroupList): legacy discovery
 *   (k8s.io/apiserver/pkg/endpoints/discovery/{legacy,root}.go);
 * - `/apis/<group>` (APIGroup) and `/api/v1`, `/apis/<g>/<v>` (APIResourceList, with subresources
 *   as `res/sub` entries; discovery/version.go and endpoints/installer.go);
 * - aggregated discovery (apidiscovery.k8s.io v2 and v2beta1 APIGroupDiscoveryList) for `/api` and
 *   `/apis` (discovery/aggregated/handler.go), shaped like upstream's api/discovery/aggregated_v2.json:
 *   responseKind group/version are empty unless the kind lives in another group version;
 * - {@link negotiateDiscovery}: which of the two an Accept header asks for (kubectl-wire.md §4.1).
 *
 * JSON field order follows the Go structs (TypeMeta first), as upstream's encoder writes them.
 */
import { createHash } from 'node:crypto';
import { allResources, groupVersions, type GroupVersions } from '../registry/index.js';
import type { ResourceRegistry } from '../registry/registry.js';
import type { ResourceDescriptor } from '../registry/types.js';

export type AggregatedVersion = 'v2' | 'v2beta1';

/** The Content-Type of an aggregated discovery response, e.g. `...;v=v2;as=APIGroupDiscoveryList`. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

export type DiscoveryNegotiation =
  { kind: 'aggregated'; version: AggregatedVersion; contentType: string } | { kind: 'legacy' };

/**
 * Picks the discovery format for an Accept header: the first (highest-q, then leftmost)
 * `application/json;g=apidiscovery.k8s.io;v=v2|v2beta1;as=APIGroupDiscoveryList` media range, else
 * the legacy documents (served as plain `application/json`). Parameter order and spaces do not
 * matter. A missing header means legacy.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryNegotiation {
  if (!accept) return { kind: 'legacy' };
  const candidates: { q: number; i: number; version: AggregatedVersion }[] = [];
  accept.split(',').forEach((range, i) => {
    const [type, ...rawParams] = range.split(';').map((p) => p.trim());
    if (type.toLowerCase() !== 'application/json') return;
    const params = new Map<string, string>();
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
    }
    const v = params.get('v');
    if (params.get('g') !== 'apidiscovery.k8s.io' || params.get('as') !== 'APIGroupDiscoveryList') return;
    if (v !== 'v2' && v !== 'v2beta1') return;
    const q = params.has('q') ? Number(params.get('q')) : 1;
    if (!(q > 0)) return;
    candidates.push({ q, i, version: v });
  });
  candidates.sort((a, b) => b.q - a.q || a.i - b.i);
  const best = candidates[0];
  return best
    ? { kind: 'aggregated', version: best.version, contentType: aggregatedContentType(best.version) }
    : { kind: 'legacy' };
}

/**
 * discovery.StorageVersionHash: base64 of the first 8 bytes of sha256("group/version/Kind") of the
 * storage version. Clients only compare it for equality.
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256')
    .update(`${group}/${version}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString('base64');
}

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

type ApiResourceEntry = Record<string, unknown> & { name: string };

/** metav1.APIResource entries (the resource, then one per subresource) for one group version. */
/** Advertised verbs; a terminating CRD's resources list only the read and delete ones. */
const verbsOf = (d: ResourceDescriptor): string[] => d.custom?.discoveryVerbs() ?? d.verbs;

function apiResources(d: ResourceDescriptor): ApiResourceEntry[] {
  const main: ApiResourceEntry = {
    name: d.resource,
    singularName: d.singular,
    namespaced: d.namespaced,
    kind: d.kind,
    verbs: verbsOf(d),
  };
  if (d.shortNames?.length) main.shortNames = d.shortNames;
  if (d.categories?.length) main.categories = d.categories;
  if (!d.virtual) {
    const s = d.storageKind ?? { group: d.group, version: d.versions[0], kind: d.kind };
    main.storageVersionHash = storageVersionHash(s.group, s.version, s.kind);
  }
  const subs = d.subresources.map((s) => {
    const e: ApiResourceEntry = {
      name: `${d.resource}/${s.name}`,
      singularName: '',
      namespaced: d.namespaced,
    };
    if (s.group !== undefined) e.group = s.group;
    if (s.version !== undefined) e.version = s.version;
    e.kind = s.kind;
    e.verbs = s.verbs;
    return e;
  });
  return [main, ...subs];
}

/** apidiscovery.APIResourceDiscovery for one resource. */
function aggregatedResource(d: ResourceDescriptor, version: string): Record<string, unknown> {
  // The CRD discovery controller fills in group and version of every response kind
  // (apiextensions-apiserver discovery_controller.go) and lists status before scale.
  const custom = d.custom !== undefined;
  const r: Record<string, unknown> = {
    resource: d.resource,
    responseKind: { group: custom ? d.group : '', version: custom ? version : '', kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: verbsOf(d),
  };
  if (d.shortNames?.length) r.shortNames = d.shortNames;
  if (d.categories?.length) r.categories = d.categories;
  if (custom && d.subresources.length) {
    r.subresources = d.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? d.group, version: s.version ?? version, kind: s.kind },
      verbs: s.verbs,
    }));
  } else if (d.subresources.length) {
    r.subresources = [...d.subresources].sort(byName).map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return r;
}

/** Pre-serialized discovery documents for one set of resources. */
export interface DiscoveryDocuments {
  /** `/api`: APIVersions with one serverAddressByClientCIDRs entry (0.0.0.0/0 → serverAddress). */
  legacyApiVersions(serverAddress: string): Buffer;
  /** `/apis`: APIGroupList of the named groups. */
  legacyApiGroupList(): Buffer;
  /** `/apis/<group>`: APIGroup, or undefined for a group we do not serve. */
  apiGroup(group: string): Buffer | undefined;
  /** `/api/v1` (group "") or `/apis/<g>/<v>`: APIResourceList, or undefined when not served. */
  apiResourceList(group: string, version: string): Buffer | undefined;
  /** `/api` ('api', the core group) or `/apis` ('apis', the named groups) as APIGroupDiscoveryList. */
  aggregatedDiscovery(scope: 'api' | 'apis', version: AggregatedVersion): Buffer;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

/** Builds and serializes every discovery document for `resources` (default: the whole registry). */
export function buildDiscovery(
  resources: readonly ResourceDescriptor[] = allResources,
  groups: GroupVersions[] = groupVersions(resources),
): DiscoveryDocuments {
  const versionEntry = (group: string, version: string) => ({ groupVersion: gv(group, version), version });
  const groupDoc = (g: { group: string; versions: string[] }) => ({
    name: g.group,
    versions: g.versions.map((v) => versionEntry(g.group, v)),
    preferredVersion: versionEntry(g.group, g.versions[0]),
  });
  const named = groups.filter((g) => g.group !== '');

  const groupList = json({ kind: 'APIGroupList', apiVersion: 'v1', groups: named.map(groupDoc) });
  const groupDocs = new Map(
    named.map((g) => [g.group, json({ kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) })]),
  );

  const served = (group: string, version: string) =>
    resources
      .filter((d) => d.group === group && d.versions.includes(version))
      .map((d) => d.custom?.forVersion(version) ?? d)
      .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));

  const resourceLists = new Map<string, Buffer>();
  for (const g of groups) {
    for (const v of g.versions) {
      const list = served(g.group, v).flatMap(apiResources).sort(byName);
      const head =
        g.group === '' ? { kind: 'APIResourceList' } : { kind: 'APIResourceList', apiVersion: 'v1' };
      resourceLists.set(gv(g.group, v), json({ ...head, groupVersion: gv(g.group, v), resources: list }));
    }
  }

  const aggregatedItems = (scope: 'api' | 'apis') =>
    groups
      .filter((g) => (scope === 'api') === (g.group === ''))
      .map((g) => ({
        metadata: g.group ? { name: g.group } : {},
        versions: g.versions.map((v) => ({
          version: v,
          resources: served(g.group, v).map((d) => aggregatedResource(d, v)),
          freshness: 'Current',
        })),
      }));
  const aggregated = new Map<string, Buffer>();
  for (const scope of ['api', 'apis'] as const) {
    const items = aggregatedItems(scope);
    for (const version of ['v2', 'v2beta1'] as const) {
      aggregated.set(
        `${scope}/${version}`,
        json({
          kind: 'APIGroupDiscoveryList',
          apiVersion: `apidiscovery.k8s.io/${version}`,
          metadata: {},
          items,
        }),
      );
    }
  }

  const coreVersions = groups.find((g) => g.group === '')?.versions ?? [];
  const apiVersionsCache = new Map<string, Buffer>();
  return {
    legacyApiVersions(serverAddress) {
      let b = apiVersionsCache.get(serverAddress);
      if (!b) {
        b = json({
          kind: 'APIVersions',
          versions: coreVersions,
          serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
        });
        if (apiVersionsCache.size < 64) apiVersionsCache.set(serverAddress, b);
      }
      return b;
    },
    legacyApiGroupList: () => groupList,
    apiGroup: (group) => groupDocs.get(group),
    apiResourceList: (group, version) => resourceLists.get(gv(group, version)),
    aggregatedDiscovery: (scope, version) => aggregated.get(`${scope}/${version}`) as Buffer,
  };
}

let defaultDocs: DiscoveryDocuments | undefined;
const docs = () => (defaultDocs ??= buildDiscovery());

const perRegistry = new WeakMap<ResourceRegistry, { generation: number; docs: DiscoveryDocuments }>();

/**
 * The documents of a registry's current served set, rebuilt (once) after each change of the set;
 * without a registry, the static built-ins'.
 */
export function discoveryFor(registry: ResourceRegistry | undefined): DiscoveryDocuments {
  if (!registry) return docs();
  let e = perRegistry.get(registry);
  if (!e || e.generation !== registry.generation) {
    e = {
      generation: registry.generation,
      docs: buildDiscovery(registry.resources(), registry.groupVersions()),
    };
    perRegistry.set(registry, e);
  }
  return e.docs;
}

/** `/api` for the whole registry; see {@link DiscoveryDocuments.legacyApiVersions}. */
export const legacyApiVersions = (serverAddress: string): Buffer => docs().legacyApiVersions(serverAddress);
/** `/apis` for the whole registry. */
export const legacyApiGroupList = (): Buffer => docs().legacyApiGroupList();
/** `/apis/<group>` for the whole registry. */
export const apiGroup = (group: string): Buffer | undefined => docs().apiGroup(group);
/** `/api/v1`, `/apis/<g>/<v>` for the whole registry. */
export const apiResourceList = (group: string, version: string): Buffer | undefined =>
  docs().apiResourceList(group, version);
/** Aggregated discovery for the whole registry. */
export const aggregatedDiscovery = (scope: 'api' | 'apis', version: AggregatedVersion): Buffer =>
  docs().aggregatedDiscovery(scope, version);
