/**
 * CEL for the structured authentication configuration, after
 * k8s.io/apiserver/pkg/authentication/cel (compile.go, mapper.go): claim mappings and claim
 * validation rules see `claims` (the token's payload as a map), user validation rules see `user`
 * (`username`, `uid`, `groups`, `extra`). Uses @bufbuild/cel with the Kubernetes library of the
 * CRD validation rules (imported, not copied).
 */
import { celEnv, CelScalar, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { K8S_LIBRARY } from '../../apiextensions/schema/cel/library.js';
import { toCel } from '../../apiextensions/schema/cel/values.js';

const ENV = celEnv({
  variables: { claims: CelScalar.DYN, user: CelScalar.DYN },
  funcs: [...strings, ...K8S_LIBRARY],
});

export type CelVar = 'claims' | 'user';

export interface CompiledExpression {
  expression: string;
  /** The value as plain JS (string, boolean, number, bigint, arrays, objects), or an Error. */
  eval(vars: Partial<Record<CelVar, unknown>>): unknown;
}

function identsOf(parsed: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.$typeName === 'cel.expr.Expr.Ident' && typeof o.name === 'string') out.add(o.name);
    for (const v of Object.values(o)) walk(v);
  };
  walk((parsed as { expr?: unknown }).expr);
  return out;
}

/** CEL value → JS: lists and maps are iterable; everything else is as is. */
export function fromCel(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v;
  if (Symbol.iterator in v) {
    const items = [...(v as Iterable<unknown>)];
    if (items.every((i) => Array.isArray(i) && i.length === 2) && !('_array' in v))
      return Object.fromEntries(
        items.map((i) => [String((i as unknown[])[0]), fromCel((i as unknown[])[1])]),
      );
    return items.map(fromCel);
  }
  return v;
}

/**
 * Compiles `expression` for variable `allowed`; throws with upstream's "compilation failed" text
 * when it does not parse or uses the other variable.
 */
export function compileExpression(expression: string, allowed: CelVar): CompiledExpression {
  let parsed: unknown;
  try {
    parsed = parse(expression);
  } catch (e) {
    throw new Error(`compilation failed: ERROR: ${(e as Error).message}`, { cause: e });
  }
  const other: CelVar = allowed === 'claims' ? 'user' : 'claims';
  if (identsOf(parsed).has(other))
    throw new Error(`compilation failed: ERROR: <input>: undeclared reference to '${other}'`);
  const program = plan(ENV, parsed as Parameters<typeof plan>[1]);
  return {
    expression,
    eval(vars) {
      const input: Record<string, CelInput> = {};
      for (const [k, v] of Object.entries(vars)) input[k] = toCel(v, undefined);
      try {
        const r = program(input as Parameters<typeof program>[0]);
        if (isCelError(r)) return new Error(r.message);
        return fromCel(r);
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
    },
  };
}
