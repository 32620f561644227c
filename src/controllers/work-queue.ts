/**
 * The controllers' work queue (a small client-go workqueue): keys are de-duplicated while they
 * wait, processed one at a time in arrival order, and a failed key is logged and, with
 * `retryMs`, retried later. `idle()` resolves once nothing is queued or running.
 */
export class WorkQueue {
  private readonly keys = new Set<string>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly process: (key: string) => Promise<void>,
    private readonly opts: { name: string; log: (m: string) => void; retryMs?: number },
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.keys.add(key);
    if (!this.running) void this.drain();
  }

  stop(): void {
    this.stopped = true;
    this.keys.clear();
  }

  /** Resolves once nothing is queued or running (after letting pending events arrive). */
  async idle(): Promise<void> {
    do await new Promise((r) => setImmediate(r));
    while (this.keys.size || this.running);
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.keys.size && !this.stopped) {
        const key = this.keys.values().next().value as string;
        this.keys.delete(key);
        try {
          await this.process(key);
        } catch (e) {
          this.opts.log(`${this.opts.name}: ${key}: ${(e as Error).message}`);
          if (this.opts.retryMs) setTimeout(() => this.add(key), this.opts.retryMs).unref();
        }
      }
    } finally {
      this.running = false;
    }
  }
}
