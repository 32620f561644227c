/**
 * A fixed-capacity ring buffer of recent events in ascending revision order: the watch cache's
 * window for resuming watches (upstream `watchCache.cache`). Pushing into a full ring evicts the
 * oldest event and returns it, so the owner can move its "oldest servable revision" forward.
 *
 * @module
 */

export interface Revisioned {
  revision: number;
}

export class EventRing<E extends Revisioned> {
  private readonly buf: (E | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be >= 1, got ${capacity}`);
    this.buf = new Array<E | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends an event (revision >= the last one); returns the evicted event when full. */
  push(ev: E): E | undefined {
    if (this.count < this.capacity) {
      this.buf[(this.start + this.count++) % this.capacity] = ev;
      return undefined;
    }
    const evicted = this.buf[this.start];
    this.buf[this.start] = ev;
    this.start = (this.start + 1) % this.capacity;
    return evicted;
  }

  private at(i: number): E {
    return this.buf[(this.start + i) % this.capacity]!;
  }

  /** Events with revision > afterRevision, oldest first (binary search, then copy). */
  since(afterRevision: number): E[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= afterRevision) lo = mid + 1;
      else hi = mid;
    }
    const out: E[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
