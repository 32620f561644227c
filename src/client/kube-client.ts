/**
 * A minimal Kubernetes API client for the one-shot commands: reads a kubeconfig (client
 * certificate or bearer token, the cluster CA), GETs JSON over HTTPS, and lists a collection
 * page by page, and sends any other request (the token command creates and deletes Secrets).
 * Works against kubeauth and any other Kubernetes API server. Shared by the one-shot commands
 * (cli/, analysis/).
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { currentCredentials, parseKubeconfig } from '../pki/kubeconfig.js';

export interface KubeClient {
  server: string;
  /** The cluster's CA bundle from the kubeconfig, if any (PEM). */
  caCertPem?: string;
  get(path: string): Promise<unknown>;
  list(path: string): Promise<Record<string, unknown>[]>;
  /** Any method; a 4xx/5xx answer rejects with a KubeApiError carrying the Status. */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
}

/** An error answer of the API server, with its Status (when the body was one). */
export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly code: number,
    readonly status: { message?: string; reason?: string } | undefined,
    text: string,
  ) {
    super(`${method} ${path}: ${code} ${status?.message ?? text}`);
  }
}

export function clientFromKubeconfig(file: string): KubeClient {
  return clientFromCredentials(currentCredentials(parseKubeconfig(readFileSync(file, 'utf8'))));
}

/** What a client connects with (the kubelet passes its current client certificate). */
export interface ClientCredentials {
  server: string;
  caCertPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  /** insecure-skip-tls-verify. */
  insecure?: boolean;
}

export function clientFromCredentials(creds: ClientCredentials): KubeClient {
  const base = new URL(creds.server);
  const send = (method: string, path: string, body?: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          host: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || 443,
          path,
          method,
          ca: creds.caCertPem,
          cert: creds.clientCertPem,
          key: creds.clientKeyPem,
          ...(creds.insecure ? { rejectUnauthorized: false } : {}),
          headers: {
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const code = res.statusCode ?? 500;
            if (code >= 400) {
              let status: { message?: string; reason?: string } | undefined;
              try {
                status = JSON.parse(text) as { message?: string; reason?: string };
              } catch {
                /* not a Status */
              }
              reject(new KubeApiError(method, path, code, status, text));
            } else {
              try {
                resolve(text ? JSON.parse(text) : undefined);
              } catch (e) {
                reject(e instanceof Error ? e : new Error(String(e)));
              }
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const get = (path: string): Promise<unknown> => send('GET', path);
  return {
    server: creds.server,
    caCertPem: creds.caCertPem,
    get,
    request: send,
    async list(path) {
      const items: Record<string, unknown>[] = [];
      let cont = '';
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page = (await get(
          `${path}${sep}limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`,
        )) as {
          kind?: string;
          apiVersion?: string;
          items?: Record<string, unknown>[];
          metadata?: { continue?: string };
        };
        const kind = (page.kind ?? '').replace(/List$/, '');
        for (const it of page.items ?? []) items.push({ kind, apiVersion: page.apiVersion, ...it });
        cont = page.metadata?.continue ?? '';
      } while (cont);
      return items;
    },
  };
}
