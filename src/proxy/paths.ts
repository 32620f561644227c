/**
 * @module proxy/paths
 *
 * kube-rbac-proxy's `--allow-paths` / `--ignore-paths` (pkg/filters/path.go): each pattern is
 * matched against the request path with Go's `path.Match` (`*` any run of non-`/` characters, `?`
 * one non-`/` character, `[...]` a class, `\` escapes). A malformed pattern is refused at start-up.
 */

function toRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      i++;
      if (i >= pattern.length) throw new Error(`syntax error in pattern ${JSON.stringify(pattern)}`);
      re += pattern[i].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error(`syntax error in pattern ${JSON.stringify(pattern)}`);
      let cls = pattern.slice(i + 1, end);
      const negate = cls.startsWith('^');
      if (negate) cls = cls.slice(1);
      re += `[${negate ? '^/' : ''}${cls.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }
  return new RegExp(re + '$');
}

export function pathMatcher(patterns: readonly string[]): (path: string) => boolean {
  const res = patterns.map(toRegExp);
  return (p) => res.some((r) => r.test(p));
}
