/**
 * @module authz/webhook-incluster
 *
 * `connectionInfo.type: InClusterConfig`, after client-go rest.InClusterConfig: the service
 * account token and CA mounted into the pod, and the KUBERNETES_SERVICE_HOST/PORT address.
 */
import { readFileSync } from 'node:fs';
import type { WebhookConnection } from '../webhook/client.js';

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export function inClusterConnection(env: NodeJS.ProcessEnv = process.env, dir = SA_DIR): WebhookConnection {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) {
    throw new Error(
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  }
  const h = host.includes(':') ? `[${host}]` : host;
  return {
    server: `https://${h}:${port}`,
    token: readFileSync(`${dir}/token`, 'utf8').trim(),
    caPem: readFileSync(`${dir}/ca.crt`, 'utf8'),
  };
}
