/**
 * Number tokens as written. Go's decoder refuses `1.0` or `1e3` for an int field
 * (`json: cannot unmarshal number 1.0 into Go struct field ...`: strconv.ParseInt takes only
 * digits) and quotes the token as written, but JSON.parse turns `1.0` into `1`. For a body that
 * has such tokens, {@link parseKeepingNumbers} parses it with each one replaced by a marker string
 * carrying its text; the decoder reads the marker, and {@link restoreNumbers} turns every marker
 * back into its number. Bodies without a fraction or exponent anywhere (nearly all) are not
 * re-parsed.
 *
 * @module
 */

const MARK = '\u0000num:';
const MARK_JSON = '\\u0000num:';

/** True for a marker left by {@link parseKeepingNumbers}. */
export function isRawNumber(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(MARK);
}

/** The token text of a marker. */
export function rawNumberText(v: string): string {
  return v.slice(MARK.length);
}

const isNumChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/**
 * Parses valid JSON text with every number token that has a fraction or an exponent replaced by a
 * marker; undefined when there is none (or the text already contains the marker's escape).
 */
export function parseKeepingNumbers(text: string): unknown {
  if (text.includes(MARK_JSON)) return undefined;
  const parts: string[] = [];
  let last = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inStr = false;
      continue;
    }
    if (c === 0x22) {
      inStr = true;
      continue;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i;
      let decimal = false;
      while (j < text.length && isNumChar(text.charCodeAt(j))) {
        const d = text.charCodeAt(j);
        if (d === 0x2e || d === 0x65 || d === 0x45) decimal = true;
        j++;
      }
      if (decimal) {
        parts.push(text.slice(last, i), JSON.stringify(MARK + text.slice(i, j)));
        last = j;
      }
      i = j - 1;
    }
  }
  if (parts.length === 0) return undefined;
  parts.push(text.slice(last));
  return JSON.parse(parts.join('')) as unknown;
}

/** Replaces every marker inside `v` with its number, in place (iterative: any depth). */
export function restoreNumbers(v: unknown): void {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object') continue;
    const o = x as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const e = o[k];
      if (isRawNumber(e)) o[k] = Number(rawNumberText(e));
      else if (e !== null && typeof e === 'object') stack.push(e);
    }
  }
}
