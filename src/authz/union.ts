/**
 * Authorizer chain, after k8s.io/apiserver/pkg/authorization/union/union.go: the first Allow or
 * Deny wins and is returned unchanged; NoOpinion moves on; if all abstain the result is NoOpinion
 * with the non-empty reasons joined by "\n". Reasons are not prefixed with the authorizer name:
 * that is what kube-apiserver 1.27–1.33 (the versions this server reports) print, e.g.
 * `...: no relationship found between node 'n1' and this object`.
 */
import type { Attributes, Authorizer, AuthzResult } from './interfaces.js';

export function unionAuthorizer(authorizers: Authorizer[]): Authorizer {
  if (authorizers.length === 1) return authorizers[0];
  return {
    name: 'union',
    authorize(a: Attributes): AuthzResult | Promise<AuthzResult> {
      const reasons: string[] = [];
      const errors: Error[] = [];
      for (let i = 0; i < authorizers.length; i++) {
        const r = authorizers[i].authorize(a);
        if (r instanceof Promise) return continueAsync(authorizers, i, r, a, reasons, errors);
        if (r.decision !== 'NoOpinion') return r;
        collect(r, reasons, errors);
      }
      return finish(reasons, errors);
    },
  };
}

function collect(r: AuthzResult, reasons: string[], errors: Error[]): void {
  if (r.reason) reasons.push(r.reason);
  if (r.error) errors.push(r.error);
}

function finish(reasons: string[], errors: Error[]): AuthzResult {
  const res: AuthzResult = { decision: 'NoOpinion', reason: reasons.join('\n') };
  if (errors.length) res.error = new Error(errors.map((e) => e.message).join(', '));
  return res;
}

async function continueAsync(
  authorizers: Authorizer[],
  start: number,
  pending: Promise<AuthzResult>,
  a: Attributes,
  reasons: string[],
  errors: Error[],
): Promise<AuthzResult> {
  let r = await pending;
  for (let i = start; ;) {
    if (r.decision !== 'NoOpinion') return r;
    collect(r, reasons, errors);
    if (++i >= authorizers.length) break;
    r = await authorizers[i].authorize(a);
  }
  return finish(reasons, errors);
}
