/**
 * @module kubelet/metrics
 *
 * The Prometheus text of the kubelet's metrics endpoints, with upstream's names and help texts:
 * `/metrics` (the kubelet's own: kubelet_node_name, kubelet_http_requests_total as
 * pkg/kubelet/server/metrics counts them, process_start_time_seconds), `/metrics/resource`
 * (pkg/kubelet/metrics/collectors/resource_metrics.go: node cpu and memory, scrape error) and
 * `/metrics/cadvisor` (the machine and root-container series cAdvisor exposes). No pods, so no
 * pod or container series.
 */
import type { NodeState } from './node-state.js';

/** pkg/kubelet/server/server.go getURLRootPath: `metrics/<x>` or the first path segment. */
export function metricBucket(path: string, known: ReadonlySet<string>): string {
  const parts = path.replace(/^\//, '').split('/', 3);
  const root = parts[0] === 'metrics' && parts.length > 1 ? `metrics/${parts[1]}` : parts[0];
  return known.has(root) ? root : 'other';
}

const METHODS = new Set(['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']);
const LONG_RUNNING = new Set(['exec', 'attach', 'portforward', 'debug']);

export class KubeletMetrics {
  private readonly requests = new Map<string, number>();
  private readonly startSeconds = Math.floor(Date.now() / 1000 - process.uptime());

  constructor(
    private readonly node: NodeState,
    private readonly buckets: ReadonlySet<string>,
  ) {}

  /** Counts a request as kubelet_http_requests_total does (method and path buckets). */
  count(method: string, path: string): void {
    const bucket = metricBucket(path, this.buckets);
    const m = METHODS.has(method) ? method : 'other';
    const key = `long_running="${LONG_RUNNING.has(bucket)}",method="${m}",path="${bucket}",server_type="readwrite"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  kubelet(): string {
    const lines = [
      '# HELP kubelet_http_requests_total [ALPHA] Number of the http requests received since the server started',
      '# TYPE kubelet_http_requests_total counter',
      ...[...this.requests].sort().map(([k, v]) => `kubelet_http_requests_total{${k}} ${v}`),
      "# HELP kubelet_node_name [ALPHA] The node's name. The count is always 1.",
      '# TYPE kubelet_node_name gauge',
      `kubelet_node_name{node="${this.node.nodeName}"} 1`,
      '# HELP process_start_time_seconds [ALPHA] Start time of the process since unix epoch in seconds.',
      '# TYPE process_start_time_seconds gauge',
      `process_start_time_seconds ${this.startSeconds}`,
    ];
    return lines.join('\n') + '\n';
  }

  resource(): string {
    const s = this.node.sample();
    return (
      [
        '# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds',
        '# TYPE node_cpu_usage_seconds_total counter',
        `node_cpu_usage_seconds_total ${s.cpuUsageCoreNanoSeconds / 1e9} ${s.timeMs}`,
        '# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes',
        '# TYPE node_memory_working_set_bytes gauge',
        `node_memory_working_set_bytes ${s.memoryWorkingSetBytes} ${s.timeMs}`,
        '# HELP resource_scrape_error [STABLE] 1 if there was an error while getting container metrics, 0 otherwise',
        '# TYPE resource_scrape_error gauge',
        'resource_scrape_error 0',
      ].join('\n') + '\n'
    );
  }

  cadvisor(): string {
    const s = this.node.sample();
    const spec = this.node.machineInfo();
    return (
      [
        '# HELP machine_cpu_cores Number of logical CPU cores.',
        '# TYPE machine_cpu_cores gauge',
        `machine_cpu_cores{boot_id="",machine_id="",system_uuid=""} ${String(spec.num_cores)}`,
        '# HELP machine_memory_bytes Amount of memory installed on the machine.',
        '# TYPE machine_memory_bytes gauge',
        `machine_memory_bytes{boot_id="",machine_id="",system_uuid=""} ${String(spec.memory_capacity)}`,
        '# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.',
        '# TYPE container_cpu_usage_seconds_total counter',
        `container_cpu_usage_seconds_total{container="",id="/",image="",name="",namespace="",pod=""} ${s.cpuUsageCoreNanoSeconds / 1e9} ${s.timeMs}`,
        '# HELP container_memory_working_set_bytes Current working set in bytes.',
        '# TYPE container_memory_working_set_bytes gauge',
        `container_memory_working_set_bytes{container="",id="/",image="",name="",namespace="",pod=""} ${s.memoryWorkingSetBytes} ${s.timeMs}`,
      ].join('\n') + '\n'
    );
  }
}
