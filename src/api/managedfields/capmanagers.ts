/**
 * Capping the number of Update entries, after
 * k8s.io/apimachinery/pkg/util/managedfields/internal/capmanagers.go: when a write leaves more
 * than {@link MAX_UPDATE_MANAGERS} entries with operation Update, the oldest are folded, per
 * apiVersion, into an "ancient-changes" entry that takes the fields and the time of the newest
 * entry folded into it. The first (oldest) entry of each apiVersion is only folded once a second
 * one of that version is. Apply entries are never folded.
 */
import { union } from './fieldpath.js';
import { managerKey, type ManagerEntry } from './managedfields.js';

/** DefaultMaxUpdateManagers. */
export const MAX_UPDATE_MANAGERS = 10;

const BUCKET = 'ancient-changes';

function seconds(e: ManagerEntry): number {
  return e.time ? Math.floor(Date.parse(e.time) / 1000) : 0;
}

/** capUpdateManagers: returns the entries with the oldest updaters folded; input not mutated. */
export function capUpdateManagers(entries: ManagerEntry[], max = MAX_UPDATE_MANAGERS): ManagerEntry[] {
  const byKey = new Map<string, ManagerEntry>(entries.map((e) => [managerKey(e), { ...e }]));
  const updaters = [...byKey.keys()].filter((k) => byKey.get(k)!.operation === 'Update');
  if (updaters.length <= max) return entries;
  updaters.sort((a, b) => {
    const d = seconds(byKey.get(a)!) - seconds(byKey.get(b)!);
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  });
  const firstOfVersion = new Map<string, string>();
  let length = updaters.length;
  for (let i = 0; i < updaters.length && length > max; i++) {
    const key = updaters[i];
    const entry = byKey.get(key)!;
    const version = entry.apiVersion;
    const bucket = managerKey({ manager: BUCKET, operation: 'Update', apiVersion: version });
    const first = firstOfVersion.get(version);
    if (first === undefined) {
      firstOfVersion.set(version, key);
      continue;
    }
    if (!byKey.has(bucket)) {
      const f = byKey.get(first)!;
      byKey.delete(first);
      byKey.set(bucket, { manager: BUCKET, operation: 'Update', apiVersion: version, set: f.set });
    }
    const b = byKey.get(bucket)!;
    byKey.set(bucket, {
      manager: BUCKET,
      operation: 'Update',
      apiVersion: version,
      set: union(entry.set, b.set),
      ...(entry.time ? { time: entry.time } : {}),
    });
    byKey.delete(key);
    length--;
  }
  return [...byKey.values()];
}
