/**
 * The decision cache: keyed by every attribute RBAC reads (user name, groups, verb, namespace,
 * API group, resource, subresource, name for resource requests; verb, namespace and path for
 * non-resource ones), invalidated wholesale when the policy generation moves
 * (guide/architecture.md, "RBAC that does not slow down with size"). Each field is
 * length-prefixed, so no two attribute tuples share a key whatever characters they contain.
 * Bounded: when full, the oldest entry is evicted (insertion order).
 *
 * @module
 */
import type { Attributes } from '../interfaces.js';

const f = (s: string): string => `${s.length}:${s}`;

/** The collision-free cache key of the attributes RBAC decides on. */
export function attributesKey(a: Attributes): string {
  let k = a.isResourceRequest ? 'R' : 'N';
  k += f(a.user.name);
  const groups = a.user.groups;
  k += `${groups.length}:`;
  for (let i = 0; i < groups.length; i++) k += f(groups[i]);
  k += f(a.verb) + f(a.namespace);
  if (a.isResourceRequest) k += f(a.apiGroup) + f(a.resource) + f(a.subresource) + f(a.name);
  else k += f(a.path);
  return k;
}

/** A bounded map whose content is valid for one generation. */
export class GenerationCache<V> {
  private readonly map = new Map<string, V>();
  private generation = -1;
  hits = 0;
  misses = 0;

  constructor(readonly maxSize: number) {}

  get(key: string, generation: number): V | undefined {
    if (generation !== this.generation) {
      this.map.clear();
      this.generation = generation;
      this.misses++;
      return undefined;
    }
    const v = this.map.get(key);
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }

  set(key: string, generation: number, value: V): void {
    if (generation !== this.generation) {
      this.map.clear();
      this.generation = generation;
    }
    if (this.map.size >= this.maxSize) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
