/**
 * @module kubelet/routes
 *
 * The kubelet's HTTPS API behind authentication and authorization, after
 * pkg/kubelet/server/server.go (`InstallDefaultHandlers`, `InstallDebuggingHandlers`,
 * `InstallDebuggingDisabledHandlers`, `InstallSystemLogHandler`) and stats/handler.go:
 *
 * | path | answer |
 * |---|---|
 * | `/healthz`, `/healthz/{ping,log,syncloop}` | `ok` (`?verbose`: each check) |
 * | `/pods`, `/runningpods/` | a v1 PodList of the simulated pods (pods/runtime.ts; `"items":null` when none, as Go encodes a nil slice) |
 * | `/spec/` | cAdvisor MachineInfo |
 * | `/stats/summary` | the stats Summary, a `pods` entry per simulated pod (pods/pod-stats.ts) |
 * | `/metrics`, `/metrics/cadvisor`, `/metrics/resource`, `/metrics/probes` | Prometheus text |
 * | `/logs/` | the node's /var/log |
 * | `/configz` | the effective KubeletConfiguration |
 * | `/containerLogs/<ns>/<pod>/<container>` | the simulated container's log (pods/container-logs.ts) |
 * | `/run`, `/exec`, `/attach`, `/portForward` | upstream's answer for a pod that does not exist |
 * | `/checkpoint/` | 404: the ContainerCheckpoint gate is off, so the route does not exist |
 *
 * With `enableDebuggingHandlers: false` the debugging paths answer `405 Debug endpoints are
 * disabled.`; with `enableSystemLogHandler: false`, `/logs/` answers `405 logs endpoint is
 * disabled.` Errors are plain text as go-restful's `WriteErrorString` and Go's `http.Error` write.
 * `/debug/pprof/` and `/debug/flags/v` are not implemented and answer as disabled.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeTextError } from '../delegation/filter.js';
import { configzView, type KubeletServing } from './config.js';
import { serveLogs } from './logs.js';
import type { KubeletMetrics } from './metrics.js';
import type { NodeState } from './node-state.js';
import { serveContainerLogs } from './pods/container-logs.js';
import { podStats, runningPods } from './pods/pod-stats.js';
import type { PodRuntime } from './pods/runtime.js';

export interface KubeletRoutesContext {
  node: NodeState;
  metrics: KubeletMetrics;
  config: KubeletServing;
  /** The directory /logs/ serves (upstream: /var/log/). */
  logDir: string;
  /** The simulated pods; absent in standalone mode (no API server). */
  pods?: PodRuntime;
}

function podList(ctx: KubeletRoutesContext): unknown {
  const items = ctx.pods?.pods() ?? [];
  return items.length ? { ...EMPTY_POD_LIST, items } : EMPTY_POD_LIST;
}

/** The metric buckets (server.go addMetricsBucketMatcher calls). */
export const METRIC_BUCKETS: ReadonlySet<string> = new Set([
  'healthz',
  'pods',
  'stats',
  'metrics',
  'metrics/cadvisor',
  'metrics/probes',
  'metrics/resource',
  'run',
  'exec',
  'attach',
  'portForward',
  'containerLogs',
  'configz',
  'runningpods',
  'logs',
  'debug',
  'spec',
]);

const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

function json(res: ServerResponse, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

function text(res: ServerResponse, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(200, {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const restful = (res: ServerResponse, code: number, msg: string) => writeTextError(res, 'restful', code, msg);
const httpError = (res: ServerResponse, code: number, msg: string) =>
  writeTextError(res, 'http.Error', code, msg);
const pageNotFound = (res: ServerResponse) => httpError(res, 404, '404 page not found');
/** go-restful: the web service matched, no route did. */
const routeNotFound = (res: ServerResponse) => restful(res, 404, '404: Page Not Found');
const methodNotAllowed = (res: ServerResponse) => restful(res, 405, '405: Method Not Allowed');

const EMPTY_POD_LIST = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: null };

function segments(path: string, prefix: string): string[] {
  return path
    .slice(prefix.length)
    .split('/')
    .filter((s) => s !== '');
}

/** remotecommand NewOptions: at least one stream must be asked for. */
function streamOptionsError(q: URLSearchParams): string | undefined {
  const on = (k: string) => q.get(k) === '1';
  const tty = on('tty');
  const stderr = on('error') && !tty;
  if (!on('input') && !on('output') && !stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  return undefined;
}

function debugging(
  ctx: KubeletRoutesContext,
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  path: string,
  q: URLSearchParams,
): void | Promise<void> {
  const m = req.method ?? 'GET';
  const seg = segments(path, `/${root}`);
  switch (root) {
    case 'run':
      if (m !== 'POST') return methodNotAllowed(res);
      if (seg.length !== 3 && seg.length !== 4) return routeNotFound(res);
      return restful(res, 404, 'pod does not exist');
    case 'exec':
    case 'attach': {
      if (m !== 'GET' && m !== 'POST') return methodNotAllowed(res);
      if (seg.length !== 3 && seg.length !== 4) return routeNotFound(res);
      const err = streamOptionsError(q);
      if (err) return restful(res, 400, err);
      return restful(res, 404, 'pod does not exist');
    }
    case 'portForward':
      if (m !== 'GET' && m !== 'POST') return methodNotAllowed(res);
      if (seg.length !== 2 && seg.length !== 3) return routeNotFound(res);
      return restful(res, 404, 'pod does not exist');
    case 'containerLogs':
      if (m !== 'GET') return methodNotAllowed(res);
      if (seg.length !== 3) return routeNotFound(res);
      return serveContainerLogs(req, res, (ns, name) => ctx.pods?.find(ns, name), seg, q);
    default:
      return pageNotFound(res);
  }
}

export async function serveKubelet(
  ctx: KubeletRoutesContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  q: URLSearchParams,
): Promise<void> {
  const m = req.method ?? 'GET';
  const get = m === 'GET' || m === 'HEAD';
  const root = path.split('/')[1] ?? '';
  const dbg = ctx.config.enableDebuggingHandlers;
  ctx.metrics.count(m, path);
  if (root === 'healthz') {
    const checks = ['ping', 'log', 'syncloop'];
    if (path === '/healthz') {
      if (q.has('verbose'))
        return text(res, checks.map((c) => `[+]${c} ok\n`).join('') + 'healthz check passed\n');
      return text(res, 'ok');
    }
    if (checks.some((c) => path === `/healthz/${c}`)) return text(res, 'ok');
    return pageNotFound(res);
  }
  if (path === '/pods' || path === '/pods/') return get ? json(res, podList(ctx)) : methodNotAllowed(res);
  if (root === 'pods') return routeNotFound(res);
  if (root === 'stats') {
    if (path === '/stats/summary' || path === '/stats/summary/') {
      if (!get && m !== 'POST') return methodNotAllowed(res);
      const summary = ctx.node.summary(q.get('only_cpu_and_memory') === 'true');
      return json(res, { ...summary, pods: podStats(ctx.pods?.workers() ?? []) });
    }
    return routeNotFound(res);
  }
  if (path === '/spec' || path === '/spec/')
    return get ? json(res, ctx.node.machineInfo()) : methodNotAllowed(res);
  if (root === 'spec') return routeNotFound(res);
  switch (path) {
    case '/metrics':
      return text(res, ctx.metrics.kubelet(), PROMETHEUS);
    case '/metrics/cadvisor':
      return text(res, ctx.metrics.cadvisor(), PROMETHEUS);
    case '/metrics/resource':
      return text(res, ctx.metrics.resource(), PROMETHEUS);
    case '/metrics/probes':
      return text(res, '', PROMETHEUS);
  }
  if (root === 'debug') {
    if (path.startsWith('/debug/pprof/')) return httpError(res, 405, 'profiling endpoint is disabled.');
    if (path === '/debug/flags/v') return httpError(res, 405, 'flags endpoint is disabled.');
    return pageNotFound(res);
  }
  const debugRoots = ['run', 'exec', 'attach', 'portForward', 'containerLogs', 'runningpods', 'logs'];
  if (!dbg && debugRoots.includes(root) && path.length > root.length + 1)
    return httpError(res, 405, 'Debug endpoints are disabled.');
  if (root === 'logs' && path.startsWith('/logs/')) {
    if (!ctx.config.enableSystemLogHandler) return httpError(res, 405, 'logs endpoint is disabled.');
    if (!get) return methodNotAllowed(res);
    return serveLogs(req, res, ctx.logDir, path.slice('/logs/'.length));
  }
  if (dbg && path === '/configz') return get ? json(res, configzView(ctx.config)) : methodNotAllowed(res);
  if (dbg && (path === '/runningpods/' || path === '/runningpods'))
    return get ? json(res, runningPods(ctx.pods?.workers() ?? [])) : methodNotAllowed(res);
  if (dbg && ['run', 'exec', 'attach', 'portForward', 'containerLogs'].includes(root))
    return debugging(ctx, req, res, root, path, q);
  return pageNotFound(res);
}
