/**
 * The create-only review resources (nothing is stored), after
 * pkg/registry/authorization/{subjectaccessreview,selfsubjectaccessreview,
 * localsubjectaccessreview,selfsubjectrulesreview} and pkg/registry/authentication/
 * {tokenreview,selfsubjectreview}: validate the spec, ask the authorizer / authenticator, answer
 * 201 with the request echoed and `status` filled in.
 */
import { invalid, badRequest, type FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { UserInfo } from '../../authn/interfaces.js';
import { nonResourceAttributes, resourceAttributes, type Attributes } from '../../authz/interfaces.js';
import { explain, formatExplanation } from '../../authz/rbac/explain.js';
import { decodeObject, readBody } from '../body.js';
import { writeObject } from '../responses.js';
import type { RequestScope } from './scope.js';
import { decodeTypedBody } from './typed-decode.js';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: { rawSelector?: string };
  labelSelector?: { rawSelector?: string };
}

interface AccessSpec {
  resourceAttributes?: ResourceAttributes | null;
  nonResourceAttributes?: { path?: string; verb?: string } | null;
  user?: string;
  groups?: string[] | null;
  uid?: string;
  extra?: Record<string, string[]> | null;
}

function validateAccessSpec(spec: AccessSpec, kind: string, group: string): void {
  const errs: FieldError[] = [];
  const r = spec.resourceAttributes ?? undefined;
  const n = spec.nonResourceAttributes ?? undefined;
  if (r && n)
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.resourceAttributes',
      value: r,
      detail: 'cannot be specified in combination with nonResourceAttributes',
    });
  if (!r && !n)
    errs.push({
      type: 'FieldValueRequired',
      field: 'spec.resourceAttributes',
      detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified',
    });
  if (kind === 'SubjectAccessReview' && !spec.user && !(spec.groups ?? []).length) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.user',
      value: '',
      detail: 'at least one of user or group must be specified',
    });
  }
  if (errs.length) throw invalid(group, kind, '', errs);
}

function attributesFrom(user: UserInfo, spec: AccessSpec): Attributes {
  const r = spec.resourceAttributes ?? undefined;
  if (!r) {
    const n = spec.nonResourceAttributes ?? {};
    return nonResourceAttributes(user, n.verb ?? '', n.path ?? '');
  }
  return resourceAttributes(user, {
    verb: r.verb ?? '',
    namespace: r.namespace ?? '',
    apiGroup: r.group ?? '',
    apiVersion: r.version ?? '',
    resource: r.resource ?? '',
    subresource: r.subresource ?? '',
    name: r.name ?? '',
    fieldSelector: r.fieldSelector?.rawSelector,
    labelSelector: r.labelSelector?.rawSelector,
  });
}

async function accessReview(
  s: RequestScope,
  body: KubeObject,
  user: UserInfo,
  short = false,
): Promise<Record<string, unknown>> {
  const spec = (body.spec ?? {}) as AccessSpec;
  const attrs = attributesFrom(user, spec);
  const r = await s.env.authorizer.authorize(attrs);
  const status: Record<string, unknown> = { allowed: r.decision === 'Allow' };
  if (r.decision === 'Deny') status.denied = true;
  if (r.reason) status.reason = r.reason;
  // Beyond upstream (whose reason is empty on a deny): say why, naming the nearest misses.
  // SelfSubjectAccessReview (kubectl auth can-i) gets one line, the other reviews the full text.
  if (r.decision !== 'Allow' && !r.reason && s.env.rbac) {
    status.reason = formatExplanation(explain(s.env.rbac.store, attrs), { short });
  }
  if (r.error) status.evaluationError = r.error.message;
  return status;
}

export async function handleReview(s: RequestScope, namespace: string): Promise<void> {
  const body = decodeObject(
    await readBody(s.ctx.req),
    s.ctx.req.headers['content-type'],
    s.env.protobuf,
    s.desc.kind,
  ) as KubeObject;
  decodeTypedBody(s, body);
  const kind = s.desc.kind;
  if (body.kind && body.kind !== kind)
    throw badRequest(`${String(body.kind)} in version "${s.version}" cannot be handled as a ${kind}`);
  const group = s.desc.group;
  const user = s.ctx.user!;
  const spec = (body.spec ?? {}) as AccessSpec;
  let status: Record<string, unknown>;
  switch (kind) {
    case 'SelfSubjectAccessReview':
      validateAccessSpec(spec, kind, group);
      status = await accessReview(s, body, user, true);
      break;
    case 'LocalSubjectAccessReview': {
      validateAccessSpec(spec, kind, group);
      const rns = spec.resourceAttributes?.namespace ?? '';
      if (!spec.resourceAttributes || rns !== namespace) {
        throw invalid(group, kind, '', [
          {
            type: 'FieldValueInvalid',
            field: 'spec.resourceAttributes.namespace',
            value: rns,
            detail: 'must match metadata.namespace',
          },
        ]);
      }
      status = await accessReview(s, body, {
        name: spec.user ?? '',
        uid: spec.uid ?? '',
        groups: spec.groups ?? [],
        extra: spec.extra ?? {},
      });
      break;
    }
    case 'SubjectAccessReview':
      validateAccessSpec(spec, kind, group);
      status = await accessReview(s, body, {
        name: spec.user ?? '',
        uid: spec.uid ?? '',
        groups: spec.groups ?? [],
        extra: spec.extra ?? {},
      });
      break;
    case 'SelfSubjectRulesReview': {
      const ns = (body.spec as { namespace?: string } | undefined)?.namespace ?? '';
      const resolver = s.env.rulesResolver;
      status = resolver
        ? resolver(user, ns)
        : {
            resourceRules: [],
            nonResourceRules: [],
            incomplete: true,
            evaluationError: 'no rule resolver is configured for the active authorization modes',
          };
      break;
    }
    case 'SelfSubjectReview':
      status = {
        userInfo: {
          username: user.name,
          uid: user.uid || undefined,
          groups: user.groups,
          extra: Object.keys(user.extra).length ? user.extra : undefined,
        },
      };
      break;
    case 'TokenReview': {
      const token = (body.spec as { token?: string } | undefined)?.token ?? '';
      const audiences = (body.spec as { audiences?: string[] } | undefined)?.audiences ?? [];
      if (!token)
        throw invalid(group, kind, '', [{ type: 'FieldValueRequired', field: 'spec.token', detail: '' }]);
      const r = s.env.tokenAuthenticator
        ? await s.env.tokenAuthenticator.authenticateToken(token, audiences)
        : { ok: false as const };
      if (r.ok) {
        const u = r.response.user;
        status = {
          authenticated: true,
          // UserInfo's uid and extra are omitempty.
          user: {
            username: u.name,
            uid: u.uid || undefined,
            groups: u.groups,
            extra: Object.keys(u.extra).length ? u.extra : undefined,
          },
          audiences: r.response.audiences ?? audiences,
        };
      } else status = { user: {}, error: r.error?.message ?? '' };
      break;
    }
    default:
      throw badRequest(`unsupported review kind ${kind}`);
  }
  const apiVersion = group ? `${group}/${s.version}` : s.version;
  const meta = { ...(body.metadata ?? {}), creationTimestamp: null } as Record<string, unknown>;
  if (namespace) meta.namespace = namespace;
  writeObject(s.ctx, 201, { kind, apiVersion, metadata: meta, spec: body.spec ?? {}, status });
}
