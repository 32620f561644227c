/**
 * @module kubelet/pods/container-logs
 *
 * `GET /containerLogs/<namespace>/<pod>/<container>` of a simulated pod, after
 * pkg/kubelet/server/server.go `getContainerLogs` (query decoding, `tail` as the old name of
 * tailLines, its error texts), pkg/kubelet/kubelet_pods.go `validateContainerLogStatus` (which
 * run's log: the current one, or the previous one with `previous=true`) and
 * pkg/kubelet/kuberuntime/logs/logs.go `ReadLogs` over the CRI log file: `timestamps` prefixes
 * each line with its RFC 3339 nano time, `tailLines`, `sinceSeconds`/`sinceTime`, `limitBytes`
 * bound the output, `follow` keeps streaming new lines until the container stops or the client
 * goes away.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeTextError } from '../../delegation/filter.js';
import type { PodWorker } from './pod-worker.js';

const restful = (res: ServerResponse, code: number, msg: string) => writeTextError(res, 'restful', code, msg);

interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: number;
  limitBytes?: number;
}

function bool(v: string | null): boolean | undefined {
  if (v === null) return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True', ''].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

function int(v: string | null): number | undefined | null {
  if (v === null || v === '') return undefined;
  return /^[-+]?\d+$/.test(v) ? Number(v) : null;
}

/** DecodeParameters + ValidatePodLogOptions; a string error is the answer to give. */
export function parseLogOptions(q: URLSearchParams): LogOptions | { code: number; message: string } {
  const query = new URLSearchParams(q);
  const tail = query.get('tail');
  if (tail) {
    if (tail === 'all') query.delete('tailLines');
    else query.set('tailLines', tail);
  }
  const undecodable = { code: 400, message: '{"message": "Unable to decode query."}' };
  const follow = bool(query.get('follow'));
  const previous = bool(query.get('previous'));
  const timestamps = bool(query.get('timestamps'));
  const tailLines = int(query.get('tailLines'));
  const sinceSeconds = int(query.get('sinceSeconds'));
  const limitBytes = int(query.get('limitBytes'));
  const st = query.get('sinceTime');
  const sinceTime = st ? Date.parse(st) : undefined;
  if (follow === undefined || previous === undefined || timestamps === undefined) return undecodable;
  if (tailLines === null || sinceSeconds === null || limitBytes === null) return undecodable;
  if (st && (sinceTime === undefined || Number.isNaN(sinceTime))) return undecodable;
  const invalid =
    (tailLines !== undefined && tailLines < 0) ||
    (limitBytes !== undefined && limitBytes < 1) ||
    (sinceSeconds !== undefined && sinceSeconds < 1) ||
    (sinceSeconds !== undefined && sinceTime !== undefined);
  if (invalid) return { code: 422, message: '{"message": "Invalid request."}' };
  return { follow, previous, timestamps, tailLines, sinceSeconds, sinceTime, limitBytes };
}

interface Line {
  ts: string;
  ms: number;
  text: string;
}

/** Parses CRI log lines (`<ts> <stream> <P|F> <content>`); P lines join the next. */
export function parseCri(data: string): Line[] {
  const out: Line[] = [];
  let pending = '';
  for (const raw of data.split('\n')) {
    if (!raw) continue;
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    if (a < 0 || b < 0 || c < 0) continue;
    const ts = raw.slice(0, a);
    const tag = raw.slice(b + 1, c);
    const text = pending + raw.slice(c + 1);
    if (tag === 'P') {
      pending = text;
      continue;
    }
    pending = '';
    out.push({ ts, ms: Date.parse(ts), text: text + '\n' });
  }
  return out;
}

export async function serveContainerLogs(
  req: IncomingMessage,
  res: ServerResponse,
  find: (ns: string, pod: string) => PodWorker | undefined,
  seg: string[],
  q: URLSearchParams,
): Promise<void> {
  const [ns, podName, container] = seg;
  const o = parseLogOptions(q);
  if ('code' in o) return restful(res, o.code, o.message);
  const w = find(ns, podName);
  if (!w) return restful(res, 404, `pod ${JSON.stringify(podName)} does not exist`);
  const rec = w.records.find((r) => r.name === container);
  if (!rec)
    return restful(
      res,
      404,
      `container ${JSON.stringify(container)} not found in pod ${JSON.stringify(podName)}`,
    );
  // validateContainerLogStatus
  const state = rec.state;
  let run = rec.restartCount;
  if (o.previous) {
    if (!('terminated' in rec.lastState))
      return restful(
        res,
        400,
        `previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)} not found`,
      );
    run = 'waiting' in state ? rec.restartCount : rec.restartCount - 1;
  } else if ('waiting' in state) {
    if ('terminated' in rec.lastState) run = rec.restartCount;
    else
      return restful(
        res,
        400,
        `container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)} is waiting to start: ${state.waiting.reason}`,
      );
  }
  const file = w.logFile(container, run);
  const read = () => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  let budget = o.limitBytes ?? Infinity;
  const since = o.sinceSeconds !== undefined ? Date.now() - o.sinceSeconds * 1000 : o.sinceTime;
  const emit = (lines: Line[]): boolean => {
    for (const l of lines) {
      if (since !== undefined && l.ms < since) continue;
      let s = o.timestamps ? `${l.ts} ${l.text}` : l.text;
      if (s.length > budget) s = Buffer.from(s).subarray(0, budget).toString();
      res.write(s);
      budget -= Buffer.byteLength(s);
      if (budget <= 0) return false;
    }
    return true;
  };
  let data = read();
  let lines = parseCri(data);
  if (o.tailLines !== undefined) lines = o.tailLines === 0 ? [] : lines.slice(-o.tailLines);
  let more = emit(lines);
  const stillRunning = () =>
    !o.previous && rec.restartCount === run && 'running' in rec.state && !w.terminating && !res.destroyed;
  if (o.follow && more) {
    let offset = Buffer.byteLength(data);
    let closed = false;
    req.on('close', () => (closed = true));
    while (more && !closed) {
      await new Promise((r) => setTimeout(r, 200));
      const size = existsSync(file) ? statSync(file).size : 0;
      if (size > offset) {
        data = read();
        const buf = Buffer.from(data);
        // Only whole lines: a half-written last line waits for the next poll.
        const end = buf.lastIndexOf(0x0a) + 1;
        if (end > offset) {
          more = emit(parseCri(buf.subarray(offset, end).toString()));
          offset = end;
        }
      } else if (!stillRunning()) break;
    }
  }
  res.end();
}
