/**
 * Flags are data: each command declares a table of upstream-named flags with defaults, and this
 * module parses argv against it (`--name=value`, `--name value`, `--bool`, `--bool=false`,
 * repeatable flags), generates `--help`, and fails clearly on unknown flags.
 */

export type FlagType = 'string' | 'int' | 'bool' | 'stringArray' | 'duration';

export interface FlagSpec {
  name: string;
  type: FlagType;
  default?: string | number | boolean | string[];
  help: string;
  /**
   * Known (upstream has it) but not implemented yet: giving it refuses start-up with this reason,
   * so the operator never believes a storage, audit or security setting is in force when it is not.
   */
  notYetSupported?: string;
  /**
   * stringArray only: each occurrence is one value, not split on commas (pflag's own flag types
   * such as NamedCertKeyArray for --tls-sni-cert-key, whose values contain commas).
   */
  unsplit?: boolean;
}

export type FlagValues = Record<string, string | number | boolean | string[] | undefined>;

export class FlagError extends Error {}

export interface ParsedArgs {
  flags: FlagValues;
  /** Names of flags given explicitly on the command line. */
  set: Set<string>;
  positional: string[];
  help: boolean;
}

/** Parses a Go-style duration ("5m", "30s", "1h30m", "100ms") into milliseconds. */
export function parseDuration(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  let consumed = 0;
  for (const m of s.matchAll(re)) {
    total += Number(m[1]) * unit[m[2]];
    consumed += m[0].length;
  }
  if (consumed !== s.length || consumed === 0) throw new FlagError(`invalid duration "${s}"`);
  return total;
}

function convert(spec: FlagSpec, raw: string): string | number | boolean {
  switch (spec.type) {
    case 'int': {
      if (!/^-?\d+$/.test(raw))
        throw new FlagError(`invalid argument "${raw}" for "--${spec.name}" flag: must be an integer`);
      return Number(raw);
    }
    case 'bool': {
      const v = raw.toLowerCase();
      if (['true', '1', 't'].includes(v)) return true;
      if (['false', '0', 'f'].includes(v)) return false;
      throw new FlagError(`invalid argument "${raw}" for "--${spec.name}" flag: must be true or false`);
    }
    case 'duration':
      parseDuration(raw);
      return raw;
    default:
      return raw;
  }
}

export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const flags: FlagValues = {};
  for (const s of specs) flags[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
  const set = new Set<string>();
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = byName.get(name);
    if (!spec) throw new FlagError(`unknown flag: --${name}`);
    let raw: string;
    if (eq >= 0) raw = body.slice(eq + 1);
    else if (spec.type === 'bool') raw = 'true';
    else {
      if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
      raw = argv[++i];
    }
    if (spec.type === 'stringArray') {
      const prev = set.has(name) ? (flags[name] as string[]) : [];
      flags[name] = [...prev, ...(spec.unsplit ? [raw] : raw.split(',').filter((x) => x !== ''))];
    } else {
      flags[name] = convert(spec, raw);
    }
    set.add(name);
  }
  return { flags, set, positional, help };
}

export function formatHelp(usage: string, description: string, specs: readonly FlagSpec[]): string {
  const lines = [description, '', `Usage:\n  ${usage}`, '', 'Flags:'];
  const left = specs.map((s) => `  --${s.name} ${s.type === 'bool' ? '' : s.type}`.trimEnd());
  const width = Math.max(...left.map((l) => l.length), 10) + 2;
  specs.forEach((s, i) => {
    let text = s.help;
    const d = s.default;
    if (d !== undefined && d !== '' && !(Array.isArray(d) && d.length === 0))
      text += ` (default ${Array.isArray(d) ? `[${d.join(',')}]` : String(d)})`;
    if (s.notYetSupported) text += ' [not implemented yet: refuses to start]';
    lines.push(left[i].padEnd(width) + text);
  });
  lines.push('  -h, --help'.padEnd(width) + 'help for this command');
  return lines.join('\n') + '\n';
}

export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Refuses start-up when a known but unimplemented flag (`notYetSupported`) was given. */
export function refuseNotYetSupported(specs: readonly FlagSpec[], set: ReadonlySet<string>): void {
  const unsupported = specs
    .filter((s) => s.notYetSupported && set.has(s.name))
    .map((s) => `--${s.name}: ${s.notYetSupported}`);
  if (unsupported.length)
    throw new FlagError(
      `not supported yet by kubeauth, refusing to start (see README "Status"):\n  ${unsupported.join('\n  ')}`,
    );
}
