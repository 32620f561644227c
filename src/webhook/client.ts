/**
 * @module webhook/client
 *
 * The HTTP side of the webhook authorizer and token authenticator: a POST of a JSON review to the exact URL of a
 * kubeconfig's current cluster (client-go rest client as built by
 * staging/src/k8s.io/apiserver/pkg/util/webhook/webhook.go `NewGenericWebhook`), with the
 * cluster CA, client certificate/key or bearer token, a per-request timeout, and retries with
 * exponential backoff (`WithExponentialBackoff` + `DefaultShouldRetry`: connection resets and
 * HTTP 500/504/429 or a Retry-After header are retried; 500ms initial, x1.5, 20% jitter, 5 steps).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { parseKubeconfig, type Kubeconfig } from '../pki/kubeconfig.js';

/** Connection settings resolved from a kubeconfig. */
export interface WebhookConnection {
  server: string;
  caPem?: string;
  certPem?: string;
  keyPem?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  tlsServerName?: string;
}

export interface RetryBackoff {
  /** First delay in ms (500). */
  duration: number;
  factor: number;
  jitter: number;
  /** Total attempts (5). */
  steps: number;
}

export const DEFAULT_RETRY_BACKOFF: RetryBackoff = { duration: 500, factor: 1.5, jitter: 0.2, steps: 5 };

/**
 * Resolves the current context of a kubeconfig (YAML text or parsed) into a connection. File
 * references (`certificate-authority`, `client-certificate`, `client-key`, `tokenFile`) are read
 * relative to `baseDir` (the kubeconfig's directory), as client-go does.
 */
export function connectionFromKubeconfig(kc: Kubeconfig | string, baseDir = '.'): WebhookConnection {
  const cfg = typeof kc === 'string' ? parseKubeconfig(kc) : kc;
  const ctx = cfg.contexts.find((c) => c.name === cfg['current-context']) ?? cfg.contexts[0];
  const cluster = ctx
    ? cfg.clusters.find((c) => c.name === ctx.context.cluster)
    : cfg.clusters.length === 1
      ? cfg.clusters[0]
      : undefined;
  if (!cluster) throw new Error('invalid configuration: no configuration has been provided');
  const user = ctx ? cfg.users.find((u) => u.name === ctx.context.user)?.user : cfg.users[0]?.user;
  const file = (p: string): string => readFileSync(isAbsolute(p) ? p : join(baseDir, p), 'utf8');
  const pick = (data: unknown, path: unknown): string | undefined =>
    typeof data === 'string' && data
      ? Buffer.from(data, 'base64').toString('utf8')
      : typeof path === 'string' && path
        ? file(path)
        : undefined;
  const c = cluster.cluster;
  const tokenFile = user?.tokenFile;
  return {
    server: c.server,
    caPem: pick(c['certificate-authority-data'], c['certificate-authority']),
    certPem: pick(user?.['client-certificate-data'], user?.['client-certificate']),
    keyPem: pick(user?.['client-key-data'], user?.['client-key']),
    token: user?.token ?? (typeof tokenFile === 'string' ? file(tokenFile).trim() : undefined),
    insecureSkipTLSVerify: c['insecure-skip-tls-verify'] === true,
    tlsServerName: c['tls-server-name'],
  };
}

/** Reads and resolves a kubeconfig file. */
export function connectionFromKubeconfigFile(path: string): WebhookConnection {
  return connectionFromKubeconfig(readFileSync(path, 'utf8'), dirname(path));
}

/** A failed call; `retry` tells the backoff loop whether to try again. */
export class WebhookError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly statusCode = 0,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** One POST; resolves with the parsed JSON body of a 2xx answer. */
export function postJson(
  conn: WebhookConnection,
  body: unknown,
  timeoutMs: number,
  userAgent = 'kubeauth-apiserver/webhook-authorizer',
): Promise<unknown> {
  const url = new URL(conn.server);
  const payload = Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    Accept: 'application/json, */*',
    'Content-Length': payload.length,
    'User-Agent': userAgent,
  };
  if (conn.token) headers.Authorization = `Bearer ${conn.token}`;
  const tls = {
    ca: conn.caPem,
    cert: conn.certPem,
    key: conn.keyPem,
    rejectUnauthorized: !conn.insecureSkipTLSVerify,
    servername: conn.tlsServerName,
  };
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, ...(url.protocol === 'https:' ? tls : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(new WebhookError(e.message, false)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) {
          try {
            return resolve(JSON.parse(text));
          } catch (e) {
            return reject(new WebhookError(`invalid webhook response: ${(e as Error).message}`, false, code));
          }
        }
        const retry =
          code === 500 || code === 504 || code === 429 || res.headers['retry-after'] !== undefined;
        reject(new WebhookError(statusErrorMessage(code, text), retry, code));
      });
    });
    req.setTimeout(timeoutMs, () =>
      req.destroy(new WebhookError(timeoutMessage(conn.server, timeoutMs), false)),
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e instanceof WebhookError) return reject(e);
      reject(new WebhookError(`Post "${conn.server}": ${e.message}`, e.code === 'ECONNRESET'));
    });
    req.end(payload);
  });
}

function timeoutMessage(server: string, ms: number): string {
  return `Post "${server}": context deadline exceeded (Client.Timeout exceeded while awaiting headers after ${ms}ms)`;
}

/** client-go's wording: a Status body's message, else "an error on the server (...)". */
function statusErrorMessage(code: number, text: string): string {
  try {
    const s = JSON.parse(text);
    if (s && s.kind === 'Status' && typeof s.message === 'string' && s.message) return s.message;
  } catch {
    // not JSON
  }
  const body = text.length > 1024 ? `${text.slice(0, 1024)}...` : text;
  return `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding (HTTP ${code})`;
}

/** Runs `fn` until it succeeds, fails without `retry`, or the steps run out. */
export async function withBackoff<T>(
  backoff: RetryBackoff,
  fn: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
  random: () => number = Math.random,
): Promise<T> {
  let delay = backoff.duration;
  for (let step = 1; ; step++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof WebhookError) || !e.retry || step >= backoff.steps) throw e;
    }
    await sleep(delay * (1 + (backoff.jitter > 0 ? random() * backoff.jitter : 0)));
    delay *= backoff.factor;
  }
}
