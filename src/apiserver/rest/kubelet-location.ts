/**
 * Where the API server sends a pod's log, exec, attach and portforward requests, and a node's
 * proxy requests, on the kubelet: upstream pkg/registry/core/pod/strategy.go (LogLocation,
 * streamLocation, PortForwardLocation, validateContainer), pkg/registry/core/node/strategy.go
 * (ResourceLocation) and pkg/kubelet/client/kubelet_client.go (NodeConnectionInfoGetter:
 * the first node address of the preferred types, the port from
 * status.daemonEndpoints.kubeletEndpoint.Port, else 10250). Pure functions: no I/O.
 */
import { ApiError, badRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';

/** --kubelet-preferred-address-types' default (kube-apiserver options). */
export const DEFAULT_PREFERRED_ADDRESS_TYPES = [
  'Hostname',
  'InternalDNS',
  'InternalIP',
  'ExternalDNS',
  'ExternalIP',
];
/** ports.KubeletPort: used when the node reports no kubelet endpoint port. */
export const DEFAULT_KUBELET_PORT = 10250;
export const NODE_ADDRESS_TYPES = new Set(DEFAULT_PREFERRED_ADDRESS_TYPES);

export interface ConnectionInfo {
  scheme: 'https';
  hostname: string;
  port: string;
}

export interface KubeletLocation {
  /** scheme://host:port/path?query */
  url: URL;
  /** insecureSkipTLSVerifyBackend on pods/log: the transport that does not verify the kubelet. */
  insecureSkipTLSVerify?: boolean;
}

interface NodeShape {
  metadata?: { labels?: Record<string, string> };
  status?: {
    addresses?: { type?: string; address?: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}

/** nodeutil.GetPreferredNodeAddress: by type order; Hostname falls back to the hostname label. */
export function preferredNodeAddress(node: KubeObject, preferred: string[]): string {
  const n = node as NodeShape;
  const addresses = n.status?.addresses ?? [];
  for (const type of preferred) {
    const hit = addresses.find((a) => a.type === type && a.address);
    if (hit?.address) return hit.address;
    if (type === 'Hostname') {
      const label = n.metadata?.labels?.['kubernetes.io/hostname'];
      if (label) return label;
    }
  }
  // NoMatchError.Error(): "no preferred addresses found; known addresses: %v"
  const known = addresses.map((a) => `{${a.type ?? ''} ${a.address ?? ''}}`).join(' ');
  throw new ApiError(500, 'InternalError', `no preferred addresses found; known addresses: [${known}]`);
}

/** NodeConnectionInfoGetter.GetConnectionInfo for a node object. */
export function connectionInfo(node: KubeObject, preferred: string[]): ConnectionInfo {
  const hostname = preferredNodeAddress(node, preferred);
  const reported = (node as NodeShape).status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
  const port = Number.isInteger(reported) && reported > 0 ? reported : DEFAULT_KUBELET_PORT;
  return { scheme: 'https', hostname, port: String(port) };
}

/** net.JoinHostPort: IPv6 literals in brackets. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function base(info: ConnectionInfo, path: string, query: URLSearchParams): URL {
  const u = new URL(`${info.scheme}://${joinHostPort(info.hostname, info.port)}`);
  u.pathname = path;
  u.search = sortedQuery(query);
  return u;
}

/** url.Values.Encode sorts by key (values keep their order). */
function sortedQuery(q: URLSearchParams): string {
  const keys = [...new Set(q.keys())].sort();
  const out = new URLSearchParams();
  for (const k of keys) for (const v of q.getAll(k)) out.append(k, v);
  return out.toString();
}

interface PodShape {
  metadata?: { name?: string; namespace?: string };
  spec?: {
    nodeName?: string;
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    ephemeralContainers?: { name: string }[];
  };
}

/** podutil.VisitContainers order: init containers, containers, ephemeral containers. */
function allContainerNames(pod: PodShape): string[] {
  const s = pod.spec ?? {};
  return [...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map(
    (c) => c.name,
  );
}

/** validateContainer: the only container when none is named; a named one must exist. */
export function validateContainer(container: string, pod: KubeObject): string {
  const p = pod as PodShape;
  const name = p.metadata?.name ?? '';
  if (!container) {
    const containers = p.spec?.containers ?? [];
    if (containers.length === 1) return containers[0]!.name;
    if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${allContainerNames(p).join(' ')}]`,
    );
  }
  if (!allContainerNames(p).includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** PodLogOptions as decoded from the query (after validation). */
export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  /** RFC 3339, seconds precision (metav1.Time's wire form). */
  sinceTime?: string;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend?: boolean;
}

/**
 * LogLocation. `undefined` when the pod has no node yet (upstream returns an empty location and
 * the log request answers 200 with an empty body).
 */
export function logLocation(
  pod: KubeObject,
  opts: PodLogOptions,
  nodeInfo: (nodeName: string) => ConnectionInfo,
): KubeletLocation | undefined {
  const p = pod as PodShape;
  const container = validateContainer(opts.container ?? '', pod);
  const nodeName = p.spec?.nodeName ?? '';
  if (!nodeName) return undefined;
  const info = nodeInfo(nodeName);
  const q = new URLSearchParams();
  if (opts.follow) q.append('follow', 'true');
  if (opts.previous) q.append('previous', 'true');
  if (opts.timestamps) q.append('timestamps', 'true');
  if (opts.sinceSeconds !== undefined) q.append('sinceSeconds', String(opts.sinceSeconds));
  if (opts.sinceTime !== undefined) q.append('sinceTime', opts.sinceTime);
  if (opts.tailLines !== undefined) q.append('tailLines', String(opts.tailLines));
  if (opts.limitBytes !== undefined) q.append('limitBytes', String(opts.limitBytes));
  const path = `/containerLogs/${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}/${container}`;
  const url = base(info, path, q);
  return opts.insecureSkipTLSVerifyBackend ? { url, insecureSkipTLSVerify: true } : { url };
}

/** PodExecOptions / PodAttachOptions (the stream flags) and PodPortForwardOptions. */
export interface StreamOptions {
  container?: string;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  tty?: boolean;
  command?: string[];
  ports?: number[];
}

/** streamParams: "1" for each flag set, one `command` per argument, `port` comma-joined. */
function streamParams(kind: 'exec' | 'attach' | 'portForward', o: StreamOptions): URLSearchParams {
  const q = new URLSearchParams();
  if (kind !== 'portForward') {
    if (o.stdin) q.append('input', '1');
    if (o.stdout) q.append('output', '1');
    if (o.stderr) q.append('error', '1');
    if (o.tty) q.append('tty', '1');
    if (kind === 'exec') for (const c of o.command ?? []) q.append('command', c);
  } else if (o.ports?.length) q.append('port', o.ports.join(','));
  return q;
}

function assignedNode(pod: KubeObject): string {
  const p = pod as PodShape;
  const nodeName = p.spec?.nodeName ?? '';
  if (!nodeName) throw badRequest(`pod ${p.metadata?.name ?? ''} does not have a host assigned`);
  return nodeName;
}

/** ExecLocation / AttachLocation (streamLocation). */
export function streamLocation(
  pod: KubeObject,
  kind: 'exec' | 'attach',
  opts: StreamOptions,
  nodeInfo: (nodeName: string) => ConnectionInfo,
): KubeletLocation {
  const p = pod as PodShape;
  const container = validateContainer(opts.container ?? '', pod);
  const info = nodeInfo(assignedNode(pod));
  const path = `/${kind}/${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}/${container}`;
  return { url: base(info, path, streamParams(kind, opts)) };
}

/** PortForwardLocation: no container. */
export function portForwardLocation(
  pod: KubeObject,
  opts: StreamOptions,
  nodeInfo: (nodeName: string) => ConnectionInfo,
): KubeletLocation {
  const p = pod as PodShape;
  const info = nodeInfo(assignedNode(pod));
  const path = `/portForward/${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  return { url: base(info, path, streamParams('portForward', opts)) };
}

/**
 * utilnet.SplitSchemeNamePort: "name", "name:port" or "scheme:name:port" (scheme http or https).
 */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  if (parts.length > 3) return undefined;
  const [scheme, name, port] = (
    parts.length === 3 ? parts : parts.length === 2 ? ['', ...parts] : ['', parts[0], '']
  ) as [string, string, string];
  if (!name || (scheme && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme, name, port };
}
