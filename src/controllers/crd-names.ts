/**
 * The CRD naming and establishing controllers (apiextensions-apiserver/pkg/controller/status
 * naming_controller.go and establish/establishing_controller.go) in one queue: for each CRD,
 * the requested names are checked against the names other CRDs of the same group have accepted;
 * non-conflicting ones go to `status.acceptedNames`, the NamesAccepted condition says
 * NoConflicts or which name is taken (PluralConflict, SingularConflict, ShortNamesConflict,
 * KindConflict, ListKindConflict: `"x" is already in use`), and once the names are accepted the
 * CRD becomes Established (InitialNamesAccepted), which is when its resources are served. Any
 * change re-checks every CRD of the group, so a CRD waiting for a name gets it when it is freed.
 */
import { deepCopy, timestamp } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { CachedObject, ObjectStore } from '../apiserver/rest/object-store.js';
import {
  condition,
  setCondition,
  specOf,
  statusOf,
  type CrdCondition,
  type CrdNames,
} from '../apiextensions/types.js';
import { APPROVAL, APPROVAL_DOC, approvalState, isProtectedGroup } from '../apiextensions/crd-validation.js';
import { WorkQueue } from './work-queue.js';

interface Calculated {
  names: CrdNames;
  namesAccepted: CrdCondition;
  established: CrdCondition;
}

/** equalToAcceptedOrFresh. */
function conflictOf(
  requested: string | undefined,
  accepted: string | undefined,
  used: Set<string>,
): string | undefined {
  if ((requested ?? '') === (accepted ?? '')) return undefined;
  if (!used.has(requested ?? '')) return undefined;
  return `${JSON.stringify(requested ?? '')} is already in use`;
}

/** calculateNamesAndConditions, given the other CRDs of the group. */
export function calculateNames(crd: KubeObject, others: readonly KubeObject[]): Calculated {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    const a = statusOf(o).acceptedNames ?? {};
    for (const n of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (n) resources.add(n);
    for (const n of [a.kind, a.listKind]) if (n) kinds.add(n);
  }
  const req = specOf(crd).names ?? {};
  const acc = statusOf(crd).acceptedNames ?? {};
  const names: CrdNames = { ...acc };
  let na: CrdCondition = { type: 'NamesAccepted', status: 'Unknown' };
  const fail = (reason: string, message: string) =>
    (na = { type: 'NamesAccepted', status: 'False', reason, message });
  let m: string | undefined;
  if ((m = conflictOf(req.plural, acc.plural, resources))) fail('PluralConflict', m);
  else names.plural = req.plural;
  if ((m = conflictOf(req.singular, acc.singular, resources))) fail('SingularConflict', m);
  else names.singular = req.singular;
  if (JSON.stringify(req.shortNames ?? []) !== JSON.stringify(acc.shortNames ?? [])) {
    const mine = new Set(acc.shortNames ?? []);
    const errs = (req.shortNames ?? [])
      .filter((s) => !mine.has(s))
      .map((s) => conflictOf(s, '', resources))
      .filter((e): e is string => e !== undefined);
    if (errs.length) fail('ShortNamesConflict', errs.length === 1 ? errs[0]! : `[${errs.join(', ')}]`);
    else names.shortNames = req.shortNames;
  }
  if ((m = conflictOf(req.kind, acc.kind, kinds))) fail('KindConflict', m);
  else names.kind = req.kind;
  if ((m = conflictOf(req.listKind, acc.listKind, kinds))) fail('ListKindConflict', m);
  else names.listKind = req.listKind;
  names.categories = req.categories;
  if (na.status === 'Unknown')
    na = { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };

  let est: CrdCondition = condition(crd, 'Established') ?? {
    type: 'Established',
    status: 'False',
    reason: 'NotAccepted',
    message: 'not all names are accepted',
  };
  // The establishing controller's step: accepted names make the CRD Established.
  if (est.status !== 'True' && na.status === 'True')
    est = {
      type: 'Established',
      status: 'True',
      reason: 'InitialNamesAccepted',
      message: 'the initial names have been accepted',
    };
  return { names, namesAccepted: na, established: est };
}

/**
 * The API approval controller's condition (pkg/controller/apiapproval) for CRDs in protected
 * groups: KubernetesAPIApprovalPolicyConformant, from the api-approved.kubernetes.io annotation.
 */
export function approvalCondition(crd: KubeObject): CrdCondition | undefined {
  if (!isProtectedGroup(specOf(crd).group ?? '')) return undefined;
  const v = crd.metadata?.annotations?.[APPROVAL] ?? '';
  const type = 'KubernetesAPIApprovalPolicyConformant';
  switch (approvalState(crd.metadata)) {
    case 'approved':
      return { type, status: 'True', reason: 'ApprovedAnnotation', message: `approved in ${v}` };
    case 'bypassed':
      return {
        type,
        status: 'False',
        reason: 'UnapprovedAnnotation',
        message: `not approved: ${JSON.stringify(v)}`,
      };
    case 'invalid':
      return {
        type,
        status: 'False',
        reason: 'InvalidAnnotation',
        message: `protected groups must have approval annotation ${JSON.stringify(APPROVAL)} with either a URL or a reason starting with "unapproved", ${APPROVAL_DOC}`,
      };
    default:
      return {
        type,
        status: 'False',
        reason: 'MissingAnnotation',
        message: `protected groups must have approval annotation ${JSON.stringify(APPROVAL)}, ${APPROVAL_DOC}`,
      };
  }
}

function clean(n: CrdNames): CrdNames {
  const out: CrdNames = {};
  for (const [k, v] of Object.entries(n))
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) (out as Record<string, unknown>)[k] = v;
  return out;
}

export class CrdNamesController {
  private readonly queue: WorkQueue;
  private watcher?: { cancel(): void };

  constructor(
    private readonly crds: ObjectStore,
    private readonly now: () => Date,
    log: (msg: string) => void = () => undefined,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), {
      name: 'crd naming controller',
      log,
      retryMs: 1000,
    });
  }

  start(): void {
    const c = this.crds.cache;
    for (const o of c.list(this.crds.prefix)) this.queue.add(o.obj.metadata!.name!);
    this.watcher = c.watch(
      this.crds.prefix,
      c.revision(),
      (evs) => evs.forEach((e) => this.requeueGroup(e.object)),
      () => undefined,
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private requeueGroup(o: CachedObject): void {
    const group = specOf(o.obj).group;
    for (const x of this.crds.cache.list(this.crds.prefix))
      if (x.key === o.key || specOf(x.obj).group === group) this.queue.add(x.obj.metadata!.name!);
    this.queue.add(o.obj.metadata!.name!);
  }

  private async sync(name: string): Promise<void> {
    const cur = this.crds.get('', name);
    if (!cur || cur.obj.metadata?.deletionTimestamp) return;
    const group = specOf(cur.obj).group;
    const others = this.crds.cache
      .list(this.crds.prefix)
      .filter((o) => o.key !== cur.key && specOf(o.obj).group === group)
      .map((o) => o.obj);
    const calc = calculateNames(cur.obj, others);
    await this.crds.guaranteedUpdate('', name, (c) => {
      const next = deepCopy(c.obj);
      const st = statusOf(next);
      const now = timestamp(this.now());
      const status = {
        ...st,
        acceptedNames: clean(calc.names),
        conditions: ((conds) => {
          const approval = approvalCondition(next);
          return approval ? setCondition(conds, approval, now) : conds;
        })(setCondition(setCondition(st.conditions, calc.namesAccepted, now), calc.established, now)),
      };
      const same =
        JSON.stringify(status.acceptedNames) === JSON.stringify(clean(st.acceptedNames ?? {})) &&
        JSON.stringify(status.conditions) === JSON.stringify(st.conditions ?? []);
      if (same) return undefined;
      next.status = status;
      return next;
    });
  }
}
