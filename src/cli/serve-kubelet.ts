/**
 * kube-apiserver's kubelet client flags (pkg/kubeapiserver/options KubeletConfig): the identity
 * `serve` presents to kubelets (--kubelet-client-certificate/--kubelet-client-key, by default the
 * PKI's apiserver-kubelet-client pair, CN=kube-apiserver-kubelet-client, as kubeadm's manifest
 * passes it), the CA that verifies kubelets' serving certificates (none by default: not verified,
 * as upstream, with a warning), the node address types to try and the dial timeout.
 */
import { readFileSync } from 'node:fs';
import type { FlagSpec, FlagValues } from './flags.js';
import { FlagError, parseDuration } from './flags.js';
import type { KubeletClientOptions } from '../apiserver/rest/kubelet-client.js';
import { DEFAULT_PREFERRED_ADDRESS_TYPES, NODE_ADDRESS_TYPES } from '../apiserver/rest/kubelet-location.js';

export const kubeletClientFlags: FlagSpec[] = [
  {
    name: 'kubelet-client-certificate',
    type: 'string',
    default: '',
    help: 'Path to a client cert file for TLS to kubelets (default <data-dir>/pki/apiserver-kubelet-client.crt).',
  },
  {
    name: 'kubelet-client-key',
    type: 'string',
    default: '',
    help: 'Path to a client key file for TLS to kubelets (default <data-dir>/pki/apiserver-kubelet-client.key).',
  },
  {
    name: 'kubelet-certificate-authority',
    type: 'string',
    default: '',
    help: "Path to a cert file for the certificate authority that verifies kubelets' serving certificates; without it they are not verified (as upstream).",
  },
  {
    name: 'kubelet-preferred-address-types',
    type: 'stringArray',
    default: [...DEFAULT_PREFERRED_ADDRESS_TYPES],
    help: 'List of the preferred NodeAddressTypes to use for kubelet connections.',
  },
  {
    name: 'kubelet-timeout',
    type: 'duration',
    default: '5s',
    help: 'Timeout for kubelet operations (the connection to the kubelet).',
  },
];

function read(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlagError(`--${flag}: ${(e as Error).message}`);
  }
}

export function kubeletClientFromFlags(
  f: FlagValues,
  pkiPair: { certPath: string; keyPath: string },
  log: (m: string) => void,
): KubeletClientOptions {
  const cert = String(f['kubelet-client-certificate']);
  const key = String(f['kubelet-client-key']);
  if (Boolean(cert) !== Boolean(key))
    throw new FlagError('--kubelet-client-certificate and --kubelet-client-key must be given together');
  const types = f['kubelet-preferred-address-types'] as string[];
  if (!types.length) throw new FlagError('--kubelet-preferred-address-types must be specified');
  for (const t of types)
    if (!NODE_ADDRESS_TYPES.has(t))
      throw new FlagError(`--kubelet-preferred-address-types: unsupported address type "${t}"`);
  const timeoutMs = parseDuration(String(f['kubelet-timeout']));
  if (!(timeoutMs > 0)) throw new FlagError('--kubelet-timeout must be greater than 0');
  const ca = String(f['kubelet-certificate-authority']);
  if (!ca)
    log(
      "W kubelet serving certificates are not verified: no --kubelet-certificate-authority (upstream's default; give the CA that signs them)",
    );
  return {
    certPem: read('kubelet-client-certificate', cert || pkiPair.certPath),
    keyPem: read('kubelet-client-key', key || pkiPair.keyPath),
    caPem: ca ? read('kubelet-certificate-authority', ca) : undefined,
    preferredAddressTypes: types,
    timeoutMs,
  };
}
