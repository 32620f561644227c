/**
 * @module kubelet/api
 *
 * The node agent's calls to the API server for its own Node and Lease: any method on a path with
 * a JSON body, through client/kube-client.ts from `--kubeconfig`. The kubeconfig is read again
 * for every call, so credentials that change on disk are picked up; each call gives up after
 * `timeoutMs` (upstream's client timeout for node status and lease calls is 10 s).
 */
import { clientFromKubeconfig, KubeApiError } from '../client/kube-client.js';

export type NodeApi = (method: string, path: string, body?: unknown) => Promise<any>;

export function nodeApiFromKubeconfig(file: string, timeoutMs = 10_000): NodeApi {
  return (method, path, body) => {
    const call = clientFromKubeconfig(file).request(method, path, body);
    let t: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Error(`${method} ${path}: timed out after ${timeoutMs}ms`)), timeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(t));
  };
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
