/**
 * @module cli/token
 *
 * `kubeauth token create|list|delete|generate`: bootstrap tokens as `kubeadm token` manages them
 * (cmd/kubeadm/app/cmd/token.go, app/apis/bootstraptoken): a Secret `bootstrap-token-<id>` of type
 * `bootstrap.kubernetes.io/token` in kube-system, created through the API with the admin
 * kubeconfig. `create` prints `<id>.<secret>`; `--print-bootstrap-kubeconfig` prints instead the
 * kubeconfig a new node's kubelet bootstraps with (kubeadm's bootstrap-kubelet.conf).
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { clientFromKubeconfig, KubeApiError, type KubeClient } from '../client/kube-client.js';
import { parseBootstrapToken } from '../authn/bootstrap-token.js';
import { serializeKubeconfig } from '../pki/kubeconfig.js';
import { humanDuration } from '../registry/printers/duration.js';
import { FlagError, formatHelp, parseDuration, parseFlags, type FlagSpec } from './flags.js';

const NS = 'kube-system';
const SECRETS = `/api/v1/namespaces/${NS}/secrets`;
const USAGES = ['signing', 'authentication'];
const DEFAULT_GROUP = 'system:bootstrappers:kubeadm:default-node-token';
const GROUP_RE = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const tokenFlags: readonly FlagSpec[] = [
  {
    name: 'data-dir',
    type: 'string',
    default: '.kubeauth',
    help: 'Directory whose admin.conf is used by default',
  },
  {
    name: 'kubeconfig',
    type: 'string',
    default: '',
    help: 'The kubeconfig to talk to the cluster with (default <data-dir>/admin.conf)',
  },
  {
    name: 'ttl',
    type: 'duration',
    default: '24h0m0s',
    help: "The duration before the token is automatically deleted (e.g. 1s, 2m, 3h). If set to '0', the token will never expire",
  },
  {
    name: 'usages',
    type: 'stringArray',
    default: USAGES,
    help: `Describes the ways in which this token can be used. Valid options: [${USAGES.join(',')}]`,
  },
  {
    name: 'groups',
    type: 'stringArray',
    default: [DEFAULT_GROUP],
    help: `Extra groups that this token will authenticate as when used for authentication. Must match "${GROUP_RE.source}"`,
  },
  {
    name: 'description',
    type: 'string',
    default: '',
    help: 'A human friendly description of how this token is used.',
  },
  {
    name: 'print-bootstrap-kubeconfig',
    type: 'bool',
    default: false,
    help: 'Instead of printing only the token, print the bootstrap kubeconfig a new node uses with it (bootstrap-kubelet.conf)',
  },
];

/** kubeadm's token generator: 6 + 16 characters of [a-z0-9]. */
export function generateToken(rand: (max: number) => number = randomInt): string {
  const pick = (n: number) => Array.from({ length: n }, () => ALPHABET[rand(ALPHABET.length)]).join('');
  return `${pick(6)}.${pick(16)}`;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : '');

/** The Secret kubeadm's BootstrapToken.ToSecret writes. */
export function bootstrapTokenSecret(
  token: string,
  o: { ttlMs: number; usages: string[]; groups: string[]; description: string; now: Date },
): Record<string, unknown> {
  const t = parseBootstrapToken(token);
  if (!t)
    throw new FlagError(
      `the bootstrap token "${token}" was not of the form "^([a-z0-9]{6})\\.([a-z0-9]{16})$"`,
    );
  const data: Record<string, string> = { 'token-id': t.id, 'token-secret': t.secret };
  if (o.description) data.description = o.description;
  if (o.ttlMs > 0)
    data.expiration = new Date(o.now.getTime() + o.ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const u of o.usages) {
    if (!USAGES.includes(u))
      throw new FlagError(
        `invalid bootstrap token usage string: ${u}, valid usage options: ${USAGES.join(', ')}`,
      );
    data[`usage-bootstrap-${u}`] = 'true';
  }
  for (const g of o.groups)
    if (!GROUP_RE.test(g))
      throw new FlagError(`bootstrap group ${JSON.stringify(g)} is invalid (must match ${GROUP_RE.source})`);
  if (o.groups.length) data['auth-extra-groups'] = o.groups.join(',');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${t.id}`, namespace: NS },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

/** `kubeadm token list`'s table. */
export function formatTokenTable(secrets: Record<string, unknown>[], now: Date): string {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const s of secrets) {
    if (s.type !== 'bootstrap.kubernetes.io/token') continue;
    const d = (s.data ?? {}) as Record<string, string>;
    const id = unb64(d['token-id']);
    const secret = unb64(d['token-secret']);
    if (!parseBootstrapToken(`${id}.${secret}`)) continue;
    const exp = unb64(d.expiration);
    let ttl = '<forever>';
    let expires = '<never>';
    if (exp) {
      const t = Date.parse(exp);
      expires = exp;
      ttl = Number.isNaN(t) || t <= now.getTime() ? '<invalid>' : humanDuration(t - now.getTime());
    }
    const usages = Object.keys(d)
      .filter((k) => k.startsWith('usage-bootstrap-') && unb64(d[k]) === 'true')
      .map((k) => k.slice('usage-bootstrap-'.length))
      .sort();
    rows.push([
      `${id}.${secret}`,
      ttl,
      expires,
      usages.join(',') || '<none>',
      unb64(d.description) || '<none>',
      unb64(d['auth-extra-groups']) || '<none>',
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 3)))
          .join('')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

function bootstrapKubeconfig(client: KubeClient, token: string): string {
  if (!client.caCertPem)
    throw new FlagError('the kubeconfig has no certificate-authority-data to hand to the node');
  return serializeKubeconfig({
    apiVersion: 'v1',
    clusters: [
      {
        cluster: { 'certificate-authority-data': b64(client.caCertPem), server: client.server },
        name: 'kubernetes',
      },
    ],
    contexts: [
      {
        context: { cluster: 'kubernetes', user: 'tls-bootstrap-token-user' },
        name: 'tls-bootstrap-token-user@kubernetes',
      },
    ],
    'current-context': 'tls-bootstrap-token-user@kubernetes',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'tls-bootstrap-token-user', user: { token } }],
  });
}

const USAGE = `kubeauth token <create [TOKEN] | list | delete TOKEN-OR-ID... | generate> [flags]`;
const DESCRIPTION =
  'Manage bootstrap tokens (Secrets of type bootstrap.kubernetes.io/token in kube-system), as kubeadm token does.';

export async function run(argv: string[], now: () => Date = () => new Date()): Promise<number> {
  const { flags: f, positional, help } = parseFlags(tokenFlags, argv);
  const [sub, ...args] = positional;
  if (help || !sub) {
    process.stdout.write(formatHelp(USAGE, DESCRIPTION, tokenFlags));
    return help ? 0 : 1;
  }
  if (sub === 'generate') {
    process.stdout.write(generateToken() + '\n');
    return 0;
  }
  const kubeconfig = String(f.kubeconfig) || path.join(String(f['data-dir']), 'admin.conf');
  const client = clientFromKubeconfig(kubeconfig);
  const split = (v: unknown) => (v as string[]).flatMap((x) => x.split(',')).filter(Boolean);
  try {
    switch (sub) {
      case 'create': {
        if (args.length > 1) throw new FlagError('create takes at most one argument, the token');
        const token = args[0] ?? generateToken();
        const secret = bootstrapTokenSecret(token, {
          ttlMs: parseDuration(String(f.ttl)),
          usages: split(f.usages),
          groups: split(f.groups),
          description: String(f.description),
          now: now(),
        });
        try {
          await client.request('POST', SECRETS, secret);
        } catch (e) {
          if (e instanceof KubeApiError && e.code === 409)
            throw new FlagError(`a token with id "${token.split('.')[0]}" already exists`);
          throw e;
        }
        process.stdout.write(
          f['print-bootstrap-kubeconfig'] ? bootstrapKubeconfig(client, token) : token + '\n',
        );
        return 0;
      }
      case 'list': {
        const secrets = await client.list(
          `${SECRETS}?fieldSelector=${encodeURIComponent('type=bootstrap.kubernetes.io/token')}`,
        );
        process.stdout.write(formatTokenTable(secrets, now()));
        return 0;
      }
      case 'delete': {
        if (!args.length)
          throw new FlagError(
            'missing argument; "token delete" is missing token of form "^([a-z0-9]{6})$" or "^([a-z0-9]{6})\\.([a-z0-9]{16})$"',
          );
        for (const a of args) {
          const id = parseBootstrapToken(a)?.id ?? (/^[a-z0-9]{6}$/.test(a) ? a : undefined);
          if (!id)
            throw new FlagError(
              `given token didn't match pattern "^([a-z0-9]{6})$" or "^([a-z0-9]{6})\\.([a-z0-9]{16})$"`,
            );
          await client.request('DELETE', `${SECRETS}/bootstrap-token-${id}`);
          process.stdout.write(`bootstrap token "${id}" deleted\n`);
        }
        return 0;
      }
      default:
        throw new FlagError(`unknown token command "${sub}" (create, list, delete, generate)`);
    }
  } catch (e) {
    if (e instanceof KubeApiError) throw new FlagError(e.status?.message ?? e.message);
    throw e;
  }
}
