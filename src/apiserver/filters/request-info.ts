/**
 * WithRequestInfo: resolves the request's attributes before authentication. Malformed paths (a
 * `.`/`..` segment, an encoded slash, an over-long URL, `/watch` with nothing after) are answered
 * with a 400 Status here. (Upstream answers a RequestInfo error with a 500; a client mistake is a
 * 4xx here on purpose.)
 */
import { ApiError, badRequest } from '../../api/errors.js';
import type { Filter } from '../context.js';
import { parseRequestInfo, RequestInfoError } from '../request-info.js';
import { writeError } from '../responses.js';

export const MAX_PATH_LENGTH = 8192;

export function checkPath(path: string): void {
  if (path.length > MAX_PATH_LENGTH)
    throw new ApiError(414, '', `the request path is longer than ${MAX_PATH_LENGTH} bytes`);
  // Fast path: no dot segment and no percent-encoding at all (the common case).
  if (!path.includes('/.') && !path.includes('%')) return;
  for (const seg of path.split('/')) {
    if (seg === '.' || seg === '..')
      throw badRequest(
        `invalid request path ${JSON.stringify(path.slice(0, 256))}: relative segments are not allowed`,
      );
    if (/%2f|%5c|%00/i.test(seg))
      throw badRequest(
        `invalid request path ${JSON.stringify(path.slice(0, 256))}: encoded separators are not allowed`,
      );
  }
}

export const withRequestInfo: Filter = (next) => async (ctx) => {
  try {
    checkPath(ctx.path);
    ctx.info = parseRequestInfo(ctx.method, ctx.path, ctx.query);
  } catch (e) {
    writeError(ctx, e instanceof RequestInfoError ? badRequest(e.message) : e);
    return;
  }
  await next(ctx);
};
