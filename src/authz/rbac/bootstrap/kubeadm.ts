/**
 * The RBAC objects `kubeadm init` (1.29+) adds to a cluster, after kubeadm's phases:
 * cmd/kubeadm/app/phases/bootstraptoken/node/tlsbootstrap.go (kubeadm:kubelet-bootstrap,
 * kubeadm:get-nodes, kubeadm:node-autoapprove-bootstrap, kubeadm:node-autoapprove-certificate-rotation),
 * bootstraptoken/clusterinfo/clusterinfo.go (kubeadm:bootstrap-signer-clusterinfo),
 * uploadconfig/uploadconfig.go (kubeadm:nodes-kubeadm-config), kubelet/config.go
 * (kubeadm:kubelet-config), addons/proxy/proxy.go (kubeadm:node-proxier, Role kube-proxy),
 * addons/dns/manifests.go (system:coredns) and kubeconfig/kubeconfig.go (kubeadm:cluster-admins,
 * EnsureAdminClusterRoleBinding).
 *
 * kubeadm sets no labels or annotations on them (no `autoupdate`: the apiserver's reconciliation
 * never touches them). Subjects are given as the API server stores them: kubeadm omits the
 * subject apiGroup and defaulting sets `rbac.authorization.k8s.io` for User and Group.
 *
 * @module
 */
import { group, serviceAccount, user } from './objects.js';
import { NamespacePublic, NamespaceSystem } from './namespace-policy.js';
import {
  RBAC_API_VERSION,
  RBAC_GROUP,
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  type Role,
  type RoleBinding,
  type Subject,
} from './types.js';

/** The group bootstrap tokens made by kubeadm authenticate as (constants.NodeBootstrapTokenAuthGroup). */
export const NodeBootstrapTokenAuthGroup = 'system:bootstrappers:kubeadm:default-node-token';
export const NodesGroup = 'system:nodes';
/** The group of the admin.conf client certificate since 1.29 (constants.ClusterAdminsGroupAndClusterRoleBinding). */
export const ClusterAdminsGroup = 'kubeadm:cluster-admins';

export interface KubeadmObjects {
  clusterRoles: ClusterRole[];
  clusterRoleBindings: ClusterRoleBinding[];
  roles: Role[];
  roleBindings: RoleBinding[];
}

function clusterRole(name: string, rules: PolicyRule[]): ClusterRole {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: { name }, rules };
}

function crb(name: string, roleName: string, subjects: Subject[]): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

/** A Role allowing `get` on one named ConfigMap, and its RoleBinding of the same name. */
function configMapReader(namespace: string, name: string, configMap: string, subjects: Subject[]) {
  const role: Role = {
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: { name, namespace },
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: [configMap] }],
  };
  const binding: RoleBinding = {
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name },
    subjects,
  };
  return { role, binding };
}

/**
 * The RBAC objects of a kubeadm cluster, beyond the apiserver's default policy.
 *
 * @param opts.coreDNS include the CoreDNS addon's ClusterRole and binding (default true)
 */
export function kubeadmObjects(opts: { coreDNS?: boolean } = {}): KubeadmObjects {
  const bootstrappers = group(NodeBootstrapTokenAuthGroup);
  const nodes = group(NodesGroup);
  const readers = [
    configMapReader(NamespaceSystem, 'kubeadm:nodes-kubeadm-config', 'kubeadm-config', [
      bootstrappers,
      nodes,
    ]),
    configMapReader(NamespaceSystem, 'kubeadm:kubelet-config', 'kubelet-config', [nodes, bootstrappers]),
    configMapReader(NamespaceSystem, 'kube-proxy', 'kube-proxy', [bootstrappers]),
    configMapReader(NamespacePublic, 'kubeadm:bootstrap-signer-clusterinfo', 'cluster-info', [
      user('system:anonymous'),
    ]),
  ];
  const out: KubeadmObjects = {
    clusterRoles: [
      clusterRole('kubeadm:get-nodes', [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }]),
    ],
    clusterRoleBindings: [
      // admin.conf's group gets cluster-admin through a binding that can be revoked
      crb('kubeadm:cluster-admins', 'cluster-admin', [group(ClusterAdminsGroup)]),
      // bootstrap tokens may post CSRs, read nodes, and have their node client CSRs auto-approved
      crb('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [bootstrappers]),
      crb('kubeadm:get-nodes', 'kubeadm:get-nodes', [bootstrappers]),
      crb(
        'kubeadm:node-autoapprove-bootstrap',
        'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
        [bootstrappers],
      ),
      // nodes' client certificate renewals are auto-approved
      crb(
        'kubeadm:node-autoapprove-certificate-rotation',
        'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
        [nodes],
      ),
      // the kube-proxy DaemonSet's service account
      crb('kubeadm:node-proxier', 'system:node-proxier', [serviceAccount(NamespaceSystem, 'kube-proxy')]),
    ],
    roles: readers.map((r) => r.role),
    roleBindings: readers.map((r) => r.binding),
  };
  if (opts.coreDNS ?? true) {
    out.clusterRoles.push(
      clusterRole('system:coredns', [
        {
          verbs: ['list', 'watch'],
          apiGroups: [''],
          resources: ['endpoints', 'services', 'pods', 'namespaces'],
        },
        { verbs: ['list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
      ]),
    );
    out.clusterRoleBindings.push(
      crb('system:coredns', 'system:coredns', [serviceAccount(NamespaceSystem, 'coredns')]),
    );
  }
  return out;
}

/**
 * Not a kubeadm object: kubeadm lets the API server reach kubelets through the
 * apiserver-kubelet-client certificate's group (O=kubeadm:cluster-admins, bound to cluster-admin
 * above). kubeauth also binds the certificate's user, kube-apiserver-kubelet-client, to
 * system:kubelet-api-admin, the role made for it, so `kubectl logs`/`exec` keep working when the
 * cluster-admins binding is revoked or the certificate is re-issued without that group.
 */
export function apiserverKubeletClientBinding(): ClusterRoleBinding {
  return crb('kubeauth:apiserver-kubelet-client', 'system:kubelet-api-admin', [
    user('kube-apiserver-kubelet-client'),
  ]);
}
