/**
 * Go's fmt verbs for values decoded from JSON into interface{}, as upstream's error texts print
 * them: `%v` (`map[a:b]`, `[x y]`, `1.5`, `<nil>`) and `%#v` (`map[string]interface {}{"a":"b"}`).
 * Map keys print sorted, as fmt does.
 *
 * @module
 */
import { goQuote } from './custom.js';

function num(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  // Go's %v of a float64 is strconv 'g' with the shortest precision: 1e+21, 1.5e-07.
  const s = String(n);
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

/** fmt's `%v`. */
export function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goV(o[k])}`)
      .join(' ')}]`;
  }
  return typeof v === 'number' ? num(v) : String(v);
}

/** fmt's `%#v` of an interface{} holding a decoded JSON value. */
export function goSharpV(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSharpV).join(', ')}}`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[string]interface {}{${Object.keys(o)
      .sort()
      .map((k) => `${goQuote(k)}:${goSharpV(o[k])}`)
      .join(', ')}}`;
  }
  if (typeof v === 'string') return goQuote(v);
  return typeof v === 'number' ? num(v) : String(v);
}

/** `%T` of a decoded JSON value. */
export function goT(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}
