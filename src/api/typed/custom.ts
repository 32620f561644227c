/**
 * The API types with their own JSON form (a Go UnmarshalJSON method), checked as upstream decodes
 * them: meta/v1 Time and MicroTime (RFC 3339 strings, time.Parse), Duration (time.ParseDuration),
 * resource.Quantity (ParseQuantity), intstr.IntOrString (a JSON string or an int32), and the
 * opaque FieldsV1 and RawExtension (any JSON). Sources: k8s.io/apimachinery pkg/apis/meta/v1
 * time.go, micro_time.go, duration.go; pkg/api/resource/quantity.go; pkg/util/intstr/intstr.go.
 *
 * @module
 */
import { isRawNumber, rawNumberText } from './raw-numbers.js';

/** What a custom type's UnmarshalJSON makes of a value. */
export type CustomResult =
  | { readonly ok: true; readonly value: unknown }
  /** An inner json.Unmarshal type error (`cannot unmarshal <value> into ... of type <goType>`). */
  | { readonly ok: false; readonly value: string; readonly goType: string }
  /** Any other error, written as is. */
  | { readonly ok: false; readonly message: string };

export const CUSTOM_TYPES: ReadonlySet<string> = new Set([
  'meta.v1.Time',
  'meta.v1.MicroTime',
  'meta.v1.Duration',
  'meta.v1.FieldsV1',
  'runtime.RawExtension',
  'resource.Quantity',
  'intstr.IntOrString',
]);

/** encoding/json's word for a JSON value in `cannot unmarshal <word>` (numbers as `number`). */
export function jsonWord(v: unknown): string {
  if (v === null) return 'null';
  if (isRawNumber(v)) return 'number';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'string';
}

const GO_CONTROL: Record<string, string> = { '07': '\\a', '0b': '\\v' };

/**
 * Go's strconv.Quote (fmt `%q`): JSON's escapes, but `\a`, `\v` and `\xNN` for the other control
 * characters, and U+2028/U+2029 escaped. (Go also escapes a few rarer non-printable runes.)
 */
export function goQuote(s: string): string {
  return JSON.stringify(s)
    .replace(/(\\+)u00([01][0-9a-f])/g, (m, bs: string, hex: string) =>
      bs.length % 2 === 0 ? m : `${bs.slice(1)}${GO_CONTROL[hex] ?? `\\x${hex}`}`,
    )
    .replace(/[\u2028\u2029\x7f]/g, (c) => (c === '\x7f' ? '\\x7f' : c === '\u2028' ? '\\u2028' : '\\u2029'));
}

const QUANTITY_FORMAT =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIXES = new Set([
  '',
  'Ki',
  'Mi',
  'Gi',
  'Ti',
  'Pi',
  'Ei',
  'n',
  'u',
  'm',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
]);

/** ParseQuantity's error for a string, or undefined when it parses. */
export function quantityError(s: string): string | undefined {
  const m = /^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(.*)$/s.exec(s);
  if (!m || !/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(m[2]!)) return QUANTITY_FORMAT;
  const suffix = m[2]!;
  if (!SUFFIXES.has(suffix) && !/^[eE][-+]?[0-9]+$/.test(suffix)) return "unable to parse quantity's suffix";
  return undefined;
}

const RFC3339 = '2006-01-02T15:04:05Z07:00';
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** time.Parse(time.RFC3339, s)'s error, or undefined when it parses. */
export function rfc3339Error(s: string): string | undefined {
  const cannot = (rest: string, elem: string): string =>
    `parsing time ${goQuote(s)} as ${goQuote(RFC3339)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  const range = (what: string): string => `parsing time ${goQuote(s)}: ${what} out of range`;
  const steps: [RegExp, string][] = [
    [/^\d{4}/, '2006'],
    [/^-/, '-'],
    [/^\d{2}/, '01'],
    [/^-/, '-'],
    [/^\d{2}/, '02'],
    [/^T/, 'T'],
    [/^\d{1,2}/, '15'],
    [/^:/, ':'],
    [/^\d{2}/, '04'],
    [/^:/, ':'],
    [/^\d{2}(?:[.,]\d+)?/, '05'],
    [/^(?:Z|[+-]\d{2}:\d{2})/, 'Z07:00'],
  ];
  let rest = s;
  const nums: number[] = [];
  for (const [re, elem] of steps) {
    const m = re.exec(rest);
    if (!m) return cannot(rest, elem);
    if (/^\d/.test(m[0])) nums.push(Number(m[0].slice(0, m[0].search(/[.,]|$/))));
    rest = rest.slice(m[0].length);
  }
  const [year, month, day, hour, minute, second] = nums as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return range('month');
  if (hour > 23) return range('hour');
  if (minute > 59) return range('minute');
  if (second > 59) return range('second');
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : DAYS[month - 1]!;
  if (day < 1 || day > days) return range('day');
  if (rest !== '') return `parsing time ${goQuote(s)}: extra text: ${goQuote(rest)}`;
  return undefined;
}

/** time.ParseDuration's error, or undefined when it parses. */
export function durationError(s: string): string | undefined {
  if (s === '0' || s === '+0' || s === '-0') return undefined;
  const body = s.replace(/^[-+]/, '');
  if (body === '') return `time: invalid duration ${goQuote(s)}`;
  const re = /^(\d*\.?\d*)([^\d.]*)/;
  let rest = body;
  while (rest !== '') {
    const m = re.exec(rest)!;
    if (m[1] === '' || m[1] === '.') return `time: invalid duration ${goQuote(s)}`;
    if (m[2] === '') return `time: missing unit in duration ${goQuote(s)}`;
    if (!['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h'].includes(m[2]!))
      return `time: unknown unit ${goQuote(m[2]!)} in duration ${goQuote(s)}`;
    rest = rest.slice(m[0].length);
  }
  return undefined;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * `number 1.5` for a number Go's strconv.ParseInt cannot take as an int of this range; a token
 * kept as written (raw-numbers.ts: it has a fraction or an exponent) never parses.
 */
export function intError(v: number | string, bits: 32 | 64): string | undefined {
  if (typeof v === 'string') return `number ${rawNumberText(v)}`;
  if (!Number.isInteger(v)) return `number ${String(v)}`;
  if (bits === 32 && (v < INT32_MIN || v > INT32_MAX)) return `number ${String(v)}`;
  if (bits === 64 && !Number.isSafeInteger(v) && Math.abs(v) >= 2 ** 63) return `number ${String(v)}`;
  return undefined;
}

/** Decodes `v` as the custom type `key` does; `value` is the normalised JSON. */
export function decodeCustom(key: string, v: unknown): CustomResult {
  switch (key) {
    case 'meta.v1.Time':
    case 'meta.v1.MicroTime': {
      if (v === null) return { ok: true, value: null };
      if (typeof v !== 'string' || isRawNumber(v)) return { ok: false, value: jsonWord(v), goType: 'string' };
      const message = rfc3339Error(v);
      return message === undefined ? { ok: true, value: v } : { ok: false, message };
    }
    case 'meta.v1.Duration': {
      if (v === null) return { ok: true, value: null };
      if (typeof v !== 'string' || isRawNumber(v)) return { ok: false, value: jsonWord(v), goType: 'string' };
      const message = durationError(v);
      return message === undefined ? { ok: true, value: v } : { ok: false, message };
    }
    case 'resource.Quantity': {
      if (v === null) return { ok: true, value: null };
      if (isRawNumber(v)) {
        const message = quantityError(rawNumberText(v));
        if (message !== undefined) return { ok: false, message };
        const n = Number(rawNumberText(v));
        return { ok: true, value: Number.isInteger(n) ? String(n) : v };
      }
      const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined;
      const message = text === undefined ? QUANTITY_FORMAT : quantityError(text);
      if (message !== undefined) return { ok: false, message };
      return { ok: true, value: typeof v === 'number' && Number.isInteger(v) ? String(v) : v };
    }
    case 'intstr.IntOrString': {
      if (isRawNumber(v)) return { ok: false, value: intError(v, 32)!, goType: 'int32' };
      if (v === null || typeof v === 'string') return { ok: true, value: v };
      if (typeof v === 'number') {
        const bad = intError(v, 32);
        return bad === undefined ? { ok: true, value: v } : { ok: false, value: bad, goType: 'int32' };
      }
      return { ok: false, value: jsonWord(v), goType: 'int32' };
    }
    default:
      return { ok: true, value: v };
  }
}
