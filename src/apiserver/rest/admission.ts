/**
 * Built-in admission run inside the write handlers (after authorization, before storage), as
 * upstream's admission chain: NamespaceLifecycle (the namespace must exist and not be
 * terminating; the immortal namespaces cannot be deleted), ServiceAccount (admission/serviceaccount.ts), Service cluster-IP allocation from --service-cluster-ip-range,
 * CertificateSubjectRestriction, and CertificateSigning on CSR `status` updates (./csr-admission.ts).
 */
import { ApiError, forbidden, invalid, notFound } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { admitNodeRestriction } from '../../admission/noderestriction.js';
import {
  admitServiceAccount,
  type PodLike,
  type ServiceAccountLike,
} from '../../admission/serviceaccount.js';
import { checkCsr } from '../../pki/csr-verify.js';
import { checkBindingWrite, checkRoleWrite, storeEscalationResolver } from '../../authz/rbac/escalation.js';
import { checkSignPermission } from './csr-admission.js';
import type { RequestScope } from './scope.js';
import type { UpdateTarget } from './strategy.js';

export const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

/** plugin/pkg/admission/namespace/lifecycle: creation into a missing or terminating namespace. */
export function checkNamespaceLifecycle(s: RequestScope, obj: KubeObject): void {
  if (!s.desc.namespaced) return;
  const ns = obj.metadata?.namespace ?? '';
  const nsStore = s.env.storeFor('', 'namespaces');
  const o = nsStore?.get('', ns);
  if (!o) throw notFound({ group: '', resource: 'namespaces' }, ns);
  if (
    o.obj.metadata?.deletionTimestamp ||
    (o.obj.status as { phase?: string } | undefined)?.phase === 'Terminating'
  ) {
    throw forbidden(
      { group: s.desc.group, resource: s.desc.resource },
      obj.metadata?.name ?? '',
      `unable to create new content in namespace ${ns} because it is being terminated`,
    );
  }
}

export interface ClusterIpAllocator {
  allocate(requested: string | undefined, taken: Set<string>): string;
}

/** plugin/pkg/admission/noderestriction: limits what a kubelet (system:node:<name>) may write. */
export function checkNodeRestriction(
  s: RequestScope,
  operation: 'CREATE' | 'UPDATE' | 'DELETE',
  obj: KubeObject | undefined,
  old: KubeObject | undefined,
  subresource = '',
): void {
  const user = s.ctx.user;
  if (!user || !user.name.startsWith('system:node:')) return;
  const pods = s.env.storeFor('', 'pods');
  const nodes = s.env.storeFor('', 'nodes');
  const err = admitNodeRestriction(
    {
      user,
      operation,
      resource: s.desc.resource,
      apiGroup: s.desc.group,
      subresource,
      namespace: s.ctx.info.namespace,
      name: s.ctx.info.name || (obj?.metadata?.name ?? ''),
      object: obj as never,
      oldObject: old as never,
    },
    {
      getPod: (ns, name) => pods?.get(ns, name)?.obj as never,
      getNode: (name) => nodes?.get('', name)?.obj as never,
    },
  );
  if (err) throw err;
}

/**
 * RBAC privilege-escalation prevention (pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding}/policybased): a role may
 * only grant what its writer holds (or the writer may `escalate`), a binding may only reference a
 * role whose permissions its writer holds (or the writer may `bind` it).
 */
async function checkRbacEscalation(s: RequestScope, obj: KubeObject, old?: KubeObject): Promise<void> {
  const rbac = s.env.rbac;
  if (s.desc.group !== 'rbac.authorization.k8s.io' || !rbac || !s.ctx.user) return;
  const resolver = storeEscalationResolver(rbac.store);
  const isRole = s.desc.resource === 'roles' || s.desc.resource === 'clusterroles';
  const r = isRole
    ? await checkRoleWrite(s.env.authorizer, resolver, s.ctx.user, obj as never, old as never)
    : await checkBindingWrite(s.env.authorizer, resolver, s.ctx.user, obj as never, old as never);
  if (r.ok) return;
  const name = obj.metadata?.name ?? '';
  const details = { name, group: s.desc.group, kind: s.desc.resource };
  if (r.reason === 'Forbidden') throw new ApiError(403, 'Forbidden', r.message, details);
  if (r.reason === 'NotFound') throw new ApiError(404, 'NotFound', r.message, details);
  throw new ApiError(400, 'BadRequest', r.message);
}

/**
 * certificatesigningrequests on create: the requester's identity is recorded in the spec whatever
 * the body says (registry strategy), and CertificateSubjectRestriction refuses
 * kube-apiserver-client requests for system:masters.
 */
async function admitCsr(s: RequestScope, obj: KubeObject): Promise<void> {
  if (s.desc.resource !== 'certificatesigningrequests' || s.desc.group !== 'certificates.k8s.io') return;
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  const u = s.ctx.user;
  spec.username = u?.name ?? '';
  if (u?.uid) spec.uid = u.uid;
  else delete spec.uid;
  spec.groups = u?.groups ?? [];
  if (u && Object.keys(u.extra).length) spec.extra = u.extra;
  else delete spec.extra;
  if (spec.signerName === 'kubernetes.io/kube-apiserver-client' && typeof spec.request === 'string') {
    // certificatesapi.ParseCSR; an unparsable request is validation's to report. checkCsr's memo
    // means validation does not parse it again.
    const checked = checkCsr(Buffer.from(spec.request, 'base64').toString('latin1'));
    const orgs = checked.ok ? checked.value.csr.subjectName.getField('O') : [];
    if (orgs.includes('system:masters')) {
      throw forbidden(
        s.store.gr,
        obj.metadata?.name ?? '',
        'use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed',
      );
    }
  }
}

export async function admitCreate(s: RequestScope, obj: KubeObject): Promise<void> {
  checkNamespaceLifecycle(s, obj);
  await admitCsr(s, obj);
  checkNodeRestriction(s, 'CREATE', obj, undefined);
  await checkRbacEscalation(s, obj);
  const hook = createHooks[`${s.desc.group}/${s.desc.resource}`];
  if (hook) await hook(s, obj);
}

export async function admitUpdate(
  s: RequestScope,
  obj: KubeObject,
  old: KubeObject,
  target: UpdateTarget,
  subresource: string | undefined = target === 'status' ? 'status' : undefined,
): Promise<void> {
  checkNodeRestriction(s, 'UPDATE', obj, old, target === 'status' ? 'status' : '');
  await checkRbacEscalation(s, obj, old);
  if (
    subresource === 'status' &&
    s.desc.group === 'certificates.k8s.io' &&
    s.desc.resource === 'certificatesigningrequests'
  )
    await checkSignPermission(s, obj, old);
  const hook = updateHooks[`${s.desc.group}/${s.desc.resource}`];
  if (hook) hook(s, obj, old, target);
}

type CreateHook = (s: RequestScope, obj: KubeObject) => void | Promise<void>;
type UpdateHook = (s: RequestScope, obj: KubeObject, old: KubeObject, target: UpdateTarget) => void;

const createHooks: Record<string, CreateHook> = {
  '/pods': async (s, obj) => {
    const ns = obj.metadata?.namespace ?? '';
    const sas = s.env.storeFor('', 'serviceaccounts');
    const spec = (obj.spec ?? {}) as { serviceAccountName?: string; serviceAccount?: string };
    const wanted = spec.serviceAccountName || spec.serviceAccount || 'default';
    // Upstream's getServiceAccount retries the "default" account (made by the controller right
    // after its namespace) up to 10 times, 100-200 ms apart.
    if (wanted === 'default' && sas && !sas.get(ns, wanted)) {
      for (let i = 0; i < 10 && !sas.get(ns, wanted); i++) await new Promise((r) => setTimeout(r, 100));
    }
    const reason = admitServiceAccount(obj as PodLike, ns, {
      getServiceAccount: (n, name) => sas?.get(n, name)?.obj as ServiceAccountLike | undefined,
      rnd: s.env.rnd,
    });
    if (reason) throw forbidden({ group: '', resource: 'pods' }, obj.metadata?.name ?? '', reason);
  },
  '/services': (s, obj) => {
    const spec = (obj.spec ??= {}) as Record<string, unknown>;
    if (spec.type === 'ExternalName') return;
    if (spec.clusterIP === 'None') {
      spec.clusterIPs = ['None'];
      return;
    }
    const taken = new Set<string>();
    for (const o of s.store.cache.list(s.store.prefix)) {
      const ip = (o.obj.spec as { clusterIP?: string } | undefined)?.clusterIP;
      if (ip) taken.add(ip);
    }
    const requested = spec.clusterIP as string | undefined;
    if (requested && taken.has(requested)) {
      throw invalid('', 'Service', obj.metadata?.name ?? '', [
        {
          type: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          value: [requested],
          detail: `failed to allocate IP ${requested}: provided IP is already allocated`,
        },
      ]);
    }
    const ip = requested || s.env.allocateClusterIp?.(taken);
    if (!ip)
      throw new ApiError(
        500,
        'InternalError',
        'Internal error occurred: failed to allocate a serviceIP: range is full',
      );
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  },
};

/** ValidatePodUpdate's text (pkg/apis/core/validation/validation.go) for a spec change it forbids. */
export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const updateHooks: Record<string, UpdateHook> = {
  '/pods': (_s, obj, old, target) => {
    if (target === 'status') return;
    // The account is fixed at creation: an update that leaves it out keeps it (the PUT of an
    // object read back before admission's defaults); naming another one is refused as upstream's
    // ValidatePodUpdate refuses any spec change outside its list (upstream also appends a Go diff
    // of the two specs to the detail; it is not reproduced here).
    const spec = (obj.spec ??= {}) as Record<string, unknown>;
    const oldSpec = (old.spec ?? {}) as Record<string, unknown>;
    const was = (oldSpec.serviceAccountName as string | undefined) ?? '';
    if (!spec.serviceAccountName && !spec.serviceAccount) {
      if (was) spec.serviceAccountName = spec.serviceAccount = was;
      return;
    }
    const now = (spec.serviceAccountName as string | undefined) || (spec.serviceAccount as string);
    if (now !== was)
      throw invalid('', 'Pod', obj.metadata?.name ?? '', [
        { type: 'FieldValueForbidden', field: 'spec', detail: POD_UPDATE_FORBIDDEN },
      ]);
    spec.serviceAccountName = spec.serviceAccount = now;
  },
  '/services': (_s, obj, old) => {
    const spec = (obj.spec ??= {}) as Record<string, unknown>;
    const oldSpec = (old.spec ?? {}) as Record<string, unknown>;
    if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
    if (!spec.clusterIPs && oldSpec.clusterIPs) spec.clusterIPs = oldSpec.clusterIPs;
  },
};
