/**
 * Durability under kill -9: a child process issues 1,000 concurrent creates against a file store
 * and prints each acknowledged key; the parent kills it with SIGKILL after ~300 acknowledgements,
 * reopens the database and checks that every acknowledged write is there with its revision and
 * that the database is consistent (integrity check, revisions unique and increasing, the history
 * matches the current table, the next revision is larger than every one handed out).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/storage/sqlite.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Runs the child and SIGKILLs it after `killAfter` acks; resolves with the acked key -> revision. */
function runChild(
  dbPath: string,
  killAfter: number,
): Promise<{ acked: Map<string, number>; finished: boolean }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'fixtures', 'storage-crash-child.ts'), dbPath],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acked = new Map<string, number>();
  let finished = false;
  let buf = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const line of lines) {
      if (line === 'done') finished = true;
      const [key, rev] = line.split(' ');
      if (key.startsWith('/registry/')) acked.set(key, Number(rev));
    }
    if (acked.size >= killAfter && child.exitCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ acked, finished });
    });
  });
}

test(
  'acknowledged creates survive kill -9 and the database stays consistent',
  { timeout: 60_000 },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeauth-crash-'));
    try {
      const dbPath = join(dir, 'state.db');
      const { acked, finished } = await runChild(dbPath, 300);
      t.diagnostic(`acknowledged before kill: ${acked.size}; child finished: ${finished}`);
      assert.ok(acked.size >= 300);

      const raw = new Database(dbPath);
      assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
      const rows = raw.prepare('SELECT key, mod_rev, create_rev FROM kv').all() as {
        key: string;
        mod_rev: number;
        create_rev: number;
      }[];
      const hist = raw.prepare('SELECT rev, key FROM history ORDER BY rev').all() as {
        rev: number;
        key: string;
      }[];
      const metaRev = (
        raw.prepare("SELECT value FROM meta WHERE name = 'revision'").get() as { value: number }
      ).value;
      raw.close();
      t.diagnostic(`committed in the database after the crash: ${rows.length}`);

      const revs = rows.map((r) => r.mod_rev).sort((a, b) => a - b);
      assert.equal(new Set(revs).size, revs.length, 'revisions are unique');
      revs.forEach((r, i) => assert.equal(r, i + 1, 'committed creates hold revisions 1..n without gaps'));
      assert.deepEqual(
        hist.map((h) => h.rev),
        revs,
        'history has exactly one event per committed revision',
      );
      assert.equal(metaRev, revs.length);
      for (const r of rows) assert.equal(r.create_rev, r.mod_rev);

      const store = await openSqliteStore(dbPath, { compaction: false });
      try {
        for (const [key, rev] of acked) {
          const kv = await store.get(key);
          assert.ok(kv, `acknowledged key ${key} is missing after kill -9`);
          assert.equal(kv.modRevision, rev, `revision of ${key}`);
        }
        const current = await store.currentRevision();
        assert.equal(current, revs.length);
        const next = await store.create('/registry/crash/after', new Uint8Array([1]));
        assert.equal(next.modRevision, current + 1);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
