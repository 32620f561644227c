/**
 * @module apiserver/rest/csr-admission
 *
 * The signer-scoped admission of CertificateSigningRequests: CertificateApproval (on
 * `approval`, plugin/pkg/admission/certificates/approval/admission.go) and CertificateSigning (on
 * `status`, plugin/pkg/admission/certificates/signing/admission.go). Both ask the authorizer
 * whether the user may `approve` / `sign` on `signers` in certificates.k8s.io for the CSR's
 * signerName, then for `<domain>/*` (plugin/pkg/admission/certificates/util.go
 * IsAuthorizedForSignerName), and refuse with upstream's texts.
 */
import { deepEqual } from '../../api/patch/json.js';
import { forbidden } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { resourceAttributes } from '../../authz/interfaces.js';
import type { RequestScope } from './scope.js';

const signerOf = (csr: KubeObject): string =>
  (csr.spec as { signerName?: string } | undefined)?.signerName ?? '';

/** IsAuthorizedForSignerName: `verb` on signers/<signerName>, else on signers/<domain>/*. */
export async function authorizedForSigner(s: RequestScope, verb: string, signer: string): Promise<boolean> {
  const user = s.ctx.user;
  if (!user) return false; // deny by default: no requester, no signer rights
  for (const name of [signer, `${signer.split('/')[0]}/*`]) {
    const attrs = resourceAttributes(user, {
      verb,
      apiGroup: 'certificates.k8s.io',
      apiVersion: '*',
      resource: 'signers',
      name,
    });
    if ((await s.env.authorizer.authorize(attrs)).decision === 'Allow') return true;
  }
  return false;
}

/** CertificateApproval: an `approval` update needs `approve` on the old object's signer. */
export async function checkApprovePermission(s: RequestScope, old: KubeObject): Promise<void> {
  const signer = signerOf(old);
  if (await authorizedForSigner(s, 'approve', signer)) return;
  throw forbidden(
    s.store.gr,
    old.metadata?.name ?? '',
    `user not permitted to approve requests with signerName ${JSON.stringify(signer)}`,
  );
}

/**
 * CertificateSigning: a `status` update that changes status.certificate or status.conditions needs
 * `sign` on the old object's signer.
 */
export async function checkSignPermission(s: RequestScope, obj: KubeObject, old: KubeObject): Promise<void> {
  const st = (o: KubeObject) => (o.status ?? {}) as { certificate?: unknown; conditions?: unknown };
  if (
    st(obj).certificate === st(old).certificate &&
    deepEqual(st(obj).conditions ?? null, st(old).conditions ?? null)
  )
    return;
  const signer = signerOf(old);
  if (await authorizedForSigner(s, 'sign', signer)) return;
  throw forbidden(
    s.store.gr,
    old.metadata?.name ?? '',
    `user not permitted to sign requests with signerName ${JSON.stringify(signer)}`,
  );
}
