/**
 * JSON forms of the Kubernetes types whose JSON is not their protobuf message shape
 * (k8s.io/apimachinery/pkg/apis/meta/v1 time.go, micro_time.go, duration.go; pkg/util/intstr;
 * pkg/api/resource): RFC 3339 times, Go duration strings, and base64 bytes.
 *
 * @module
 */
import { ProtobufDecodeError } from './errors.js';

/** Unix seconds of Go's zero time, 0001-01-01T00:00:00Z. */
export const GO_ZERO_TIME_SECONDS = -62135596800n;
/** Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range RFC 3339 can write. */
const MIN_SECONDS = -62167219200n;
const MAX_SECONDS = 253402300799n;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DDTHH:MM:SS` (UTC) for Unix seconds inside the RFC 3339 year range. */
function dateTime(seconds: bigint): string {
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
    throw new ProtobufDecodeError('ERR_PB_INVALID', `protobuf: time ${seconds}s is outside years 0000-9999`);
  }
  const d = new Date(Number(seconds) * 1000);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

/**
 * metav1.Time: `2024-01-02T03:04:05Z`. Go's decoder ignores nanos (`time.Unix(seconds, 0)`).
 * @returns null for the zero time (seconds = -62135596800).
 */
export function formatTime(seconds: bigint): string | null {
  if (seconds === GO_ZERO_TIME_SECONDS) return null;
  return `${dateTime(seconds)}Z`;
}

/**
 * metav1.MicroTime: `2024-01-02T03:04:05.123456Z` (always 6 digits, nanos truncated), after Go's
 * `time.Unix(seconds, nanos)` normalisation of out-of-range nanos.
 * @returns null for the zero time.
 */
export function formatMicroTime(seconds: bigint, nanos: number): string | null {
  const total = seconds * 1_000_000_000n + BigInt(nanos);
  let s = total / 1_000_000_000n;
  let ns = total % 1_000_000_000n;
  if (ns < 0n) {
    ns += 1_000_000_000n;
    s -= 1n;
  }
  if (s === GO_ZERO_TIME_SECONDS && ns === 0n) return null;
  return `${dateTime(s)}.${pad(Number(ns / 1000n), 6)}Z`;
}

/** Go's fmtFrac: the fraction of v/10^prec without trailing zeros (and without "." if zero). */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = String(digit) + out;
    v /= 10n;
  }
  return [print ? `.${out}` : '', v];
}

/** metav1.Duration: Go's `time.Duration.String()` of int64 nanoseconds (`1m30s`, `1.5s`, `0s`). */
export function formatDuration(nanos: bigint): string {
  const neg = nanos < 0n;
  let u = neg ? -nanos : nanos;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < 1000n) [unit, prec] = ['ns', 0];
    else if (u < 1_000_000n) [unit, prec] = ['µs', 3];
    else [unit, prec] = ['ms', 6];
    const [frac, whole] = fmtFrac(u, prec);
    out = `${whole}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Standard base64 with padding, as Go's encoding/json writes []byte. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Go strings are bytes; its JSON encoder replaces invalid UTF-8 with U+FFFD, as this does. */
export function utf8String(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * FieldsV1 / RawExtension: the raw bytes are a JSON document inserted verbatim.
 * @returns null for empty bytes.
 * @throws ProtobufDecodeError when the bytes are not JSON.
 */
export function embeddedJson(bytes: Uint8Array, what: string): unknown {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(utf8String(bytes)) as unknown;
  } catch {
    throw new ProtobufDecodeError('ERR_PB_INVALID', `protobuf: ${what} does not hold JSON`);
  }
}
