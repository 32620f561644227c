/**
 * @module apiextensions/schema/cel/field-path
 *
 * A rule's `fieldPath` (upstream ValidFieldPath in pkg/apiserver/schema/cel/validation.go): a
 * JSON path relative to the schema the rule is on, made of `.name` and `['name']` segments
 * through properties and additionalProperties. Resolves to the segments to append to the error
 * path (properties as `.name`, map keys as `[name]`), or undefined when invalid.
 */
import { additionalSchema, type Structural } from '../structural.js';

export function resolveFieldPath(path: string, s: Structural): string | undefined {
  let i = 0;
  let out = '';
  let cur: Structural | undefined = s;
  if (!path || (path[0] !== '.' && path[0] !== '[')) return undefined;
  while (i < path.length) {
    let name: string;
    if (path[i] === '.') {
      const m = /^\.([A-Za-z0-9_$-]+)/.exec(path.slice(i));
      if (!m) return undefined;
      name = m[1];
      i += m[0].length;
    } else if (path[i] === '[') {
      const m = /^\['((?:[^'\\]|\\.)*)'\]/.exec(path.slice(i));
      if (!m) return undefined;
      name = m[1].replace(/\\(.)/g, '$1');
      i += m[0].length;
    } else return undefined;
    if (!cur) return undefined;
    const prop: Structural | undefined = cur.properties?.get(name);
    if (prop) {
      out += `.${name}`;
      cur = prop;
      continue;
    }
    const add = additionalSchema(cur);
    if (add) {
      out += `[${name}]`;
      cur = add;
      continue;
    }
    return undefined;
  }
  return out;
}
