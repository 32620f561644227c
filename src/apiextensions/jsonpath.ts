/**
 * @module apiextensions/jsonpath
 *
 * The JSONPath subset CRD printer columns, selectable fields and scale paths use, evaluated as
 * k8s.io/client-go/util/jsonpath does for `{<path>}`: `.field` (with `\.` escaping a dot in a
 * name), `['key']` / `["key"]`, `[n]` (negative from the end), `[*]`, `..`-free filters
 * `[?(@.a.b == "x")]` / `!=` with string, number and boolean literals. Missing fields yield no
 * results (never an error); a malformed path is reported by {@link parseJsonPath}.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; path: Step[]; op: '==' | '!='; value: unknown };

export type CompiledJsonPath = Step[];

function parseLiteral(s: string): unknown {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new Error(`unrecognized literal ${t}`);
}

/** Compiles a path like `.status.conditions[?(@.type=="Ready")].status`; throws on a malformed one. */
export function parseJsonPath(path: string): CompiledJsonPath {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1);
  if (p.startsWith('$')) p = p.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      i++;
      let name = '';
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        if (p[i] === '\\' && p[i + 1] === '.') {
          name += '.';
          i += 2;
          continue;
        }
        name += p[i++];
      }
      if (name === '') {
        if (i >= p.length && steps.length === 0) break; // "." alone: the whole object
        throw new Error(`invalid empty field name in ${JSON.stringify(path)}`);
      }
      steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const end = p.indexOf(']', p[i + 1] === '?' ? p.indexOf(')', i) : i);
      if (end < 0) throw new Error(`unterminated [ in ${JSON.stringify(path)}`);
      const inner = p.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) {
        const m = /^@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+)$/.exec(inner.slice(2, -1).trim());
        if (!m) throw new Error(`unsupported filter ${inner}`);
        steps.push({
          kind: 'filter',
          path: parseJsonPath(m[1]!),
          op: m[2] as '==' | '!=',
          value: parseLiteral(m[3]!),
        });
      } else throw new Error(`unsupported subscript [${inner}]`);
    } else {
      throw new Error(`unexpected ${JSON.stringify(c)} in ${JSON.stringify(path)}`);
    }
  }
  return steps;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every value the path selects in `root`, in document order. */
export function evalJsonPath(steps: CompiledJsonPath, root: unknown): unknown[] {
  let cur: unknown[] = [root];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (s.kind === 'field') {
        if (isObject(v) && Object.hasOwn(v, s.name)) next.push(v[s.name]);
      } else if (s.kind === 'index') {
        if (Array.isArray(v)) {
          const i = s.index < 0 ? v.length + s.index : s.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (s.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (isObject(v)) next.push(...Object.values(v));
      } else {
        const items = Array.isArray(v) ? v : [];
        for (const item of items) {
          const got = evalJsonPath(s.path, item);
          const eq = got.length > 0 && got[0] === s.value;
          if (got.length > 0 && (s.op === '==' ? eq : !eq)) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** Go's fmt %v of a decoded JSON value (what jsonpath prints for a non-string result). */
export function goText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goText).join(' ')}]`;
  if (isObject(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goText(v[k])}`)
      .join(' ')}]`;
  return String(v);
}
