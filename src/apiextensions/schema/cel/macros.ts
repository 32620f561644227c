/**
 * @module apiextensions/schema/cel/macros
 *
 * `cel.bind(name, init, body)` (cel-go ext.Bindings, in the Kubernetes CRD environment since
 * 1.29), which @bufbuild/cel's parser does not expand: rewritten in the parsed expression to the
 * comprehension cel-go produces (no iterations, accumulator `name` = `init`, result `body`).
 */

interface Expr {
  $typeName?: string;
  id?: bigint;
  exprKind?: { case?: string; value?: Record<string, unknown> };
}

let nextId = 1n << 40n;

function node(kind: string, value: Record<string, unknown>): Expr {
  nextId += 1n;
  return { $typeName: 'cel.expr.Expr', id: nextId, exprKind: { case: kind, value } };
}

function isBind(e: Expr): boolean {
  const v = e.exprKind?.value;
  if (e.exprKind?.case !== 'callExpr' || v?.function !== 'bind') return false;
  const target = v.target as Expr | undefined;
  const args = v.args as Expr[] | undefined;
  return (
    target?.exprKind?.case === 'identExpr' &&
    target.exprKind.value?.name === 'cel' &&
    args?.length === 3 &&
    args[0].exprKind?.case === 'identExpr'
  );
}

/** Rewrites every `cel.bind(...)` below `x` in place. */
export function expandBind(x: unknown): void {
  if (x === null || typeof x !== 'object') return;
  if (Array.isArray(x)) {
    for (const v of x) expandBind(v);
    return;
  }
  const e = x as Expr;
  for (const v of Object.values(e)) expandBind(v);
  if (!isBind(e)) return;
  const [name, init, body] = (e.exprKind?.value?.args as Expr[]) ?? [];
  const varName = String(name.exprKind?.value?.name);
  e.exprKind = {
    case: 'comprehensionExpr',
    value: {
      $typeName: 'cel.expr.Expr.Comprehension',
      iterVar: '#unused',
      iterVar2: '',
      iterRange: node('listExpr', {
        $typeName: 'cel.expr.Expr.CreateList',
        elements: [],
        optionalIndices: [],
      }),
      accuVar: varName,
      accuInit: init,
      loopCondition: node('constExpr', {
        $typeName: 'cel.expr.Constant',
        constantKind: { case: 'boolValue', value: false },
      }),
      loopStep: node('identExpr', { $typeName: 'cel.expr.Expr.Ident', name: varName }),
      result: body,
    },
  };
}
