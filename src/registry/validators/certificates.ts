/**
 * @module registry/validators/certificates
 *
 * CertificateSigningRequest validation as pkg/apis/certificates/validation/validation.go:
 * ValidateCertificateSigningRequestCreate / Update / StatusUpdate / ApprovalUpdate, which differ
 * only in what an update may change (`allowSettingApprovalConditions` through `approval`,
 * `allowSettingCertificate` through `status`), with getValidationOptions' tolerance of problems
 * already present in the stored object.
 *
 * v1beta1 (served again for the pre-1.22 manifests, see ../resources/certificates.ts): a request
 * through v1beta1 may use `kubernetes.io/legacy-unknown`, as v1.19-v1.21 allowed
 * (`the legacy signerName is not allowed via this API version` says it is a version rule).
 * Deliberate difference: the other v1beta1 leniencies of those releases (arbitrary
 * `status.certificate`, unknown or duplicate usages, empty or duplicate condition types) are not
 * reproduced; v1beta1 requests get v1's checks for them.
 */
import { goBytes, type FieldError } from '../../api/errors.js';
import { deepEqual } from '../../api/patch/json.js';
import type { KubeObject } from '../../api/types.js';
import { firstPemBlock, checkCsr } from '../../pki/csr-verify.js';
import * as x509 from '@peculiar/x509';
import type { ValidationContext } from '../types.js';
import { arr, obj, objs, str } from '../util.js';
import { duplicate, forbidden, invalid, notSupported, required } from '../validation.js';
import { CSR_USAGES, validateSignerName } from './other.js';

export const LEGACY_UNKNOWN_SIGNER = 'kubernetes.io/legacy-unknown';
const TRUE_ONLY = ['Approved', 'Denied', 'Failed'];
const ALL_STATUS = ['False', 'True', 'Unknown'];

interface Condition {
  type?: string;
  status?: string;
}

interface Options {
  allowSettingApprovalConditions: boolean;
  allowSettingCertificate: boolean;
  allowBothApprovedAndDenied: boolean;
  allowLegacySignerName: boolean;
  allowDuplicateConditionTypes: boolean;
  allowEmptyConditionType: boolean;
  allowArbitraryCertificate: boolean;
  allowUnknownUsages: boolean;
  allowDuplicateUsages: boolean;
}

const conditionsOf = (o: KubeObject | undefined): Condition[] => objs(obj(o?.status).conditions);
const certificateOf = (o: KubeObject | undefined): string => str(obj(o?.status).certificate);
const usagesOf = (o: KubeObject | undefined): string[] => arr(obj(o?.spec).usages).map(str);

/** validateCertificate: status.certificate (base64 of PEM) holds only CERTIFICATE blocks. */
export function certificateError(certificate64: string): string | undefined {
  if (!certificate64) return undefined;
  let rest = Buffer.from(certificate64, 'base64').toString('latin1');
  let blocks = 0;
  for (;;) {
    const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(rest);
    if (!m) break;
    if (m[1] !== 'CERTIFICATE')
      return `only CERTIFICATE PEM blocks are allowed, found ${JSON.stringify(m[1])}`;
    if (m[2]!.split(/\r?\n/).some((l) => l.includes(':'))) return 'no PEM block headers are permitted';
    const block = firstPemBlock(m[0]);
    try {
      new x509.X509Certificate(block!.der);
    } catch {
      return 'x509: malformed certificate';
    }
    blocks++;
    rest = rest.slice(m.index + m[0].length);
  }
  return blocks ? undefined : 'must contain at least one CERTIFICATE PEM block';
}

function options(csr: KubeObject, ctx: ValidationContext): Options {
  const old = ctx.old;
  const oldTypes = conditionsOf(old).map((c) => str(c.type));
  return {
    allowSettingApprovalConditions: ctx.subresource === 'approval',
    allowSettingCertificate: ctx.subresource === 'status',
    allowBothApprovedAndDenied: oldTypes.includes('Approved') && oldTypes.includes('Denied'),
    allowLegacySignerName:
      ctx.version === 'v1beta1' || str(obj(old?.spec).signerName) === LEGACY_UNKNOWN_SIGNER,
    allowDuplicateConditionTypes: new Set(oldTypes).size !== oldTypes.length,
    allowEmptyConditionType: old !== undefined && oldTypes.includes(''),
    allowArbitraryCertificate:
      (old !== undefined && certificateOf(csr) === certificateOf(old)) ||
      (old !== undefined && certificateError(certificateOf(old)) !== undefined),
    allowUnknownUsages: old !== undefined && usagesOf(old).some((u) => !CSR_USAGES.includes(u)),
    allowDuplicateUsages: old !== undefined && new Set(usagesOf(old)).size !== usagesOf(old).length,
  };
}

function validateConditions(csr: KubeObject, opts: Options): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditionsOf(csr).forEach((c, i) => {
    const p = `status.conditions[${i}]`;
    const type = str(c.type);
    const status = str(c.status);
    if (!opts.allowEmptyConditionType && !type) errs.push(required(`${p}.type`));
    const allowed = TRUE_ONLY.includes(type) ? ['True'] : ALL_STATUS;
    if (!status) errs.push(required(`${p}.status`));
    else if (!allowed.includes(status)) errs.push(notSupported(`${p}.status`, status, allowed));
    if (!opts.allowBothApprovedAndDenied) {
      const exclusive = 'Approved and Denied conditions are mutually exclusive';
      if (type === 'Approved') {
        approved = true;
        if (denied) errs.push(invalid(`${p}.type`, type, exclusive));
      } else if (type === 'Denied') {
        denied = true;
        if (approved) errs.push(invalid(`${p}.type`, type, exclusive));
      }
    }
    if (!opts.allowDuplicateConditionTypes) {
      if (seen.has(type)) errs.push(duplicate(`${p}.type`, type));
      seen.add(type);
    }
  });
  return errs;
}

function validateCsr(csr: KubeObject, opts: Options): FieldError[] {
  const spec = obj(csr.spec);
  const errs: FieldError[] = [];
  const request = typeof spec.request === 'string' ? Buffer.from(spec.request, 'base64') : undefined;
  const checked = checkCsr((request ?? Buffer.alloc(0)).toString('latin1'));
  if (!checked.ok) errs.push(invalid('spec.request', goBytes(request), checked.error));
  const usages = usagesOf(csr);
  if (!usages.length) errs.push(required('spec.usages'));
  if (!opts.allowUnknownUsages) {
    usages.forEach((u, i) => {
      if (!CSR_USAGES.includes(u)) errs.push(notSupported(`spec.usages[${i}]`, u, CSR_USAGES));
    });
  }
  if (!opts.allowDuplicateUsages) {
    usages.forEach((u, i) => {
      if (usages.indexOf(u) < i) errs.push(duplicate(`spec.usages[${i}]`, u));
    });
  }
  const signer = str(spec.signerName);
  if (!opts.allowLegacySignerName && signer === LEGACY_UNKNOWN_SIGNER) {
    errs.push(
      invalid('spec.signerName', signer, 'the legacy signerName is not allowed via this API version'),
    );
  } else {
    errs.push(...validateSignerName('spec.signerName', signer));
  }
  if (typeof spec.expirationSeconds === 'number' && spec.expirationSeconds < 600) {
    errs.push(
      invalid(
        'spec.expirationSeconds',
        spec.expirationSeconds,
        'may not specify a duration less than 600 seconds (10 minutes)',
      ),
    );
  }
  errs.push(...validateConditions(csr, opts));
  if (!opts.allowArbitraryCertificate) {
    const e = certificateError(certificateOf(csr));
    if (e) errs.push(invalid('status.certificate', '<certificate data>', e));
  }
  return errs;
}

/** validateCertificateSigningRequestUpdate's rules on top of the object's own validation. */
function validateUpdate(csr: KubeObject, old: KubeObject, opts: Options): FieldError[] {
  const errs = validateCsr(csr, opts);
  const find = (o: KubeObject, t: string) => conditionsOf(o).filter((c) => c.type === t);
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (find(csr, t).length < find(old, t).length)
      errs.push(
        forbidden('status.conditions', `updates may not remove a condition of type ${JSON.stringify(t)}`),
      );
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const t of ['Approved', 'Denied']) {
      const was = find(old, t);
      const now = find(csr, t);
      if (now.length > was.length) {
        errs.push(
          forbidden('status.conditions', `updates may not add a condition of type ${JSON.stringify(t)}`),
        );
      } else if (now.length === was.length && !deepEqual(was, now)) {
        // Upstream appends a cmp.Diff of the two condition lists to this text; not reproduced.
        errs.push(
          forbidden('status.conditions', `updates may not modify a condition of type ${JSON.stringify(t)}`),
        );
      }
    }
  }
  if (certificateOf(csr) !== certificateOf(old)) {
    if (!opts.allowSettingCertificate) {
      errs.push(forbidden('status.certificate', 'updates may not set certificate content'));
    } else if (certificateOf(old)) {
      errs.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
    }
  }
  return errs;
}

/**
 * The descriptor's validate: create when `ctx.old` is undefined, else the update of the main
 * resource, `status` or `approval` (ctx.subresource).
 */
export function validateCertificateSigningRequest(csr: KubeObject, ctx: ValidationContext): FieldError[] {
  const opts = options(csr, ctx);
  return ctx.old ? validateUpdate(csr, ctx.old, opts) : validateCsr(csr, opts);
}
