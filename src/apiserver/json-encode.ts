/**
 * JSON as the apiserver's serializer writes it (k8s.io/apimachinery
 * pkg/runtime/serializer/json/json.go doEncode): Go's encoding/json, which escapes `<`, `>`, `&`,
 * U+2028 and U+2029 (`\u003c` ...); json.Encoder ends each document with a newline; the pretty form
 * (`?pretty=true`, curl/Wget/browser user agents) is json.MarshalIndent with indent "  " and no
 * newline. Clients compare error bodies byte for byte, so every JSON response goes through here.
 *
 * @module
 */

const HTML = /[<>&\u2028\u2029]/;
const HTML_ALL = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Go's HTML escaping applied to JSON text. `<>&` and U+2028/U+2029 occur only inside strings in
 * JSON, so a plain replace is exact. Fast path: no copy when none occurs.
 */
export function escapeGoJson(text: string): string {
  return HTML.test(text) ? text.replace(HTML_ALL, (c) => ESCAPES[c]!) : text;
}

/** Compact JSON text as Go's json.Marshal writes it (no trailing newline). */
export function goJson(v: unknown): string {
  return escapeGoJson(JSON.stringify(v));
}

/** json.MarshalIndent(v, "", "  "). */
export function goJsonIndent(v: unknown): string {
  return escapeGoJson(JSON.stringify(v, null, 2));
}

/**
 * upstream's isPrettyPrint (endpoints/handlers/negotiation/negotiate.go): a non-empty `pretty`
 * query value decides (strconv.ParseBool; anything else is false); else a User-Agent starting with
 * `curl`, `Wget` or `Mozilla/5.0`.
 */
export function isPrettyPrint(pretty: string | null, userAgent: string | undefined): boolean {
  if (pretty !== null && pretty !== '') return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(pretty);
  const ua = userAgent ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}
