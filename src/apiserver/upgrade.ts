/**
 * HTTP/1.1 upgrade requests (kubectl exec/attach/port-forward speak WebSocket or SPDY/3.1 over
 * HTTP/1.1). node:http emits them as `upgrade` events with the raw socket rather than as
 * requests; this runs them through the same handler chain with a ServerResponse bound to the
 * socket (so authentication, authorization and error Statuses are unchanged), and remembers the
 * socket and the bytes already read so a proxying handler can take the connection over.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AnyRequest, Handler } from './context.js';
import { newContext } from './chain.js';

export interface UpgradeConn {
  socket: Duplex;
  head: Buffer;
  /** Set by the handler that took the socket over (no response is written through res then). */
  hijacked: boolean;
}

const conns = new WeakMap<object, UpgradeConn>();

/** The raw connection of an HTTP/1.1 upgrade request, if this request is one. */
export function upgradeConn(req: AnyRequest): UpgradeConn | undefined {
  return conns.get(req);
}

export function handleUpgrade(handler: Handler, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const conn: UpgradeConn = { socket, head, hijacked: false };
  conns.set(req, conn);
  const res = new ServerResponse(req);
  res.assignSocket(socket as import('node:net').Socket);
  res.shouldKeepAlive = false;
  socket.on('error', () => socket.destroy());
  const ctx = newContext(req, res);
  handler(ctx)
    .catch((e) => {
      process.stderr.write(`E unhandled (upgrade): ${(e as Error)?.stack ?? String(e)}\n`);
      if (!conn.hijacked && !res.headersSent) res.writeHead(500);
    })
    .finally(() => {
      if (conn.hijacked) return;
      // A handler that answered without upgrading: the connection ends with that answer.
      if (!res.writableEnded) res.end();
      res.on('finish', () => socket.end());
      if (res.writableFinished) socket.end();
    });
}
