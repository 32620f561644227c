/**
 * A minimal Kubernetes API client for the one-shot commands: reads a kubeconfig (client
 * certificate or bearer token, the cluster CA), GETs JSON over HTTPS, and lists a collection
 * page by page. Works against kubeauth and any other Kubernetes API server.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { currentCredentials, parseKubeconfig } from '../pki/kubeconfig.js';

export interface KubeClient {
  server: string;
  get(path: string): Promise<unknown>;
  list(path: string): Promise<Record<string, unknown>[]>;
}

export function clientFromKubeconfig(file: string): KubeClient {
  const creds = currentCredentials(parseKubeconfig(readFileSync(file, 'utf8')));
  const base = new URL(creds.server);
  const get = (path: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || 443,
          path,
          method: 'GET',
          ca: creds.caCertPem,
          cert: creds.clientCertPem,
          key: creds.clientKeyPem,
          headers: {
            accept: 'application/json',
            ...(creds.token ? { authorization: `Bearer ${creds.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 500) >= 400) {
              let msg = text;
              try {
                msg = (JSON.parse(text) as { message?: string }).message ?? text;
              } catch {
                /* not a Status */
              }
              reject(new Error(`GET ${path}: ${res.statusCode} ${msg}`));
            } else resolve(JSON.parse(text));
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  return {
    server: creds.server,
    get,
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
