/**
 * @module apiextensions/schema/cel/rules
 *
 * Compiling one x-kubernetes-validations rule (upstream pkg/apiserver/schema/cel/compilation.go):
 * parse the rule and its messageExpression, check that every identifier is declared (`self`,
 * `oldSelf`, comprehension variables, type names) and every function exists, note whether the rule
 * is a transition rule (uses `oldSelf`), and plan it once for evaluation.
 *
 * Errors carry upstream's wording: `compilation failed: ERROR: <input>:1:6: ...` and
 * `messageExpression compilation failed: ...`. @bufbuild/cel exposes no type checker, so the
 * "must evaluate to a bool" check happens at evaluation time.
 */
import { celEnv, parse, plan, CelScalar, type CelInput, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { K8S_LIBRARY } from './library.js';
import type { ValidationRule } from '../structural.js';

const ENV = celEnv({
  variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN },
  funcs: [...strings, ...K8S_LIBRARY],
});

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

export type Program = (vars: { self: CelInput; oldSelf?: CelInput }) => CelResult;

export interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  messageProgram?: Program;
  usesOldSelf: boolean;
  /** compilation error of the rule (field `rule`). */
  error?: string;
  /** compilation error of the messageExpression. */
  messageError?: string;
}

interface Node {
  id?: bigint;
  exprKind?: { case?: string; value?: unknown };
}

function positionOf(parsed: unknown, id: bigint | undefined, source: string): string {
  const info = (parsed as { sourceInfo?: { positions?: Record<string, number> } }).sourceInfo;
  const off = id !== undefined ? info?.positions?.[String(id)] : undefined;
  if (off === undefined) return '<input>:1:1';
  const before = source.slice(0, off);
  const line = before.split('\n').length;
  const col = off - before.lastIndexOf('\n');
  return `<input>:${line}:${col}`;
}

/** Undeclared identifiers / functions, as cel-go's checker reports them. */
function staticErrors(parsed: unknown, source: string): string[] {
  const errs: string[] = [];
  const scope: string[] = [];
  const visit = (n: Node | undefined): void => {
    if (!n?.exprKind) return;
    const { case: kind, value } = n.exprKind;
    const v = value as Record<string, unknown>;
    switch (kind) {
      case 'identExpr': {
        const name = String(v.name);
        if (name !== 'self' && name !== 'oldSelf' && !scope.includes(name) && !TYPE_IDENTS.has(name)) {
          errs.push(
            `${positionOf(parsed, n.id, source)}: undeclared reference to '${name}' (in container '')`,
          );
        }
        return;
      }
      case 'selectExpr':
        visit(v.operand as Node);
        return;
      case 'callExpr': {
        const fn = String(v.function);
        if (/^[A-Za-z]\w*$/.test(fn) && !ENV.funcs.find(fn) && fn !== 'size' && fn !== 'matches') {
          errs.push(`${positionOf(parsed, n.id, source)}: undeclared reference to '${fn}' (in container '')`);
        }
        visit(v.target as Node);
        for (const a of (v.args as Node[]) ?? []) visit(a);
        return;
      }
      case 'listExpr':
        for (const e of (v.elements as Node[]) ?? []) visit(e);
        return;
      case 'structExpr':
        for (const e of (v.entries as { mapKey?: Node; value?: Node }[]) ?? []) {
          visit(e.mapKey);
          visit(e.value);
        }
        return;
      case 'comprehensionExpr': {
        visit(v.iterRange as Node);
        visit(v.accuInit as Node);
        const vars = [String(v.iterVar), String(v.iterVar2 ?? ''), String(v.accuVar)].filter(Boolean);
        scope.push(...vars);
        visit(v.loopCondition as Node);
        visit(v.loopStep as Node);
        visit(v.result as Node);
        scope.splice(scope.length - vars.length, vars.length);
        return;
      }
      default:
        return;
    }
  };
  visit((parsed as { expr?: Node }).expr);
  return errs;
}

function usesIdent(parsed: unknown, name: string): boolean {
  let found = false;
  const walk = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.$typeName === 'cel.expr.Expr.Ident' && o.name === name) {
      found = true;
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk((parsed as { expr?: unknown }).expr);
  return found;
}

function compileExpr(source: string): { program?: Program; error?: string; parsed?: unknown } {
  let parsed: unknown;
  try {
    parsed = parse(source);
  } catch (e) {
    return { error: `ERROR: ${(e as Error).message}` };
  }
  const errs = staticErrors(parsed, source);
  if (errs.length > 0) return { error: errs.map((e) => `ERROR: ${e}`).join('\n') };
  try {
    const p = plan(ENV, parsed as Parameters<typeof plan>[1]);
    return { program: (vars) => p(vars as { self: CelInput; oldSelf: CelInput }), parsed };
  } catch (e) {
    return { error: `ERROR: ${(e as Error).message}` };
  }
}

const cache = new Map<string, CompiledRule>();

/** Compiles a rule (cached by its JSON form). */
export function compileRule(rule: ValidationRule): CompiledRule {
  const key = JSON.stringify(rule);
  const hit = cache.get(key);
  if (hit) return hit;
  const out: CompiledRule = { rule, usesOldSelf: false };
  const r = compileExpr(rule.rule);
  if (r.error) out.error = `compilation failed: ${r.error}`;
  else {
    out.program = r.program;
    out.usesOldSelf = usesIdent(r.parsed, 'oldSelf');
  }
  if (rule.messageExpression && rule.messageExpression.trim()) {
    const m = compileExpr(rule.messageExpression);
    if (m.error) out.messageError = `messageExpression compilation failed: ${m.error}`;
    else out.messageProgram = m.program;
  }
  if (cache.size > 5000) cache.clear();
  cache.set(key, out);
  return out;
}
