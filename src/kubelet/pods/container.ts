/**
 * @module kubelet/pods/container
 *
 * One run of a simulated container (there is no container runtime: kubeauth simulates pods, as
 * kwok does). A container with `command`/`args` runs them through the built-in interpreter
 * (commands.ts) and exits with its code; one without runs its image's simulated entrypoint: a
 * kuard image (`gcr.io/kuar-demo/kuard-*`) writes kuard's start-up lines, any other image one
 * line, and both run until stopped. Output goes to the container's log file in the CRI format
 * the kubelet reads (`<RFC 3339 nano> stdout|stderr F <line>`, pkg/kubelet/kuberuntime/logs).
 *
 * Stopping: `term` is SIGTERM; a simulated entrypoint exits on it (143), an interpreted command
 * ignores it as a shell running as PID 1 does, and `kill` (SIGKILL, at the end of the grace
 * period) ends anything (137).
 */
import { appendFileSync } from 'node:fs';
import { runCommand, type Sink } from './commands.js';

/** time.RFC3339Nano as Go formats it (nanoseconds, trailing zeros dropped). */
export function rfc3339Nano(d = new Date(), extraNanos = 0): string {
  const frac = (
    String(d.getUTCMilliseconds()).padStart(3, '0') + String(extraNanos).padStart(6, '0')
  ).replace(/0+$/, '');
  return d.toISOString().replace(/\.\d{3}Z$/, frac ? `.${frac}Z` : 'Z');
}

/** A sink writing CRI log lines; a partial last line is written with the P tag on close. */
export class CriLogSink implements Sink {
  private partial = '';
  private seq = 0;
  constructor(
    private readonly file: string,
    private readonly stream: 'stdout' | 'stderr',
    private readonly onLine?: () => void,
  ) {}

  write(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    if (parts.length) this.append(parts.map((l) => this.line('F', l)).join(''));
  }

  close(): void {
    if (this.partial) this.append(this.line('P', this.partial));
    this.partial = '';
  }

  private line(tag: string, text: string): string {
    // A sequence in the sub-millisecond digits keeps lines of one millisecond ordered.
    return `${rfc3339Nano(new Date(), this.seq++ % 1_000_000)} ${this.stream} ${tag} ${text}\n`;
  }

  private append(s: string): void {
    appendFileSync(this.file, s, { mode: 0o640 });
    this.onLine?.();
  }
}

export interface ContainerSpec {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
}

export function kuardLines(image: string): string[] {
  const version = /:(\w[\w.-]*)$/.exec(image)?.[1] ?? 'blue';
  const ts = new Date().toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/');
  return [
    `${ts} Starting kuard version: v0.10.0-${version}`,
    `${ts} **********************************************************************`,
    `${ts} * WARNING: This server may expose sensitive`,
    `${ts} * and secret information. Be careful.`,
    `${ts} **********************************************************************`,
    `${ts} Config: `,
    `{`,
    `  "address": ":8080",`,
    `  "debug": false,`,
    `  "debug-sitedata-dir": "./sitedata",`,
    `  "keygen": {`,
    `    "enable": false,`,
    `    "exit-code": 0,`,
    `    "exit-on-complete": false,`,
    `    "memq-queue": "",`,
    `    "memq-server": "",`,
    `    "num-to-gen": 0,`,
    `    "time-to-run": 0`,
    `  },`,
    `  "liveness": {`,
    `    "fail-next": 0`,
    `  },`,
    `  "readiness": {`,
    `    "fail-next": 0`,
    `  },`,
    `  "tls-address": ":8443",`,
    `  "tls-dir": "/tls"`,
    `}`,
    `${ts} Could not find certificates to serve TLS`,
    `${ts} Serving on HTTP on :8080`,
  ];
}

/** Runs the container once; resolves with its exit code. */
export async function runContainer(
  spec: ContainerSpec,
  o: {
    logFile: string;
    env: Record<string, string>;
    files: (p: string) => string | undefined;
    term: AbortSignal;
    kill: AbortSignal;
    onLog?: () => void;
  },
): Promise<number> {
  const stdout = new CriLogSink(o.logFile, 'stdout', o.onLog);
  const stderr = new CriLogSink(o.logFile, 'stderr', o.onLog);
  try {
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    if (argv.length)
      return await runCommand(argv, { stdout, stderr, env: o.env, files: o.files, signal: o.kill });
    const image = spec.image ?? '';
    const lines = /kuar-demo\/kuard/.test(image)
      ? kuardLines(image)
      : [`simulated container ${spec.name} (image ${image}) started by kubeauth`];
    stdout.write(lines.map((l) => l + '\n').join(''));
    await new Promise<void>((resolve) => {
      if (o.term.aborted || o.kill.aborted) return resolve();
      o.term.addEventListener('abort', () => resolve(), { once: true });
      o.kill.addEventListener('abort', () => resolve(), { once: true });
    });
    return o.kill.aborted && !o.term.aborted ? 137 : 143;
  } finally {
    stdout.close();
    stderr.close();
  }
}
