/**
 * A stand-in kubelet for test/e2e/kubelet-proxy.test.ts: HTTPS with a self-signed pair (the real
 * openssl), answering /containerLogs/ (a fixed text, or a stream for pod "followed"), /redirect
 * (302), other paths (200 echo), upgrades to /ws and /exec/ (a WebSocket echo) and any other
 * upgrade with 403. Records every request.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { freePort, run } from './harness.js';

export interface FakeKubelet {
  port: number;
  seen: { url: string; headers: Record<string, unknown> }[];
  state: { followClosed: boolean };
  close(): Promise<void>;
}

export async function startFakeKubelet(ip: string, dir: string): Promise<FakeKubelet> {
  const seen: FakeKubelet['seen'] = [];
  const state = { followClosed: false };
  const pair = path.join(dir, 'fake');
  const o = await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=fake',
    '-keyout',
    `${pair}.key`,
    '-out',
    `${pair}.crt`,
  ]);
  assert.equal(o.code, 0, o.stderr);
  const fake = https.createServer(
    { cert: readFileSync(`${pair}.crt`), key: readFileSync(`${pair}.key`) },
    (req, res) => {
      seen.push({ url: req.url ?? '', headers: req.headers });
      if (req.url?.startsWith('/containerLogs/default/followed/')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first\n');
        const t = setInterval(() => res.write('tick\n'), 100);
        res.on('close', () => {
          clearInterval(t);
          state.followClosed = true;
        });
        return;
      }
      if (req.url?.startsWith('/containerLogs/')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('line 1\nline 2\n');
      }
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, {
          location: req.url.startsWith('/redirect-local') ? '/target/' : 'https://example.invalid/elsewhere',
          'access-control-allow-origin': '*',
        });
        return res.end('moved');
      }
      if (req.headers.upgrade) {
        res.writeHead(403, { 'content-type': 'text/plain' });
        return res.end('no upgrade for you');
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`hello ${req.method} ${req.url}`);
    },
  );
  const wss = new WebSocketServer({ noServer: true });
  fake.on('upgrade', (req, socket, head) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (!req.url?.startsWith('/ws') && !req.url?.startsWith('/exec/')) {
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\nno upgrade for you',
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => ws.on('message', (m) => ws.send(`echo:${String(m)}`)));
  });
  const port = await freePort();
  await new Promise<void>((r) => fake.listen(port, ip, () => r()));
  return {
    port,
    seen,
    state,
    close: () =>
      new Promise<void>((r) => {
        fake.closeAllConnections();
        fake.close(() => r());
      }),
  };
}
