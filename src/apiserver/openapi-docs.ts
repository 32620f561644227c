/**
 * The few OpenAPI descriptions kubeauth publishes (src/apiserver/openapi.ts): upstream's texts for
 * the top-level kinds, a handful of well-known types, and the fields every object has (apiVersion,
 * kind, metadata, spec, status), from the Go doc comments in k8s.io/api and k8s.io/apimachinery.
 * Every other field is published without a description (`kubectl explain` prints
 * `<no description>`).
 *
 * @module
 */

const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';

/** Descriptions of the object-wide fields; `spec` and `status` mention the kind. */
export function commonFieldDescription(field: string, kind: string): string | undefined {
  switch (field) {
    case 'apiVersion':
      return (
        'APIVersion defines the versioned schema of this representation of an object. Servers should ' +
        'convert recognized schemas to the latest internal value, and may reject unrecognized values. ' +
        `More info: ${CONVENTIONS}#resources`
      );
    case 'kind':
      return (
        'Kind is a string value representing the REST resource this object represents. Servers may ' +
        'infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. ' +
        `More info: ${CONVENTIONS}#types-kinds`
      );
    case 'metadata':
      return `Standard object's metadata. More info: ${CONVENTIONS}#metadata`;
    case 'spec':
      return `Specification of the desired behavior of the ${kind}. More info: ${CONVENTIONS}#spec-and-status`;
    case 'status':
      return (
        `Most recently observed status of the ${kind}. This data may not be up to date. Populated by ` +
        `the system. Read-only. More info: ${CONVENTIONS}#spec-and-status`
      );
    default:
      return undefined;
  }
}

/** Type descriptions by upstream schema short name (the last segment of the schema name). */
export const TYPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  Pod:
    'Pod is a collection of containers that can run on a host. This resource is created by clients ' +
    'and scheduled onto hosts.',
  Namespace: 'Namespace provides a scope for Names. Use of multiple namespaces is optional.',
  ServiceAccount:
    'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral ' +
    'systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  ConfigMap: 'ConfigMap holds configuration data for pods to consume.',
  Secret:
    'Secret holds secret data of a certain type. The total bytes of the values in the Data field ' +
    'must be less than MaxSecretSize bytes.',
  Service:
    'Service is a named abstraction of software service (for example, mysql) consisting of local ' +
    'port (for example 3306) that the proxy listens on, and the selector that determines which pods ' +
    'will answer requests sent through the proxy.',
  ResourceQuota: 'ResourceQuota sets aggregate quota restrictions enforced per namespace',
  LimitRange: 'LimitRange sets resource usage limits for each kind of resource in a Namespace.',
  PersistentVolumeClaim: "PersistentVolumeClaim is a user's request for and claim to a persistent volume",
  PersistentVolume:
    'PersistentVolume (PV) is a storage resource provisioned by an administrator. It is analogous ' +
    'to a node. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes',
  Node:
    'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache ' +
    '(i.e. in etcd).',
  Event: 'Event is a report of an event somewhere in the cluster.',
  Deployment: 'Deployment enables declarative updates for Pods and ReplicaSets.',
  ReplicaSet: 'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  StatefulSet: 'StatefulSet represents a set of pods with consistent identities.',
  DaemonSet: 'DaemonSet represents the configuration of a daemon set.',
  Job: 'Job represents the configuration of a single job.',
  CronJob: 'CronJob represents the configuration of a single cron job.',
  Ingress:
    'Ingress is a collection of rules that allow inbound connections to reach the endpoints defined ' +
    'by a backend. An Ingress can be configured to give services externally-reachable urls, load ' +
    'balance traffic, terminate SSL, offer name based virtual hosting etc.',
  NetworkPolicy: 'NetworkPolicy describes what network traffic is allowed for a set of Pods',
  PodDisruptionBudget:
    'PodDisruptionBudget is an object to define the max disruption that can be caused to a ' +
    'collection of pods',
  PriorityClass:
    'PriorityClass defines mapping from a priority class name to the priority integer value. The ' +
    'value can be any valid integer.',
  Lease: 'Lease defines a lease concept.',
  Role:
    'Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a ' +
    'RoleBinding.',
  ClusterRole:
    'ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a ' +
    'unit by a RoleBinding or ClusterRoleBinding.',
  RoleBinding:
    'RoleBinding references a role, but does not contain it.  It can reference a Role in the same ' +
    'namespace or a ClusterRole in the global namespace. It adds who information via Subjects and ' +
    'namespace information by which namespace it exists in.  RoleBindings in a given namespace only ' +
    'have effect in that namespace.',
  ClusterRoleBinding:
    'ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ' +
    'ClusterRole in the global namespace, and adds who information via Subject.',
  Subject:
    'Subject contains a reference to the object or user identities a role binding applies to.  ' +
    'This can either hold a direct API object reference, or a value for non-objects such as user ' +
    'and group names.',
  PolicyRule:
    'PolicyRule holds information that describes a policy rule, but does not contain information ' +
    'about who the rule applies to or which namespace the rule applies to.',
  RoleRef: 'RoleRef contains information that points to the role being used',
  CertificateSigningRequest:
    'CertificateSigningRequest objects provide a mechanism to obtain x509 certificates by submitting ' +
    'a certificate signing request, and having it asynchronously approved and issued.',
  TokenReview: 'TokenReview attempts to authenticate a token to a known user.',
  TokenRequest: 'TokenRequest requests a token for a given service account.',
  SubjectAccessReview: 'SubjectAccessReview checks whether or not a user or group can perform an action.',
  SelfSubjectAccessReview:
    'SelfSubjectAccessReview checks whether or the current user can perform an action.',
  ObjectMeta:
    'ObjectMeta is metadata that all persisted resources must have, which includes all objects ' +
    'users must create.',
  Container: 'A single application container that you want to run within a pod.',
  PodSpec: 'PodSpec is a description of a pod.',
  PodTemplateSpec: 'PodTemplateSpec describes the data a pod should have when created from a template',
  LabelSelector:
    'A label selector is a label query over a set of resources. The result of matchLabels and ' +
    'matchExpressions are ANDed. An empty label selector matches no objects. A null label selector ' +
    'matches all objects.',
  Time:
    'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  ' +
    'Wrappers are provided for many of the factory methods that the time package offers.',
  IntOrString:
    'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML ' +
    'marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, ' +
    'for example, a JSON field that can accept a name or number.',
  Quantity:
    'Quantity is a fixed-point representation of a number. It provides convenient ' +
    'marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
  RawExtension: 'RawExtension is used to hold extensions in external versions.',
  FieldsV1: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
};

const SUBJECTS = 'Subjects holds references to the objects the role applies to.';
const ROLE_REF =
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. ' +
  'If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.';

/** Field descriptions by protobuf message key and JSON field name (`core.v1.Container.image`). */
export const FIELD_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'core.v1.Container.name':
    'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique ' +
    'name (DNS_LABEL). Cannot be updated.',
  'core.v1.Container.image':
    'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This ' +
    'field is optional to allow higher level config management to default or override container ' +
    'images in workload controllers like Deployments and StatefulSets.',
  'core.v1.PodSpec.containers':
    'List of containers belonging to the pod. Containers cannot currently be added or removed. ' +
    'There must be at least one container in a Pod. Cannot be updated.',
  'rbac.v1.Role.rules': 'Rules holds all the PolicyRules for this Role',
  'rbac.v1.ClusterRole.rules': 'Rules holds all the PolicyRules for this ClusterRole',
  'rbac.v1.RoleBinding.subjects': SUBJECTS,
  'rbac.v1.RoleBinding.roleRef': ROLE_REF,
  'rbac.v1.ClusterRoleBinding.subjects': SUBJECTS,
  'rbac.v1.ClusterRoleBinding.roleRef':
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be ' +
    'resolved, the Authorizer must return an error. This field is immutable.',
  'rbac.v1.Subject.kind':
    'Kind of object being referenced. Values defined by this API group are "User", "Group", and ' +
    '"ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should ' +
    'report an error.',
  'rbac.v1.Subject.apiGroup':
    'APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount ' +
    'subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.',
  'rbac.v1.Subject.name': 'Name of the object being referenced.',
  'rbac.v1.Subject.namespace':
    'Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or ' +
    '"Group", and this value is not empty the Authorizer should report an error.',
  'meta.v1.ObjectMeta.name':
    'Name must be unique within a namespace. Is required when creating resources, although some ' +
    'resources may allow a client to request the generation of an appropriate name automatically. ' +
    'Name is primarily intended for creation idempotence and configuration definition. Cannot be ' +
    'updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  'meta.v1.ObjectMeta.namespace':
    'Namespace defines the space within which each name must be unique. An empty namespace is ' +
    'equivalent to the "default" namespace, but "default" is the canonical representation. Not all ' +
    'objects are required to be scoped to a namespace - the value of this field for those objects ' +
    'will be empty. Must be a DNS_LABEL. Cannot be updated. More info: ' +
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces',
  'meta.v1.ObjectMeta.labels':
    'Map of string keys and values that can be used to organize and categorize (scope and select) ' +
    'objects. May match selectors of replication controllers and services. More info: ' +
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels',
  'meta.v1.ObjectMeta.annotations':
    'Annotations is an unstructured key value map stored with a resource that may be set by ' +
    'external tools to store and retrieve arbitrary metadata. They are not queryable and should be ' +
    'preserved when modifying objects. More info: ' +
    'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations',
};
