/**
 * Starts a real etcd (Debian's /usr/bin/etcd) on free loopback ports with a temporary data dir,
 * for the etcd engine's tests. Optional TLS: server certificate and client-certificate auth.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEtcdStore } from './etcd.js';

export interface EtcdServer {
  url: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export interface EtcdTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export const ETCD_BIN = process.env.ETCD_BIN ?? '/usr/bin/etcd';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export async function startEtcd(tls?: EtcdTls): Promise<EtcdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeauth-etcd-'));
  const [port, peer] = [await freePort(), await freePort()];
  const scheme = tls ? 'https' : 'http';
  const url = `${scheme}://127.0.0.1:${port}`;
  const args = [
    '--name',
    'test',
    '--data-dir',
    join(dir, 'data'),
    '--listen-client-urls',
    url,
    '--advertise-client-urls',
    url,
    '--listen-peer-urls',
    `http://127.0.0.1:${peer}`,
    '--initial-advertise-peer-urls',
    `http://127.0.0.1:${peer}`,
    '--initial-cluster',
    `test=http://127.0.0.1:${peer}`,
    '--experimental-watch-progress-notify-interval',
    '1s',
    '--log-level',
    'error',
  ];
  if (tls) {
    args.push('--cert-file', tls.certFile, '--key-file', tls.keyFile);
    args.push('--trusted-ca-file', tls.caFile, '--client-cert-auth');
  }
  let child: ChildProcess;
  let exited: Promise<void>;
  let stderr = '';
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const stop = async () => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };
  const launch = async () => {
    child = spawn(ETCD_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    exited = new Promise<void>((r) => child.once('exit', () => r()));
    // Ready when the client port is taken (etcd listens once it has become leader).
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) {
        await stop();
        throw new Error(`etcd exited: ${stderr}`);
      }
      const ok = await new Promise<boolean>((resolve) => {
        const sock = createServer().listen(port, '127.0.0.1');
        sock.once('listening', () => sock.close(() => resolve(false)));
        sock.once('error', () => resolve(true));
      });
      if (ok) break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`etcd did not start: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  await launch();
  /** Stops etcd and starts it again on the same data dir and ports. */
  const restart = async () => {
    await kill();
    await launch();
  };
  return { url, stop, restart };
}

/**
 * `startEtcd` (plain HTTP), then wait until a store opens: the first linearizable read succeeds
 * once the single member has become leader.
 */
export async function startReadyEtcd(): Promise<EtcdServer> {
  const etcd = await startEtcd();
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await (await openEtcdStore({ servers: [etcd.url], compaction: false, timeoutMs: 2000 })).close();
      return etcd;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
