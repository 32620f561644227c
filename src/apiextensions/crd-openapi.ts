/**
 * @module apiextensions/crd-openapi
 *
 * OpenAPI v3 components of the CustomResourceDefinition kind itself (named as upstream,
 * `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.*`), so `kubectl explain
 * crd.spec.versions` walks the fields. The types follow apiextensions/v1/types.go; descriptions
 * are short summaries written here; JSONSchemaProps is published as an open object.
 */
type OpenAPISchema = Record<string, unknown>;

const PKG = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const ref = (name: string, description?: string): OpenAPISchema => ({
  ...(description ? { description } : {}),
  allOf: [{ $ref: `#/components/schemas/${name.startsWith('io.') ? name : `${PKG}.${name}`}` }],
});
const str = (description?: string): OpenAPISchema => ({
  ...(description ? { description } : {}),
  type: 'string',
});
const bool = (description?: string): OpenAPISchema => ({
  ...(description ? { description } : {}),
  type: 'boolean',
});
const list = (items: OpenAPISchema, description?: string): OpenAPISchema => ({
  ...(description ? { description } : {}),
  type: 'array',
  items,
  'x-kubernetes-list-type': 'atomic',
});
const obj = (
  properties: Record<string, OpenAPISchema>,
  description: string,
  required?: string[],
): OpenAPISchema => ({
  description,
  type: 'object',
  ...(required ? { required } : {}),
  properties,
});

/** The kind's schema name. */
export const CRD_SCHEMA_NAME = `${PKG}.CustomResourceDefinition`;

/** Every component the CustomResourceDefinition schema references (ObjectMeta excepted). */
export function crdComponents(): Record<string, OpenAPISchema> {
  const names = obj(
    {
      categories: list(
        { type: 'string' },
        'Groups this resource belongs to, e.g. `all` for `kubectl get all`.',
      ),
      kind: str('The kind of the resource (CamelCase, singular).'),
      listKind: str('The kind of lists of the resource; defaults to `<kind>List`.'),
      plural: str('The plural name served under /apis/<group>/<version>/; lower case.'),
      shortNames: list(
        { type: 'string' },
        'Short names accepted by kubectl, e.g. `kubectl get <shortname>`.',
      ),
      singular: str('The singular name; defaults to the lower-cased kind.'),
    },
    'The names a custom resource is served under.',
    ['plural', 'kind'],
  );
  return {
    [CRD_SCHEMA_NAME]: {
      description: 'A CustomResourceDefinition defines a custom resource the API server serves.',
      type: 'object',
      required: ['spec'],
      properties: {
        apiVersion: str('The versioned schema of this representation of an object.'),
        kind: str('The REST resource this object represents.'),
        metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'Standard object metadata.'),
        spec: ref('CustomResourceDefinitionSpec', 'The resource the CRD defines.'),
        status: ref('CustomResourceDefinitionStatus', 'Conditions and names as the server accepted them.'),
      },
      'x-kubernetes-group-version-kind': [
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', version: 'v1' },
      ],
    },
    [`${PKG}.CustomResourceDefinitionSpec`]: obj(
      {
        conversion: ref('CustomResourceConversion', 'How objects convert between versions (None only here).'),
        group: str('The API group of the resource; metadata.name must be `<plural>.<group>`.'),
        names: ref('CustomResourceDefinitionNames', 'The names the resource is served under.'),
        preserveUnknownFields: bool(
          'Must be false in v1; use x-kubernetes-preserve-unknown-fields in a schema.',
        ),
        scope: str('Namespaced or Cluster.'),
        versions: list(
          ref('CustomResourceDefinitionVersion'),
          'The served versions; exactly one is the storage version.',
        ),
      },
      'The group, names, scope and versions of a custom resource.',
      ['group', 'names', 'scope', 'versions'],
    ),
    [`${PKG}.CustomResourceDefinitionNames`]: names,
    [`${PKG}.CustomResourceDefinitionVersion`]: obj(
      {
        additionalPrinterColumns: list(
          ref('CustomResourceColumnDefinition'),
          'Extra Table columns for `kubectl get`.',
        ),
        deprecated: bool('Whether requests to this version get a deprecation warning.'),
        deprecationWarning: str('The warning sent instead of the default one.'),
        name: str('The version name, e.g. v1 or v1beta1.'),
        schema: ref(
          'CustomResourceValidation',
          'The schema objects of this version are validated, pruned and defaulted with.',
        ),
        selectableFields: list(ref('SelectableField'), 'Fields usable in field selectors.'),
        served: bool('Whether the version is served.'),
        storage: bool('Whether objects are stored in this version.'),
        subresources: ref('CustomResourceSubresources', 'The status and scale subresources of this version.'),
      },
      'One version of a custom resource.',
      ['name', 'served', 'storage'],
    ),
    [`${PKG}.CustomResourceValidation`]: obj(
      {
        openAPIV3Schema: ref(
          'JSONSchemaProps',
          'The OpenAPI v3 schema (structural), with x-kubernetes-* extensions.',
        ),
      },
      'The validation schema of a version.',
    ),
    [`${PKG}.JSONSchemaProps`]: {
      description: 'A JSON-Schema following the OpenAPI v3 schema object, with Kubernetes extensions.',
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    },
    [`${PKG}.CustomResourceSubresources`]: obj(
      {
        scale: ref('CustomResourceSubresourceScale', 'Serve /scale as autoscaling/v1 Scale.'),
        status: {
          description: 'Serve /status; writes to the main resource then ignore status.',
          type: 'object',
        },
      },
      'The subresources of a version.',
    ),
    [`${PKG}.CustomResourceSubresourceScale`]: obj(
      {
        labelSelectorPath: str('JSON path of the selector string (Scale status.selector).'),
        specReplicasPath: str('JSON path under .spec of the desired replicas.'),
        statusReplicasPath: str('JSON path under .status of the observed replicas.'),
      },
      'Where the scale subresource reads and writes replicas.',
      ['specReplicasPath', 'statusReplicasPath'],
    ),
    [`${PKG}.CustomResourceColumnDefinition`]: obj(
      {
        description: str('A description of the column.'),
        format: str('An optional OpenAPI format of the column.'),
        jsonPath: str('A simple JSON path evaluated against each object.'),
        name: str('The column header.'),
        priority: {
          description: '0 shows the column by default; higher only with -o wide.',
          type: 'integer',
          format: 'int32',
        },
        type: str('integer, number, string, boolean or date.'),
      },
      'A Table column for `kubectl get`.',
      ['name', 'type', 'jsonPath'],
    ),
    [`${PKG}.SelectableField`]: obj(
      { jsonPath: str('A simple JSON path to a string, integer or boolean field.') },
      'A field usable in field selectors.',
      ['jsonPath'],
    ),
    [`${PKG}.CustomResourceConversion`]: obj(
      {
        strategy: str('None (only the apiVersion changes); Webhook is not supported by this server.'),
        webhook: { description: 'Webhook conversion settings (refused here).', type: 'object' },
      },
      'How objects convert between versions.',
      ['strategy'],
    ),
    [`${PKG}.CustomResourceDefinitionStatus`]: obj(
      {
        acceptedNames: ref(
          'CustomResourceDefinitionNames',
          'The names actually served (conflicting ones are not).',
        ),
        conditions: list(
          ref('CustomResourceDefinitionCondition'),
          'NamesAccepted, Established, Terminating, ...',
        ),
        storedVersions: list({ type: 'string' }, 'Every version objects were ever stored in.'),
      },
      'The observed state of a CustomResourceDefinition.',
    ),
    [`${PKG}.CustomResourceDefinitionCondition`]: obj(
      {
        lastTransitionTime: {
          description: 'When the status last changed.',
          type: 'string',
          format: 'date-time',
        },
        message: str('A human-readable explanation.'),
        reason: str('A CamelCase reason.'),
        status: str('True, False or Unknown.'),
        type: str('The condition type.'),
      },
      'One condition of a CustomResourceDefinition.',
      ['type', 'status'],
    ),
  };
}
