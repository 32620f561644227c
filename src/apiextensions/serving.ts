/**
 * @module apiextensions/serving
 *
 * Serves the custom resources of Established CRDs: for each such CRD a watch cache and an
 * ObjectStore under `/registry/<group>/<plural>/`, entered into the shared stores map (so the
 * REST handler, the internal client and the namespace controller see them) and its descriptor
 * into the ResourceRegistry (discovery, OpenAPI, the handler's lookups). A changed CRD gets a new
 * descriptor over the same cache; a deleted one is removed and its cache stopped.
 *
 * A write barrier on the CRD store makes a CRD write (e.g. the controller setting Established)
 * acknowledged only once this has processed it, so a client that saw Established can use the
 * resource at once, as upstream's crdHandler serves from the same informer.
 */
import type { KubeObject } from '../api/types.js';
import { newObjectCache } from '../apiserver/rest/cache-adapter.js';
import {
  ObjectStore,
  storagePrefix,
  type CacheEvent,
  type ObjectCache,
} from '../apiserver/rest/object-store.js';
import type { ResourceRegistry } from '../registry/registry.js';
import type { ResourceDescriptor } from '../registry/types.js';
import type { Store } from '../storage/interfaces.js';
import { customResourceDescriptor } from './custom-resource.js';
import { isConditionTrue, specOf, statusOf } from './types.js';

interface Served {
  fingerprint: string;
  desc: ResourceDescriptor;
  store: ObjectStore;
  cache: ObjectCache & { stop(): void };
}

export interface ServingDeps {
  registry: ResourceRegistry;
  stores: Map<ResourceDescriptor, ObjectStore>;
  store: Store;
  /** The customresourcedefinitions store. */
  crds: ObjectStore;
  log: (msg: string) => void;
}

export class CustomResourceServing {
  private readonly served = new Map<string, Served>();
  private readonly terminating = new Set<string>();
  private chain: Promise<void> = Promise.resolve();
  private seen = 0;
  private watcher?: { cancel(): void };
  private stopped = false;

  constructor(private readonly deps: ServingDeps) {}

  /** Serves the Established CRDs present now, then follows CRD changes. */
  async start(): Promise<void> {
    const crds = this.deps.crds;
    const rev = crds.cache.revision();
    for (const o of crds.cache.list(crds.prefix)) await this.sync(o.obj.metadata!.name!, o.obj);
    this.seen = rev;
    this.watcher = crds.cache.watch(
      crds.prefix,
      rev,
      (evs) => evs.forEach((e) => this.enqueue(e)),
      (err) => this.deps.log(`custom resource serving stopped following CRDs: ${err.message}`),
    );
    crds.barriers.push((r) => this.waitFor(r));
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.cancel();
    for (const s of this.served.values()) s.cache.stop();
    this.served.clear();
  }

  /** The store of a served CRD's custom resources. */
  storeFor(crdName: string): ObjectStore | undefined {
    return this.served.get(crdName)?.store;
  }

  /** Resolves once every CRD event up to `rev` has been applied to the served set. */
  async waitFor(rev: number): Promise<void> {
    if (this.seen < rev) await new Promise((r) => setImmediate(r));
    await this.chain;
  }

  private enqueue(e: CacheEvent): void {
    this.seen = Math.max(this.seen, e.revision);
    const name = e.object.obj.metadata!.name!;
    const obj = e.type === 'DELETED' ? undefined : e.object.obj;
    this.chain = this.chain
      .then(() => this.sync(name, obj))
      .catch((err: unknown) => this.deps.log(`serving CRD ${name}: ${(err as Error).message}`));
  }

  private async sync(name: string, crd: KubeObject | undefined): Promise<void> {
    if (this.stopped) return;
    if (!crd) return this.unserve(name);
    const wasTerminating = this.terminating.has(name);
    if (crd.metadata?.deletionTimestamp) this.terminating.add(name);
    else this.terminating.delete(name);
    if (!isConditionTrue(crd, 'Established')) return;
    const fingerprint = JSON.stringify([specOf(crd), statusOf(crd).acceptedNames, crd.metadata?.uid]);
    const cur = this.served.get(name);
    if (cur?.fingerprint === fingerprint) {
      // Same serving; a change of terminating shows in discovery (its verbs), so re-enter it.
      if (wasTerminating !== this.terminating.has(name)) this.deps.registry.set(name, cur.desc);
      return;
    }
    const desc = customResourceDescriptor(crd, () => this.terminating.has(name));
    let cache = cur?.cache;
    if (!cache || storagePrefix(cur!.desc) !== storagePrefix(desc)) {
      cache?.stop();
      cache = await newObjectCache(this.deps.store, storagePrefix(desc));
    }
    if (this.stopped) return cache.stop();
    const store = new ObjectStore(desc, this.deps.store, cache);
    if (cur) this.deps.stores.delete(cur.desc);
    this.deps.stores.set(desc, store);
    this.served.set(name, { fingerprint, desc, store, cache });
    this.deps.registry.set(name, desc);
    if (!cur) this.deps.log(`serving ${desc.resource}.${desc.group} (${desc.versions.join(', ')})`);
  }

  private unserve(name: string): void {
    this.terminating.delete(name);
    const cur = this.served.get(name);
    if (!cur) return;
    this.served.delete(name);
    this.deps.registry.delete(name);
    this.deps.stores.delete(cur.desc);
    cur.cache.stop();
    this.deps.log(`stopped serving ${cur.desc.resource}.${cur.desc.group}`);
  }
}
