/**
 * Range reads for {@link SqliteStore}: at the current revision straight from the `kv` table; at an
 * older revision by merging the `kv` rows with the history events after that revision (the first
 * such event of a key tells the key's state at the revision: its "before" side).
 *
 * @module
 */
import type { KeyValue, RangeOptions, RangeResult } from './interfaces.js';
import { prefixEnd, rangeStart } from './keys.js';
import { kvFromRow, stateBefore, type Statements } from './sqlite-schema.js';

export function rangeAt(
  st: Statements,
  prefix: string,
  opts: RangeOptions,
  revision: number,
  current: number,
): RangeResult {
  const start = rangeStart(prefix, opts.startAfter);
  const end = prefixEnd(prefix);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  if (start >= end) return { kvs: [], revision, more: false, remaining: 0 };
  if (revision >= current) {
    const rows = st.rangeKv.all(start, end, limit > 0 ? limit + 1 : -1);
    const more = limit > 0 && rows.length > limit;
    const kvs = (more ? rows.slice(0, limit) : rows).map(kvFromRow);
    const remaining = more ? st.countKv.get(rangeStart(prefix, kvs[kvs.length - 1].key), end)!.n : 0;
    return { kvs, revision, more, remaining };
  }
  return pastRange(st, start, end, limit, revision);
}

/**
 * The state as of `revision`: current rows, overridden by the undo of later events. Reads only the
 * page (plus one row); `remaining` comes from a count adjusted by the keys changed since.
 */
function pastRange(st: Statements, start: string, end: string, limit: number, revision: number): RangeResult {
  // key -> its state at `revision` (undefined: absent), for every key written after it.
  const changed = new Map<string, KeyValue | undefined>();
  for (const row of st.changedSince.iterate(start, end, revision)) {
    if (!changed.has(row.key)) changed.set(row.key, stateBefore(row));
  }
  const changedKeys = [...changed.keys()]; // already ascending (ORDER BY key)
  const want = limit > 0 ? limit + 1 : Infinity;
  const kvs: KeyValue[] = [];
  let ci = 0;
  const takeChanged = () => {
    const kv = changed.get(changedKeys[ci++]);
    if (kv) kvs.push(kv);
  };
  for (const row of st.rangeKv.iterate(start, end, -1)) {
    while (ci < changedKeys.length && changedKeys[ci] < row.key && kvs.length < want) takeChanged();
    if (kvs.length >= want) break;
    if (ci < changedKeys.length && changedKeys[ci] === row.key) takeChanged();
    else kvs.push(kvFromRow(row));
    if (kvs.length >= want) break;
  }
  while (ci < changedKeys.length && kvs.length < want) takeChanged();
  if (kvs.length < want) return { kvs, revision, more: false, remaining: 0 };
  kvs.length = limit;
  const last = kvs[limit - 1].key;
  let remaining = st.countKv.get(last + '\0', end)!.n;
  for (const [key, state] of changed) {
    if (key > last) remaining += (state ? 1 : 0) - (st.hasKv.get(key) ? 1 : 0);
  }
  return { kvs, revision, more: remaining > 0, remaining };
}
