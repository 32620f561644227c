/**
 * @module apiextensions/crd-resource
 *
 * The customresourcedefinitions resource (apiextensions.k8s.io/v1, cluster-scoped, short names
 * crd/crds, category api-extensions, status subresource; aggregated_v2.json), with the v1
 * defaults (SetDefaults_CustomResourceDefinitionSpec: singular = lower-case kind, listKind =
 * kind + "List", conversion strategy None; status.storedVersions gets the storage version as the
 * CRD strategy's PrepareForCreate/Update do) and {@link validateCrd}. Tables use the default Name /
 * Created At columns, as upstream has no CRD printer. Only JSON (and YAML) bodies: kubectl sends
 * CRDs as JSON since apiextensions has no protobuf encoding here.
 */
import type { KubeObject } from '../api/types.js';
import { defineResource, statusSub } from '../registry/resources/common.js';
import type { ResourceDescriptor } from '../registry/types.js';
import { checkCrdTypes } from './crd-decode.js';
import { validateCrd } from './crd-validation.js';
import { CLEANUP_FINALIZER, CRD_GROUP, setCondition, specOf, type CrdStatus } from './types.js';

function defaultCrd(obj: KubeObject): void {
  checkCrdTypes(obj);
  const spec = specOf(obj);
  if (obj.spec !== spec) return;
  const names = spec.names;
  if (names && typeof names === 'object') {
    if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === 'string' && names.kind) names.listKind = `${names.kind}List`;
  }
  if (spec.conversion === undefined || spec.conversion === null) spec.conversion = { strategy: 'None' };
  const status = (obj.status && typeof obj.status === 'object' ? obj.status : {}) as CrdStatus;
  status.acceptedNames ??= { plural: '', kind: '' };
  const storage = Array.isArray(spec.versions) ? spec.versions.find((v) => v?.storage === true) : undefined;
  const stored = Array.isArray(status.storedVersions) ? status.storedVersions : [];
  if (typeof storage?.name === 'string' && !stored.includes(storage.name)) stored.push(storage.name);
  status.storedVersions = stored;
  obj.status = status;
}

export const customresourcedefinitions: ResourceDescriptor = defineResource({
  group: CRD_GROUP,
  versions: ['v1'],
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  subresources: [statusSub('CustomResourceDefinition')],
  hasStatus: true,
  // customresourcedefinition/strategy.go: Generation = 1 on create, bumped on spec changes.
  tracksGeneration: true,
  defaults: defaultCrd,
  validate: validateCrd,
});

export const apiextensionsResources: ResourceDescriptor[] = [customresourcedefinitions];

/**
 * The first DELETE of a CRD (customresourcedefinition/etcd.go REST.Delete): besides
 * deletionTimestamp, the cleanup finalizer and a Terminating condition, so the finalizer
 * controller removes the custom resources before the CRD goes.
 */
export function markCrdForDeletion(crd: KubeObject, now: string): void {
  const md = (crd.metadata ??= {});
  const finalizers = md.finalizers ?? [];
  if (!finalizers.includes(CLEANUP_FINALIZER)) md.finalizers = [...finalizers, CLEANUP_FINALIZER];
  const status = (crd.status && typeof crd.status === 'object' ? crd.status : {}) as CrdStatus;
  status.conditions = setCondition(
    status.conditions,
    {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    },
    now,
  );
  crd.status = status;
}

export function isCrdResource(d: ResourceDescriptor): boolean {
  return d.group === CRD_GROUP && d.resource === 'customresourcedefinitions';
}
