/**
 * @kubernetes/client-node 2 loads undici 8, which needs Node ≥ 22 (it reads
 * zlib.createZstdDecompress and worker_threads.markAsUncloneable at import time and calls
 * Promise.withResolvers). This project runs on Node 20, so the client e2e defines those three
 * before importing the client: the zstd stand-in is only reached if a server answered with
 * Content-Encoding: zstd (kubeauth never does). Test-only; the server does not load it.
 */
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';

const z = zlib as unknown as Record<string, unknown>;
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    throw new Error('zstd is not available on this Node version');
  };
}

// worker_threads.markAsUncloneable (Node ≥ 22.10) only makes a web object refuse structuredClone.
const w = workerThreads as unknown as Record<string, unknown>;
if (typeof w.markAsUncloneable !== 'function') w.markAsUncloneable = () => undefined;

// Promise.withResolvers (ES2024, Node ≥ 22).
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = <T>() => {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
