/**
 * The `dryRun` option of every write, in one place. Upstream reads it from the query for
 * create/update/patch/delete/deletecollection (CreateOptions, UpdateOptions, PatchOptions,
 * DeleteOptions decoded from the URL, k8s.io/apiserver/pkg/endpoints/handlers/*.go), from a
 * DeleteOptions body on DELETE (handlers/delete.go decodes the body, then the query on top), and
 * for the pod eviction subresource from the Eviction's `deleteOptions.dryRun` merged with the query
 * (pkg/registry/core/pod/storage/eviction.go propagateDryRun). The only supported value is "All"
 * (apimachinery/pkg/apis/meta/v1/validation ValidateDryRun).
 *
 * A dry run goes through admission, defaulting and validation like the real write and answers what
 * the real write would answer, but the storage layer (`ObjectStore`'s write methods, which take the
 * flag) never writes: no revision, no watch event.
 */
import { badRequest } from '../../api/errors.js';
import type { RequestScope } from './scope.js';

/**
 * Validates a list of dryRun values: true when dry run was asked for ("All"). An unknown value is
 * a 400 with the field error's text; upstream's option validation wraps the same text in a 422
 * Invalid `CreateOptions.meta.k8s.io` Status (kept at 400 since issue #2's malformed-input table).
 */
export function parseDryRun(values: readonly unknown[]): boolean {
  for (const v of values)
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${String(v)}": supported values: "All"`);
  return values.length > 0;
}

/** The dryRun values of a body's (Delete)Options: `undefined` when absent, 400 when not a list. */
export function bodyDryRun(options: unknown): string[] | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  const v = (options as { dryRun?: unknown }).dryRun;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw badRequest('dryRun: Invalid value: must be a list of strings');
  return v as string[];
}

/** dryRun from the request's query (create, update, patch, subresources). */
export function isDryRun(s: RequestScope): boolean {
  return parseDryRun(s.ctx.query.getAll('dryRun'));
}

/**
 * dryRun of a DELETE or DELETECOLLECTION: from the DeleteOptions body or the query. Upstream
 * (handlers/delete.go) reads the query only when there is no body, so `?dryRun=All` with a body
 * that lacks dryRun deletes there; here either one asking for a dry run makes it one (both are
 * validated), so a dry run never writes.
 */
export function deleteDryRun(s: RequestScope, body: unknown): boolean {
  const query = parseDryRun(s.ctx.query.getAll('dryRun'));
  return parseDryRun(bodyDryRun(body) ?? []) || query;
}

/**
 * dryRun of a pod eviction, as upstream's propagateDryRun: the Eviction's deleteOptions.dryRun,
 * else the query's; both given and different is an error. Upstream returns that error as a 500
 * (an untyped error from the eviction REST); it is the client's contradiction, so kubeauth
 * answers 400 BadRequest with upstream's text.
 */
export function evictionDryRun(s: RequestScope, deleteOptions: unknown): boolean {
  const query = s.ctx.query.getAll('dryRun');
  const body = bodyDryRun(deleteOptions) ?? [];
  if (query.length > 0 && body.length > 0 && query.join('\0') !== body.join('\0')) {
    throw badRequest(
      `Non-matching dry-run options in request and content: [${query.join(' ')}] and [${body.join(' ')}]`,
    );
  }
  return parseDryRun(body.length > 0 ? body : query);
}
