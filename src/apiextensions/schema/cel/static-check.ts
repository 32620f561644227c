/**
 * @module apiextensions/schema/cel/static-check
 *
 * The part of cel-go's type checker that @bufbuild/cel lacks and CRD authors hit most, run on the
 * parsed rule with the schema it sits on (upstream declares `self` with the schema's DeclType,
 * k8s.io/apiserver/pkg/cel/common/schemas.go):
 * - `undeclared reference to 'x' (in container '')` for unknown identifiers and functions;
 * - `undefined field 'x'` when selecting a property an object schema does not declare (objects
 *   without additionalProperties or x-kubernetes-preserve-unknown-fields). At a resource root
 *   (and in embedded resources) `apiVersion`, `kind` and `metadata` are declared; the root's
 *   `metadata` exposes only `name` and `generateName`, as upstream.
 * Messages carry cel-go's `<input>:line:col` prefix.
 */
import type { CelEnv } from '@bufbuild/cel';
import { additionalSchema, toStructural, type Structural } from '../structural.js';
import { unescapeName } from './escaping.js';

const TYPE_IDENTS = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
  'duration',
  'timestamp',
  'google',
]);
/** Functions the planner handles without the resolver. */
const BUILTIN_FUNCS = new Set(['size', 'matches', 'has']);

const ROOT_META = toStructural({
  type: 'object',
  properties: { name: { type: 'string' }, generateName: { type: 'string' } },
});
const STRING = toStructural({ type: 'string' });

export interface Node {
  id?: bigint;
  exprKind?: { case?: string; value?: unknown };
}

/** The schema of a CEL value: a Structural, or undefined for dyn (no checks below it). */
export type T = Structural | undefined;

function positionOf(parsed: unknown, id: bigint | undefined, source: string): string {
  const info = (parsed as { sourceInfo?: { positions?: Record<string, number> } }).sourceInfo;
  const off = id !== undefined ? info?.positions?.[String(id)] : undefined;
  if (off === undefined) return '<input>:1:1';
  const before = source.slice(0, off);
  const line = before.split('\n').length;
  const col = off - before.lastIndexOf('\n');
  return `<input>:${line}:${col}`;
}

export function fieldOf(t: T, field: string, roots: ReadonlySet<Structural>): T | 'missing' {
  if (!t) return undefined;
  const name = unescapeName(field);
  if (roots.has(t) || t.embeddedResource) {
    if (name === 'apiVersion' || name === 'kind') return t.properties?.get(name) ?? STRING;
    if (name === 'metadata') return roots.has(t) ? ROOT_META : undefined;
  }
  if (t.intOrString || (t.type !== 'object' && t.type !== '')) return undefined;
  const p = t.properties?.get(name);
  if (p) return p;
  const add = additionalSchema(t);
  if (add) return add.type === '' && !add.properties ? undefined : add;
  if (t.preserveUnknownFields || t.type === '') return undefined;
  return 'missing';
}

/**
 * Checks a parsed expression. `self` is typed by `s`; `root` says whether `s` is the resource
 * root. Returns cel-go style error lines (empty when fine).
 */
export function staticErrors(
  parsed: unknown,
  source: string,
  env: CelEnv,
  s: Structural | undefined,
  root: boolean,
): string[] {
  const errs: string[] = [];
  const scope: [string, T][] = [];
  const roots = new Set<Structural>(root && s ? [s] : []);
  const at = (n: Node): string => positionOf(parsed, n.id, source);
  const lookup = (name: string): [boolean, T] => {
    for (let i = scope.length - 1; i >= 0; i--) if (scope[i][0] === name) return [true, scope[i][1]];
    return [false, undefined];
  };
  const visit = (n: Node | undefined): T => {
    if (!n?.exprKind) return undefined;
    const { case: kind, value } = n.exprKind;
    const v = value as Record<string, unknown>;
    switch (kind) {
      case 'identExpr': {
        const name = String(v.name);
        const [found, t] = lookup(name);
        if (found) return t;
        if (name === 'self' || name === 'oldSelf') return s;
        if (!TYPE_IDENTS.has(name))
          errs.push(`${at(n)}: undeclared reference to '${name}' (in container '')`);
        return undefined;
      }
      case 'selectExpr': {
        const t = visit(v.operand as Node);
        const f = fieldOf(t, String(v.field), roots);
        if (f === 'missing') {
          errs.push(`${at(n)}: undefined field '${String(v.field)}'`);
          return undefined;
        }
        return f;
      }
      case 'callExpr': {
        const fn = String(v.function);
        const target = v.target as Node | undefined;
        // a namespaced function (`format.dns1123Label()`, `optional.of(x)`)
        const ns =
          target?.exprKind?.case === 'identExpr'
            ? String((target.exprKind.value as { name: string }).name)
            : '';
        const qualified =
          ns !== '' && !lookup(ns)[0] && ns !== 'self' && ns !== 'oldSelf' && env.funcs.find(`${ns}.${fn}`);
        if (/^[A-Za-z]\w*$/.test(fn) && !qualified && !BUILTIN_FUNCS.has(fn) && !env.funcs.find(fn)) {
          errs.push(`${at(n)}: undeclared reference to '${fn}' (in container '')`);
        }
        if (!qualified) visit(target);
        const args = ((v.args as Node[]) ?? []).map(visit);
        if (fn === '_[_]') {
          const t = args[0];
          if (t?.type === 'array') return t.items;
          if (t?.type === 'object') return additionalSchema(t);
        }
        return undefined;
      }
      case 'listExpr':
        for (const e of (v.elements as Node[]) ?? []) visit(e);
        return undefined;
      case 'structExpr':
        for (const e of (v.entries as { mapKey?: Node; value?: Node }[]) ?? []) {
          visit(e.mapKey);
          visit(e.value);
        }
        return undefined;
      case 'comprehensionExpr': {
        const range = visit(v.iterRange as Node);
        visit(v.accuInit as Node);
        const iterVar = String(v.iterVar);
        const iterVar2 = String(v.iterVar2 ?? '');
        const elem: T = range?.type === 'array' ? range.items : range?.type === 'object' ? STRING : undefined;
        const vars: [string, T][] = [[iterVar, iterVar2 ? undefined : elem]];
        if (iterVar2)
          vars.push([
            iterVar2,
            range?.type === 'array' ? range.items : range ? additionalSchema(range) : undefined,
          ]);
        vars.push([String(v.accuVar), undefined]);
        scope.push(...vars);
        visit(v.loopCondition as Node);
        visit(v.loopStep as Node);
        visit(v.result as Node);
        scope.splice(scope.length - vars.length, vars.length);
        return undefined;
      }
      default:
        return undefined;
    }
  };
  visit((parsed as { expr?: Node }).expr);
  return errs;
}
