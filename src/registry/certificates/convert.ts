/**
 * @module registry/certificates/convert
 *
 * CertificateSigningRequests in certificates.k8s.io/v1beta1 beside v1 (the storage version). The
 * two versions have the same fields; what differs is v1beta1's defaulting
 * (pkg/apis/certificates/v1beta1/defaults.go), applied when a v1beta1 body becomes v1:
 * - `spec.usages` absent: `["digital signature", "key encipherment"]`;
 * - `spec.signerName` absent: DefaultSignerNameFromSpec, i.e. `kube-apiserver-client-kubelet` for
 *   a request that passes the kubelet client rules, `kubelet-serving` for one that passes the
 *   kubelet serving rules, else `kubernetes.io/legacy-unknown` (also for a request that does not
 *   parse, which validation then refuses);
 * - a condition without `status`: `True`.
 * v1 -> v1beta1 only renames the apiVersion.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { KubeObject } from '../../api/types.js';
import { firstPemBlock } from '../../pki/csr-verify.js';
import { csrInfo } from '../../pki/csr.js';
import { signerValidationError } from '../../controllers/csr-signer.js';

const GROUP = 'certificates.k8s.io';
const KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
const KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
const LEGACY_UNKNOWN = 'kubernetes.io/legacy-unknown';

/** DefaultSignerNameFromSpec (v1beta1/defaults.go) for a base64 PEM request and its usages. */
export function defaultSignerName(request64: unknown, usages: string[]): string {
  if (typeof request64 !== 'string') return LEGACY_UNKNOWN;
  const block = firstPemBlock(Buffer.from(request64, 'base64').toString('latin1'));
  if (!block || block.type !== 'CERTIFICATE REQUEST') return LEGACY_UNKNOWN;
  let info;
  try {
    info = csrInfo(new x509.Pkcs10CertificateRequest(block.der));
  } catch {
    return LEGACY_UNKNOWN;
  }
  if (signerValidationError(KUBELET_CLIENT, usages, info) === undefined) return KUBELET_CLIENT;
  if (signerValidationError(KUBELET_SERVING, usages, info) === undefined) return KUBELET_SERVING;
  return LEGACY_UNKNOWN;
}

/** SetDefaults_CertificateSigningRequestSpec / _Condition of v1beta1, in place. */
export function defaultV1beta1(o: KubeObject): void {
  const spec = (o.spec ??= {}) as Record<string, unknown>;
  if (spec.usages === undefined || spec.usages === null)
    spec.usages = ['digital signature', 'key encipherment'];
  if (spec.signerName === undefined || spec.signerName === null) {
    const usages = Array.isArray(spec.usages) ? spec.usages.map(String) : [];
    spec.signerName = defaultSignerName(spec.request, usages);
  }
  const status = o.status as { conditions?: unknown } | undefined;
  if (Array.isArray(status?.conditions)) {
    for (const c of status.conditions) {
      if (c && typeof c === 'object' && !(c as { status?: unknown }).status)
        (c as { status?: string }).status = 'True';
    }
  }
}

/** `o`'s keys in `order` first (the Go struct's field order, which JSON output follows), then the rest. */
function ordered(o: unknown, order: readonly string[]): unknown {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in src) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out)) out[k] = src[k];
  return out;
}

const SPEC_ORDER = [
  'request',
  'signerName',
  'expirationSeconds',
  'usages',
  'username',
  'uid',
  'groups',
  'extra',
];
const CONDITION_ORDER = ['type', 'status', 'reason', 'message', 'lastUpdateTime', 'lastTransitionTime'];

/** A copy of `o` as `apiVersion`, its spec, status and conditions copied (so defaults touch only the copy). */
function copyAs(o: KubeObject, apiVersion: string): KubeObject {
  const out: KubeObject = { apiVersion, kind: o.kind, metadata: o.metadata };
  if (o.spec !== undefined) out.spec = ordered(o.spec, SPEC_ORDER);
  if (o.status !== undefined) {
    const st = o.status as { conditions?: unknown };
    out.status = ordered(
      Array.isArray(st?.conditions)
        ? { ...st, conditions: st.conditions.map((c) => ordered(c, CONDITION_ORDER)) }
        : st,
      ['conditions', 'certificate'],
    );
  }
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

/** The descriptor's conversion hook: `o` (in its own apiVersion) as `version` of the group. */
export function convertCsr(o: KubeObject, version: string): KubeObject {
  const target = `${GROUP}/${version}`;
  if (o.apiVersion === target) return o;
  const out = copyAs(o, target);
  if (o.apiVersion !== `${GROUP}/v1beta1`) return out;
  defaultV1beta1(out);
  return copyAs(out, target); // the defaulted fields in their Go order too
}
