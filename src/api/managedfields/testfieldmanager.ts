/**
 * A test double of one object's write history, after upstream's
 * k8s.io/apimachinery/pkg/util/managedfields/internal/testing/testfieldmanager.go: it keeps the
 * live object and runs updates (operation Update) and applies against it as the API server's
 * field manager chain does, so upstream's fieldmanager tests can be ported case for case.
 */
import { parse } from 'yaml';
import type { KubeObject, ManagedFieldsEntry } from '../types.js';
import { applyWithLastApplied } from './lastapplied.js';
import { updateManagedFields } from './managedfields.js';

export interface TestFieldManagerOptions {
  apiVersion: string;
  kind: string;
  /** NewTestFieldManagerSubresource: every write goes through this subresource. */
  subresource?: string;
  /** capManagers limit (upstream tests build the chain with 3). */
  maxUpdateManagers?: number;
  /** The clock; every operation advances it by one second unless `tick` is 0. */
  start?: Date;
  tick?: number;
}

export class TestFieldManager {
  private live: KubeObject;
  private exists = false;
  private clock: number;

  constructor(private readonly o: TestFieldManagerOptions) {
    this.live = this.empty();
    this.clock = (o.start ?? new Date('2024-01-01T00:00:00Z')).getTime();
  }

  private empty(): KubeObject {
    return { apiVersion: this.o.apiVersion, kind: this.o.kind };
  }

  private now(): Date {
    const d = new Date(this.clock);
    this.clock += (this.o.tick ?? 1) * 1000;
    return d;
  }

  /** Back to an empty, never-written object. */
  reset(): void {
    this.live = this.empty();
    this.exists = false;
  }

  /** A copy of the live object. */
  liveObject(): KubeObject {
    return structuredClone(this.live);
  }

  managedFields(): ManagedFieldsEntry[] {
    return this.live.metadata?.managedFields ?? [];
  }

  /** Update (PUT or non-apply patch) writing `obj` as `manager`. */
  update(obj: KubeObject, manager: string): void {
    const next = updateManagedFields(this.exists ? this.live : undefined, structuredClone(obj), {
      manager,
      operation: 'Update',
      apiVersion: this.o.apiVersion,
      subresource: this.o.subresource,
      now: this.now(),
      maxUpdateManagers: this.o.maxUpdateManagers,
    });
    this.live = next;
    this.exists = true;
  }

  /** Server-side apply of `obj` as `manager`; throws the 409 ApiError on conflicts. */
  apply(obj: KubeObject, manager: string, force = false): void {
    const { object } = applyWithLastApplied(this.exists ? this.live : undefined, structuredClone(obj), {
      manager,
      force,
      apiVersion: this.o.apiVersion,
      subresource: this.o.subresource,
      now: this.now(),
    });
    this.live = object;
    this.exists = true;
  }
}

/** Parses a YAML test object as sigs.k8s.io/yaml does into unstructured content. */
export function yamlObject(text: string): KubeObject {
  return (parse(text) ?? {}) as KubeObject;
}

/**
 * apiequality.Semantic.DeepDerivative: every value set in `a` is equal in `b` (an empty or
 * missing map or list in `a` matches anything).
 */
export function deepDerivative(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return true;
  if (Array.isArray(a)) {
    if (a.length === 0) return true;
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepDerivative(x, b[i]));
  }
  if (typeof a === 'object') {
    const entries = Object.entries(a);
    if (entries.length === 0) return true;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    return entries.every(([k, v]) => deepDerivative(v, (b as Record<string, unknown>)[k]));
  }
  return a === b;
}
