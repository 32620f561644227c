/**
 * The decision cache: keyed by every attribute RBAC reads (user name, groups, verb, namespace,
 * API group, resource, subresource, name for resource requests; verb, namespace and path for
 * non-resource ones), invalidated wholesale when the policy generation moves
 * (guide/architecture.md, "RBAC that does not slow down with size"). Each field is
 * length-prefixed, so no two attribute tuples share a key whatever characters they contain.
 * Bounded (see GenerationCache).
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

/**
 * A bounded map whose content is valid for one generation. Two-segment eviction: entries go to
 * `young`; when it holds maxSize/2 entries it becomes `old` (the previous `old` is dropped) and a
 * hit in `old` is copied back to `young`. O(1) everything, at most maxSize entries, recently used
 * entries survive. (Deleting from the head of one big Map is O(holes) per delete in V8.)
 */
export class GenerationCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private generation = -1;
  private readonly segment: number;
  hits = 0;
  misses = 0;

  constructor(readonly maxSize: number) {
    this.segment = Math.max(1, Math.floor(maxSize / 2));
  }

  get(key: string, generation: number): V | undefined {
    if (generation !== this.generation) {
      this.reset(generation);
      this.misses++;
      return undefined;
    }
    let v = this.young.get(key);
    if (v === undefined) {
      v = this.old.get(key);
      if (v === undefined) {
        this.misses++;
        return undefined;
      }
      this.insert(key, v);
    }
    this.hits++;
    return v;
  }

  set(key: string, generation: number, value: V): void {
    if (generation !== this.generation) this.reset(generation);
    this.insert(key, value);
  }

  private insert(key: string, value: V): void {
    if (this.young.size >= this.segment) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  private reset(generation: number): void {
    this.generation = generation;
    if (this.young.size) this.young = new Map();
    if (this.old.size) this.old = new Map();
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
