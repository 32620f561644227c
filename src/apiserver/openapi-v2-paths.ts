/**
 * The `paths` of the OpenAPI v2 document (./openapi-v2.ts): per served resource and version, the
 * operations upstream installs (list, create, deletecollection, read, replace, patch, delete, the
 * all-namespaces list and the status subresource; a POST for create-only review resources), with
 * upstream's operation ids (`patchCoreV1NamespacedPod`), tags, `x-kubernetes-action`,
 * `x-kubernetes-group-version-kind` and inline query parameters. kubectl's field-validation
 * detection reads the PATCH operation's inline `fieldValidation` parameter.
 *
 * @module
 */
import { allResources } from '../registry/index.js';
import type { ResourceDescriptor } from '../registry/index.js';
import { kindSchemaName, type OpenAPISchema } from './openapi.js';

/** The reference prefix of v2 definitions. */
export const V2_REF = '#/definitions/';
/** The schema-name prefix of meta/v1 types. */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** An object with its keys sorted (upstream documents list paths and definitions sorted). */
export const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Upstream's operation-id infix of a group version: `CoreV1`, `RbacAuthorizationV1`, `AutoscalingV2`. */
export function operationGroup(group: string, version: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return `${g.split('.').map(cap).join('')}${cap(version)}`;
}

const query = (name: string, type: string, description: string): OpenAPISchema => ({
  uniqueItems: true,
  type,
  description,
  name,
  in: 'query',
});
const DRY_RUN = query(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = query(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
);
const FIELD_VALIDATION = query(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest status if any unknown fields are dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.',
);
const FORCE = query(
  'force',
  'boolean',
  'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
);
const PRETTY = query('pretty', 'string', "If 'true', then the output is pretty printed.");
const LIST_PARAMS = [
  query(
    'labelSelector',
    'string',
    'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
  ),
  query(
    'fieldSelector',
    'string',
    'A selector to restrict the list of returned objects by their fields. Defaults to everything.',
  ),
  query('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  query(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server.',
  ),
  query(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from.',
  ),
  query(
    'watch',
    'boolean',
    'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.',
  ),
];
const pathParam = (name: string, description: string): OpenAPISchema => ({
  uniqueItems: true,
  type: 'string',
  description,
  name,
  in: 'path',
  required: true,
});
const NAME = (kind: string) => pathParam('name', `name of the ${kind}`);
const NAMESPACE = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
const body = (ref: string): OpenAPISchema => ({
  name: 'body',
  in: 'body',
  required: true,
  schema: { $ref: ref },
});

const CONSUMES_WRITE = ['*/*'];
const CONSUMES_PATCH = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

interface OpSpec {
  id: string;
  action: string;
  description: string;
  params: OpenAPISchema[];
  responses: Record<string, OpenAPISchema>;
  consumes?: string[];
}

function operation(tag: string, gvk: Record<string, string>, o: OpSpec): OpenAPISchema {
  return {
    description: o.description,
    ...(o.consumes ? { consumes: o.consumes } : {}),
    produces: PRODUCES,
    schemes: ['https'],
    tags: [tag],
    operationId: o.id,
    parameters: o.params,
    responses: { ...o.responses, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': gvk,
  };
}

const ok = (ref: string, code = '200', description = 'OK'): Record<string, OpenAPISchema> => ({
  [code]: { description, schema: { $ref: ref } },
});

/**
 * The PATCH query parameters. kubectl (client-go's QueryParamVerifier) treats a kind it finds no
 * PATCH operation for as a possible CRD when the Namespace PATCH takes `fieldValidation`, and then
 * lists CustomResourceDefinitions; while kubeauth serves no CRD API that list is a 404 and
 * `kubectl create -f` of a create-only kind (SelfSubjectAccessReview ...) would fail. So until
 * customresourcedefinitions are served, the Namespace PATCH leaves `fieldValidation` out, which
 * only makes kubectl 1.27/1.28 validate Namespace manifests client-side against the definitions.
 */
function patchParams(r: ResourceDescriptor, writeParams: OpenAPISchema[]): OpenAPISchema[] {
  const crdsServed = allResources.some(
    (d) => d.group === 'apiextensions.k8s.io' && d.resource === 'customresourcedefinitions',
  );
  if (r.group === '' && r.resource === 'namespaces' && !crdsServed)
    return writeParams.filter((p) => p.name !== 'fieldValidation');
  return writeParams;
}

/** The PathItems of one resource in one version. */
function resourcePaths(r: ResourceDescriptor, version: string): Record<string, OpenAPISchema> {
  const prefix = r.group ? `/apis/${r.group}/${version}` : `/api/${version}`;
  const tag = `${r.group ? r.group.replace(/\.k8s\.io$/, '').replace(/\./g, '_') : 'core'}_${version}`;
  const gvk = { group: r.group, kind: r.kind, version };
  const kindRef = `${V2_REF}${kindSchemaName(r.group, version, r.kind)}`;
  const listRef = kindRef.replace(/\.[^.]+$/, `.${r.listKind}`);
  const statusRef = `${V2_REF}${META}.Status`;
  const opg = operationGroup(r.group, version);
  const scoped = r.namespaced ? `Namespaced${r.kind}` : r.kind;
  const base = `${prefix}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const scopeParams = r.namespaced ? [NAMESPACE] : [];
  const writeParams = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
  const out: Record<string, OpenAPISchema> = {};
  const has = (verb: string) => r.verbs.includes(verb);
  const op = (o: OpSpec) => operation(tag, gvk, o);

  if (r.virtual) {
    out[base] = {
      post: op({
        id: `create${opg}${scoped}`,
        action: 'post',
        description: `create a ${r.kind}`,
        consumes: CONSUMES_WRITE,
        params: [body(kindRef), ...writeParams],
        responses: { ...ok(kindRef), ...ok(kindRef, '201', 'Created'), ...ok(kindRef, '202', 'Accepted') },
      }),
      parameters: [...scopeParams, PRETTY],
    };
    return out;
  }
  const collection: OpenAPISchema = {};
  if (has('list'))
    collection.get = op({
      id: `list${opg}${scoped}`,
      action: 'list',
      description: `list or watch objects of kind ${r.kind}`,
      params: LIST_PARAMS,
      responses: ok(listRef),
    });
  if (has('create'))
    collection.post = op({
      id: `create${opg}${scoped}`,
      action: 'post',
      description: `create a ${r.kind}`,
      consumes: CONSUMES_WRITE,
      params: [body(kindRef), ...writeParams],
      responses: { ...ok(kindRef), ...ok(kindRef, '201', 'Created'), ...ok(kindRef, '202', 'Accepted') },
    });
  if (has('deletecollection'))
    collection.delete = op({
      id: `delete${opg}Collection${scoped}`,
      action: 'deletecollection',
      description: `delete collection of ${r.kind}`,
      params: [DRY_RUN, ...LIST_PARAMS.filter((p) => p.name !== 'watch')],
      responses: ok(statusRef),
    });
  if (Object.keys(collection).length) out[base] = { ...collection, parameters: [...scopeParams, PRETTY] };

  const item = (suffix: string, part: string): OpenAPISchema => {
    const what = part ? `${part} of` : '';
    const pi: OpenAPISchema = {};
    if (has('get'))
      pi.get = op({
        id: `read${opg}${scoped}${suffix}`,
        action: 'get',
        description: `read ${what} the specified ${r.kind}`.replace('  ', ' '),
        params: [],
        responses: ok(kindRef),
      });
    if (has('update'))
      pi.put = op({
        id: `replace${opg}${scoped}${suffix}`,
        action: 'put',
        description: `replace ${what} the specified ${r.kind}`.replace('  ', ' '),
        consumes: CONSUMES_WRITE,
        params: [body(kindRef), ...writeParams],
        responses: { ...ok(kindRef), ...ok(kindRef, '201', 'Created') },
      });
    if (has('patch'))
      pi.patch = op({
        id: `patch${opg}${scoped}${suffix}`,
        action: 'patch',
        description: `partially update ${what} the specified ${r.kind}`.replace('  ', ' '),
        consumes: CONSUMES_PATCH,
        params: [body(`${V2_REF}${META}.Patch`), ...patchParams(r, writeParams), FORCE],
        responses: { ...ok(kindRef), ...ok(kindRef, '201', 'Created') },
      });
    if (has('delete') && suffix === '')
      pi.delete = op({
        id: `delete${opg}${scoped}`,
        action: 'delete',
        description: `delete a ${r.kind}`,
        params: [body(`${V2_REF}${META}.DeleteOptions`), DRY_RUN],
        responses: { ...ok(statusRef), ...ok(statusRef, '202', 'Accepted') },
      });
    return { ...pi, parameters: [NAME(r.kind), ...scopeParams, PRETTY] };
  };
  out[`${base}/{name}`] = item('', '');
  if (r.subresources.some((s) => s.name === 'status'))
    out[`${base}/{name}/status`] = item('Status', 'status');
  if (r.namespaced && has('list'))
    out[`${prefix}/${r.resource}`] = {
      get: op({
        id: `list${opg}${r.kind}ForAllNamespaces`,
        action: 'list',
        description: `list or watch objects of kind ${r.kind}`,
        params: [],
        responses: ok(listRef),
      }),
      parameters: [...LIST_PARAMS, PRETTY],
    };
  return out;
}

/** Every path of the v2 document. */
export function pathsV2(): Record<string, OpenAPISchema> {
  const out: Record<string, OpenAPISchema> = {};
  for (const r of allResources) for (const v of r.versions) Object.assign(out, resourcePaths(r, v));
  return sortKeys(out);
}
