/**
 * Object-metadata helpers shared by the REST layer and controllers: timestamps in Kubernetes'
 * RFC3339 form, UIDs, generateName suffixes (names.SimpleNameGenerator), deep copies for
 * writes. Randomness and time are injectable.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { KubeObject } from './types.js';

/** metav1.Time JSON: RFC3339 with second precision, UTC. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface Randomness {
  uuid(): string;
  /** An integer in [0, max). */
  int(max: number): number;
}

export const cryptoRandomness: Randomness = { uuid: () => randomUUID(), int: (max) => randomInt(max) };

const alphanums = 'bcdfghjklmnpqrstvwxz2456789';
const maxGeneratedNameLength = 63 - 5; // names.MaxGeneratedNameLength

export function generateName(base: string, rnd: Randomness = cryptoRandomness): string {
  const b = base.length > maxGeneratedNameLength ? base.slice(0, maxGeneratedNameLength) : base;
  let s = '';
  for (let i = 0; i < 5; i++) s += alphanums[rnd.int(alphanums.length)];
  return b + s;
}

/** A structural copy of a JSON value (objects from the cache must not be mutated). */
export function deepCopy<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function nameOf(o: KubeObject): string {
  return o.metadata?.name ?? '';
}

export function namespaceOf(o: KubeObject): string {
  return o.metadata?.namespace ?? '';
}
