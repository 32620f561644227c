/**
 * @module kubelet/pods/commands
 *
 * The built-in commands of kubeauth's simulated containers. There is no container runtime: a
 * container's `command`/`args` (and later `kubectl exec`) run through this small interpreter, so a
 * simulated process has real output and a real exit code. The documented set:
 *
 * | command | does |
 * |---|---|
 * | `echo [-n] ARGS...` | prints the arguments |
 * | `env` | prints the environment, `NAME=value` a line |
 * | `hostname` | prints `$HOSTNAME` (the pod's name) |
 * | `cat FILE...` | prints files of the container's own (`io.files`: e.g. `/etc/hostname`, the projected token) |
 * | `sleep N` | waits N seconds (decimals, `infinity`); a stop signal ends it |
 * | `true`, `false` | exit 0, 1 |
 * | `exit [N]` | (inside `sh -c`) ends the script with N (default: the last status) |
 * | `sh -c 'SCRIPT'` | runs a script of those commands joined by `;`, `&&`, `||`, with `'…'`, `"…"`, `\` quoting and `$NAME`/`${NAME}`/`$?` expansion |
 *
 * A path prefix is ignored (`/bin/echo` is `echo`). An unknown program answers as busybox `sh`
 * does inside a script (`sh: NAME: not found`, 127) and as the runtime does for the entrypoint
 * (`exec: "NAME": executable file not found in $PATH`, 127). Nothing here touches the host.
 */

export interface Sink {
  write(chunk: string): unknown;
}

export interface CommandIo {
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string>;
  /** The container's own files, by absolute path. */
  files: Record<string, string> | ((path: string) => string | undefined);
  /** Aborting ends the running command (a kill): `sleep` returns at once with 137. */
  signal?: AbortSignal;
}

const KILLED = 137;

function readFile(io: CommandIo, p: string): string | undefined {
  return typeof io.files === 'function' ? io.files(p) : Object.hasOwn(io.files, p) ? io.files[p] : undefined;
}

function base(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

function sleep(seconds: number, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(KILLED);
    const t = Number.isFinite(seconds) ? setTimeout(() => done(0), seconds * 1000) : undefined;
    function done(code: number) {
      clearTimeout(t);
      signal?.removeEventListener('abort', kill);
      resolve(code);
    }
    function kill() {
      done(KILLED);
    }
    signal?.addEventListener('abort', kill);
  });
}

class ExitSignal {
  constructor(readonly code: number) {}
}

/** One built-in; `inShell` picks the not-found text. */
async function builtin(argv: string[], io: CommandIo, inShell: boolean, last: number): Promise<number> {
  const name = base(argv[0] ?? '');
  const args = argv.slice(1);
  switch (name) {
    case 'echo': {
      const n = args[0] === '-n';
      const words = n ? args.slice(1) : args;
      io.stdout.write(words.join(' ') + (n ? '' : '\n'));
      return 0;
    }
    case 'env':
      io.stdout.write(
        Object.entries(io.env)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
      return 0;
    case 'hostname':
      io.stdout.write(`${io.env.HOSTNAME ?? ''}\n`);
      return 0;
    case 'cat': {
      let code = 0;
      for (const f of args) {
        const data = readFile(io, f);
        if (data === undefined) {
          io.stderr.write(`cat: can't open '${f}': No such file or directory\n`);
          code = 1;
        } else io.stdout.write(data);
      }
      return code;
    }
    case 'sleep': {
      const s = args[0] === 'infinity' ? Infinity : Number(args[0]);
      if (args.length !== 1 || !(s >= 0)) {
        io.stderr.write(`sleep: invalid number '${args[0] ?? ''}'\n`);
        return 1;
      }
      return sleep(s, io.signal);
    }
    case 'true':
      return 0;
    case 'false':
      return 1;
    case 'exit':
      if (!inShell) break;
      throw new ExitSignal(args[0] === undefined ? last : (Number(args[0]) || 0) & 0xff);
    case 'sh':
      if (args[0] === '-c' && args.length >= 2) return runScript(args[1], io);
      io.stderr.write('sh: only `sh -c SCRIPT` is supported by the simulated runtime\n');
      return 2;
  }
  if (inShell) io.stderr.write(`sh: ${name}: not found\n`);
  else io.stderr.write(`exec: "${argv[0] ?? ''}": executable file not found in $PATH\n`);
  return 127;
}

type Token = { word: string } | { op: ';' | '&&' | '||' };

/** Splits a script into words and operators, with quoting and `$` expansion. */
export function tokenize(script: string, env: Record<string, string>, status: () => number): Token[] {
  const out: Token[] = [];
  let word = '';
  let has = false;
  const expand = (i: number): [string, number] => {
    const rest = script.slice(i + 1);
    if (rest[0] === '?') return [String(status()), i + 2];
    const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest) ?? /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (!m) return ['$', i + 1];
    return [env[m[1]] ?? '', i + 1 + m[0].length];
  };
  const flush = () => {
    if (has) out.push({ word });
    word = '';
    has = false;
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      if (c === '\n') {
        flush();
        out.push({ op: ';' });
      } else flush();
      i++;
    } else if (c === ';') {
      flush();
      out.push({ op: ';' });
      i++;
    } else if (script.startsWith('&&', i) || script.startsWith('||', i)) {
      flush();
      out.push({ op: script.slice(i, i + 2) as '&&' | '||' });
      i += 2;
    } else if (c === "'") {
      const j = script.indexOf("'", i + 1);
      if (j < 0) throw new SyntaxError('unterminated quoted string');
      word += script.slice(i + 1, j);
      has = true;
      i = j + 1;
    } else if (c === '"') {
      has = true;
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < script.length && '"\\$`'.includes(script[i + 1])) {
          word += script[i + 1];
          i += 2;
        } else if (script[i] === '$') {
          const [v, j] = expand(i);
          word += v;
          i = j;
        } else word += script[i++];
      }
      if (i >= script.length) throw new SyntaxError('unterminated quoted string');
      i++;
    } else if (c === '\\' && i + 1 < script.length) {
      word += script[i + 1];
      has = true;
      i += 2;
    } else if (c === '$') {
      const [v, j] = expand(i);
      word += v;
      has = has || v !== '';
      i = j;
    } else if (c === '#' && !has) {
      while (i < script.length && script[i] !== '\n') i++;
    } else {
      word += c;
      has = true;
      i++;
    }
  }
  flush();
  return out;
}

/**
 * `sh -c SCRIPT`: an and-or list; a command after `&&` runs when the last executed one
 * succeeded, after `||` when it failed, after `;` always. Words are expanded just before their
 * command runs, so `$?` is the previous command's status.
 */
async function runScript(script: string, io: CommandIo): Promise<number> {
  let status = 0;
  let prev: ';' | '&&' | '||' | undefined;
  try {
    for (const { text, op } of splitCommands(script)) {
      const run = prev === '&&' ? status === 0 : prev === '||' ? status !== 0 : true;
      prev = op;
      if (!run) continue;
      let words: Token[];
      try {
        words = tokenize(text, io.env, () => status);
      } catch (e) {
        io.stderr.write(`sh: syntax error: ${(e as Error).message}\n`);
        return 2;
      }
      const argv = words.flatMap((t) => ('word' in t ? [t.word] : []));
      if (argv.length) status = await builtin(argv, io, true, status);
      if (io.signal?.aborted) return KILLED;
    }
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
  return status;
}

/** The script's commands with the operator that follows each (quotes respected). */
export function splitCommands(script: string): { text: string; op?: ';' | '&&' | '||' }[] {
  const out: { text: string; op?: ';' | '&&' | '||' }[] = [];
  let start = 0;
  let q: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const c = script[i];
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === '\\') i++;
    else if (c === ';' || c === '\n') {
      out.push({ text: script.slice(start, i), op: ';' });
      start = i + 1;
    } else if (script.startsWith('&&', i) || script.startsWith('||', i)) {
      out.push({ text: script.slice(start, i), op: script.slice(i, i + 2) as '&&' | '||' });
      start = i + 2;
      i++;
    }
  }
  out.push({ text: script.slice(start) });
  return out;
}

/**
 * Runs `argv` (a container's command + args, or an exec's command) and resolves with its exit code.
 */
export async function runCommand(argv: string[], io: CommandIo): Promise<number> {
  if (!argv.length) return 0;
  try {
    return await builtin(argv, io, false, 0);
  } catch (e) {
    if (e instanceof ExitSignal) return e.code;
    throw e;
  }
}
