/**
 * @module apiextensions/schema/cel/cost
 *
 * A static cost estimate of a rule, after cel-go's checker cost estimator as Kubernetes uses it
 * (k8s.io/apiserver/pkg/cel, apiextensions validation getExpressionCost): sizes come from the
 * schema (maxLength, maxItems, maxProperties) or, when unbounded, from the 3 MiB request limit
 * and the minimal serialized size of an element; comprehensions multiply their body by the
 * range's size; string operations cost 0.1 per character (regex 0.25). The estimate is a lower
 * bound of cel-go's (it errs towards accepting), so it only rejects rules upstream rejects too.
 * A rule's cost is multiplied by how often it can run (its schema's cardinality).
 */
import { additionalSchema, type Structural } from '../structural.js';
import { fieldOf, type Node, type T } from './static-check.js';

export const STATIC_ESTIMATED_COST_LIMIT = 10_000_000;
export const STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000;
const MAX_REQUEST_SIZE = 3 * 1024 * 1024;

/** The smallest JSON a value of the schema serializes to. */
export function minSerializedSize(s: T): number {
  if (!s) return 1;
  if (s.intOrString) return 1;
  switch (s.type) {
    case 'string':
      return 2;
    case 'boolean':
      return 4;
    case 'object':
    case 'array':
      return 2;
    default:
      return 1;
  }
}

/** Max elements of a list/map schema, or max length of a string. */
export function maxSize(s: T): number {
  if (!s) return MAX_REQUEST_SIZE;
  const n = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  if (s.type === 'string') return n(s.raw.maxLength) ?? MAX_REQUEST_SIZE - 2;
  if (s.type === 'array')
    return n(s.raw.maxItems) ?? Math.floor((MAX_REQUEST_SIZE - 2) / (minSerializedSize(s.items) + 1));
  if (s.type === 'object') {
    const add = additionalSchema(s);
    const bound = n(s.raw.maxProperties);
    if (bound !== undefined) return bound;
    if (add) return Math.floor((MAX_REQUEST_SIZE - 2) / (minSerializedSize(add) + 4));
    return s.properties?.size ?? 0;
  }
  return 1;
}

/** How many times a rule on `s` can run, given the product of its ancestors' sizes. */
export function cardinality(s: Structural, ancestors: number): number {
  return Math.min(ancestors, Math.floor(MAX_REQUEST_SIZE / (minSerializedSize(s) + 1)));
}

const STRING_OPS = new Set([
  'contains',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'lowerAscii',
  'upperAscii',
  'trim',
  'replace',
  'split',
  'substring',
]);
const REGEX_OPS = new Set(['matches', 'find', 'findAll']);
const LIST_OPS = new Set(['isSorted', 'sum', 'min', 'max', 'indexOf', 'lastIndexOf', 'join', '@in']);

interface Est {
  cost: number;
  type: T;
}

/** The estimated cost of one evaluation of a parsed rule on schema `s`. */
export function estimateCost(parsed: unknown, s: Structural, root: boolean): number {
  const roots = new Set<Structural>(root ? [s] : []);
  const scope: [string, T][] = [];
  const strLen = (t: T): number => (t?.type === 'string' ? maxSize(t) : 0);
  const visit = (n: Node | undefined): Est => {
    if (!n?.exprKind) return { cost: 0, type: undefined };
    const { case: kind, value } = n.exprKind;
    const v = value as Record<string, unknown>;
    switch (kind) {
      case 'constExpr':
        return { cost: 0, type: undefined };
      case 'identExpr': {
        const name = String(v.name);
        for (let i = scope.length - 1; i >= 0; i--)
          if (scope[i][0] === name) return { cost: 1, type: scope[i][1] };
        return { cost: 1, type: name === 'self' || name === 'oldSelf' ? s : undefined };
      }
      case 'selectExpr': {
        const o = visit(v.operand as Node);
        const f = fieldOf(o.type, String(v.field), roots);
        // presence tests (has()) cost nothing in Kubernetes (PresenceTestHasCost(false))
        return { cost: o.cost + (v.testOnly ? 0 : 1), type: f === 'missing' ? undefined : f };
      }
      case 'callExpr': {
        const fn = String(v.function);
        const target = v.target ? visit(v.target as Node) : undefined;
        const args = ((v.args as Node[]) ?? []).map(visit);
        if (fn === '_?_:_') {
          return { cost: args[0].cost + Math.max(args[1]?.cost ?? 0, args[2]?.cost ?? 0), type: undefined };
        }
        let cost = (target?.cost ?? 0) + args.reduce((a, b) => a + b.cost, 0);
        const self = target ?? args[0];
        if (fn === '_&&_' || fn === '_||_' || fn === '@not_strictly_false') return { cost, type: undefined };
        if (REGEX_OPS.has(fn)) cost += Math.ceil(strLen(self?.type) * 0.25);
        else if (STRING_OPS.has(fn) && self?.type?.type === 'string')
          cost += Math.ceil(strLen(self.type) * 0.1);
        else if (LIST_OPS.has(fn)) {
          const list = fn === '@in' ? args[1]?.type : self?.type;
          cost += list?.type === 'array' || list?.type === 'object' ? maxSize(list) : 1;
        } else if (fn === '_==_' || fn === '_!=_') {
          cost += Math.ceil(Math.min(strLen(args[0]?.type), strLen(args[1]?.type)) * 0.1) || 1;
        } else cost += 1;
        let type: T;
        if (fn === '_[_]') {
          const t = args[0]?.type;
          type = t?.type === 'array' ? t.items : t?.type === 'object' ? additionalSchema(t) : undefined;
        }
        return { cost, type };
      }
      case 'listExpr': {
        const els = ((v.elements as Node[]) ?? []).map(visit);
        return { cost: els.reduce((a, b) => a + b.cost, 0) + els.length, type: undefined };
      }
      case 'comprehensionExpr': {
        const range = visit(v.iterRange as Node);
        const init = visit(v.accuInit as Node);
        const t = range.type;
        const iterations = t?.type === 'array' || t?.type === 'object' ? maxSize(t) : 0;
        const elem: T = t?.type === 'array' ? t.items : undefined;
        const vars: [string, T][] = [[String(v.iterVar), elem]];
        if (v.iterVar2) vars.push([String(v.iterVar2), t?.type === 'object' ? additionalSchema(t) : elem]);
        vars.push([String(v.accuVar), undefined]);
        scope.push(...vars);
        const body = visit(v.loopCondition as Node).cost + visit(v.loopStep as Node).cost;
        const result = visit(v.result as Node).cost;
        scope.splice(scope.length - vars.length, vars.length);
        return { cost: range.cost + init.cost + iterations * body + result, type: undefined };
      }
      default:
        return { cost: 1, type: undefined };
    }
  };
  return visit((parsed as { expr?: Node }).expr).cost;
}

/** upstream getCostErrorMessage. */
export function costErrorMessage(name: string, cost: number, limit: number): string {
  const f = cost / limit;
  const factor = f > 100 ? 'more than 100x' : f < 1.5 ? `${f.toFixed(6)}x` : `${f.toFixed(1)}x`;
  return `${name} exceeds budget by factor of ${factor} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
