/**
 * @module delegation/stale-log
 *
 * The log line of a cached answer used because the API server cannot be reached (the
 * stale-if-error window of the delegating authenticator and authorizer), at most once a second per
 * kind so that an outage under load does not flood the log; the count of suppressed lines is
 * carried into the next one.
 */

export type StaleKind = 'authentication' | 'authorization';

export function staleLogger(
  log: (line: string) => void,
  now: () => number = Date.now,
): (kind: StaleKind, ageMs: number, error: Error) => void {
  const last: Record<StaleKind, number> = { authentication: -Infinity, authorization: -Infinity };
  const suppressed: Record<StaleKind, number> = { authentication: 0, authorization: 0 };
  return (kind, ageMs, error) => {
    const t = now();
    if (t - last[kind] < 1000) {
      suppressed[kind]++;
      return;
    }
    const more = suppressed[kind] ? ` (and ${suppressed[kind]} more since the last line)` : '';
    last[kind] = t;
    suppressed[kind] = 0;
    log(
      `W stale-if-error: the API server cannot be reached (${error.message}); ` +
        `answering from a cached ${kind} result ${Math.round(ageMs / 1000)}s past its TTL${more}`,
    );
  };
}
