/**
 * @module authz/duration
 *
 * Go `time.ParseDuration` and `time.Duration.String()` for config files (metav1.Duration is a Go
 * duration string such as `3s`, `1m30s`, `500ms`). Values are milliseconds (fractions allowed).
 */

const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses a Go duration; throws `time: invalid duration "<s>"` like Go. */
export function parseGoDuration(s: string): number {
  const invalid = (): Error => new Error(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  const re = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest) {
    const m = re.exec(rest);
    if (!m) throw invalid();
    total += parseFloat(m[1]) * UNITS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** Formats milliseconds as Go's Duration.String(): `0s`, `500ms`, `1.5s`, `1m0s`, `1h2m3s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let v = Math.abs(ms);
  let out: string;
  if (v < 1000) {
    out = v >= 1 ? `${trim(v)}ms` : v >= 1e-3 ? `${trim(v * 1000)}µs` : `${trim(v * 1e6)}ns`;
  } else {
    const h = Math.floor(v / 3_600_000);
    v -= h * 3_600_000;
    const m = Math.floor(v / 60_000);
    v -= m * 60_000;
    out = `${trim(v / 1000)}s`;
    if (h || m) out = `${m}m${out}`;
    if (h) out = `${h}h${out}`;
  }
  return neg ? `-${out}` : out;
}

const trim = (n: number): string => String(Number(n.toFixed(9)));
