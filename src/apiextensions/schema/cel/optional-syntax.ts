/**
 * @module apiextensions/schema/cel/optional-syntax
 *
 * CEL optional field selection (`self.?a`, `self.?a.?b`, `self.a.?b.orValue('x')`), which
 * @bufbuild/cel's parser does not accept, rewritten before parsing for the common form where the
 * operand is a chain of identifiers and field names:
 * `X.?a.?b` → `(has(X.a) && has(X.a.b) ? optional.of(X.a.b) : optional.none())`.
 * String literals are left alone. Other optional syntax (`m[?k]`, `{?k: v}`) is not rewritten
 * and fails to compile.
 */

/** A field name (not a method call: not followed by `(`). */
const NAME = String.raw`[A-Za-z_]\w*\b(?!\s*\()`;
const CHAIN = new RegExp(String.raw`((?:[A-Za-z_]\w*)(?:\.${NAME})*)((?:\.\?${NAME}(?:\.${NAME})*)+)`, 'g');

function rewriteCode(code: string): string {
  return code.replace(CHAIN, (_m, base: string, rest: string) => {
    const parts = rest.split('.?').slice(1);
    const tests: string[] = [];
    let cur = base;
    for (const part of parts) {
      for (const name of part.split('.')) {
        cur = `${cur}.${name}`;
        tests.push(`has(${cur})`);
      }
    }
    // fields after the last `.?` segment's first name are required, not optional
    return `(${tests.join(' && ')} ? optional.of(${cur}) : optional.none())`;
  });
}

/** Rewrites optional field selections outside string literals; other text is unchanged. */
export function rewriteOptionalSelect(src: string): string {
  if (!src.includes('.?')) return src;
  let out = '';
  let code = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"' || c === "'") {
      out += rewriteCode(code);
      code = '';
      const triple = src.startsWith(c.repeat(3), i);
      const end = triple ? c.repeat(3) : c;
      let j = i + end.length;
      while (j < src.length && !src.startsWith(end, j)) j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + end.length);
      i = j + end.length;
      continue;
    }
    code += c;
    i++;
  }
  return out + rewriteCode(code);
}
