/**
 * @module registry/validators/other
 *
 * RBAC (pkg/apis/rbac/validation/validation.go: ValidateRoleBinding(Update),
 * ValidateRoleBindingSubject, ValidatePolicyRule, ValidateClusterRole), the CSR usages and
 * signer names (core ValidateSignerName; the CSR itself is ./certificates.ts), Lease
 * (pkg/apis/coordination/validation) and PriorityClass (pkg/apis/scheduling/validation).
 */
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { arr, obj, objs, str } from '../util.js';
import type { ValidationContext } from '../types.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName } from '../names.js';
import { forbidden, invalid, notSupported, required, tooLong } from '../validation.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function validateSubjects(subjects: unknown, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objs(subjects).forEach((s, i) => {
    const p = `subjects[${i}]`;
    const name = str(s.name);
    const apiGroup = str(s.apiGroup);
    if (!name) errs.push(required(`${p}.name`));
    switch (s.kind) {
      case 'ServiceAccount':
        if (name) for (const m of isDNS1123Subdomain(name)) errs.push(invalid(`${p}.name`, name, m));
        if (apiGroup) errs.push(notSupported(`${p}.apiGroup`, apiGroup, ['']));
        if (!namespaced && !str(s.namespace)) errs.push(required(`${p}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (apiGroup !== RBAC_GROUP) errs.push(notSupported(`${p}.apiGroup`, apiGroup, [RBAC_GROUP]));
        break;
      default:
        errs.push(notSupported(`${p}.kind`, str(s.kind), ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

function validateBinding(b: KubeObject, ctx: ValidationContext, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = obj(b.roleRef);
  if (str(ref.apiGroup) !== RBAC_GROUP)
    errs.push(notSupported('roleRef.apiGroup', str(ref.apiGroup), [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(str(ref.kind))) errs.push(notSupported('roleRef.kind', str(ref.kind), kinds));
  const name = str(ref.name);
  if (!name) errs.push(required('roleRef.name'));
  else for (const m of isValidPathSegmentName(name)) errs.push(invalid('roleRef.name', name, m));
  errs.push(...validateSubjects(b.subjects, namespaced));
  if (ctx.old) {
    const oldRef = obj(ctx.old.roleRef);
    const same = ['apiGroup', 'kind', 'name'].every((k) => str(oldRef[k]) === str(ref[k]));
    if (!same) errs.push(invalid('roleRef', b.roleRef, 'cannot change roleRef'));
  }
  return errs;
}

export const validateRoleBinding = (b: KubeObject, ctx: ValidationContext) => validateBinding(b, ctx, true);
export const validateClusterRoleBinding = (b: KubeObject, ctx: ValidationContext) =>
  validateBinding(b, ctx, false);

function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objs(rules).forEach((r, i) => {
    const p = `rules[${i}]`;
    if (!arr(r.verbs).length) errs.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = arr(r.nonResourceURLs);
    if (urls.length) {
      if (namespaced) {
        errs.push(
          invalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'),
        );
      }
      if (arr(r.apiGroups).length || arr(r.resources).length || arr(r.resourceNames).length) {
        errs.push(
          invalid(
            `${p}.nonResourceURLs`,
            urls,
            'rules cannot apply to both regular resources and non-resource URLs',
          ),
        );
      }
      return;
    }
    if (!arr(r.apiGroups).length) {
      errs.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    }
    if (!arr(r.resources).length) {
      errs.push(required(`${p}.resources`, 'resource rules must supply at least one resource'));
    }
  });
  return errs;
}

export const validateRole = (r: KubeObject): FieldError[] => validateRules(r.rules, true);

export function validateClusterRole(r: KubeObject): FieldError[] {
  const errs = validateRules(r.rules, false);
  const agg = r.aggregationRule;
  if (agg !== undefined && agg !== null && !arr(obj(agg).clusterRoleSelectors).length) {
    errs.push(
      required(
        'aggregationRule.clusterRoleSelectors',
        'at least one clusterRoleSelector required if aggregationRule is non-nil',
      ),
    );
  }
  return errs;
}

/** Every key usage upstream accepts (allValidUsages, sorted). */
export const CSR_USAGES = [
  'any',
  'cert sign',
  'client auth',
  'code signing',
  'content commitment',
  'crl sign',
  'data encipherment',
  'decipher only',
  'digital signature',
  'email protection',
  'encipher only',
  'ipsec end system',
  'ipsec tunnel',
  'ipsec user',
  'key agreement',
  'key encipherment',
  'microsoft sgc',
  'netscape sgc',
  'ocsp signing',
  's/mime',
  'server auth',
  'signing',
  'timestamping',
];

/** ValidateSignerName: `<dns domain with a dot>/<path>`. */
export function validateSignerName(field: string, signerName: string): FieldError[] {
  if (!signerName) return [required(field)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [
      invalid(
        field,
        signerName,
        "must be a fully qualified domain and path of the form 'example.com/signer-name'",
      ),
    ];
  }
  const errs: FieldError[] = [];
  const domain = segments[0];
  if (domain.length > 253) errs.push(tooLong(field, 253));
  const labels = domain.split('.');
  for (const l of labels) {
    const msgs = isDNS1123Label(l);
    if (msgs.length) {
      for (const m of msgs) errs.push(invalid(field, domain, `validating label ${JSON.stringify(l)}: ${m}`));
      break;
    }
  }
  if (labels.length < 2) {
    errs.push(invalid(field, domain, 'should be a domain with at least two segments separated by dots'));
  }
  return errs;
}

export function validateLease(lease: KubeObject): FieldError[] {
  const spec = obj(lease.spec);
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** scheduling.SystemPriorityClasses. */
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

export function validatePriorityClass(pc: KubeObject, ctx: ValidationContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(pc.metadata?.name);
  const value = typeof pc.value === 'number' ? pc.value : 0;
  if (name.startsWith('system-')) {
    let problem: string | undefined;
    if (!(name in SYSTEM_PRIORITY_CLASSES)) problem = `${name} is not a known system priority class`;
    else if (SYSTEM_PRIORITY_CLASSES[name] !== value) {
      problem = `value of ${name} PriorityClass must be ${SYSTEM_PRIORITY_CLASSES[name]}`;
    } else if (pc.globalDefault === true) problem = `globalDefault of ${name} PriorityClass must be false`;
    if (problem) {
      errs.push(
        forbidden(
          'metadata.name',
          `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`,
        ),
      );
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(
      forbidden(
        'value',
        `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`,
      ),
    );
  }
  const policy = pc.preemptionPolicy;
  if (typeof policy === 'string' && !PREEMPTION_POLICIES.includes(policy)) {
    errs.push(notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  }
  if (ctx.old) {
    if (ctx.old.value !== pc.value) errs.push(forbidden('value', 'may not be changed in an update.'));
    if (ctx.old.preemptionPolicy !== pc.preemptionPolicy) {
      errs.push(invalid('preemptionPolicy', pc.preemptionPolicy, 'field is immutable'));
    }
  }
  return errs;
}
