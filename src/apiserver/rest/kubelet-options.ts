/**
 * Query parameters → PodLogOptions / PodExecOptions / PodAttachOptions / PodPortForwardOptions,
 * with upstream's validation texts (pkg/apis/core/validation ValidatePodLogOptions; the
 * conversion of query strings to bools and integers as in the generated conversion functions).
 */
import { ApiError, badRequest } from '../../api/errors.js';
import type { PodLogOptions, StreamOptions } from './kubelet-location.js';

function bool(q: URLSearchParams, key: string): boolean | undefined {
  const v = q.get(key);
  if (v === null) return undefined;
  // strconv.ParseBool, as runtime.Convert_Slice_string_To_bool; an empty value is true (kubectl sends "true")
  if (['', '1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`);
}

function int(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v))
    throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** Decodes and validates a pods/log query (log.go: Invalid PodLogOptions is a 422). */
export function podLogOptions(q: URLSearchParams, podName: string): PodLogOptions {
  const o: PodLogOptions = {
    container: q.get('container') ?? undefined,
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
    sinceSeconds: int(q, 'sinceSeconds'),
    tailLines: int(q, 'tailLines'),
    limitBytes: int(q, 'limitBytes'),
    insecureSkipTLSVerifyBackend: bool(q, 'insecureSkipTLSVerifyBackend'),
  };
  const since = q.get('sinceTime');
  if (since) {
    const t = Date.parse(since);
    if (Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT/.test(since))
      throw badRequest(`parsing time ${JSON.stringify(since)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
    // metav1.Time is encoded in UTC at seconds precision (time.RFC3339).
    o.sinceTime = new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }
  const errs: string[] = [];
  if (o.tailLines !== undefined && o.tailLines < 0)
    errs.push(`tailLines: Invalid value: ${o.tailLines}: must be greater than or equal to 0`);
  if (o.limitBytes !== undefined && o.limitBytes < 1)
    errs.push(`limitBytes: Invalid value: ${o.limitBytes}: must be greater than 0`);
  if (o.sinceSeconds !== undefined && o.sinceTime !== undefined)
    errs.push('<nil>: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  else if (o.sinceSeconds !== undefined && o.sinceSeconds < 1)
    errs.push(`sinceSeconds: Invalid value: ${o.sinceSeconds}: must be greater than 0`);
  if (errs.length) {
    const msg = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
    throw new ApiError(422, 'Invalid', `PodLogOptions "${podName}" is invalid: ${msg}`);
  }
  return o;
}

/** PodExecOptions / PodAttachOptions / PodPortForwardOptions from the query. */
export function streamOptions(q: URLSearchParams, kind: 'exec' | 'attach' | 'portforward'): StreamOptions {
  if (kind === 'portforward') {
    const ports: number[] = [];
    for (const v of q.getAll('ports')) {
      for (const p of v.split(',')) {
        // []int32 from the query (the generated conversion: strconv.ParseInt(p, 10, 32))
        if (!/^[+-]?\d+$/.test(p) || Math.abs(Number(p)) > 2147483647)
          throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(p)}: invalid syntax`);
        ports.push(Number(p));
      }
    }
    return { ports };
  }
  const o: StreamOptions = {
    container: q.get('container') ?? undefined,
    stdin: bool(q, 'stdin'),
    stdout: bool(q, 'stdout'),
    stderr: bool(q, 'stderr'),
    tty: bool(q, 'tty'),
  };
  // No further checks here: the kubelet's remotecommand.NewOptions refuses a request without
  // streams, and upstream's API server passes the options through as decoded.
  if (kind === 'exec') o.command = q.getAll('command');
  return o;
}
