/**
 * In-process writes by the server itself (bootstrap objects, controllers): the same strategy
 * (defaults, validation, system metadata) as API writes, without HTTP, authentication or
 * authorization (the equivalent of upstream's loopback client as system:apiserver).
 */
import { ApiError } from '../api/errors.js';
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ResourceDescriptor } from '../registry/types.js';
import type { CachedObject, ObjectStore } from './rest/object-store.js';
import { prepareForCreate, type StrategyEnv } from './rest/strategy.js';

export class InternalClient {
  constructor(
    private readonly stores: Map<ResourceDescriptor, ObjectStore>,
    private readonly env: StrategyEnv,
  ) {}

  store(group: string, resource: string): ObjectStore {
    for (const [d, s] of this.stores) if (d.group === group && d.resource === resource) return s;
    throw new Error(`no store for ${resource}.${group}`);
  }

  /** Creates the object unless one with the same name exists; returns the stored object. */
  async ensure(group: string, resource: string, obj: KubeObject): Promise<CachedObject> {
    const st = this.store(group, resource);
    const ns = obj.metadata?.namespace ?? '';
    const existing = st.get(ns, obj.metadata!.name!);
    if (existing) return existing;
    const prepared = prepareForCreate(st.desc, deepCopy(obj), ns, this.env);
    try {
      return await st.create(prepared);
    } catch (e) {
      if (e instanceof ApiError && e.code === 409) return st.mustGet(ns, obj.metadata!.name!);
      throw e;
    }
  }
}
