/**
 * POST .../serviceaccounts/<name>/token (TokenRequest, authentication.k8s.io/v1), after
 * pkg/registry/core/serviceaccount/storage/token.go and the validation of
 * pkg/apis/authentication/validation: expirationSeconds defaults to 3600, must be ≥ 600 and
 * ≤ 2^32; audiences default to the API audiences; boundObjectRef (Pod, Secret, Node) must exist
 * with a matching uid. `--service-account-max-token-expiration` caps expirationSeconds (with a
 * warning); with `--service-account-extend-token-expiration` a pod-bound request for exactly 3607 s
 * and API audiences (the admission plugin's projected token) is signed for a year, with
 * `warnafter` at the requested lifetime.
 */
import { ApiError, badRequest, invalid, notFound, type FieldError } from '../../api/errors.js';
import { timestamp } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';
import { decodeObject, readBody } from '../body.js';
import { writeObject } from '../responses.js';
import { checkNodeRestriction } from './admission.js';
import { isDryRun } from './dry-run.js';
import type { RequestScope } from './scope.js';
import { decodeTypedBody } from './typed-decode.js';
import { addWarnings } from './field-validation-checks.js';

/** pkg/serviceaccount: WarnOnlyBoundTokenExpirationSeconds and ExpirationExtensionSeconds. */
const WARN_ONLY_SECONDS = 3607;
const EXTENSION_SECONDS = 24 * 365 * 60 * 60;

export async function handleTokenRequest(s: RequestScope, ns: string, name: string): Promise<void> {
  const issuer = s.env.tokens;
  if (!issuer) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  // The dryRun option is validated like any create's; nothing is stored either way, and upstream's
  // TokenREST.Create (pkg/registry/core/serviceaccount/storage/token.go) ignores it: a dry-run
  // TokenRequest still returns a signed token.
  isDryRun(s);
  const body = decodeObject(
    await readBody(s.ctx.req),
    s.ctx.req.headers['content-type'],
    s.env.protobuf,
    'TokenRequest',
  ) as KubeObject;
  decodeTypedBody(s, body, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' });
  if (body.kind && body.kind !== 'TokenRequest')
    throw badRequest(`${String(body.kind)} is not a TokenRequest`);
  const sa = s.store.mustGet(ns, name).obj;
  checkNodeRestriction(s, 'CREATE', body, undefined, 'token');
  const spec = (body.spec ?? {}) as {
    audiences?: string[] | null;
    expirationSeconds?: number | null;
    boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
  };
  let exp = spec.expirationSeconds ?? 3600;
  const errs: FieldError[] = [];
  if (exp < 600)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.expirationSeconds',
      value: exp,
      detail: 'may not specify a duration less than 10 minutes',
    });
  if (exp > 2 ** 32)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.expirationSeconds',
      value: exp,
      detail: 'may not specify a duration larger than 2^32 seconds',
    });
  const ref = spec.boundObjectRef ?? undefined;
  let pod, secret, node;
  if (ref) {
    const kinds: Record<string, [string, string]> = {
      Pod: ['', 'pods'],
      Secret: ['', 'secrets'],
      Node: ['', 'nodes'],
    };
    const k = kinds[ref.kind ?? ''];
    if (!k)
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.boundObjectRef.kind',
        value: ref.kind ?? '',
        detail: 'supported values: "Pod", "Secret", "Node"',
      });
    else if (errs.length === 0) {
      const store = s.env.storeFor(k[0], k[1]);
      const target = store?.get(ref.kind === 'Node' ? '' : ns, ref.name ?? '');
      if (!target) throw notFound({ group: '', resource: k[1] }, ref.name ?? '');
      if (ref.uid && ref.uid !== target.obj.metadata?.uid) {
        throw new ApiError(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${k[1]} "${ref.name}": the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
        );
      }
      const br = { name: ref.name!, uid: target.obj.metadata?.uid ?? '' };
      if (ref.kind === 'Pod') pod = br;
      else if (ref.kind === 'Secret') secret = br;
      else node = br;
    }
  }
  if (errs.length) throw invalid('authentication.k8s.io', 'TokenRequest', '', errs);
  const now = Math.floor(s.env.now().getTime() / 1000);
  const audiences = spec.audiences && spec.audiences.length ? spec.audiences : issuer.apiAudiences;
  const max = issuer.maxExpirationSeconds ?? 0;
  if (max > 0 && exp > max) {
    addWarnings(s, [`requested expiration of ${exp} seconds shortened to ${max} seconds`]);
    exp = max;
  }
  let signedExp = exp;
  let warnAfter: number | undefined;
  const kubeAudiences = audiences.every((a) => issuer.apiAudiences.includes(a));
  if (issuer.extendExpiration && pod && exp === WARN_ONLY_SECONDS && kubeAudiences) {
    warnAfter = now + exp;
    signedExp = EXTENSION_SECONDS;
  }
  const { token, expiresAt } = await issuer.signer.sign({
    issuer: issuer.issuer,
    audiences,
    namespace: ns,
    serviceAccount: { name, uid: sa.metadata?.uid ?? '' },
    pod,
    secret,
    node,
    issuedAt: now,
    expirationSeconds: signedExp,
    warnAfter,
  });
  writeObject(s.ctx, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: timestamp(s.env.now()) },
    spec: { audiences, expirationSeconds: exp, boundObjectRef: ref ?? null },
    status: { token, expirationTimestamp: timestamp(new Date((expiresAt - signedExp + exp) * 1000)) },
  });
}
