/**
 * @module controllers/csr-approver
 *
 * kube-controller-manager's `csrapproving` controller (pkg/controller/certificates/approver/
 * sarapprove.go), in-process: a pending kube-apiserver-client-kubelet CSR that passes the kubelet
 * client checks is approved when its requester (spec.username/uid/groups/extra) may `create`
 * `certificatesigningrequests/selfnodeclient` (the CSR's CN is the requester's own name: a node
 * renewing its certificate) or `certificatesigningrequests/nodeclient` (any node name: a
 * bootstrap token). The check is the SubjectAccessReview upstream sends, asked of this server's
 * authorizer chain directly. The Approved condition has reason `AutoApproved` and upstream's
 * message; the signer then issues the certificate. Nothing else is ever auto-approved, and a
 * node's CSR for another node's name is only approved with `nodeclient`, which nodes lack.
 *
 * The approval is written straight to storage, as the controller's `UpdateApproval` would be
 * after admission (its identity, system:controller:certificate-controller, may approve for this
 * signer by the default policy).
 */
import { deepCopy, timestamp } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import { resourceAttributes, type Authorizer } from '../authz/interfaces.js';
import { csrInfo, type CsrInfo } from '../pki/csr.js';
import { checkCsr } from '../pki/csr-verify.js';
import { signerValidationError } from './csr-signer.js';
import { WorkQueue, followObjects } from './work-queue.js';

const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';

interface CsrSpec {
  request: string;
  signerName: string;
  usages?: string[];
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** A recognizer of sarapprove.go `recognizers()`: which CSRs, which permission, which message. */
export interface Recognizer {
  subresource: 'selfnodeclient' | 'nodeclient';
  recognize(spec: CsrSpec, info: CsrInfo): boolean;
  successMessage: string;
}

/** isNodeClientCert: the kubelet-client signer and capihelper.IsKubeletClientCSR. */
const isNodeClientCert = (spec: CsrSpec, info: CsrInfo) =>
  spec.signerName === KUBELET_CLIENT &&
  signerValidationError(KUBELET_CLIENT, spec.usages ?? [], info) === undefined;

/** In upstream's order: selfnodeclient first, then nodeclient. */
export const RECOGNIZERS: readonly Recognizer[] = [
  {
    subresource: 'selfnodeclient',
    recognize: (spec, info) => spec.username === info.commonName && isNodeClientCert(spec, info),
    successMessage: 'Auto approving self kubelet client certificate after SubjectAccessReview.',
  },
  {
    subresource: 'nodeclient',
    recognize: isNodeClientCert,
    successMessage: 'Auto approving kubelet client certificate after SubjectAccessReview.',
  },
];

/** GetCertApprovalCondition: already approved or denied, or already issued. */
function decided(csr: KubeObject): boolean {
  const status = (csr.status ?? {}) as { certificate?: string; conditions?: Condition[] };
  if (status.certificate) return true;
  return (status.conditions ?? []).some((c) => c.type === 'Approved' || c.type === 'Denied');
}

export class CsrApprover {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;

  constructor(
    private readonly csrs: ObjectStore,
    private readonly authorizer: Authorizer,
    private readonly opts: { now: () => Date; log: (m: string) => void },
  ) {
    this.queue = new WorkQueue((name) => this.handle(name), { name: 'csr approver', log: opts.log });
  }

  start(): void {
    this.watcher = followObjects(
      this.csrs,
      this.csrs.prefix,
      (o) => this.enqueue(o),
      'csr approver',
      this.opts.log,
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private enqueue(csr: KubeObject): void {
    const spec = csr.spec as CsrSpec | undefined;
    if (spec?.signerName === KUBELET_CLIENT && !decided(csr)) this.queue.add(csr.metadata!.name!);
  }

  /** The SubjectAccessReview of sarapprove.go `authorize`, as the CSR's requester. */
  private async allowed(spec: CsrSpec, subresource: string): Promise<boolean> {
    const user = {
      name: spec.username ?? '',
      uid: spec.uid ?? '',
      groups: spec.groups ?? [],
      extra: spec.extra ?? {},
    };
    const r = await this.authorizer.authorize(
      resourceAttributes(user, {
        verb: 'create',
        apiGroup: 'certificates.k8s.io',
        resource: 'certificatesigningrequests',
        subresource,
      }),
    );
    return r.decision === 'Allow';
  }

  private async handle(name: string): Promise<void> {
    const cur = this.csrs.get('', name)?.obj;
    if (!cur || decided(cur)) return;
    const spec = cur.spec as CsrSpec;
    // The request was parsed and its signature checked when it was validated; checkCsr's memo
    // answers again without repeating the work (sarapprove.go parses it once more, cheaply).
    const checked = checkCsr(Buffer.from(spec.request, 'base64').toString('latin1'));
    if (!checked.ok) {
      this.opts.log(`csr approver: unable to parse csr "${name}": ${checked.error}`);
      return;
    }
    const info: CsrInfo = csrInfo(checked.value.csr);
    const tried: string[] = [];
    for (const r of RECOGNIZERS) {
      if (!r.recognize(spec, info)) continue;
      tried.push(r.subresource);
      if (!(await this.allowed(spec, r.subresource))) continue;
      const now = timestamp(this.opts.now());
      await this.csrs.guaranteedUpdate('', name, (c) => {
        if (decided(c.obj)) return undefined;
        const next = deepCopy(c.obj);
        const status = (next.status ??= {}) as { conditions?: Condition[] };
        status.conditions = [
          ...(status.conditions ?? []),
          {
            type: 'Approved',
            status: 'True',
            reason: 'AutoApproved',
            message: r.successMessage,
            lastUpdateTime: now,
            lastTransitionTime: now,
          },
        ];
        return next;
      });
      return;
    }
    // upstream: IgnorableError "recognized csr %q as %v but subject access review was not approved"
    if (tried.length)
      this.opts.log(
        `csr approver: recognized csr "${name}" as [${tried.join(' ')}] but subject access review was not approved`,
      );
  }
}
