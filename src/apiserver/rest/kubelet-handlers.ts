/**
 * The connect subresources served by a kubelet: nodes/proxy (pkg/registry/core/node/rest/proxy.go),
 * pods/log (pkg/registry/core/pod/rest/log.go, a LocationStreamer with the generic response
 * checker), pods/exec, pods/attach and pods/portforward (pkg/registry/core/pod/rest/subresources.go,
 * upgrade required). Authorization happened in the handler chain (nodes/proxy, pods/log, ...).
 */
import https from 'node:https';
import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { ApiError, badRequest } from '../../api/errors.js';
import type { RequestScope } from './scope.js';
import type { ResponseWriter } from '../context.js';
import { forward } from './kubelet-proxy.js';
import {
  logLocation,
  portForwardLocation,
  splitSchemeNamePort,
  streamLocation,
  joinHostPort,
  type ConnectionInfo,
} from './kubelet-location.js';
import { podLogOptions, streamOptions } from './kubelet-options.js';
import { attributesOf, forbiddenError } from '../filters/authorization.js';
import { dialTimeout, type KubeletClient } from './kubelet-client.js';

function client(s: RequestScope): KubeletClient {
  const k = s.env.kubelet;
  if (!k) throw new ApiError(503, 'ServiceUnavailable', 'no kubelet client is configured');
  return k;
}

function nodeInfo(s: RequestScope): (name: string) => ConnectionInfo {
  const nodes = s.env.storeFor('', 'nodes');
  return (name) => client(s).info(nodes?.get('', name)?.obj, name);
}

/**
 * node/strategy.go isProxyableHostname: every address the name resolves to must be global
 * unicast (no loopback, link-local, multicast or unspecified address: the API server's own host
 * is not reachable through nodes/proxy).
 */
export async function checkProxyableHostname(hostname: string): Promise<void> {
  let addrs: { address: string }[];
  try {
    addrs = await lookup(hostname, { all: true, verbatim: true });
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  if (!addrs.length) throw badRequest('no addresses for hostname');
  for (const a of addrs) if (!isGlobalUnicast(a.address)) throw badRequest('address not allowed');
}

/** net.IP.IsGlobalUnicast. */
export function isGlobalUnicast(ip: string): boolean {
  if (isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    if (ip === '255.255.255.255' || a === 0 || a === 127 || a >= 224) return false;
    return !(a === 169 && b === 254);
  }
  if (!isIPv6(ip)) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isGlobalUnicast(mapped[1]!);
  const first = parseInt(ip.split(':')[0] || '0', 16);
  if (ip === '::' || ip === '::1') return false;
  if ((first & 0xff00) === 0xff00) return false; // multicast
  if ((first & 0xffc0) === 0xfe80) return false; // link-local unicast
  return true;
}

/** /api/v1/nodes/NAME[:PORT]/proxy/PATH → the kubelet (or, for another port, that port). */
export async function handleNodeProxy(s: RequestScope, id: string): Promise<void> {
  const k = client(s);
  const parts = splitSchemeNamePort(id);
  if (!parts) throw badRequest(`invalid node request "${id}"`);
  const info = nodeInfo(s)(parts.name);
  await checkProxyableHostname(info.hostname);
  const rest = /^\/api\/v1\/nodes\/[^/]+\/proxy(\/.*)?$/.exec(s.ctx.path)?.[1] ?? '';
  const kubeletPort = !parts.port || parts.port === info.port;
  const scheme = kubeletPort ? info.scheme : parts.scheme || 'http';
  const url = new URL(`${scheme}://${joinHostPort(info.hostname, kubeletPort ? info.port : parts.port)}`);
  url.pathname = rest || '/';
  const raw = s.ctx.req.url ?? '';
  const q = raw.indexOf('?');
  url.search = q < 0 ? '' : raw.slice(q);
  const pathPrepend = /^\/api\/v1\/nodes\/[^/]+\/proxy/.exec(s.ctx.path)?.[0] ?? '';
  return forward(s.ctx, {
    url,
    agent: kubeletPort ? k.agent : k.plainAgent,
    timeoutMs: k.opts.timeoutMs,
    pathPrepend,
  });
}

/**
 * AuthorizePodWebsocketUpgradeCreatePermission (upstream 1.35, on by default; kubernetes#134577):
 * a WebSocket upgrade is a GET, authorized as `get pods/exec`; the session it opens writes to the
 * container, so `create` on the subresource is required as well.
 */
async function ensureCreateAllowed(s: RequestScope): Promise<void> {
  if (s.ctx.info.verb !== 'get' || !s.ctx.user) return;
  const attrs = { ...attributesOf(s.ctx), verb: 'create' };
  const r = await s.env.authorizer.authorize(attrs);
  if (r.decision !== 'Allow') throw forbiddenError(attrs, r.reason);
}

/** pods/exec, pods/attach, pods/portforward: upgrade required (subresources.go Connect). */
export async function handlePodStream(
  s: RequestScope,
  ns: string,
  name: string,
  sub: 'exec' | 'attach' | 'portforward',
): Promise<void> {
  const k = client(s);
  await ensureCreateAllowed(s);
  const pod = s.store.mustGet(ns, name).obj;
  const opts = streamOptions(s.ctx.query, sub);
  const loc =
    sub === 'portforward'
      ? portForwardLocation(pod, opts, nodeInfo(s))
      : streamLocation(pod, sub, opts, nodeInfo(s));
  return forward(s.ctx, { url: loc.url, agent: k.agent, timeoutMs: k.opts.timeoutMs, upgradeRequired: true });
}

/** pods/log: GET /containerLogs/NS/POD/CONTAINER?... streamed back as text/plain. */
export async function handlePodLog(s: RequestScope, ns: string, name: string): Promise<void> {
  const k = client(s);
  const pod = s.store.mustGet(ns, name).obj;
  const loc = logLocation(pod, podLogOptions(s.ctx.query, name), nodeInfo(s));
  if (!loc) {
    // No node yet: an empty location streams nothing (LocationStreamer with a nil URL).
    s.ctx.res.writeHead(200, { 'content-type': 'text/plain' });
    s.ctx.res.end();
    return;
  }
  const agent = loc.insecureSkipTLSVerify ? k.insecureAgent : k.agent;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = https.get(loc.url, { agent }, resolve);
    dialTimeout(req, k.opts.timeoutMs, loc.url.host);
    req.on('error', (e) => reject(new ApiError(500, 'InternalError', e.message)));
  });
  const code = res.statusCode ?? 500;
  if (code < 200 || code > 299) throw await genericServerResponse(res, code, name);
  s.ctx.res.writeHead(200, { 'content-type': 'text/plain' });
  await new Promise<void>((resolve) => {
    res.on('data', (c: Buffer) => (s.ctx.res as ResponseWriter).write(c));
    res.on('end', () => {
      s.ctx.res.end();
      resolve();
    });
    res.on('error', () => {
      s.ctx.res.end();
      resolve();
    });
    s.ctx.res.on('close', () => {
      res.destroy();
      resolve();
    });
  });
}

/** GenericHttpResponseChecker → errors.NewGenericServerResponse(code, "", pods/log, name, body). */
async function genericServerResponse(res: IncomingMessage, code: number, name: string): Promise<ApiError> {
  let body = '';
  for await (const c of res) {
    body += (c as Buffer).toString('utf8');
    if (body.length >= 50000) break; // maxReadLength
  }
  body = body.slice(0, 50000);
  res.destroy();
  const table: Record<number, [ApiError['reason'], string]> = {
    400: ['BadRequest', 'the server rejected our request for an unknown reason'],
    401: ['Unauthorized', 'the server has asked for the client to provide credentials'],
    403: ['Forbidden', body],
    404: ['NotFound', 'the server could not find the requested resource'],
    405: ['MethodNotAllowed', 'the server does not allow this method on the requested resource'],
    409: ['Conflict', 'the server reported a conflict'],
    422: ['Invalid', 'the server rejected our request due to an error in our request'],
    429: ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'],
    503: ['ServiceUnavailable', 'the server is currently unable to handle the request'],
    504: [
      'Timeout',
      'the server was unable to return a response in the time allotted, but may still be processing the request',
    ],
  };
  const [reason, text] = table[code] ?? [
    code >= 500 ? 'InternalError' : '',
    code >= 500
      ? `an error on the server (${JSON.stringify(body)}) has prevented the request from succeeding`
      : `the server responded with the status code ${code} but did not return more information`,
  ];
  const message = `${text} ( pods/log ${name})`;
  return new ApiError(code, reason as ApiError['reason'], message, {
    name,
    kind: 'pods/log',
    causes: [{ reason: 'UnexpectedServerResponse', message: body }],
  });
}
