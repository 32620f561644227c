/**
 * Semantic equality of decoded API objects (equality.Semantic.DeepEqual): used by reconciliation
 * and aggregation to compare rules and selectors. Rule coverage lives in ../covers.ts (shared with
 * the escalation check).
 */

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

/**
 * Deep equality of JSON values where a missing field, null, an empty list and an empty map are
 * equal, and so are a missing string and '' (equality.Semantic.DeepEqual on decoded API objects).
 * List order matters.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = isEmpty(a) ? [] : a;
    const y = isEmpty(b) ? [] : b;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => semanticEqual(v, y[i]));
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if ((isObject(a) || isEmpty(a)) && (isObject(b) || isEmpty(b))) {
    // a struct whose fields are all empty equals a missing one
    const ao = isObject(a) ? a : {};
    const bo = isObject(b) ? b : {};
    const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
    for (const k of keys) if (!semanticEqual(ao[k], bo[k])) return false;
    return true;
  }
  return a === b;
}
