/**
 * The simple authorizers: AlwaysAllow, AlwaysDeny (--authorization-mode) and the privileged-group
 * authorizer kube-apiserver puts first, which allows every request of a user in system:masters
 * (pkg/kubeapiserver/authorizer/config.go).
 */
import { GROUP_MASTERS } from '../authn/interfaces.js';
import type { Attributes, Authorizer, AuthzResult } from './interfaces.js';

const allow: AuthzResult = { decision: 'Allow', reason: '' };
const noOpinion: AuthzResult = { decision: 'NoOpinion', reason: '' };

export const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: () => allow };

export const alwaysDeny: Authorizer = {
  name: 'AlwaysDeny',
  authorize: () => ({ decision: 'Deny', reason: 'Everything is forbidden.' }),
};

export function privilegedGroups(groups: string[] = [GROUP_MASTERS]): Authorizer {
  const set = new Set(groups);
  return {
    name: 'PrivilegedGroups',
    authorize(a: Attributes): AuthzResult {
      for (const g of a.user.groups) if (set.has(g)) return allow;
      return noOpinion;
    },
  };
}
