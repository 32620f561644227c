/**
 * The automatic compactor, engine-agnostic (it only needs the {@link Store} contract), modelled on
 * kube-apiserver's etcd compactor (`storage/etcd3/compact.go`): every interval it compacts to the
 * revision it saw on the previous tick, so at least one interval of history stays available for
 * watch resumption. `retainRevisions` additionally caps history to the last N revisions.
 *
 * @module
 */
import type { Store } from './interfaces.js';

export interface CompactorTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface CompactorOptions {
  /** Tick interval in ms (default 300,000 = kube-apiserver's --etcd-compaction-interval). */
  intervalMs?: number;
  /** Also compact so that at most this many revisions of history remain. */
  retainRevisions?: number;
  /** Injected timer (default: global timers, unref'd so they never keep the process alive). */
  timer?: CompactorTimer;
  /** Called when a compaction fails (default: ignored; the next tick retries). */
  onError?: (err: unknown) => void;
}

export interface Compactor {
  /** Runs one tick now (what the timer calls). */
  tick(): Promise<void>;
  stop(): void;
}

const defaultTimer: CompactorTimer = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export function startCompactor(store: Store, opts: CompactorOptions = {}): Compactor {
  const timer = opts.timer ?? defaultTimer;
  let previous = 0;
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const current = await store.currentRevision();
      let target = previous;
      if (opts.retainRevisions !== undefined) target = Math.max(target, current - opts.retainRevisions);
      previous = current;
      if (target > (await store.compactedRevision())) await store.compact(target);
    } catch (err) {
      opts.onError?.(err);
    } finally {
      running = false;
    }
  };
  const handle = timer.setInterval(() => void tick(), opts.intervalMs ?? 300_000);
  return {
    tick,
    stop() {
      stopped = true;
      timer.clearInterval(handle);
    },
  };
}
