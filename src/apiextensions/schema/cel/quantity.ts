/**
 * @module apiextensions/schema/cel/quantity
 *
 * resource.Quantity parsing for the CEL quantity library (k8s.io/apimachinery/pkg/api/resource):
 * `<sign><digits>[.<digits>]<suffix>` with binary (Ki..Ei), decimal (n, u, m, "", k, M..E) or
 * exponent (e3, E-2) suffixes; values are kept as exact fractions.
 */

export interface Quantity {
  /** num / den, reduced; den > 0. */
  value: { num: bigint; den: bigint };
  format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
}

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Parses a quantity string; undefined when it is not one. */
export function parseQuantity(s: string): Quantity | undefined {
  const m = RE.exec(s);
  if (!m) return undefined;
  const [, sign, digits, suffix = ''] = m;
  const [intPart, frac = ''] = digits.split('.');
  let num = BigInt((intPart || '0') + frac);
  let den = 10n ** BigInt(frac.length);
  let format: Quantity['format'] = 'DecimalSI';
  if (suffix in BINARY) {
    num *= BINARY[suffix];
    format = 'BinarySI';
  } else {
    const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (!(suffix in DECIMAL)) format = 'DecimalExponent';
    if (Math.abs(exp) > 1000) return undefined;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  if (sign === '-') num = -num;
  const g = gcd(num, den) || 1n;
  return { value: { num: num / g, den: den / g }, format };
}

/** A string that parses back to the same value (not necessarily the canonical form). */
export function quantityString(q: Quantity): string {
  const { num, den } = q.value;
  if (den === 1n) return String(num);
  // den is 2^a * 5^b for parsed values; scale to a power of ten
  let scale = 0;
  let d = den;
  let n = num;
  while (d !== 1n && scale < 64) {
    if (d % 10n === 0n) d /= 10n;
    else if (d % 2n === 0n) {
      d /= 2n;
      n *= 5n;
    } else if (d % 5n === 0n) {
      d /= 5n;
      n *= 2n;
    } else break;
    scale++;
  }
  return `${n}e-${scale}`;
}
