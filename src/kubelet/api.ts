/**
 * @module kubelet/api
 *
 * The node agent's calls to the API server for its own Node and Lease: any method on a path with
 * a JSON body, with the credentials of `--kubeconfig` resolved by webhook/client.ts
 * (`client-certificate`/`client-key` file references included, as TLS bootstrap writes them:
 * `kubelet-client-current.pem`). The kubeconfig and its files are read again for every call, so
 * a rotated certificate is picked up; each call gives up after `timeoutMs` (10 s). An error
 * answer rejects with a KubeApiError carrying the Status.
 */
import { request } from 'node:https';
import { KubeApiError } from '../client/kube-client.js';
import { connectionFromKubeconfigFile } from '../webhook/client.js';

export type NodeApi = (method: string, path: string, body?: unknown) => Promise<any>;

export function nodeApiFromKubeconfig(file: string, timeoutMs = 10_000): NodeApi {
  return (method, path, body) =>
    new Promise((resolve, reject) => {
      const conn = connectionFromKubeconfigFile(file);
      const base = new URL(conn.server);
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        {
          host: base.hostname.replace(/^\[|\]$/g, ''),
          port: base.port || 443,
          path: base.pathname.replace(/\/+$/, '') + path,
          method,
          ca: conn.caPem,
          cert: conn.certPem,
          key: conn.keyPem,
          servername: conn.tlsServerName,
          rejectUnauthorized: !conn.insecureSkipTLSVerify,
          timeout: timeoutMs,
          headers: {
            accept: 'application/json',
            'user-agent': 'kubeauth-kubelet/node-status',
            ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
            ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const code = res.statusCode ?? 500;
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            if (code >= 400) reject(new KubeApiError(method, path, code, json as { message?: string }, text));
            else if (text && json === undefined) reject(new Error(`${method} ${path}: not JSON`));
            else resolve(json);
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs}ms`)));
      req.on('error', reject);
      req.end(payload);
    });
}

/** The HTTP status of an API error answer (0 for a transport error). */
export function apiCode(e: unknown): number {
  return e instanceof KubeApiError ? e.code : 0;
}

/** Waits ms, or less when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
