/**
 * WithImpersonation, legacy mode (k8s.io/apiserver/pkg/endpoints/filters/impersonation, FACTS.md
 * §8): Impersonate-User / -Group / -Uid / -Extra-<key> headers, each authorized for the
 * requesting user with verb `impersonate` (users, groups, serviceaccounts, userextras/<key>,
 * uids), 403 on the first denial, 400 for groups/extra/uid without a user. The resulting user does
 * not inherit the requester's groups; all Impersonate-* headers are removed afterwards.
 */
import { badRequest } from '../../api/errors.js';
import {
  GROUP_AUTHENTICATED,
  GROUP_UNAUTHENTICATED,
  SYSTEM_ANONYMOUS,
  type UserInfo,
} from '../../authn/interfaces.js';
import { resourceAttributes, type Attributes, type Authorizer } from '../../authz/interfaces.js';
import { headersDistinct, type Filter } from '../context.js';
import { writeError } from '../responses.js';
import { forbiddenError, writeAuthorizerError } from './authorization.js';

const SA_PREFIX = 'system:serviceaccount:';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** serviceaccount.SplitUsername: exactly namespace:name with a valid namespace and name. */
function splitServiceAccount(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SA_PREFIX)) return undefined;
  const parts = user.slice(SA_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !DNS_LABEL.test(namespace) || name.length > 253 || !DNS_SUBDOMAIN.test(name))
    return undefined;
  return { namespace, name };
}

function attrs(user: UserInfo, p: Omit<Parameters<typeof resourceAttributes>[1], 'verb'>): Attributes {
  return resourceAttributes(user, { verb: 'impersonate', ...p });
}

/** Any `Impersonate-*` header (names are lower case in HTTP/2, as sent in HTTP/1.1). */
function hasImpersonationHeader(raw: string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    // 'i' or 'I' first: only then is the lower-case comparison worth making.
    if ((k.charCodeAt(0) | 0x20) === 0x69 && k.length > 12 && k.toLowerCase().startsWith('impersonate-'))
      return true;
  }
  return false;
}

export function withImpersonation(authorizer: Authorizer): Filter {
  return (next) => async (ctx) => {
    // Fast path: most requests impersonate nobody. rawHeaders is a flat array that the
    // authentication filter's deletes on `headers` leave alone (cheaper than Object.keys there).
    if (!hasImpersonationHeader(ctx.req.rawHeaders)) return next(ctx);
    const h = headersDistinct(ctx.req);
    const users = h['impersonate-user'] ?? [];
    const groups = h['impersonate-group'] ?? [];
    const uids = h['impersonate-uid'] ?? [];
    const extra: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(h)) {
      if (!k.startsWith('impersonate-extra-')) continue;
      let key = k.slice('impersonate-extra-'.length).toLowerCase();
      try {
        key = decodeURIComponent(key);
      } catch {
        /* keep the raw key, as upstream does when unescaping fails */
      }
      extra[key] = [...(extra[key] ?? []), ...v];
    }
    if (!users.length && !groups.length && !uids.length && !Object.keys(extra).length) return next(ctx);
    try {
      if (!users.length)
        throw badRequest('requested impersonation of groups, extra or uid without impersonating a user');
      const requester = ctx.user!;
      const name = users[0];
      const checks: Attributes[] = [];
      const sa = splitServiceAccount(name);
      checks.push(
        sa
          ? attrs(requester, { resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name })
          : attrs(requester, { resource: 'users', name }),
      );
      for (const g of groups) checks.push(attrs(requester, { resource: 'groups', name: g }));
      for (const [k, vs] of Object.entries(extra))
        for (const v of vs)
          checks.push(
            attrs(requester, {
              apiGroup: 'authentication.k8s.io',
              resource: 'userextras',
              subresource: k,
              name: v,
            }),
          );
      if (uids.length)
        checks.push(attrs(requester, { apiGroup: 'authentication.k8s.io', resource: 'uids', name: uids[0] }));
      for (const a of checks) {
        const r = await authorizer.authorize(a);
        if (r.decision !== 'Allow') {
          if (r.error) return writeAuthorizerError(ctx, r.error);
          throw forbiddenError(a, r.reason);
        }
      }
      let g = groups.length
        ? [...groups]
        : sa
          ? ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`]
          : [];
      if (name === SYSTEM_ANONYMOUS) {
        if (!g.includes(GROUP_UNAUTHENTICATED)) g = [...g, GROUP_UNAUTHENTICATED];
      } else if (!g.includes(GROUP_AUTHENTICATED) && !g.includes(GROUP_UNAUTHENTICATED))
        g = [...g, GROUP_AUTHENTICATED];
      ctx.user = { name, uid: uids[0] ?? '', groups: g, extra };
      for (const k of Object.keys(ctx.req.headers))
        if (k.startsWith('impersonate-')) delete ctx.req.headers[k];
    } catch (e) {
      writeError(ctx, e);
      return;
    }
    await next(ctx);
  };
}
