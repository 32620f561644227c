/**
 * Hop-by-hop headers: RFC 7230 §6.1 plus the ones Go's httputil.ReverseProxy drops (and `host`,
 * `http2-settings`), never forwarded by a proxy in either direction. Shared by the API server's
 * kubelet proxying and `kubeauth proxy`.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'http2-settings',
]);
