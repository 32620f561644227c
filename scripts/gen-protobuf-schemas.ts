/**
 * Generates src/api/protobuf/schema/*.gen.ts from test/fixtures/upstream/protobuf-fields.json (the field
 * numbers of the upstream generated.proto files of Kubernetes v1.36.3 plus the Go JSON tags).
 *
 * Usage: node --import tsx scripts/gen-protobuf-schemas.ts [path/to/protobuf-fields.json]
 *
 * Deterministic: the output depends only on the input file. The generated files are committed.
 *
 * @module
 */
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

interface Field {
  n: number;
  name: string;
  type: string;
  ref?: string;
  key?: string;
  value?: string;
  repeated?: boolean;
  omitempty?: boolean;
  omitzero?: boolean;
  ptr?: boolean;
  inline?: boolean;
}
interface Message {
  fields: Field[];
  goOrder?: number[];
}
interface Input {
  source: { release: string; fileDetails: Record<string, { kubernetesCommit: string }> };
  messages: Record<string, Message>;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inputPath = process.argv[2] ?? path.resolve(root, 'test/fixtures/upstream/protobuf-fields.json');
const outDir = path.join(root, 'src/api/protobuf/schema');
const LINE = 110;
const MAX_LINES = 360;

/** Full proto name -> short key used in the tables. */
function shortKey(full: string): string {
  for (const p of ['k8s.io.api.', 'k8s.io.apimachinery.pkg.apis.', 'k8s.io.apimachinery.pkg.api.']) {
    if (full.startsWith(p)) return full.slice(p.length);
  }
  for (const p of ['k8s.io.apimachinery.pkg.util.', 'k8s.io.apimachinery.pkg.']) {
    if (full.startsWith(p)) return full.slice(p.length);
  }
  throw new Error(`unexpected message name ${full}`);
}

/** Short key -> package ("core.v1", "meta.v1", "intstr"). */
function pkgOf(key: string): string {
  return key.split('.').slice(0, -1).join('.');
}

/** Package -> upstream generated.proto path (as named in the input's fileDetails). */
function protoPath(pkg: string): string {
  const [group, version] = pkg.split('.');
  if (pkg === 'meta.v1') return 'staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto';
  if (pkg === 'resource') return 'staging/src/k8s.io/apimachinery/pkg/api/resource/generated.proto';
  if (pkg === 'intstr') return 'staging/src/k8s.io/apimachinery/pkg/util/intstr/generated.proto';
  if (pkg === 'runtime') return 'staging/src/k8s.io/apimachinery/pkg/runtime/generated.proto';
  return `staging/src/k8s.io/api/${group}/${version}/generated.proto`;
}

function token(f: Field): string {
  let typ: string;
  if (f.type === 'message') typ = `@${shortKey(f.ref!)}`;
  else if (f.type === 'map') {
    if (f.key !== 'string') throw new Error(`map key ${f.key}`);
    typ = f.value === 'message' ? `map<@${shortKey(f.ref!)}>` : `map<${f.value}>`;
  } else typ = f.type;
  let flags = f.repeated ? '[]' : '';
  if (f.omitempty) flags += '?';
  if (f.omitzero) flags += '!';
  if (f.ptr) flags += '*';
  if (f.inline) flags += '~';
  return `${f.n}:${f.name}:${typ}${flags}`;
}

function messageLines(key: string, msg: Message): string[] {
  const byN = new Map(msg.fields.map((f) => [f.n, f]));
  const order = msg.goOrder ?? [...byN.keys()].sort((a, b) => a - b);
  if (order.length !== byN.size) throw new Error(`${key}: goOrder does not cover all fields`);
  const toks = order.map((n) => {
    const f = byN.get(n);
    if (!f) throw new Error(`${key}: goOrder names unknown field ${n}`);
    return `'${token(f)}'`;
  });
  const one = `  '${key}': [${toks.join(', ')}],`;
  if (one.length <= LINE) return [one];
  const lines = [`  '${key}': [`];
  let cur = '   ';
  for (const t of toks) {
    if (cur.length + t.length + 2 > LINE) {
      lines.push(cur.trimEnd());
      cur = '   ';
    }
    cur += ` ${t},`;
  }
  lines.push(cur.trimEnd(), '  ],');
  return lines;
}

const FILES: [string, string[]][] = [
  ['core-v1', ['core.v1']],
  ['apps-batch', ['apps.v1', 'batch.v1']],
  ['networking-policy-scheduling', ['networking.v1', 'policy.v1', 'scheduling.v1']],
  ['auth-rbac-certificates', ['authentication.v1', 'authorization.v1', 'rbac.v1', 'certificates.v1']],
  ['apimachinery', ['meta.v1', 'resource', 'intstr', 'runtime']],
];

const input = JSON.parse(readFileSync(inputPath, 'utf8')) as Input;
const keys = Object.keys(input.messages).sort();
const byPkg = new Map<string, string[]>();
for (const full of keys) {
  const k = shortKey(full);
  const list = byPkg.get(pkgOf(k)) ?? [];
  list.push(full);
  byPkg.set(pkgOf(k), list);
}
const covered = new Set(FILES.flatMap(([, p]) => p));
for (const p of byPkg.keys()) if (!covered.has(p)) throw new Error(`package ${p} not assigned to a file`);

for (const f of readdirSync(outDir)) if (f.endsWith('.gen.ts')) unlinkSync(path.join(outDir, f));

const exportsList: { file: string; name: string }[] = [];
for (const [file, pkgs] of FILES) {
  const blocks: string[][] = [];
  for (const p of pkgs) {
    for (const full of byPkg.get(p) ?? []) blocks.push(messageLines(shortKey(full), input.messages[full]!));
  }
  const parts: string[][][] = [[]];
  let count = 0;
  for (const b of blocks) {
    if (count + b.length > MAX_LINES && parts[parts.length - 1]!.length > 0) {
      parts.push([]);
      count = 0;
    }
    parts[parts.length - 1]!.push(b);
    count += b.length;
  }
  parts.forEach((blocksOfPart, i) => {
    const fname = parts.length > 1 ? `${file}-${i + 1}.gen.ts` : `${file}.gen.ts`;
    const cname = fname.replace('.gen.ts', '').replace(/-/g, '_').toUpperCase();
    const cites = pkgs.map((p) => {
      const pp = protoPath(p);
      const c = input.source.fileDetails[pp]?.kubernetesCommit ?? 'unknown';
      return ` *   kubernetes/kubernetes ${input.source.release} ${pp} (${c.slice(0, 12)})`;
    });
    const text = [
      '/**',
      ` * Protobuf schema table (${pkgs.join(', ')}${parts.length > 1 ? `, part ${i + 1}/${parts.length}` : ''}).`,
      ' * GENERATED by scripts/gen-protobuf-schemas.ts from protobuf-fields.json: do not edit by hand.',
      ' * Field numbers from:',
      ...cites,
      ' * JSON names and omitempty/omitzero/pointer/inline flags from the Go struct tags of the same tag.',
      ' * Token format: see ./types.ts.',
      ' *',
      ' * @module',
      ' */',
      "import type { SchemaSource } from './types.js';",
      '',
      '// prettier-ignore',
      `export const ${cname}: SchemaSource = {`,
      ...blocksOfPart.flat(),
      '};',
      '',
    ].join('\n');
    writeFileSync(path.join(outDir, fname), text);
    exportsList.push({ file: fname.replace('.ts', '.js'), name: cname });
  });
}

const index = [
  '/**',
  ' * All generated protobuf schema tables. GENERATED by scripts/gen-protobuf-schemas.ts: do not edit.',
  ' *',
  ' * @module',
  ' */',
  "import type { SchemaSource } from './types.js';",
  ...exportsList.map((e) => `import { ${e.name} } from './${e.file}';`),
  '',
  'export const GENERATED_SCHEMAS: readonly SchemaSource[] = [',
  ...exportsList.map((e) => `  ${e.name},`),
  '];',
  '',
].join('\n');
writeFileSync(path.join(outDir, 'index.gen.ts'), index);
console.log(`wrote ${exportsList.length + 1} files to ${path.relative(root, outDir)}`);
