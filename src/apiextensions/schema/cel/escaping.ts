/**
 * @module apiextensions/schema/cel/escaping
 *
 * Property names as CEL field names (k8s.io/apiserver/pkg/cel/escaping.go): `__` →
 * `__underscores__`, `.` → `__dot__`, `-` → `__dash__`, `/` → `__slash__`, and a name equal to a
 * CEL reserved word `w` → `__w__`. Names outside `[a-zA-Z_.-/][a-zA-Z0-9_.-/]*` are not
 * accessible as fields.
 */

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** The CEL field name of a property, or undefined when it cannot be one. */
export function escapeName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__|[.\-/]/g, (m) =>
    m === '__' ? '__underscores__' : m === '.' ? '__dot__' : m === '-' ? '__dash__' : '__slash__',
  );
}

/** The property name of a CEL field name (inverse of {@link escapeName}). */
export function unescapeName(field: string): string {
  const kw = /^__(\w+)__$/.exec(field);
  if (kw && RESERVED.has(kw[1])) return kw[1];
  return field.replace(/__(underscores|dot|dash|slash)__/g, (_m, w: string) =>
    w === 'underscores' ? '__' : w === 'dot' ? '.' : w === 'dash' ? '-' : '/',
  );
}
