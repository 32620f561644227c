/**
 * @module kubelet/pods/pod-watch
 *
 * The kubelet's pod source (pkg/kubelet/config/apiserver.go NewSourceApiserver): list, then
 * watch, the pods with `fieldSelector=spec.nodeName=<node>` across namespaces, with the node's
 * own credentials (the Node authorizer allows exactly that list/watch). A watch that ends or
 * fails is resumed from the last resourceVersion; a 410 Gone (or any list error) lists again
 * after a back-off (1 s doubling to 30 s). Each event hands the pod (or its removal) to `onPod`.
 */
import { request } from 'node:https';
import type { KubeObject } from '../../api/types.js';
import { connectionFromKubeconfigFile } from '../../webhook/client.js';
import { sleep, type NodeApi } from '../api.js';

export type PodEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; pod: KubeObject };

/** A streaming GET: resolves when the response ends; each JSON line goes to onLine. */
function streamLines(
  kubeconfig: string,
  path: string,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const conn = connectionFromKubeconfigFile(kubeconfig);
    const base = new URL(conn.server);
    const req = request({
      host: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port || 443,
      path: base.pathname.replace(/\/+$/, '') + path,
      method: 'GET',
      ca: conn.caPem,
      cert: conn.certPem,
      key: conn.keyPem,
      servername: conn.tlsServerName,
      rejectUnauthorized: !conn.insecureSkipTLSVerify,
      signal,
      headers: {
        accept: 'application/json',
        'user-agent': 'kubeauth-kubelet/pod-source',
        ...(conn.token ? { authorization: `Bearer ${conn.token}` } : {}),
      },
    });
    req.on('response', (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) onLine(line);
        }
      });
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function watchNodePods(o: {
  nodeName: string;
  api: NodeApi;
  kubeconfig: string;
  signal: AbortSignal;
  onSync: (pods: KubeObject[]) => void;
  onEvent: (e: PodEvent) => void;
  log: (m: string) => void;
}): Promise<void> {
  const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${o.nodeName}`)}`;
  let backoff = 1000;
  while (!o.signal.aborted) {
    let rv: string;
    try {
      const list = (await o.api('GET', `/api/v1/pods?${selector}`)) as {
        items?: KubeObject[];
        metadata?: { resourceVersion?: string };
      };
      rv = list.metadata?.resourceVersion ?? '0';
      o.onSync(list.items ?? []);
      backoff = 1000;
    } catch (e) {
      o.log(`E pod source: list pods: ${(e as Error).message}`);
      await sleep(backoff, o.signal);
      backoff = Math.min(backoff * 2, 30_000);
      continue;
    }
    let gone = false;
    while (!o.signal.aborted && !gone) {
      try {
        const code = await streamLines(
          o.kubeconfig,
          `/api/v1/pods?${selector}&watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=300`,
          o.signal,
          (line) => {
            let ev: { type?: string; object?: KubeObject };
            try {
              ev = JSON.parse(line) as typeof ev;
            } catch {
              return;
            }
            const v = ev.object?.metadata?.resourceVersion;
            if (ev.type === 'ERROR') {
              gone = true;
              return;
            }
            if (v) rv = v;
            if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED')
              o.onEvent({ type: ev.type, pod: ev.object! });
          },
        );
        if (code !== 200) gone = true;
      } catch (e) {
        if (o.signal.aborted) return;
        o.log(`E pod source: watch pods: ${(e as Error).message}`);
        gone = true;
      }
    }
    if (gone && !o.signal.aborted) await sleep(backoff, o.signal);
  }
}
