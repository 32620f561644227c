/**
 * The SQLite schema of {@link SqliteStore} and its prepared statements (each prepared once).
 *
 * - `kv`: the current value of each live key with its create and mod revisions.
 * - `history`: one row per revision (the event log), enough to rebuild the watch event with its
 *   prevKv and to undo the event when reading the state as of an older revision.
 * - `meta`: `revision` (last revision handed out; never reused) and `compacted` (history at or
 *   below it is gone).
 *
 * @module
 */
import type Database from 'better-sqlite3';
import type { KeyValue, WatchEvent } from './interfaces.js';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  create_rev INTEGER NOT NULL,
  mod_rev INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS history (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type INTEGER NOT NULL,        -- 0 PUT, 1 DELETE
  value BLOB,                   -- PUT: the new value; DELETE: NULL
  create_rev INTEGER NOT NULL,  -- create revision of the key (PUT: after, DELETE: of the deleted key)
  prev_value BLOB,              -- the value before this event; NULL when a PUT created the key
  prev_mod_rev INTEGER          -- mod revision before this event; NULL when a PUT created the key
);
CREATE INDEX IF NOT EXISTS history_key_rev ON history (key, rev);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

export const PUT = 0;
export const DELETE = 1;

export interface KvRow {
  key: string;
  value: Uint8Array;
  create_rev: number;
  mod_rev: number;
}

export interface HistoryRow {
  rev: number;
  key: string;
  type: number;
  value: Uint8Array | null;
  create_rev: number;
  prev_value: Uint8Array | null;
  prev_mod_rev: number | null;
}

/** All statements, prepared once per database. */
export function prepareStatements(db: Database.Database) {
  return {
    getKv: db.prepare<[string], KvRow>('SELECT key, value, create_rev, mod_rev FROM kv WHERE key = ?'),
    putKv: db.prepare<[string, Uint8Array, number, number]>(
      'INSERT OR REPLACE INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)',
    ),
    hasKv: db.prepare<[string], { x: number }>('SELECT 1 AS x FROM kv WHERE key = ?'),
    delKv: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
    insHistory: db.prepare<
      [number, string, number, Uint8Array | null, number, Uint8Array | null, number | null]
    >(
      'INSERT INTO history (rev, key, type, value, create_rev, prev_value, prev_mod_rev) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    getMeta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE name = ?'),
    setMeta: db.prepare<[string, number]>('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)'),
    /** [start, end) ordered by key; LIMIT -1 means all. */
    rangeKv: db.prepare<[string, string, number], KvRow>(
      'SELECT key, value, create_rev, mod_rev FROM kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
    ),
    countKv: db.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM kv WHERE key >= ? AND key < ?',
    ),
    /** Events in [start, end) after a revision, ordered by key then revision (for snapshots). */
    changedSince: db.prepare<[string, string, number], HistoryRow>(
      'SELECT * FROM history WHERE key >= ? AND key < ? AND rev > ? ORDER BY key, rev',
    ),
    /** Events with after < rev <= upTo in [start, end), by revision (watch replay). */
    replay: db.prepare<[number, number, string, string, number], HistoryRow>(
      'SELECT * FROM history WHERE rev > ? AND rev <= ? AND key >= ? AND key < ? ORDER BY rev LIMIT ?',
    ),
    deleteHistory: db.prepare<[number, number]>('DELETE FROM history WHERE rev > ? AND rev <= ?'),
    maxHistoryRev: db.prepare<[], { rev: number | null }>('SELECT max(rev) AS rev FROM history'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

export function kvFromRow(row: KvRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.create_rev, modRevision: row.mod_rev };
}

/** The key's state just before the history event `row` (undefined: it did not exist). */
export function stateBefore(row: HistoryRow): KeyValue | undefined {
  if (row.prev_value === null || row.prev_mod_rev === null) return undefined;
  return {
    key: row.key,
    value: row.prev_value,
    createRevision: row.create_rev,
    modRevision: row.prev_mod_rev,
  };
}

/** Rebuilds the watch event recorded by a history row. */
export function eventFromRow(row: HistoryRow): WatchEvent {
  const prevKv = stateBefore(row);
  if (row.type === DELETE) {
    const value = row.prev_value ?? new Uint8Array();
    return {
      type: 'DELETE',
      kv: { key: row.key, value, createRevision: row.create_rev, modRevision: row.rev },
      prevKv,
      created: false,
    };
  }
  const kv = {
    key: row.key,
    value: row.value ?? new Uint8Array(),
    createRevision: row.create_rev,
    modRevision: row.rev,
  };
  return prevKv ? { type: 'PUT', kv, prevKv, created: false } : { type: 'PUT', kv, created: true };
}
