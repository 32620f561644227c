/**
 * A ResourceDescriptor says everything the generic REST layer needs to serve one resource:
 * discovery facts (GVK, plural, short names, verbs, scope, subresources), Table columns,
 * defaulting, validation, field selectors and the create/update strategy. One descriptor per
 * resource lives in src/registry/resources/*.ts; `src/registry/index.ts` exports them all.
 */
import type { FieldError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import type { Schema } from '../api/patch/schema.js';

export interface SubresourceDescriptor {
  /** e.g. "status", "approval", "token", "log", "scale", "eviction", "binding", "proxy" */
  name: string;
  /** Response kind; group/version only when they differ from the parent (discovery's group/version). */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface TableColumn {
  name: string;
  type: string; // "string" | "integer" | "number" | "boolean" | "date"
  format: string; // "" | "name" | ...
  description: string;
  priority: number; // 0 shown by default, 1 only with -o wide
}

export type TableCell = string | number | boolean | null;

export interface TableRow {
  cells: TableCell[];
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

export interface TableConvertor {
  columns: TableColumn[];
  /** One row (or several, rarely) per object; `now` is injected for AGE cells. */
  rows(obj: KubeObject, now: Date): TableRow[];
}

export interface ValidationContext {
  /** The old object on update; undefined on create. */
  old?: KubeObject;
  /** The subresource written (`status`, `approval`...); undefined for the main resource. */
  subresource?: string;
  /** The API version of the request (the URL's), e.g. `v1beta1`; undefined when not known. */
  version?: string;
}

export interface ResourceDescriptor {
  group: string;
  /** Served versions, preferred first. The first is also the storage version. */
  versions: string[];
  /** Plural lower-case resource name, e.g. "pods". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Discovery verbs, sorted as upstream lists them. */
  verbs: string[];
  subresources: SubresourceDescriptor[];
  /**
   * Create-only review-style resources (TokenReview, SubjectAccessReview...): POST returns the
   * object with status filled by a handler; nothing is stored.
   */
  virtual?: boolean;
  /** Table columns and rows; undefined means the default convertor (Name, Created At). */
  table?: TableConvertor;
  /** Fills defaults in place on a fresh (caller-owned) object, as upstream's SetDefaults_* do. */
  defaults?(obj: KubeObject): void;
  /**
   * Kind-specific PrepareForCreate after the generic one (status reset): e.g. a local APIService
   * is marked Available at once. `now` is the server's clock.
   */
  prepareForCreate?(obj: KubeObject, now: Date): void;
  /**
   * Kind-specific PrepareForUpdate after the generic one, per subresource (undefined for the main
   * resource): e.g. CSRs keep their Approved/Denied conditions through `status` and fill in
   * condition timestamps.
   */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, subresource: string | undefined, now: Date): void;
  /** Kind-specific validation (object metadata is validated generically). */
  validate?(obj: KubeObject, ctx: ValidationContext): FieldError[];
  /**
   * Field selectors beyond metadata.name / metadata.namespace (always supported), e.g.
   * pods: spec.nodeName, status.phase ... Each maps an object to the field's string value.
   */
  fieldSelectors?: Record<string, (obj: KubeObject) => string>;
  /** Has a status subresource: main-resource updates keep the old status; status updates keep spec. */
  hasStatus?: boolean;
  /**
   * metadata.generation is 1 on create and bumped when the spec (everything but metadata/status)
   * changes: the kinds whose upstream PrepareForCreate sets `Generation = 1` (workloads, PDBs,
   * ingresses, network policies, pod templates...; not Services, Namespaces, PVs, CSRs...).
   */
  tracksGeneration?: boolean;
  /**
   * What upstream's PrepareForCreate resets `status` to, in the JSON form Go writes (non-pointer
   * structs and non-omitempty fields included, e.g. Service `{loadBalancer: {}}`). Defaults run
   * afterwards (pod phase and QoS class, namespace phase...). Undefined: the status is kept as
   * sent (nodes) or the kind has none.
   */
  initialStatus?(obj: KubeObject, now: Date): Record<string, unknown>;
  /**
   * Paths a main-resource update keeps from the old object besides status (upstream's
   * PrepareForUpdate), e.g. namespaces: spec.finalizers, changed only through `finalize`.
   */
  keptOnUpdate?: string[][];
  /**
   * Whether a PUT without metadata.resourceVersion (absent, "" or "0") overwrites the current
   * object (upstream's AllowUnconditionalUpdate()). Default true; false for the few kinds whose
   * strategy refuses it (PodDisruptionBudgets, Leases), which answer 422 "must be specified for an
   * update".
   */
  allowUnconditionalUpdate?: boolean;
  /**
   * Version conversion for resources served in several versions with one storage (HPA v2/v1):
   * returns `obj` (whose apiVersion names its version) as `version` of this group; the identity
   * when already there. Without it, objects are the same in every served version. May throw an
   * Error for content that cannot be converted (a malformed round-trip annotation).
   */
  convert?(obj: KubeObject, version: string): KubeObject;
  /**
   * The storage encoding when it is not this resource's own group/versions[0]/kind; it feeds
   * discovery's storageVersionHash. events.k8s.io Events are stored as core v1 Events.
   */
  storageKind?: { group: string; version: string; kind: string };
  /**
   * Name validation: 'subdomain' (default, DNS-1123 subdomain), 'label' (DNS-1123 label), 'path'
   * (path segment, RBAC), 'dns1035' (DNS-1035 label, Services), 'none' (any name, CSRs).
   */
  nameValidation?: 'subdomain' | 'label' | 'path' | 'dns1035' | 'none';
  /** Set on the descriptors of custom resources (built from a CRD by src/apiextensions/). */
  custom?: CustomResourceFacts;
}

/** What the generic layers need to know of a custom resource beyond the common descriptor. */
export interface CustomResourceFacts {
  /** The CRD's metadata.name (`<plural>.<group>`). */
  crdName: string;
  /** The version objects are stored in (status.storedVersions gets it). */
  storageVersion: string;
  /**
   * The descriptor serving one version: its Table columns, defaults, validation, selectable
   * fields and subresources are that version's. Cached; the same object on every call.
   */
  forVersion(version: string): ResourceDescriptor;
  /** The version's openAPIV3Schema, if it has one. */
  schema(version: string): Record<string, unknown> | undefined;
  /**
   * Drops the fields the version's schema does not declare (in place) and returns their paths
   * (`spec.foo`), for fieldValidation.
   */
  prune(version: string, obj: KubeObject): string[];
  /** The scale subresource's JSON paths (`.spec.replicas` ...), when the version has one. */
  scale(
    version: string,
  ): { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } | undefined;
  /** The version's schema as server-side apply and managed fields read it (list types, maps). */
  applySchema(version: string): Schema | undefined;
  /** The deprecation warning of a deprecated version (sent as a Warning header), if any. */
  warning(version: string): string | undefined;
  /** The verbs discovery lists: a terminating CRD's resources lose create, patch and update. */
  discoveryVerbs(): string[];
  /** Whether the CRD is being deleted: creates are refused (405) as upstream does. */
  terminating(): boolean;
}
