/**
 * The REST dispatcher for resource requests: finds the descriptor for group/version/resource,
 * checks the verb against what the resource serves (405 MethodNotAllowed otherwise), and routes
 * to get/list/watch/create/update/patch/delete/deletecollection, subresources and the virtual
 * review resources.
 */
import { ApiError, methodNotSupported, notFoundPath } from '../../api/errors.js';
import { findResource } from '../../registry/index.js';
import type { ResourceRegistry } from '../../registry/registry.js';
import type { ResourceDescriptor } from '../../registry/types.js';
import type { RequestContext } from '../context.js';
import { handleDelete, handleDeleteCollection } from './delete.js';
import { negotiate } from './negotiate.js';
import type { ObjectStore } from './object-store.js';
import { handleGet, handleList } from './read.js';
import { handleReview } from './reviews.js';
import type { RequestScope, ServerEnv } from './scope.js';
import { handleSubresource } from './subresources.js';
import { handleWatch } from './watch.js';
import { handleCreate, handlePatch, handleUpdate } from './write.js';

export interface RestDeps {
  env: ServerEnv;
  stores: Map<ResourceDescriptor, ObjectStore>;
  /** The served set, built-in and custom; without it only the static built-ins are served. */
  registry?: ResourceRegistry;
}

export function restHandler(deps: RestDeps): (ctx: RequestContext) => Promise<void> {
  return async (ctx) => {
    const i = ctx.info;
    const base = deps.registry
      ? deps.registry.find(i.apiGroup, i.apiVersion, i.resource)
      : findResource(i.apiGroup, i.apiVersion, i.resource);
    if (!base) throw notFoundPath();
    // A custom resource is served per version (its schema, columns and subresources).
    const desc = base.custom ? base.custom.forVersion(i.apiVersion) : base;
    const deprecated = base.custom?.warning(i.apiVersion);
    if (deprecated) ctx.warnings.push(deprecated);
    if (desc.namespaced === false && i.namespace && i.resource !== 'namespaces') throw notFoundPath();
    const gr = { group: desc.group, resource: desc.resource };
    const out = negotiate(ctx.req.headers['accept'] as string | undefined);
    if (desc.virtual) {
      if (i.verb !== 'create' || i.name) throw methodNotSupported(gr, i.verb);
      return handleReview(
        { ctx, desc, version: i.apiVersion, store: undefined as unknown as ObjectStore, out, env: deps.env },
        i.namespace,
      );
    }
    const store = deps.stores.get(base);
    if (!store) throw notFoundPath();
    const s: RequestScope = { ctx, desc, version: i.apiVersion, store, out, env: deps.env };
    const ns = desc.namespaced ? i.namespace : '';
    if (desc.namespaced && !i.namespace && !['list', 'watch'].includes(i.verb)) {
      // A namespaced resource addressed without a namespace only supports cross-namespace reads.
      // Upstream registers that collection path for GET only: another method on it is a 405 with
      // the generic Status text; a name below it is not a route at all (404).
      if (!i.name) {
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
          {},
        );
      }
      throw notFoundPath();
    }
    if (i.subresource) return handleSubresource(s, ns, i.name, i.subresource);
    if (i.verb !== 'watch' && i.verb !== 'proxy' && !desc.verbs.includes(i.verb))
      throw methodNotSupported(gr, i.verb);
    switch (i.verb) {
      case 'get':
        return handleGet(s, ns, i.name);
      case 'list':
        return handleList(s, ns);
      case 'watch':
        if (!desc.verbs.includes('watch')) throw methodNotSupported(gr, 'watch');
        return handleWatch(s, ns);
      case 'create':
        if (i.name) throw methodNotSupported(gr, 'create');
        if (desc.custom?.terminating()) {
          // crdHandler.serveResource: no new objects while the CRD's instances are being removed.
          const { code, reason, details } = methodNotSupported(gr, 'create');
          throw new ApiError(
            code,
            reason,
            'create not allowed while custom resource definition is terminating',
            details,
          );
        }
        return handleCreate(s, ns);
      case 'update':
        return handleUpdate(s, ns, i.name);
      case 'patch':
        return handlePatch(s, ns, i.name);
      case 'delete':
        return handleDelete(s, ns, i.name);
      case 'deletecollection':
        return handleDeleteCollection(s, ns);
      default:
        throw methodNotSupported(gr, i.verb);
    }
  };
}
