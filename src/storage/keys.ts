/**
 * Key-range helpers shared by the storage engines and the watch cache.
 *
 * Keys are compared as strings. SQLite compares TEXT with the BINARY collation (UTF-8 bytes), which
 * agrees with JavaScript's UTF-16 ordering for every BMP character outside U+E000..U+FFFF; registry
 * keys are ASCII, so both sides see one order.
 *
 * @module
 */

/** The smallest string greater than every string that starts with `prefix` (etcd's range end). */
export function prefixEnd(prefix: string): string {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xd7ff || (c > 0xdfff && c < 0xffff)) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  // Empty prefix (or one made only of U+FFFF): everything sorts below the largest code point.
  return '\u{10ffff}';
}

/** The lower bound (inclusive) for a range over `prefix` starting strictly after `startAfter`. */
export function rangeStart(prefix: string, startAfter: string | undefined): string {
  return startAfter !== undefined && startAfter >= prefix ? startAfter + '\0' : prefix;
}

/** Binary search: index of the first item of `items` (sorted by key) whose key is >= `key`. */
export function lowerBound(items: readonly { readonly key: string }[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
