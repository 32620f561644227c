/**
 * `kubeauth explain` and `kubeauth who-can`: access analysis against a running cluster (kubeauth
 * or any Kubernetes API server) through a kubeconfig that may read RBAC objects.
 *
 *   kubeauth explain --as users:ziwon -n foo create pods      why is this allowed or denied?
 *   kubeauth who-can -n foo delete secrets                     who may do it, through what?
 *
 * The request is given like `kubectl auth can-i`: VERB RESOURCE[.GROUP][/SUBRESOURCE] [NAME], or
 * VERB /non-resource/path.
 */
import { existsSync } from 'node:fs';
import { formatGrants, loadRbac, whoCan } from '../analysis/access.js';
import { clientFromKubeconfig, type KubeClient } from '../client/kube-client.js';
import type { Attributes } from '../authz/interfaces.js';
import { explain, formatExplanation } from '../authz/rbac/explain.js';
import type { RbacObject } from '../authz/rbac/types.js';
import { allResources } from '../registry/index.js';
import type { ResourceDescriptor } from '../registry/types.js';
import { FlagError, formatHelp, parseFlags, type FlagSpec } from './flags.js';

const common: FlagSpec[] = [
  {
    name: 'kubeconfig',
    type: 'string',
    default: '',
    help: 'Kubeconfig to read RBAC objects with (default $KUBECONFIG, else .kubeauth/admin.conf).',
  },
  {
    name: 'namespace',
    type: 'string',
    default: '',
    help: 'Namespace of the request (empty: cluster scope).',
  },
  { name: 'n', type: 'string', default: '', help: 'Short for --namespace.' },
];

const explainFlags: FlagSpec[] = [
  ...common,
  { name: 'as', type: 'string', default: '', help: 'The user to explain the decision for (required).' },
  {
    name: 'as-group',
    type: 'stringArray',
    default: [],
    help: 'Groups of the user (repeatable); system:authenticated is added as the apiserver does.',
  },
];

/** What resolving a bare resource name needs: plural, singular, short names and group. */
export type ResourceNames = Pick<ResourceDescriptor, 'resource' | 'singular' | 'shortNames' | 'group'>;

/**
 * The names of the cluster's custom resources (from its CRDs' accepted names), so a bare
 * `widgets` or short name resolves as kubectl would; none when CRDs cannot be listed.
 */
export async function customResourceNames(client: KubeClient): Promise<ResourceNames[]> {
  const crds = await client.list('/apis/apiextensions.k8s.io/v1/customresourcedefinitions').catch(() => []);
  return crds.flatMap((c) => {
    const spec = (c.spec ?? {}) as { group?: string };
    const n = ((c.status as { acceptedNames?: Record<string, unknown> } | undefined)?.acceptedNames ??
      {}) as {
      plural?: string;
      singular?: string;
      shortNames?: string[];
    };
    return n.plural && spec.group
      ? [{ resource: n.plural, singular: n.singular ?? '', shortNames: n.shortNames, group: spec.group }]
      : [];
  });
}

/** Whether a bare name (no `.group`) is a built-in resource; custom names are looked up otherwise. */
function needsCustomNames(positional: string[]): boolean {
  const what = positional[1] ?? '';
  if (what.startsWith('/') || what.split('/')[0]!.includes('.')) return false;
  const r = what.split('/')[0]!;
  return !allResources.some((d) => d.resource === r || d.singular === r || d.shortNames?.includes(r));
}

/** VERB RESOURCE[.GROUP][/SUB] [NAME] or VERB /path → request attributes without the user. */
export function parseRequest(
  positional: string[],
  namespace: string,
  known: readonly ResourceNames[] = allResources,
): Omit<Attributes, 'user'> {
  const [verb, what, name = ''] = positional;
  if (!verb || !what)
    throw new FlagError('expected VERB RESOURCE[.GROUP][/SUBRESOURCE] [NAME] or VERB /path');
  if (what.startsWith('/')) {
    return {
      verb,
      isResourceRequest: false,
      path: what,
      namespace: '',
      apiGroup: '',
      apiVersion: '',
      resource: '',
      subresource: '',
      name: '',
    };
  }
  const [resGroup, subresource = ''] = what.split('/');
  const dot = resGroup.indexOf('.');
  let resource = dot < 0 ? resGroup : resGroup.slice(0, dot);
  let apiGroup = dot < 0 ? '' : resGroup.slice(dot + 1);
  if (dot < 0) {
    const d = known.find(
      (r) => r.resource === resource || r.singular === resource || r.shortNames?.includes(resource),
    );
    if (d) {
      resource = d.resource;
      apiGroup = d.group;
    }
  }
  return {
    verb,
    isResourceRequest: true,
    path: '',
    namespace,
    apiGroup,
    apiVersion: '*',
    resource,
    subresource,
    name,
  };
}

function kubeconfigPath(flag: string): string {
  const p = flag || process.env.KUBECONFIG?.split(':')[0] || '.kubeauth/admin.conf';
  if (!existsSync(p)) throw new FlagError(`kubeconfig ${p} not found (use --kubeconfig)`);
  return p;
}

export async function runExplain(argv: string[]): Promise<number> {
  const { flags: f, positional, help } = parseFlags(explainFlags, argv);
  if (help) {
    process.stdout.write(
      formatHelp(
        'kubeauth explain --as USER [--as-group G]... [-n NS] VERB RESOURCE[.GROUP][/SUB] [NAME]',
        'Explain an RBAC decision: the binding, role and rule that allow it, or the nearest misses when denied.',
        explainFlags,
      ),
    );
    return 0;
  }
  if (!f.as) throw new FlagError('--as is required');
  let req = parseRequest(positional, String(f.namespace || f.n));
  const groups = [...(f['as-group'] as string[])];
  if (!groups.includes('system:authenticated') && f.as !== 'system:anonymous')
    groups.push('system:authenticated');
  if ((groups as string[]).includes('system:masters')) {
    process.stdout.write(
      `allowed: User "${String(f.as)}" is in group system:masters, which is always allowed (privileged-group authorizer)\n`,
    );
    return 0;
  }
  const client = clientFromKubeconfig(kubeconfigPath(String(f.kubeconfig)));
  if (needsCustomNames(positional))
    req = parseRequest(positional, String(f.namespace || f.n), [
      ...allResources,
      ...(await customResourceNames(client)),
    ]);
  const store = await loadRbac(client);
  const e = explain(store, { ...req, user: { name: String(f.as), uid: '', groups, extra: {} } });
  process.stdout.write(formatExplanation(e) + '\n');
  return e.decision === 'Allow' ? 0 : 1;
}

export async function runWhoCan(argv: string[]): Promise<number> {
  const { flags: f, positional, help } = parseFlags(common, argv);
  if (help) {
    process.stdout.write(
      formatHelp(
        'kubeauth who-can [-n NS] VERB RESOURCE[.GROUP][/SUB] [NAME]',
        'List every subject RBAC allows to make a request, with the binding and role that grant it.',
        common,
      ),
    );
    return 0;
  }
  const client = clientFromKubeconfig(kubeconfigPath(String(f.kubeconfig)));
  const known = needsCustomNames(positional)
    ? [...allResources, ...(await customResourceNames(client))]
    : allResources;
  const req = parseRequest(positional, String(f.namespace || f.n), known);
  const lists = await Promise.all(
    ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings'].map((r) =>
      client.list(`/apis/rbac.authorization.k8s.io/v1/${r}`),
    ),
  );
  process.stdout.write(formatGrants(whoCan(lists.flat() as unknown as RbacObject[], req)));
  return 0;
}
