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
import type { Structural, ValidationRule } from '../structural.js';
import { estimateCost } from './cost.js';
import { expandBind } from './macros.js';
import { rewriteOptionalSelect } from './optional-syntax.js';
import { staticErrors } from './static-check.js';

const ENV = celEnv({
  variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN },
  funcs: [...strings, ...K8S_LIBRARY],
});

export type Program = (vars: { self: CelInput; oldSelf?: CelInput }) => CelResult;

export interface CompiledRule {
  rule: ValidationRule;
  program?: Program;
  messageProgram?: Program;
  usesOldSelf: boolean;
  /** Estimated cost of one evaluation of the rule / the messageExpression (cost.ts). */
  cost: number;
  messageCost: number;
  /** compilation error of the rule (field `rule`). */
  error?: string;
  /** compilation error of the messageExpression. */
  messageError?: string;
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

function compileExpr(
  source: string,
  s: Structural | undefined,
  root: boolean,
): { program?: Program; error?: string; parsed?: unknown } {
  const text = rewriteOptionalSelect(source);
  let parsed: unknown;
  try {
    parsed = parse(text);
    expandBind((parsed as { expr?: unknown }).expr);
  } catch (e) {
    return { error: `ERROR: ${(e as Error).message}` };
  }
  const errs = staticErrors(parsed, text, ENV, s, root);
  if (errs.length > 0) return { error: errs.map((e) => `ERROR: ${e}`).join('\n') };
  try {
    const p = plan(ENV, parsed as Parameters<typeof plan>[1]);
    return { program: (vars) => p(vars as { self: CelInput; oldSelf: CelInput }), parsed };
  } catch (e) {
    return { error: `ERROR: ${(e as Error).message}` };
  }
}

const cache = new WeakMap<Structural, Map<string, CompiledRule>>();

/**
 * Compiles a rule of schema `s` (`root`: `s` is the resource root). Cached per schema node and
 * rule.
 */
export function compileRule(rule: ValidationRule, s: Structural, root = false): CompiledRule {
  const key = `${root}:${JSON.stringify(rule)}`;
  let perSchema = cache.get(s);
  if (!perSchema) cache.set(s, (perSchema = new Map()));
  const hit = perSchema.get(key);
  if (hit) return hit;
  const out: CompiledRule = { rule, usesOldSelf: false, cost: 0, messageCost: 0 };
  const r = compileExpr(rule.rule, s, root);
  if (r.error) out.error = `compilation failed: ${r.error}`;
  else {
    out.program = r.program;
    out.usesOldSelf = usesIdent(r.parsed, 'oldSelf');
    out.cost = estimateCost(r.parsed, s, root);
  }
  if (rule.messageExpression && rule.messageExpression.trim()) {
    const m = compileExpr(rule.messageExpression, s, root);
    if (m.error) out.messageError = `messageExpression compilation failed: ${m.error}`;
    else {
      out.messageProgram = m.program;
      out.messageCost = estimateCost(m.parsed, s, root);
    }
  }
  perSchema.set(key, out);
  return out;
}
