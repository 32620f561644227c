/**
 * @module registry/registry
 *
 * The served resources as a mutable set: the static built-in descriptors ({@link allResources})
 * plus descriptors added at run time (custom resources of Established CRDs). Lookups are single
 * map reads; the derived views (sorted list, group versions) are rebuilt only when the set
 * changes, and {@link ResourceRegistry.generation} tells caches (discovery, OpenAPI) when to
 * rebuild.
 *
 * Order: built-in groups in GROUP_ORDER, then the others. Upstream's aggregator sorts APIServices
 * by group priority, then by APIService name (`<version>.<group>`); every CRD group gets the same
 * priority (1000, below every built-in group: crdregistration_controller.go), so custom groups
 * follow the built-ins, ordered by their smallest `<version>.<group>`.
 */
import {
  GROUP_ORDER,
  allResources,
  compareKubeVersions,
  groupVersions,
  type GroupVersions,
} from './index.js';
import type { ResourceDescriptor } from './types.js';

export class ResourceRegistry {
  private readonly custom = new Map<string, ResourceDescriptor>();
  private byResource = new Map<string, ResourceDescriptor>();
  private byKind = new Map<string, ResourceDescriptor>();
  private sorted: readonly ResourceDescriptor[] = [];
  private gvs: GroupVersions[] | undefined;
  private gen = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly builtins: readonly ResourceDescriptor[] = allResources) {
    this.rebuild();
  }

  /** Bumped on every change of the served set. */
  get generation(): number {
    return this.gen;
  }

  /** Every served descriptor: built-ins first (in their order), then custom ones by group and plural. */
  resources(): readonly ResourceDescriptor[] {
    return this.sorted;
  }

  /** The descriptor serving group/version/resource, if any (built-ins win over custom ones). */
  find(group: string, version: string, resource: string): ResourceDescriptor | undefined {
    return this.byResource.get(`${group}/${version}/${resource}`);
  }

  findByKind(group: string, kind: string): ResourceDescriptor | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** Served groups in discovery order with their versions, preferred first (cached per generation). */
  groupVersions(): GroupVersions[] {
    if (this.gvs) return this.gvs;
    const all = groupVersions(this.sorted);
    const known = all.filter((g) => GROUP_ORDER.includes(g.group));
    const key = (g: GroupVersions) => g.versions.map((v) => `${v}.${g.group}`).sort()[0] ?? g.group;
    const other = all
      .filter((g) => !GROUP_ORDER.includes(g.group))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return (this.gvs = [...known, ...other]);
  }

  /** Adds or replaces the descriptor registered under `key` (a CRD's name). */
  set(key: string, d: ResourceDescriptor): void {
    this.custom.set(key, d);
    this.rebuild();
  }

  /** Removes the descriptor registered under `key`; returns whether there was one. */
  delete(key: string): boolean {
    const had = this.custom.delete(key);
    if (had) this.rebuild();
    return had;
  }

  get(key: string): ResourceDescriptor | undefined {
    return this.custom.get(key);
  }

  /** Calls `fn` after every change; returns an unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private rebuild(): void {
    const custom = [...this.custom.values()].sort(
      (a, b) =>
        (a.group < b.group ? -1 : a.group > b.group ? 1 : 0) ||
        (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
    );
    const byResource = new Map<string, ResourceDescriptor>();
    const byKind = new Map<string, ResourceDescriptor>();
    for (const d of [...this.builtins, ...custom]) {
      for (const v of d.versions) {
        const k = `${d.group}/${v}/${d.resource}`;
        if (!byResource.has(k)) byResource.set(k, d);
      }
      const kk = `${d.group}/${d.kind}`;
      if (!byKind.has(kk)) byKind.set(kk, d);
    }
    this.byResource = byResource;
    this.byKind = byKind;
    this.sorted = [...this.builtins, ...custom];
    this.gvs = undefined;
    this.gen++;
    for (const l of [...this.listeners]) l();
  }
}

export { compareKubeVersions };
