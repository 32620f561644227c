/**
 * @module admission/semantic
 *
 * JSON equality in the spirit of k8s.io/apimachinery/pkg/api/equality `Semantic.DeepEqual`: a
 * missing field, null, an empty string, an empty list and an empty map are all "unset" and equal
 * to each other (Go's zero values and nil-vs-empty slices/maps). `semanticDiff` lists the paths
 * that differ, standing in for the `cmp.Diff` text upstream appends to some messages.
 */

const isUnset = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

export function semanticEqual(a: unknown, b: unknown): boolean {
  return semanticDiff(a, b) === '';
}

/** Comma-separated JSON paths where `a` and `b` differ; '' when semantically equal. */
export function semanticDiff(a: unknown, b: unknown, path = ''): string {
  const out: string[] = [];
  walk(a, b, path, out);
  return out.join(', ');
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isUnset(a) && isUnset(b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(path || '.');
    else a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, out));
    return;
  }
  const obj = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (obj(a) || obj(b)) {
    if (!(obj(a) || isUnset(a)) || !(obj(b) || isUnset(b))) return void out.push(path || '.');
    const x = (a ?? {}) as Record<string, unknown>;
    const y = (b ?? {}) as Record<string, unknown>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[k], y[k], `${path}.${k}`, out);
    return;
  }
  if (a !== b) out.push(path || '.');
}
