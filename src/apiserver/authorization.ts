/**
 * Builds the authorizer chain from the ordered authorizer configuration (the legacy
 * --authorization-mode flags or an AuthorizationConfiguration file): the privileged-group
 * authorizer first (system:masters is always allowed, as kube-apiserver does), then each
 * configured authorizer, fed from the watch caches through informers so that a change applies to
 * the next request after its write is acknowledged.
 */
import type { KubeObject } from '../api/types.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from '../authz/always.js';
import type { AuthorizerConfig } from '../authz/config.js';
import type { Authorizer } from '../authz/interfaces.js';
import { NodeGraph, nodeAuthorizer } from '../authz/node/index.js';
import { RbacStore } from '../authz/rbac/store.js';
import { rbacAuthorizer, type RbacAuthorizer } from '../authz/rbac/authorizer.js';
import type { RbacObject } from '../authz/rbac/types.js';
import { unionAuthorizer } from '../authz/union.js';
import { buildWebhookAuthorizer } from '../authz/webhook.js';
import { Informer } from './informer.js';
import type { ObjectStore } from './rest/object-store.js';

export interface AuthorizationDeps {
  storeFor(group: string, resource: string): ObjectStore | undefined;
  now: () => Date;
  log: (m: string) => void;
}

export interface BuiltAuthorization {
  authorizer: Authorizer;
  /** The RBAC engine when RBAC is configured (rule resolution, explanations, escalation checks). */
  rbac?: { store: RbacStore; authorizer: RbacAuthorizer };
  nodeGraph?: NodeGraph;
  informers: Informer[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function buildAuthorization(configs: AuthorizerConfig[], deps: AuthorizationDeps): BuiltAuthorization {
  const chain: Authorizer[] = [privilegedGroups()];
  const informers: Informer[] = [];
  const out: BuiltAuthorization = { authorizer: alwaysDeny, informers };
  const inform = (
    group: string,
    resource: string,
    upsert: (o: KubeObject) => void,
    remove: (o: KubeObject) => void,
  ) => {
    const st = deps.storeFor(group, resource);
    if (!st) return;
    const inf = new Informer(st, { upsert, remove }, deps.log);
    inf.start();
    informers.push(inf);
  };
  for (const c of configs) {
    switch (c.type) {
      case 'AlwaysAllow':
        chain.push(alwaysAllow);
        break;
      case 'AlwaysDeny':
        chain.push(alwaysDeny);
        break;
      case 'RBAC': {
        const store = new RbacStore();
        for (const r of ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings']) {
          inform(
            RBAC_GROUP,
            r,
            (o) => store.upsert(o as unknown as RbacObject),
            (o) => store.remove(o.kind as RbacObject['kind'], o.metadata?.namespace ?? '', o.metadata!.name!),
          );
        }
        const authorizer = rbacAuthorizer(store);
        out.rbac = { store, authorizer };
        chain.push(authorizer);
        break;
      }
      case 'Node': {
        const graph = new NodeGraph();
        for (const [kind, r] of [
          ['Pod', 'pods'],
          ['PersistentVolume', 'persistentvolumes'],
        ] as const) {
          inform(
            '',
            r,
            (o) => graph.upsert(kind, o),
            (o) => graph.remove(kind, o.metadata?.namespace ?? '', o.metadata!.name!),
          );
        }
        out.nodeGraph = graph;
        chain.push(nodeAuthorizer(graph));
        break;
      }
      case 'Webhook':
        chain.push(buildWebhookAuthorizer(c.webhook, { now: () => deps.now().getTime() }));
        break;
      default:
        throw new Error(`authorization mode ${c.type} is not supported`);
    }
  }
  out.authorizer = unionAuthorizer(chain);
  return out;
}
