/**
 * The API server's client towards kubelets (pkg/kubelet/client/kubelet_client.go): HTTPS with
 * --kubelet-client-certificate/--kubelet-client-key as its identity, the kubelet's serving
 * certificate verified against --kubelet-certificate-authority (not verified without one, as
 * upstream), --kubelet-preferred-address-types and --kubelet-timeout (the dial timeout: streams
 * such as `logs -f` stay open longer). Requests are single round trips: redirects are never
 * followed.
 */
import https from 'node:https';
import type { ClientRequest } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { KubeObject } from '../../api/types.js';
import { ApiError } from '../../api/errors.js';
import { connectionInfo, DEFAULT_PREFERRED_ADDRESS_TYPES, type ConnectionInfo } from './kubelet-location.js';

/** kube-apiserver's defaults: no client certificate, no CA, the default address types, 5 s. */
export const defaultKubeletClient: KubeletClientOptions = {
  preferredAddressTypes: [...DEFAULT_PREFERRED_ADDRESS_TYPES],
  timeoutMs: 5000,
};

export interface KubeletClientOptions {
  certPem?: string;
  keyPem?: string;
  /** --kubelet-certificate-authority: verify the kubelet's serving certificate against it. */
  caPem?: string;
  preferredAddressTypes: string[];
  /** --kubelet-timeout in ms (upstream HTTPTimeout: the dialer's timeout). */
  timeoutMs: number;
}

export class KubeletClient {
  readonly agent: https.Agent;
  /** insecureSkipTLSVerifyBackend (pods/log): the same identity, no verification. */
  readonly insecureAgent: https.Agent;
  /** For other ports of a node (nodes/NAME:PORT/proxy): no client certificate, as ProxyTransport. */
  readonly plainAgent: https.Agent;

  constructor(readonly opts: KubeletClientOptions) {
    const identity = { cert: opts.certPem, key: opts.keyPem };
    const common = { keepAlive: true, timeout: undefined, minVersion: 'TLSv1.2' as const };
    this.agent = opts.caPem
      ? new https.Agent({ ...common, ...identity, ca: opts.caPem, rejectUnauthorized: true })
      : new https.Agent({ ...common, ...identity, rejectUnauthorized: false });
    this.insecureAgent = new https.Agent({ ...common, ...identity, rejectUnauthorized: false });
    this.plainAgent = new https.Agent({ ...common, ca: opts.caPem, rejectUnauthorized: Boolean(opts.caPem) });
  }

  /** GetConnectionInfo: the node object (from the API server's store) → kubelet address and port. */
  info(node: KubeObject | undefined, name: string): ConnectionInfo {
    if (!node) throw new ApiError(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' });
    return connectionInfo(node, this.opts.preferredAddressTypes);
  }

  close(): void {
    this.agent.destroy();
    this.insecureAgent.destroy();
    this.plainAgent.destroy();
  }
}

/**
 * --kubelet-timeout as upstream's dialer timeout: the request fails when the connection (TCP and
 * TLS) is not up in time; once connected, a slow answer (logs -f) is not cut off.
 */
export function dialTimeout(req: ClientRequest, ms: number, host: string): void {
  let connected = false;
  const timer = setTimeout(() => {
    if (!connected) req.destroy(new Error(`dial tcp ${host}: i/o timeout`));
  }, ms);
  const done = () => {
    connected = true;
    clearTimeout(timer);
  };
  req.on('socket', (s) => {
    // A kept-alive socket from the agent is already connected.
    if (!s.connecting && !(s as TLSSocket).pending) done();
    else s.once('secureConnect', done);
  });
  req.on('response', done);
  req.on('upgrade', done);
  req.on('close', () => clearTimeout(timer));
}
