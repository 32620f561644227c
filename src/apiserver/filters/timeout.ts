/**
 * WithTimeoutForNonLongRunningRequests (k8s.io/apiserver/pkg/server/filters/timeout.go,
 * --request-timeout, default 1m): a request that has not been answered in time gets a 504 Status
 * `Timeout: request did not complete within requested timeout - context deadline exceeded` and
 * its stream is closed, so a client that never finishes its body cannot hold a handler forever.
 * Watches and proxy requests are long-running and exempt (they have their own timeoutSeconds).
 */
import { ApiError } from '../../api/errors.js';
import type { Filter } from '../context.js';
import { writeError } from '../responses.js';

export function withRequestTimeout(timeoutMs: number): Filter {
  return (next) => async (ctx) => {
    const i = ctx.info;
    if (
      timeoutMs <= 0 ||
      i.verb === 'watch' ||
      i.verb === 'proxy' ||
      i.subresource === 'proxy' ||
      // genericfilters.BasicLongRunningRequestCheck: watch, proxy; attach, exec, proxy, log, portforward
      ['log', 'exec', 'attach', 'portforward'].includes(i.subresource)
    ) {
      return next(ctx);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const done = next(ctx).then(() => 'done' as const);
    try {
      const r = await Promise.race([done, timedOut]);
      if (r === 'timeout' && !ctx.res.headersSent) {
        writeError(
          ctx,
          new ApiError(
            504,
            'Timeout',
            'Timeout: request did not complete within requested timeout - context deadline exceeded',
            {},
          ),
        );
        // Stop reading a body that will never be used; the handler's pending read then fails quietly.
        ctx.req.destroy?.();
        done.catch(() => undefined);
      }
    } finally {
      clearTimeout(timer);
    }
  };
}
