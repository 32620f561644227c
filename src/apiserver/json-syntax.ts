/**
 * The text of Go's encoding/json syntax errors (scanner.go) for a document JSON.parse refused:
 * `invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`, and the
 * other scanner contexts. Clients compare these texts (they end up in 400 Status messages), so a
 * rejected body is scanned again here, byte by byte as Go does. Linear, no recursion.
 *
 * @module
 */

/** Go's quoteChar: the byte as a rune, quoted with single quotes. */
export function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const esc: Record<number, string> = {
    7: '\\a',
    8: '\\b',
    9: '\\t',
    10: '\\n',
    11: '\\v',
    12: '\\f',
    13: '\\r',
    0x5c: '\\\\',
  };
  if (esc[c] !== undefined) return `'${esc[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c >= 0x80 && (c < 0xa1 || c === 0xad)) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

type Frame = 'object' | 'array';

/**
 * Go's syntax error for `data`, or undefined when it is valid JSON. A document deeper than Go's
 * 10000 levels gets Go's `exceeded max depth` text.
 */
export function goJsonSyntaxError(data: Uint8Array): string | undefined {
  const stack: Frame[] = [];
  let i = 0;
  const n = data.length;
  const bad = (ctx: string): string => `invalid character ${quoteChar(data[i]!)} ${ctx}`;
  const EOF = 'unexpected end of JSON input';
  const skip = (): void => {
    while (i < n && isSpace(data[i]!)) i++;
  };
  // Scans one value starting at i (whitespace skipped); returns an error or undefined.
  const literal = (word: string): string | undefined => {
    for (let j = 1; j < word.length; j++) {
      i++;
      if (i >= n) return EOF;
      if (data[i] !== word.charCodeAt(j))
        return bad(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(j))})`);
    }
    i++;
    return undefined;
  };
  const string = (): string | undefined => {
    i++;
    for (;;) {
      if (i >= n) return EOF;
      const c = data[i]!;
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        i++;
        if (i >= n) return EOF;
        const e = data[i]!;
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= n) return EOF;
            if (!isHex(data[i]!)) return bad('in \\u hexadecimal character escape');
          }
        } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) return bad('in string escape code');
      } else if (c < 0x20) return bad('in string literal');
      i++;
    }
  };
  const number = (): string | undefined => {
    if (data[i] === 0x2d) {
      i++;
      if (i >= n) return EOF;
      if (!isDigit(data[i]!)) return bad('in numeric literal');
    }
    if (data[i] === 0x30) i++;
    else while (i < n && isDigit(data[i]!)) i++;
    if (i < n && data[i] === 0x2e) {
      i++;
      if (i >= n) return EOF;
      if (!isDigit(data[i]!)) return bad('after decimal point in numeric literal');
      while (i < n && isDigit(data[i]!)) i++;
    }
    if (i < n && (data[i] === 0x65 || data[i] === 0x45)) {
      i++;
      if (i < n && (data[i] === 0x2b || data[i] === 0x2d)) i++;
      if (i >= n) return EOF;
      if (!isDigit(data[i]!)) return bad('in exponent of numeric literal');
      while (i < n && isDigit(data[i]!)) i++;
    }
    return undefined;
  };
  // States: 'value' (expect a value), 'key' (expect a key string), 'afterKey', 'afterValue'.
  let state: 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'afterKey' | 'afterValue' = 'value';
  for (;;) {
    skip();
    if (i >= n) return stack.length === 0 && state === 'afterValue' ? undefined : EOF;
    const c = data[i]!;
    if (state === 'valueOrEnd' && c === 0x5d) {
      stack.pop();
      i++;
      state = 'afterValue';
      continue;
    }
    if (state === 'keyOrEnd' && c === 0x7d) {
      stack.pop();
      i++;
      state = 'afterValue';
      continue;
    }
    if (state === 'key' || state === 'keyOrEnd') {
      if (c !== 0x22) return bad('looking for beginning of object key string');
      const e = string();
      if (e) return e;
      state = 'afterKey';
      continue;
    }
    if (state === 'afterKey') {
      if (c !== 0x3a) return bad('after object key');
      i++;
      state = 'value';
      continue;
    }
    if (state === 'afterValue') {
      const top = stack[stack.length - 1];
      if (top === undefined) return bad('after top-level value');
      if (c === 0x2c) {
        i++;
        state = top === 'object' ? 'key' : 'value';
        continue;
      }
      if (top === 'object' && c === 0x7d) {
        stack.pop();
        i++;
        continue;
      }
      if (top === 'array' && c === 0x5d) {
        stack.pop();
        i++;
        continue;
      }
      return bad(top === 'object' ? 'after object key:value pair' : 'after array element');
    }
    // state is value / valueOrEnd
    let e: string | undefined;
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= 10000) return 'exceeded max depth';
      stack.push(c === 0x7b ? 'object' : 'array');
      i++;
      state = c === 0x7b ? 'keyOrEnd' : 'valueOrEnd';
      continue;
    }
    if (c === 0x22) e = string();
    else if (c === 0x2d || isDigit(c)) e = number();
    else if (c === 0x74) e = literal('true');
    else if (c === 0x66) e = literal('false');
    else if (c === 0x6e) e = literal('null');
    else return bad('looking for beginning of value');
    if (e) return e;
    state = 'afterValue';
  }
}

/** upstream's summarizeData (handlers/rest.go): the body start, as text if it is an object, else hex. */
export function summarizeData(data: Uint8Array, max = 30): string {
  if (data.length === 0) return '<empty>';
  const head = data.subarray(0, max);
  const more = data.length > max ? ' ...' : '';
  if (data[0] === 0x7b) return Buffer.from(head).toString('utf8') + more;
  return Buffer.from(head).toString('hex') + more;
}
